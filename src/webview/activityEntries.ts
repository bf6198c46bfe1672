// The Activity section's data, computed on the host from the activity log: each event with the reasons
// it deserves a look (network exposure, a well-known port, a flapping port), numbered so updates carry
// only what is new. No `vscode` import: unit-tested in plain mocha.
import type { ActivityEvent } from '../model/activity';
import { containerSummary } from '../model/describeSocket';
import { flappingEvents, unusualReasons } from '../model/activity';
import { plainText } from '../core/displayText';
import type { DashboardActivityEntry } from '../shared/protocol';
import { ACTIVITY_HELD_MAX } from '../shared/protocol';

/**
 * Entries for `events` (a tail of `log`, oldest first), numbered from `firstId`. `log` is the whole log:
 * whether a port flaps depends on the events before the ones sent.
 */
export function activityEntries(events: readonly ActivityEvent[], log: readonly ActivityEvent[], firstId: number): DashboardActivityEntry[] {
  const flapping = events.length > 0 ? flappingEvents(log) : new Map<ActivityEvent, never>();
  return events.map((e, i) => {
    const unusual = unusualReasons(e).map((r) => ({ kind: r.kind, reason: plainText(r.message, 300) }));
    const flap = flapping.get(e);
    if (flap) {
      unusual.push({ kind: flap.kind, reason: plainText(flap.message, 300) });
    }
    const entry: DashboardActivityEntry = {
      id: firstId + i,
      at: e.at,
      kind: e.kind,
      port: e.port,
      protocol: e.protocol,
      address: plainText(e.address, 100),
      // Stored state is a file anyone can edit: names are made inert again, not trusted from storage.
      holders: e.holders.map((h) => ({ pid: h.pid, name: plainText(h.name, 64) })),
      unusual,
    };
    if (e.moreHolders !== undefined) {
      entry.moreHolders = e.moreHolders;
    }
    if (e.container) {
      const c = e.container;
      entry.container = plainText(containerSummary({ engine: c.engine, id: c.id, name: c.name, image: c.image ?? '', ...(c.compose ? { compose: c.compose } : {}) }), 200);
    }
    if (e.sockets !== undefined) {
      entry.sockets = e.sockets;
    }
    return entry;
  });
}

/** The newest events of the log the webview holds, at most {@link ACTIVITY_HELD_MAX}. */
export function heldActivity(log: readonly ActivityEvent[], max = ACTIVITY_HELD_MAX): readonly ActivityEvent[] {
  return log.length > max ? log.slice(log.length - max) : log;
}
