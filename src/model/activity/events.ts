// Activity events from two consecutive snapshots, through the shared snapshot diff (socketKey: protocol,
// address, port and socket identity). Sockets that open or close together on the same address and port
// (SO_REUSEPORT workers) become one event with every holder.
import type { ContainerInfo, ListeningSocket, Snapshot } from '../../core/types';
import { plainText } from '../../core/displayText';
import { addressExposure } from '../exposure';
import { diffSnapshots } from '../snapshotDiff';
import type { ActivityContainer, ActivityEvent, ActivityHolder } from './types';
import { CONTAINER_TEXT_MAX, HOLDER_NAME_MAX, HOLDERS_MAX } from './types';

/** What the log keeps of a container: short id, names made inert and capped. */
export function activityContainer(c: ContainerInfo): ActivityContainer {
  const kept: ActivityContainer = { engine: c.engine, id: c.id.slice(0, 12), name: plainText(c.name, CONTAINER_TEXT_MAX) };
  if (c.image) {
    kept.image = plainText(c.image, CONTAINER_TEXT_MAX);
  }
  if (c.compose) {
    kept.compose = { project: plainText(c.compose.project, CONTAINER_TEXT_MAX), service: plainText(c.compose.service, CONTAINER_TEXT_MAX) };
  }
  return kept;
}

function holdersOf(sockets: readonly ListeningSocket[]): { holders: ActivityHolder[]; more: number } {
  const byPid = new Map<number, ActivityHolder>();
  for (const s of sockets) {
    for (const o of s.owners) {
      if (!byPid.has(o.pid)) {
        const holder: ActivityHolder = { pid: o.pid, name: plainText(o.name, HOLDER_NAME_MAX) };
        if (o.startTime !== undefined && Number.isFinite(o.startTime)) {
          holder.startTime = o.startTime;
        }
        byPid.set(o.pid, holder);
      }
    }
  }
  const all = [...byPid.values()].sort((a, b) => a.pid - b.pid);
  return { holders: all.slice(0, HOLDERS_MAX), more: Math.max(0, all.length - HOLDERS_MAX) };
}

function group(kind: ActivityEvent['kind'], sockets: readonly ListeningSocket[], at: number, previousAt: number): ActivityEvent[] {
  const groups = new Map<string, ListeningSocket[]>();
  for (const s of sockets) {
    const key = `${s.protocol}|${s.address}|${s.port}`;
    const list = groups.get(key);
    if (list) {
      list.push(s);
    } else {
      groups.set(key, [s]);
    }
  }
  const events: ActivityEvent[] = [];
  for (const list of groups.values()) {
    const first = list[0];
    const { holders, more } = holdersOf(list);
    const event: ActivityEvent = {
      at,
      kind,
      port: first.port,
      protocol: first.protocol,
      address: first.address,
      previousAt,
      holders,
      exposure: addressExposure(first.address).scope,
    };
    if (more > 0) {
      event.moreHolders = more;
    }
    const container = list.find((s) => s.container)?.container;
    if (container) {
      event.container = activityContainer(container);
    }
    if (holders.length === 0) {
      event.ownerHidden = true;
    }
    if (first.uid !== undefined) {
      event.uid = first.uid;
    }
    if (list.length > 1) {
      event.sockets = list.length;
    }
    events.push(event);
  }
  return events;
}

/**
 * The ports that opened and closed between `previous` and `next`, closed first, each list sorted by
 * port. No previous snapshot: no events (the first scan describes what was already there).
 */
export function activityEvents(previous: Snapshot | undefined, next: Snapshot): ActivityEvent[] {
  if (!previous) {
    return [];
  }
  const { added, removed } = diffSnapshots(previous, next);
  const byPort = (a: ActivityEvent, b: ActivityEvent): number => a.port - b.port || a.protocol.localeCompare(b.protocol) || a.address.localeCompare(b.address);
  return [
    ...group('closed', removed, next.takenAt, previous.takenAt).sort(byPort),
    ...group('opened', added, next.takenAt, previous.takenAt).sort(byPort),
  ];
}
