// Local addresses as macOS tools print them, turned into the model's (family, address, port).
import { isIPv6 } from 'node:net';
import type { HostAddress } from '../../core/hostAddress';
import { normaliseHost as normaliseSharedHost } from '../../core/hostAddress';
import type { Family } from '../../core/types';

/** A local socket address in the model's terms. */
export interface Endpoint {
  family: Family;
  address: string;
  port: number;
}

/**
 * Normalises a host as lsof or netstat print it. `*` (or empty) is the wildcard of the hinted family;
 * v4-mapped IPv6 (`::ffff:a.b.c.d`) becomes family 4; a zone (`%lo0`, `%4`) is kept. Returns undefined
 * for text that is not an address.
 */
export function normaliseHost(host: string, familyHint: Family): HostAddress | undefined {
  const normal = normaliseSharedHost(host, familyHint);
  if (!normal || normal.family === 4) {
    return normal;
  }
  const percent = normal.address.indexOf('%');
  const base = percent >= 0 ? normal.address.slice(0, percent) : normal.address;
  // The macOS kernel keeps a link-local address's scope inside the address (the KAME convention:
  // fe80:4::1 means fe80::1 on interface index 4). netstat undoes this; lsof prints it raw. A real
  // fe80::/64 address has zeros there, so moving the group into a numeric zone is safe.
  const kame = /^fe80:([0-9a-f]{1,4}):(.*)$/.exec(base);
  if (kame && percent < 0 && parseInt(kame[1], 16) !== 0) {
    const candidate = `fe80:0:${kame[2]}`;
    if (isIPv6(candidate)) {
      return { family: 6, address: `${compressZeroRun(candidate)}%${parseInt(kame[1], 16)}` };
    }
  }
  return normal;
}

/** Parses lsof's `host:port` name: `*:3000`, `127.0.0.1:5432`, `[::1]:8080`, `[fe80::1%lo0]:5353`.
 *  Undefined for an unbound port (`*:*`), a connected socket (`a->b`) or anything unrecognised. */
export function parseLsofEndpoint(name: string, familyHint: Family): Endpoint | undefined {
  if (name.includes('->')) {
    return undefined;
  }
  const m = /^(\[[^\]]*\]|[^:[\]]*):(\d{1,5})$/.exec(name.trim());
  if (!m) {
    return undefined;
  }
  return withPort(normaliseHost(m[1], familyHint), m[2]);
}

/** Parses netstat's `host.port` column: `*.3000`, `127.0.0.1.5432`, `::1.8080`, `fe80::1%lo0.5353`.
 *  Undefined for `*.*` (no port) or anything unrecognised. */
export function parseNetstatEndpoint(text: string, familyHint: Family): Endpoint | undefined {
  const m = /^(.*)\.(\d{1,5})$/.exec(text.trim());
  if (!m) {
    return undefined;
  }
  return withPort(normaliseHost(m[1], familyHint), m[2]);
}

function withPort(host: { family: Family; address: string } | undefined, portText: string): Endpoint | undefined {
  const port = Number(portText);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
    return undefined;
  }
  return { ...host, port };
}

// After clearing the embedded scope, `fe80:0:0:…` needs its longest zero run written as `::` again.
function compressZeroRun(address: string): string {
  const [head, tail] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail !== undefined && tail !== '' ? tail.split(':') : [];
  if (tail !== undefined && tailGroups.some((g) => g.includes('.'))) {
    return address;
  }
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(tail !== undefined ? missing : 0).fill('0'), ...tailGroups].map((g) =>
    parseInt(g, 16).toString(16),
  );
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') {
      j++;
    }
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) {
    return groups.join(':');
  }
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`;
}
