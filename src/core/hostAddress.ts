// Host text as the OS tools print it, normalized to the inspector's address forms: shared by the macOS,
// Windows and systeminformation back-ends so every back-end reports `::ffff:a.b.c.d` as IPv4, wildcards
// as 0.0.0.0 / ::, and IPv6 in lower case with its zone kept.
import { isIPv4, isIPv6 } from 'node:net';
import type { Family } from './types';

/** A normalized local address. */
export interface HostAddress {
  family: Family;
  address: string;
}

/**
 * Normalizes `127.0.0.1`, `[::1]`, `*`, `::ffff:127.0.0.1`, `FE80::1%eth0`. An empty host or `*` is the
 * wildcard of `familyHint`. Returns undefined for anything that is not an IP address (or has a zone
 * with characters no interface name has).
 */
export function normaliseHost(text: string, familyHint: Family): HostAddress | undefined {
  const host = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (host === '*' || host === '') {
    return familyHint === 4 ? { family: 4, address: '0.0.0.0' } : { family: 6, address: '::' };
  }
  if (isIPv4(host)) {
    return { family: 4, address: host };
  }
  const percent = host.indexOf('%');
  const base = (percent >= 0 ? host.slice(0, percent) : host).toLowerCase();
  const zone = percent >= 0 ? host.slice(percent + 1) : undefined;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(base);
  if (mapped && isIPv4(mapped[1])) {
    return { family: 4, address: mapped[1] };
  }
  if (!isIPv6(base) || (zone !== undefined && !/^[\w.-]+$/.test(zone))) {
    return undefined;
  }
  return { family: 6, address: zone !== undefined ? `${base}%${zone}` : base };
}
