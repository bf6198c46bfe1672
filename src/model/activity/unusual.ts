// Activity worth pointing out (never hiding): a port that became reachable from the network, a process
// that took a well-known port, a port that keeps opening and closing.
import { WELL_KNOWN_MAX } from '../portRange';
import { describeEventHolder } from './describe';
import type { ActivityEvent, UnusualActivity, UnusualKind } from './types';

/** Defaults: 6 opens/closes (three restarts) within 10 minutes is flapping. */
export const FLAP_COUNT = 6;
export const FLAP_WINDOW_MS = 10 * 60 * 1000;

/** Options of {@link findUnusualActivity}. */
export interface UnusualOptions {
  /** Opens plus closes inside the window that make a port flap. Default {@link FLAP_COUNT}. */
  flapCount?: number;
  /** Default {@link FLAP_WINDOW_MS}. */
  flapWindowMs?: number;
}

/** Why one event is unusual on its own (for a live notification): empty when it is not. */
export function unusualKinds(event: ActivityEvent): UnusualKind[] {
  if (event.kind !== 'opened') {
    return [];
  }
  const kinds: UnusualKind[] = [];
  if (event.exposure !== 'loopback') {
    kinds.push('network-exposed');
  }
  if (event.port <= WELL_KNOWN_MAX) {
    kinds.push('well-known-port');
  }
  return kinds;
}

/** One reason an event deserves a look, in plain words (holds untrusted process names). */
export interface UnusualReason {
  kind: UnusualKind;
  message: string;
}

/** {@link unusualKinds} with the words the log and the dashboard show for each. */
export function unusualReasons(event: ActivityEvent): UnusualReason[] {
  return unusualKinds(event).map((kind) => ({ kind, message: kind === 'network-exposed' ? exposedMessage(event) : wellKnownMessage(event) }));
}

function portText(e: Pick<ActivityEvent, 'port' | 'protocol'>): string {
  return `${e.port}/${e.protocol}`;
}

function exposedMessage(e: ActivityEvent): string {
  const where = e.exposure === 'all' ? 'on all interfaces' : `on ${e.address}`;
  return `Port ${portText(e)} became reachable from the network (${where}), opened by ${describeEventHolder(e)}.`;
}

function wellKnownMessage(e: ActivityEvent): string {
  return `${describeEventHolder(e)} started listening on well-known port ${portText(e)} (below 1024, where system services live).`;
}

/**
 * The unusual activity in `events` (any order), newest first: one finding per port, protocol and address
 * for network exposure and well-known ports (the newest such event), one per port and protocol for
 * flapping (the busiest window). Opens and closes seen in the same snapshot count once each, so an IPv4 +
 * IPv6 pair restarting together is one restart, not two.
 */
export function findUnusualActivity(events: readonly ActivityEvent[], options: UnusualOptions = {}): UnusualActivity[] {
  const flapCount = Math.max(2, options.flapCount ?? FLAP_COUNT);
  const windowMs = Math.max(1, options.flapWindowMs ?? FLAP_WINDOW_MS);
  const findings = new Map<string, UnusualActivity>();
  const sorted = [...events].sort((a, b) => a.at - b.at);

  for (const e of sorted) {
    for (const kind of unusualKinds(e)) {
      findings.set(`${kind}|${e.protocol}|${e.port}|${e.address}`, {
        kind,
        port: e.port,
        protocol: e.protocol,
        at: e.at,
        address: e.address,
        count: 1,
        message: kind === 'network-exposed' ? exposedMessage(e) : wellKnownMessage(e),
      });
    }
  }

  const changes = new Map<string, number[]>();
  const seen = new Set<string>();
  for (const e of sorted) {
    const port = `${e.protocol}|${e.port}`;
    const change = `${port}|${e.kind}|${e.at}`;
    if (seen.has(change)) {
      continue;
    }
    seen.add(change);
    const list = changes.get(port);
    if (list) {
      list.push(e.at);
    } else {
      changes.set(port, [e.at]);
    }
  }
  for (const [key, times] of changes) {
    let best = 0;
    let bestEnd = 0;
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while (times[end] - times[start] > windowMs) {
        start++;
      }
      if (end - start + 1 >= best) {
        best = end - start + 1;
        bestEnd = times[end];
      }
    }
    if (best >= flapCount) {
      const [protocol, port] = key.split('|');
      findings.set(`flapping|${key}`, {
        kind: 'flapping',
        port: Number(port),
        protocol: protocol as 'tcp' | 'udp',
        at: bestEnd,
        count: best,
        message: flapMessage(Number(port), protocol, best, windowMs),
      });
    }
  }
  return [...findings.values()].sort((a, b) => b.at - a.at || a.port - b.port);
}

function flapMessage(port: number, protocol: string, count: number, windowMs: number): string {
  const minutes = Math.round(windowMs / 60_000);
  return `Port ${port}/${protocol} opened and closed ${count} times within ${minutes} minute${minutes === 1 ? '' : 's'}: a server crashing and restarting, or a file watcher restarting it.`;
}

/**
 * The events that were part of a flapping port when they happened: for each event, the distinct opens
 * and closes of its port and protocol in the window that ends with it (same counting as
 * {@link findUnusualActivity}). Only events at or above the flap count are in the map, with the reason.
 */
export function flappingEvents(events: readonly ActivityEvent[], options: UnusualOptions = {}): Map<ActivityEvent, UnusualReason> {
  const flapCount = Math.max(2, options.flapCount ?? FLAP_COUNT);
  const windowMs = Math.max(1, options.flapWindowMs ?? FLAP_WINDOW_MS);
  const byPort = new Map<string, ActivityEvent[]>();
  for (const e of events) {
    const key = `${e.protocol}|${e.port}`;
    const list = byPort.get(key);
    if (list) {
      list.push(e);
    } else {
      byPort.set(key, [e]);
    }
  }
  const result = new Map<ActivityEvent, UnusualReason>();
  for (const list of byPort.values()) {
    if (list.length < flapCount) {
      continue;
    }
    const sorted = [...list].sort((a, b) => a.at - b.at);
    // Distinct changes (kind and time): an IPv4 + IPv6 pair closing together is one close.
    const changes: number[] = [];
    const seen = new Set<string>();
    for (const e of sorted) {
      const change = `${e.kind}|${e.at}`;
      if (!seen.has(change)) {
        seen.add(change);
        changes.push(e.at);
      }
    }
    let start = 0;
    let end = 0;
    for (const e of sorted) {
      // Every change up to and including this event's time, within the window before it.
      while (end < changes.length && changes[end] <= e.at) {
        end++;
      }
      while (changes[start] < e.at - windowMs) {
        start++;
      }
      const count = end - start;
      if (count >= flapCount) {
        result.set(e, { kind: 'flapping', message: flapMessage(e.port, e.protocol, count, windowMs) });
      }
    }
  }
  return result;
}
