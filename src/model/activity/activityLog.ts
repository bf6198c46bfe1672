// The bounded port activity log: events in time order, capped by count and by age, kept as plain JSON
// for workspace or global state. Time comes from the snapshots (or is passed in), never read here, so the
// log is deterministic under test.
import type { Protocol, Snapshot } from '../../core/types';
import type { LastHolder } from './describe';
import { lastHolderOf } from './describe';
import { activityEvents } from './events';
import type { LoadedActivity } from './storage';
import { loadStoredActivity } from './storage';
import type { ActivityEvent, StoredActivity, UnusualActivity } from './types';
import type { UnusualOptions } from './unusual';
import { findUnusualActivity } from './unusual';

/** Default caps: 2,000 events, 7 days. */
export const ACTIVITY_MAX_EVENTS = 2000;
export const ACTIVITY_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** Caps of an {@link ActivityLog}. */
export interface ActivityLogOptions {
  maxEvents?: number;
  maxAgeMs?: number;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isFinite(value) || value < 1) {
    throw new RangeError(`${name} must be a positive number (got ${String(value)}).`);
  }
  return Math.floor(value);
}

/** A bounded, serializable log of ports opening and closing. */
export class ActivityLog {
  readonly maxEvents: number;
  readonly maxAgeMs: number;
  private list: ActivityEvent[] = [];

  constructor(options: ActivityLogOptions = {}) {
    this.maxEvents = positive(options.maxEvents, ACTIVITY_MAX_EVENTS, 'maxEvents');
    this.maxAgeMs = positive(options.maxAgeMs, ACTIVITY_MAX_AGE_MS, 'maxAgeMs');
  }

  /**
   * A log restored from stored JSON (see {@link ActivityLog.toJSON}); invalid entries are dropped one by
   * one and counted. Never throws for bad data.
   */
  static fromJSON(value: unknown, options: ActivityLogOptions = {}, now: number = Date.now()): { log: ActivityLog; loaded: LoadedActivity } {
    const log = new ActivityLog(options);
    const loaded = loadStoredActivity(value, now, log.maxEvents, log.maxAgeMs);
    log.list = loaded.events;
    return { log, loaded };
  }

  /** Number of events held. */
  get size(): number {
    return this.list.length;
  }

  /** Every event, oldest first. */
  events(): readonly ActivityEvent[] {
    return this.list;
  }

  /**
   * Records what changed from `previous` to `next` (nothing when there is no previous snapshot), then
   * applies the caps with `next.takenAt` as the present. Returns the new events.
   */
  record(previous: Snapshot | undefined, next: Snapshot): ActivityEvent[] {
    const events = activityEvents(previous, next);
    this.append(events, next.takenAt);
    return events;
  }

  /** Appends events (already valid, e.g. from {@link activityEvents}) and applies the caps at `now`. */
  append(events: readonly ActivityEvent[], now: number): void {
    if (events.length > 0) {
      const last = this.list.length > 0 ? this.list[this.list.length - 1].at : -Infinity;
      this.list.push(...events);
      if (events.some((e) => e.at < last)) {
        this.list.sort((a, b) => a.at - b.at);
      }
    }
    this.prune(now);
  }

  /** Drops events older than the age cap (relative to `now`) and the oldest beyond the count cap. */
  prune(now: number): void {
    const cutoff = now - this.maxAgeMs;
    let start = 0;
    while (start < this.list.length && this.list[start].at < cutoff) {
      start++;
    }
    start = Math.max(start, this.list.length - this.maxEvents);
    if (start > 0) {
      this.list = this.list.slice(start);
    }
  }

  clear(): void {
    this.list = [];
  }

  /** Events of one port (and protocol, when given), oldest first. */
  forPort(port: number, protocol?: Protocol): ActivityEvent[] {
    return this.list.filter((e) => e.port === port && (protocol === undefined || e.protocol === protocol));
  }

  /** The newest `closed` event of the port: who held it last, and until when. */
  lastHolder(port: number, protocol?: Protocol, now: number = Date.now()): LastHolder | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const e = this.list[i];
      if (e.kind === 'closed' && e.port === port && (protocol === undefined || e.protocol === protocol)) {
        return lastHolderOf(e, now);
      }
    }
    return undefined;
  }

  /** Unusual activity in the whole log, or for one port. */
  unusual(options: UnusualOptions & { port?: number; protocol?: Protocol } = {}): UnusualActivity[] {
    const events = options.port === undefined ? this.list : this.forPort(options.port, options.protocol);
    return findUnusualActivity(events, options);
  }

  /** Plain JSON for workspace or global state. */
  toJSON(): StoredActivity {
    return { version: 1, events: this.list.map((e) => ({ ...e, holders: e.holders.map((h) => ({ ...h })) })) };
  }
}
