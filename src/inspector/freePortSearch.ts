// Finds a port a development server can use, and proves it by binding it. "Free" means free for a server
// that binds the wildcard address, because that is what most dev servers do: the port must be bindable on
// the dual-stack wildcard `::` (or `0.0.0.0` without IPv6), on 127.0.0.1 and on ::1. On Linux the
// wildcard bind alone would catch a listener on any address, but macOS and Windows let a specific address
// and the wildcard share a port, so the loopback addresses are checked on their own too.
import type * as Dgram from 'node:dgram';
import * as net from 'node:net';
import { parsePort } from '../core/input';
import type { Protocol } from '../core/types';

const WELL_KNOWN_MAX = 1023;
const DEFAULT_MAX_ATTEMPTS = 50;

export interface FindFreePortOptions {
  /** Start here and search outward: near, near+1, near-1, near+2, … */
  near?: number;
  /** Inclusive bounds of the search. Default 1–65535 (with well-known ports skipped unless `skipWellKnown` is false). */
  range?: [number, number];
  /** The address the server will bind, checked in addition to the wildcard and loopback addresses. */
  host?: string;
  /** Default `tcp`. */
  protocol?: Protocol;
  /** Ports known to be in use (from a snapshot): skipped without binding. */
  avoid?: ReadonlySet<number>;
  /** Ranges the system keeps from programs (Windows' excluded port ranges, see
   *  windows/excludedPorts.ts): skipped without binding, since binding them fails with EACCES. */
  reserved?: ReadonlyArray<{ start: number; end: number }>;
  /** Skip ports 1–1023 (they need privileges on most systems and belong to system services). Default true. */
  skipWellKnown?: boolean;
  /** Most ports to try binding before giving up. Skipped ports do not count. Default 50. */
  maxAttempts?: number;
}

/**
 * The order in which ports are tried: outward from `near` (near, near+1, near-1, near+2, near-2, …)
 * staying within `low`–`high`, or `low` up to `high` when there is no `near`.
 */
export function* searchOrder(near: number | undefined, low: number, high: number): Generator<number> {
  if (near === undefined) {
    for (let port = low; port <= high; port++) {
      yield port;
    }
    return;
  }
  yield near;
  for (let step = 1; near + step <= high || near - step >= low; step++) {
    if (near + step <= high) {
      yield near + step;
    }
    if (near - step >= low) {
      yield near - step;
    }
  }
}

type BindResult = 'free' | 'busy' | 'denied' | 'no-family';

function bindTcp(port: number, host: string): Promise<BindResult> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const result = bindErrorResult(error, host);
      if (result) {
        resolve(result);
      } else {
        reject(bindError(error, host));
      }
    });
    // ipv6Only false: on `::` one bind covers IPv4 too, as a dev server's default listen does.
    server.listen({ port, host, exclusive: true, ipv6Only: false }, () => server.close(() => resolve('free')));
  });
}

function bindUdp(port: number, host: string): Promise<BindResult> {
  return new Promise((resolve, reject) => {
    // dgram loads on first use, not at start-up.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const dgram = require('node:dgram') as typeof Dgram;
    const socket = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false, ipv6Only: false });
    socket.unref();
    socket.once('error', (error: NodeJS.ErrnoException) => {
      try {
        socket.close();
      } catch {
        // Bind failed before the socket was running: nothing to close.
      }
      const result = bindErrorResult(error, host);
      if (result) {
        resolve(result);
      } else {
        reject(bindError(error, host));
      }
    });
    socket.bind({ port, address: host, exclusive: true }, () => socket.close(() => resolve('free')));
  });
}

function bindErrorResult(error: NodeJS.ErrnoException, host: string): BindResult | undefined {
  switch (error.code) {
    case 'EADDRNOTAVAIL':
      // `::` and `::1` are missing only when IPv6 is off; any other address missing is the caller's mistake.
      return host === '::' || host === '::1' ? 'no-family' : undefined;
    case 'EADDRINUSE':
      return 'busy';
    case 'EACCES':
    case 'EPERM':
      return 'denied';
    case 'EAFNOSUPPORT':
    case 'EPROTONOSUPPORT':
      return 'no-family';
    default:
      return undefined;
  }
}

function bindError(error: NodeJS.ErrnoException, host: string): Error {
  if (error.code === 'EADDRNOTAVAIL') {
    return new Error(`${host} is not an address of this machine, so no port can be bound on it.`);
  }
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') {
    return new Error(`${host} does not resolve to an address of this machine.`);
  }
  return new Error(`Binding ${host} failed: ${error.message.split('\n', 1)[0]}`);
}

/**
 * True when `port` can be bound right now on the wildcard address (dual-stack `::`, or `0.0.0.0` when
 * IPv6 is off), on 127.0.0.1, on ::1 (when this machine has IPv6) and on `host` if given. Each bind is
 * released before the next. `denied` (a privileged port without privileges) counts as not free.
 * @throws Error when `host` is not an address of this machine.
 */
export async function isPortFree(port: number, options: { protocol?: Protocol; host?: string } = {}): Promise<boolean> {
  return (await checkPort(port, options.protocol ?? 'tcp', options.host)) === 'free';
}

async function checkPort(port: number, protocol: Protocol, host: string | undefined): Promise<BindResult> {
  const bind = protocol === 'udp' ? bindUdp : bindTcp;
  if (host !== undefined && !['::', '0.0.0.0', '127.0.0.1', '::1', 'localhost'].includes(host)) {
    const result = await bind(port, host);
    if (result !== 'free') {
      return result;
    }
  }
  let wildcard = await bind(port, '::');
  if (wildcard === 'no-family' || wildcard === 'busy') {
    // Without IPv6 `::` cannot be bound at all. And where `::` is IPv6-only (some BSDs), a busy `::` could
    // still leave 0.0.0.0 free, but then IPv6 clients would reach the other server: busy is kept.
    wildcard = wildcard === 'busy' ? 'busy' : await bind(port, '0.0.0.0');
  }
  if (wildcard !== 'free') {
    return wildcard;
  }
  const loopback4 = await bind(port, '127.0.0.1');
  if (loopback4 !== 'free') {
    return loopback4;
  }
  // Without an IPv6 loopback (IPv6 off) there is nothing to collide with there.
  const loopback6 = await bind(port, '::1');
  return loopback6 === 'no-family' ? 'free' : loopback6;
}

interface ValidSearch {
  near?: number;
  low: number;
  high: number;
  protocol: Protocol;
  skipWellKnown: boolean;
  maxAttempts: number;
}

function validate(options: FindFreePortOptions): ValidSearch {
  const skipWellKnown = options.skipWellKnown ?? true;
  const protocol = options.protocol ?? 'tcp';
  if (protocol !== 'tcp' && protocol !== 'udp') {
    throw new Error(`Unknown protocol "${String(protocol)}": use tcp or udp.`);
  }
  const near = options.near === undefined ? undefined : parsePort(options.near);
  // The default range is every port; well-known ones are skipped during the search, so `near: 80` still
  // works and simply ends up above 1023.
  let low = 1;
  let high = 65535;
  if (options.range !== undefined) {
    if (!Array.isArray(options.range) || options.range.length !== 2) {
      throw new Error('The range must be two ports, [low, high].');
    }
    low = parsePort(options.range[0]);
    high = parsePort(options.range[1]);
    if (low > high) {
      throw new Error(`The range ${low}-${high} is backwards: write the lower port first.`);
    }
  }
  if (near !== undefined && (near < low || near > high)) {
    throw new Error(`Port ${near} is outside the search range ${low}-${high}.`);
  }
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error('maxAttempts must be a whole number of at least 1.');
  }
  return { near, low, high, protocol, skipWellKnown, maxAttempts };
}

/**
 * Finds a free port, searching outward from `near` or upward through `range`, skipping `avoid`,
 * `reserved` ranges and (by default) well-known ports, and confirming each candidate by binding it briefly (see
 * {@link isPortFree}). Another program can still take the port between this check and its real use;
 * bind it promptly.
 * @throws Error (one plain line) for invalid options, a `host` that is not local, or when no port is free
 *   within the range or within `maxAttempts` binds.
 */
export async function findFreePort(options: FindFreePortOptions = {}): Promise<number> {
  const search = validate(options);
  const { protocol } = search;
  const avoid = options.avoid ?? new Set<number>();
  const reserved = options.reserved ?? [];
  let attempts = 0;
  let busy = 0;
  let denied = 0;
  let skipped = 0;
  let skippedReserved = 0;
  for (const port of searchOrder(search.near, search.low, search.high)) {
    if (avoid.has(port) || (search.skipWellKnown && port <= WELL_KNOWN_MAX)) {
      skipped++;
      continue;
    }
    if (reserved.some((r) => r.start <= port && port <= r.end)) {
      skippedReserved++;
      continue;
    }
    if (attempts >= search.maxAttempts) {
      const tried = attempts === 1 ? 'the 1 port tried was' : `the ${attempts} ports tried were all`;
      throw new Error(`No free ${protocol.toUpperCase()} port ${where(search)}: ${tried} in use${denied ? ' or not permitted' : ''}.`);
    }
    attempts++;
    const result = await checkPort(port, protocol, options.host);
    if (result === 'free') {
      return port;
    }
    if (result === 'denied') {
      denied++;
    } else {
      busy++;
    }
  }
  const parts = [
    busy ? `${busy} in use` : '',
    denied ? `${denied} not permitted (ports below 1024 need privileges)` : '',
    skipped ? `${skipped} skipped (${skippedWhy(search, avoid.size > 0)})` : '',
    skippedReserved ? `${skippedReserved} reserved by Windows (excluded port ranges)` : '',
  ].filter(Boolean);
  throw new Error(`No free ${protocol.toUpperCase()} port ${where(search)}: ${parts.join(', ') || 'the range is empty'}.`);
}

function where(search: ValidSearch): string {
  const range = search.low === search.high ? `${search.low}` : `${search.low}-${search.high}`;
  return search.near !== undefined ? `near ${search.near} (in ${range})` : `in ${range}`;
}

function skippedWhy(search: ValidSearch, hasAvoid: boolean): string {
  const reasons = [hasAvoid ? 'known to be in use' : '', search.skipWellKnown && search.low <= WELL_KNOWN_MAX ? 'well-known, below 1024' : ''];
  return reasons.filter(Boolean).join(' or ') || 'skipped';
}
