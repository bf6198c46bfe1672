// One ordering for sockets everywhere (CLI, tree, dashboard): by port, then protocol, then address.
import type { ListeningSocket } from './types';

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
