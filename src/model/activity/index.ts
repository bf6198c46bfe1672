// Port activity: events from consecutive snapshots, a bounded log kept across reloads, unusual activity.
export { ACTIVITY_MAX_AGE_MS, ACTIVITY_MAX_EVENTS, ActivityLog } from './activityLog';
export type { ActivityLogOptions } from './activityLog';
export { clockTime, describeContainer, describeEvent, describeEventHolder, describeHolders, lastHolderOf } from './describe';
export type { LastHolder } from './describe';
export { activityContainer, activityEvents } from './events';
export { activityMarkdown } from './activityReport';
export { STORED_SCAN_MAX, loadStoredActivity, validEvent } from './storage';
export type { LoadedActivity } from './storage';
export { CONTAINER_TEXT_MAX, HOLDER_NAME_MAX, HOLDERS_MAX } from './types';
export type { ActivityContainer, ActivityEvent, ActivityHolder, StoredActivity, UnusualActivity, UnusualKind } from './types';
export { FLAP_COUNT, FLAP_WINDOW_MS, findUnusualActivity, flappingEvents, unusualKinds, unusualReasons } from './unusual';
export type { UnusualOptions, UnusualReason } from './unusual';
