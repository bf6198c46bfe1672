// Reading the stored log back. Workspace state is a file anyone can edit and an older or newer version
// of the extension may have written it, so every entry is checked and a bad one is dropped on its own:
// a corrupt log loses entries, never the extension.
import type { ExposureScope } from '../exposure';
import { addressExposure } from '../exposure';
import type { ActivityContainer, ActivityEvent, ActivityHolder } from './types';
import { CONTAINER_TEXT_MAX, HOLDER_NAME_MAX, HOLDERS_MAX } from './types';

/** Entries a stored log may hold before the rest is not even looked at (a hostile 10-million entry
 *  array must not stall activation). */
export const STORED_SCAN_MAX = 10_000;

const EXPOSURES: ReadonlySet<string> = new Set<ExposureScope>(['loopback', 'all', 'interface']);
// Addresses as back-ends print them: IPv4, IPv6 with an optional zone, `*`.
const ADDRESS = /^[0-9A-Za-z.:%*_-]{1,64}$/;
/** Up to a day in the future is clock skew; more is nonsense. */
const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTime(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

function isCount(v: unknown, min: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 1_000_000;
}

function holder(v: unknown): ActivityHolder | undefined {
  if (!isObject(v) || !isCount(v.pid, 0) || v.pid > 2 ** 31) {
    return undefined;
  }
  if (typeof v.name !== 'string' || v.name.length > HOLDER_NAME_MAX) {
    return undefined;
  }
  const h: ActivityHolder = { pid: v.pid, name: v.name };
  if (v.startTime !== undefined) {
    if (!isTime(v.startTime)) {
      return undefined;
    }
    h.startTime = v.startTime;
  }
  return h;
}

function text(v: unknown): v is string {
  return typeof v === 'string' && v !== '' && v.length <= CONTAINER_TEXT_MAX;
}

function container(v: unknown): ActivityContainer | undefined {
  if (!isObject(v) || (v.engine !== 'docker' && v.engine !== 'podman') || typeof v.id !== 'string' || !/^[0-9a-f]{12}$/.test(v.id) || !text(v.name)) {
    return undefined;
  }
  const c: ActivityContainer = { engine: v.engine, id: v.id, name: v.name };
  if (v.image !== undefined) {
    if (!text(v.image)) {
      return undefined;
    }
    c.image = v.image;
  }
  if (v.compose !== undefined) {
    if (!isObject(v.compose) || !text(v.compose.project) || !text(v.compose.service)) {
      return undefined;
    }
    c.compose = { project: v.compose.project, service: v.compose.service };
  }
  return c;
}

/** One stored entry checked field by field, or undefined. Unknown fields are not carried over. */
export function validEvent(v: unknown, now: number, maxAgeMs: number): ActivityEvent | undefined {
  if (!isObject(v)) {
    return undefined;
  }
  const { at, kind, port, protocol, address } = v;
  if (!isTime(at) || at < now - maxAgeMs || at > now + FUTURE_SLACK_MS) {
    return undefined;
  }
  if (kind !== 'opened' && kind !== 'closed') {
    return undefined;
  }
  if (!isCount(port, 1) || port > 65535 || (protocol !== 'tcp' && protocol !== 'udp')) {
    return undefined;
  }
  if (typeof address !== 'string' || !ADDRESS.test(address)) {
    return undefined;
  }
  if (!Array.isArray(v.holders) || v.holders.length > HOLDERS_MAX) {
    return undefined;
  }
  const holders: ActivityHolder[] = [];
  for (const h of v.holders) {
    const ok = holder(h);
    if (!ok) {
      return undefined;
    }
    holders.push(ok);
  }
  const event: ActivityEvent = {
    at,
    kind,
    port,
    protocol,
    address,
    holders,
    // The exposure follows from the address; a stored value that disagrees is not trusted.
    exposure: addressExposure(address).scope,
  };
  if (v.exposure !== undefined && (typeof v.exposure !== 'string' || !EXPOSURES.has(v.exposure))) {
    return undefined;
  }
  if (v.previousAt !== undefined) {
    if (!isTime(v.previousAt) || v.previousAt > at) {
      return undefined;
    }
    event.previousAt = v.previousAt;
  }
  if (v.moreHolders !== undefined) {
    if (!isCount(v.moreHolders, 1)) {
      return undefined;
    }
    event.moreHolders = v.moreHolders;
  }
  if (v.ownerHidden !== undefined) {
    if (typeof v.ownerHidden !== 'boolean') {
      return undefined;
    }
    if (v.ownerHidden) {
      event.ownerHidden = true;
    }
  }
  if (v.uid !== undefined) {
    if (!isCount(v.uid, 0) || v.uid > 2 ** 32) {
      return undefined;
    }
    event.uid = v.uid;
  }
  if (v.container !== undefined) {
    const c = container(v.container);
    if (!c) {
      return undefined;
    }
    event.container = c;
  }
  if (v.sockets !== undefined) {
    if (!isCount(v.sockets, 2)) {
      return undefined;
    }
    event.sockets = v.sockets;
  }
  return event;
}

/** What came back from storage. */
export interface LoadedActivity {
  /** Valid events, oldest first. */
  events: ActivityEvent[];
  /** Entries that were dropped: invalid, too old, or beyond the caps. */
  dropped: number;
  /** Why the whole value was unusable, when it was (plain words). */
  problem?: string;
}

/**
 * Checks a stored log (`{ version: 1, events: [...] }`): invalid entries and entries older than
 * `maxAgeMs` are dropped one by one; the newest `maxEvents` are kept. `undefined` (nothing stored yet)
 * is an empty log. Never throws.
 */
export function loadStoredActivity(value: unknown, now: number, maxEvents: number, maxAgeMs: number): LoadedActivity {
  if (value === undefined || value === null) {
    return { events: [], dropped: 0 };
  }
  if (!isObject(value) || !Array.isArray(value.events)) {
    return { events: [], dropped: 0, problem: 'The stored port activity is not a log; it was discarded.' };
  }
  if (value.version !== 1) {
    return { events: [], dropped: value.events.length, problem: `The stored port activity has an unknown version (${String(value.version).slice(0, 20)}); it was discarded.` };
  }
  const all = value.events as unknown[];
  const start = Math.max(0, all.length - STORED_SCAN_MAX);
  const events: ActivityEvent[] = [];
  for (let i = start; i < all.length; i++) {
    const e = validEvent(all[i], now, maxAgeMs);
    if (e) {
      events.push(e);
    }
  }
  events.sort((a, b) => a.at - b.at);
  const kept = events.slice(Math.max(0, events.length - maxEvents));
  return { events: kept, dropped: all.length - kept.length };
}
