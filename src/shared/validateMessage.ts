// Runtime checks for everything that crosses from the dashboard webview to the host. The webview renders
// untrusted process text, so the host treats its messages as untrusted input too: exact shapes, no extra
// fields, bounded numbers and strings, and — for actions — a socket and pid that exist in the current
// snapshot. A message that fails any check is answered with a reason and never acted on.
import type { ListeningSocket } from '../core/types';
import type { ActivityScope, ActivityUiState, ColumnId, DashboardUiState, QuickFilters, RowAction, SortDirection, WebviewMessage } from './protocol';
import {
  ACTIVITY_SCOPES,
  COLUMN_IDS,
  DEFAULT_UI_STATE,
  EXPOSURE_SCOPES,
  FILTER_MAX_LENGTH,
  KEY_MAX_LENGTH,
  PID_MAX,
  PORT_RANGES,
  PROCESS_ACTIONS,
  REQUEST_ID_MAX,
  ROW_ACTIONS,
  WEBVIEW_MESSAGE_TYPES,
} from './protocol';

/** The outcome of a check: the typed value, or one plain line saying what was wrong. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string; requestId?: number };

/** Thrown inside the checks; turned into a `Checked` failure at the top. */
class Invalid extends Error {}

type Fields = Record<string, unknown>;

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (typeof value === 'string') {
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(value) : `${value}`;
  }
  return typeof value === 'undefined' ? 'nothing' : `a ${typeof value}`;
}

/** A plain object (not null, an array, a class instance or a proxy of one) with exactly `allowed` keys
 *  at most and every key in `required`. */
function record(value: unknown, what: string, required: readonly string[], optional: readonly string[] = []): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Invalid(`${what} must be an object, got ${describe(value)}.`);
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    throw new Invalid(`${what} must be a plain object.`);
  }
  const fields = value as Fields;
  const allowed = new Set([...required, ...optional]);
  const extra = Object.keys(fields).filter((k) => !allowed.has(k));
  if (extra.length > 0) {
    throw new Invalid(`${what} has unexpected field${extra.length > 1 ? 's' : ''} ${extra.slice(0, 3).map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}.`);
  }
  for (const key of required) {
    if (!Object.prototype.hasOwnProperty.call(fields, key) || fields[key] === undefined) {
      throw new Invalid(`${what} is missing "${key}".`);
    }
  }
  return fields;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new Invalid(`${what} must be one of ${allowed.join(', ')}; got ${describe(value)}.`);
  }
  return value as T;
}

function integer(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Invalid(`${what} must be a whole number from ${min} to ${max}; got ${describe(value)}.`);
  }
  return value;
}

function boolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') {
    throw new Invalid(`${what} must be true or false; got ${describe(value)}.`);
  }
  return value;
}

function text(value: unknown, what: string, min: number, max: number): string {
  if (typeof value !== 'string') {
    throw new Invalid(`${what} must be text; got ${describe(value)}.`);
  }
  if (value.length < min || value.length > max) {
    throw new Invalid(`${what} must be ${min}–${max} characters long; got ${value.length}.`);
  }
  return value;
}

function quickFilters(value: unknown): QuickFilters {
  // workspaceOnly, containersOnly and forgottenOnly are optional: a state saved before they existed
  // restores with them off.
  const q = record(value, 'quick filters', ['protocol', 'range', 'exposure', 'mineOnly'], ['workspaceOnly', 'containersOnly', 'forgottenOnly']);
  return {
    protocol: oneOf(q.protocol, ['any', 'tcp', 'udp'] as const, 'quick.protocol'),
    range: oneOf(q.range, ['any', ...PORT_RANGES] as const, 'quick.range'),
    exposure: oneOf(q.exposure, ['any', ...EXPOSURE_SCOPES] as const, 'quick.exposure'),
    mineOnly: boolean(q.mineOnly, 'quick.mineOnly'),
    workspaceOnly: q.workspaceOnly === undefined ? false : boolean(q.workspaceOnly, 'quick.workspaceOnly'),
    containersOnly: q.containersOnly === undefined ? false : boolean(q.containersOnly, 'quick.containersOnly'),
    forgottenOnly: q.forgottenOnly === undefined ? false : boolean(q.forgottenOnly, 'quick.forgottenOnly'),
  };
}

function activityState(value: unknown): ActivityUiState {
  if (value === undefined) {
    // Saved before the Activity section existed: its defaults, not a reason to drop the rest.
    return { ...DEFAULT_UI_STATE.activity };
  }
  const a = record(value, 'the activity state', ['collapsed', 'scope', 'unusualOnly']);
  return {
    collapsed: boolean(a.collapsed, 'activity.collapsed'),
    scope: oneOf<ActivityScope>(a.scope, ACTIVITY_SCOPES, 'activity.scope'),
    unusualOnly: boolean(a.unusualOnly, 'activity.unusualOnly'),
  };
}

function uiState(value: unknown): DashboardUiState {
  const s = record(value, 'the UI state', ['sort', 'filter', 'quick', 'groupByProcess', 'summaryCollapsed'], ['activity']);
  const sort = record(s.sort, 'sort', ['column', 'direction']);
  return {
    sort: {
      column: oneOf<ColumnId>(sort.column, COLUMN_IDS, 'sort.column'),
      direction: oneOf<SortDirection>(sort.direction, ['asc', 'desc'], 'sort.direction'),
    },
    filter: text(s.filter, 'filter', 0, FILTER_MAX_LENGTH),
    quick: quickFilters(s.quick),
    groupByProcess: boolean(s.groupByProcess, 'groupByProcess'),
    summaryCollapsed: boolean(s.summaryCollapsed, 'summaryCollapsed'),
    activity: activityState(s.activity),
  };
}

function guard<T>(check: () => T, requestId?: number): Checked<T> {
  try {
    return { ok: true, value: check() };
  } catch (err) {
    if (err instanceof Invalid) {
      return requestId === undefined ? { ok: false, reason: err.message } : { ok: false, reason: err.message, requestId };
    }
    // Anything else (a getter that throws, a revoked proxy) is malformed input as well.
    return { ok: false, reason: 'The message could not be read.' };
  }
}

/** The request id of a message, when it carries a well-formed one: lets a rejection name the request. */
function requestIdOf(raw: unknown): number | undefined {
  try {
    const id = (raw as { requestId?: unknown } | null)?.requestId;
    return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= REQUEST_ID_MAX ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks the shape of a message from the webview: a known `type`, exactly the fields that type has, each
 * of the right type and within its range. Says nothing about whether the socket or pid named exists:
 * that is {@link checkAction}'s job, against the current snapshot.
 */
export function parseWebviewMessage(raw: unknown): Checked<WebviewMessage> {
  return guard((): WebviewMessage => {
    const head = record(raw, 'a message', ['type'], ['state', 'requestId', 'action', 'key', 'pid', 'port', 'protocol']);
    const type = oneOf(head.type, WEBVIEW_MESSAGE_TYPES, 'the message type');
    switch (type) {
      case 'ready':
        record(raw, 'a "ready" message', ['type']);
        return { type };
      case 'refresh':
        record(raw, 'a "refresh" message', ['type']);
        return { type };
      case 'uiState': {
        const m = record(raw, 'a "uiState" message', ['type', 'state']);
        return { type, state: uiState(m.state) };
      }
      case 'action': {
        const m = record(raw, 'an "action" message', ['type', 'requestId', 'action', 'key'], ['pid']);
        const requestId = integer(m.requestId, 'requestId', 0, REQUEST_ID_MAX);
        const action = oneOf<RowAction>(m.action, ROW_ACTIONS, 'action');
        const key = text(m.key, 'key', 1, KEY_MAX_LENGTH);
        if (m.pid === undefined) {
          return { type, requestId, action, key };
        }
        return { type, requestId, action, key, pid: integer(m.pid, 'pid', 1, PID_MAX) };
      }
      case 'commandLine': {
        const m = record(raw, 'a "commandLine" message', ['type', 'requestId', 'key']);
        return { type, requestId: integer(m.requestId, 'requestId', 0, REQUEST_ID_MAX), key: text(m.key, 'key', 1, KEY_MAX_LENGTH) };
      }
      case 'troubleshootPort': {
        const m = record(raw, 'a "troubleshootPort" message', ['type', 'port', 'protocol']);
        return { type, port: integer(m.port, 'port', 1, 65535), protocol: oneOf(m.protocol, ['tcp', 'udp'] as const, 'protocol') };
      }
      case 'clearActivity':
        record(raw, 'a "clearActivity" message', ['type']);
        return { type };
    }
  }, requestIdOf(raw));
}

/** Checks persisted UI state (from `setState`, handed back by the serializer after a reload). */
export function parseUiState(raw: unknown): Checked<DashboardUiState> {
  return guard(() => uiState(raw));
}

/** Checks what the serializer is handed: `{ version: 1, ui }`. */
export function parsePersistedState(raw: unknown): Checked<DashboardUiState> {
  return guard(() => {
    const p = record(raw, 'the saved dashboard state', ['version', 'ui']);
    integer(p.version, 'version', 1, 1);
    return uiState(p.ui);
  });
}

/** An action message whose socket exists now, with the socket it names. */
export interface CheckedAction {
  socket: ListeningSocket;
  /** The owner pid the action is about, when it named one. */
  pid?: number;
}

/**
 * Checks an action against the current snapshot: the socket key must be listed now, and a pid must be
 * one of that socket's owners. Freeing a port and the process actions need the pid the user saw, so a
 * row that changed owner under the user's finger cannot stop a process they were never shown.
 */
export function checkAction(
  message: Extract<WebviewMessage, { type: 'action' }>,
  findSocket: (key: string) => ListeningSocket | undefined,
): Checked<CheckedAction> {
  return guard((): CheckedAction => {
    const socket = findSocket(message.key);
    if (!socket) {
      throw new Invalid('That port is no longer listed; the table is being refreshed.');
    }
    const visible = socket.ownerVisible && socket.owners.length > 0;
    const needsPid = PROCESS_ACTIONS.has(message.action) || (message.action === 'free' && visible);
    if (message.pid === undefined) {
      if (needsPid) {
        throw new Invalid(visible ? `"${message.action}" must name the pid of the process it is for.` : 'The owner of this port is not visible.');
      }
      return { socket };
    }
    if (!visible) {
      throw new Invalid(`pid ${message.pid} does not hold this port: its owner is not visible.`);
    }
    if (!socket.owners.some((o) => o.pid === message.pid)) {
      throw new Invalid(`pid ${message.pid} does not hold this port (anymore).`);
    }
    return { socket, pid: message.pid };
  }, message.requestId);
}

/** Checks a `commandLine` request: the row must be listed now. Returns the socket it names. */
export function checkCommandLineRequest(
  message: Extract<WebviewMessage, { type: 'commandLine' }>,
  findSocket: (key: string) => ListeningSocket | undefined,
): Checked<ListeningSocket> {
  return guard((): ListeningSocket => {
    const socket = findSocket(message.key);
    if (!socket) {
      throw new Invalid('That port is no longer listed; the table is being refreshed.');
    }
    return socket;
  }, message.requestId);
}

/**
 * Checks a `troubleshootPort` request: the port must be one the dashboard could have shown — listening
 * now or named by recorded activity. The report itself is harmless, but the webview is not trusted to
 * name ports of its own choosing.
 */
export function checkTroubleshootPort(
  message: Extract<WebviewMessage, { type: 'troubleshootPort' }>,
  known: (port: number, protocol: 'tcp' | 'udp') => boolean,
): Checked<{ port: number; protocol: 'tcp' | 'udp' }> {
  return guard(() => {
    if (!known(message.port, message.protocol)) {
      throw new Invalid(`Port ${message.port}/${message.protocol} is not listening and has no recorded activity.`);
    }
    return { port: message.port, protocol: message.protocol };
  });
}
