// Without root, lsof on macOS sees only the user's own processes; netstat sees every socket. The
// sockets netstat reports that lsof did not are added, so that no listener is silently dropped.
import type { ListeningSocket } from '../../core/types';

/**
 * Returns the netstat listeners that none of lsof's sockets accounts for. A netstat socket is
 * accounted for by an lsof socket with the same protocol, family, address and port, preferably one
 * owned by the pid netstat names (several sockets may share a port through SO_REUSEPORT, and
 * netstat's pid is only the last process that used the socket, so a worker may stand for its parent).
 */
export function socketsLsofMissed(
  lsof: readonly ListeningSocket[],
  netstat: readonly ListeningSocket[],
): ListeningSocket[] {
  // Zones are left out: lsof gives a link-local scope as an index (%4), netstat as a name (%en0).
  const key = (s: ListeningSocket): string => `${s.protocol}|${s.family}|${s.address.split('%')[0]}|${s.port}`;
  const unclaimed = new Map<string, ListeningSocket[]>();
  for (const s of lsof) {
    const list = unclaimed.get(key(s)) ?? [];
    list.push(s);
    unclaimed.set(key(s), list);
  }
  const claim = (s: ListeningSocket, match: (c: ListeningSocket) => boolean): boolean => {
    const list = unclaimed.get(key(s));
    const i = list ? list.findIndex(match) : -1;
    if (!list || i < 0) {
      return false;
    }
    list.splice(i, 1);
    return true;
  };
  const byPid = netstat.filter(
    (s) => !claim(s, (c) => s.owners.length > 0 && c.owners.some((o) => o.pid === s.owners[0].pid)),
  );
  return byPid.filter((s) => !claim(s, () => true));
}

/**
 * One socket for each protocol, family, address, port and set of owners. A process often holds several
 * sockets on one port (a browser's mDNS sockets on *:5353): lsof gives them different devices and netstat
 * one row each, but nothing the user could act on tells them apart, and as separate entries they would be
 * identical rows with the same identity.
 */
export function withoutRepeats(sockets: readonly ListeningSocket[]): ListeningSocket[] {
  const seen = new Set<string>();
  return sockets.filter((s) => {
    const key = `${s.protocol}|${s.family}|${s.address}|${s.port}|${s.owners.map((o) => o.pid).sort((a, b) => a - b).join(',')}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}
