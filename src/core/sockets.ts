// Sockets as every floor looks them up: one order (CLI, tree, dashboard), one identity across scans, and
// one way to find what listens on a port and who holds it.
import type { ListeningSocket, ProcessInfo, Protocol, Snapshot } from './types';

/** Compare two sockets by port, protocol (tcp first), family (v4 first) and address. */
export function compareSockets(a: ListeningSocket, b: ListeningSocket): number {
  return (
    a.port - b.port ||
    a.protocol.localeCompare(b.protocol) ||
    a.family - b.family ||
    a.address.localeCompare(b.address) ||
    (a.owners[0]?.pid ?? 0) - (b.owners[0]?.pid ?? 0)
  );
}

/** Sorts in place and returns the array, owners sorted by pid too. */
export function sortSockets(sockets: ListeningSocket[]): ListeningSocket[] {
  for (const s of sockets) {
    s.owners.sort((x, y) => x.pid - y.pid);
  }
  return sockets.sort(compareSockets);
}

/** Identity of a socket across scans: the same kernel socket (inode) on the same address and port, or
 *  (where a back-end has no inode) the same owners there. */
export function socketKey(socket: ListeningSocket): string {
  const identity = socket.inode !== undefined ? `i${socket.inode}` : `p${socket.owners.map((o) => o.pid).join(',')}`;
  return `${socket.protocol}|${socket.address}|${socket.port}|${identity}`;
}

/** The sockets of `snapshot` on `port` (and `protocol`, when given), in the snapshot's order. */
export function socketsOnPort(snapshot: Pick<Snapshot, 'sockets'>, port: number, protocol?: Protocol): ListeningSocket[] {
  return snapshot.sockets.filter((s) => s.port === port && (!protocol || s.protocol === protocol));
}

/** Distinct owners of the sockets on `port` (and `protocol`), sorted by pid. */
export function ownersOnPort(snapshot: Pick<Snapshot, 'sockets'>, port: number, protocol?: Protocol): ProcessInfo[] {
  const byPid = new Map<number, ProcessInfo>();
  for (const s of socketsOnPort(snapshot, port, protocol)) {
    for (const o of s.owners) {
      byPid.set(o.pid, o);
    }
  }
  return [...byPid.values()].sort((a, b) => a.pid - b.pid);
}
