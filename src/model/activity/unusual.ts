// Activity worth pointing out (never hiding): a port that became reachable from the network, a process
// that took a well-known port, a port that keeps opening and closing.
import { WELL_KNOWN_MAX } from '../portRange';
import { describeHolders } from './describe';
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

function portText(e: Pick<ActivityEvent, 'port' | 'protocol'>): string {
  return `${e.port}/${e.protocol}`;
}

function exposedMessage(e: ActivityEvent): string {
  const where = e.exposure === 'all' ? 'on all interfaces' : `on ${e.address}`;
  return `Port ${portText(e)} became reachable from the network (${where}), opened by ${describeHolders(e.holders, e.moreHolders, e.uid)}.`;
}

function wellKnownMessage(e: ActivityEvent): string {
  return `${describeHolders(e.holders, e.moreHolders, e.uid)} started listening on well-known port ${portText(e)} (below 1024, where system services live).`;
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
      const minutes = Math.round(windowMs / 60_000);
      findings.set(`flapping|${key}`, {
        kind: 'flapping',
        port: Number(port),
        protocol: protocol as 'tcp' | 'udp',
        at: bestEnd,
        count: best,
        message: `Port ${port}/${protocol} opened and closed ${best} times within ${minutes} minute${minutes === 1 ? '' : 's'}: a server crashing and restarting, or a file watcher restarting it.`,
      });
    }
  }
  return [...findings.values()].sort((a, b) => b.at - a.at || a.port - b.port);
}
