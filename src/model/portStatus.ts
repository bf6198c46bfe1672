// Which sockets of a snapshot hold a port written in a file. Shared by the hover (live status) and the
// diagnostics ("already taken"), so both answer the same question the same way.
import { socketsOnPort } from '../core/sockets';
import type { ListeningSocket, Protocol, Snapshot } from '../core/types';

/** Ranges are looked up port by port; a mention wider than this is checked on its first ports only. */
export const MAX_RANGE_LOOKUP = 1024;

const LOOPBACK_NAMES = new Set(['localhost', 'ip6-localhost', 'ip6-loopback', 'host.docker.internal', 'host.containers.internal']);

function bare(address: string): string {
  const trimmed = address.trim().toLowerCase();
  return trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
}

/** True for an address that means "every interface" (or none written). */
export function isWildcard(address: string | undefined): boolean {
  if (address === undefined) {
    return true;
  }
  const a = bare(address);
  return a === '' || a === '0.0.0.0' || a === '::' || a === '*' || a === '::0';
}

/** True for a loopback address or name (`127.0.0.0/8`, `::1`, `localhost`, `*.localhost`). */
export function isLoopback(address: string): boolean {
  const a = bare(address);
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a) || a === '::1' || a === '::ffff:127.0.0.1' || a === 'localhost' || a.endsWith('.localhost') || LOOPBACK_NAMES.has(a);
}

/** True when the address is not an IP literal or a known local name: a host name (`db`, `api.example.com`)
 *  or a variable (`${HOST}`) whose machine cannot be told from the text. */
function isOpaque(address: string): boolean {
  const a = bare(address);
  return !/^[\d.]+$/.test(a) && !a.includes(':') && !isLoopback(a);
}

/**
 * True when a port written with `hostAddress` is a port of this machine, so the snapshot can say whether it
 * is taken: no address, a wildcard, loopback and the names containers use for the host. A host name such
 * as `db` or `api.example.com`, or a variable, is another machine (or unknown): undefined means "cannot
 * tell", false "another machine".
 */
export function isThisMachine(hostAddress: string | undefined): boolean | undefined {
  if (hostAddress === undefined || isWildcard(hostAddress) || isLoopback(hostAddress)) {
    return true;
  }
  if (/^\$\{?\w/.test(hostAddress.trim())) {
    return undefined;
  }
  return isOpaque(hostAddress) ? false : undefined;
}

/**
 * True when a socket bound to `socketAddress` occupies what a port written with `wanted` would need: either
 * side a wildcard, both loopback, or the same address. An opaque `wanted` (a variable) matches anything.
 */
export function addressesClash(wanted: string | undefined, socketAddress: string): boolean {
  if (isWildcard(wanted) || isWildcard(socketAddress)) {
    return true;
  }
  const w = wanted as string;
  if (isLoopback(w) && isLoopback(socketAddress)) {
    return true;
  }
  if (isOpaque(w) || /^\$/.test(w.trim())) {
    return true;
  }
  return bare(w) === bare(socketAddress);
}

/** The sockets of `snapshot` on `port`/`protocol` that clash with `hostAddress` (sorted as the snapshot). */
export function clashingSockets(snapshot: Pick<Snapshot, 'sockets'>, port: number, protocol: Protocol, hostAddress?: string): ListeningSocket[] {
  return socketsOnPort(snapshot, port, protocol).filter((s) => addressesClash(hostAddress, s.address));
}

/** For a range `lo`–`hi` (capped at {@link MAX_RANGE_LOOKUP} ports): the taken ports, each with its sockets. */
export function socketsInRange(
  snapshot: Pick<Snapshot, 'sockets'>,
  range: readonly [number, number],
  protocol: Protocol,
  hostAddress?: string,
): Map<number, ListeningSocket[]> {
  const lo = range[0];
  const hi = Math.min(range[1], lo + MAX_RANGE_LOOKUP - 1);
  const taken = new Map<number, ListeningSocket[]>();
  for (const s of snapshot.sockets) {
    if (s.protocol === protocol && s.port >= lo && s.port <= hi && addressesClash(hostAddress, s.address)) {
      const list = taken.get(s.port) ?? [];
      list.push(s);
      taken.set(s.port, list);
    }
  }
  return new Map([...taken].sort((a, b) => a[0] - b[0]));
}
