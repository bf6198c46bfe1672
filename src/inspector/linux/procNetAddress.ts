// Decodes the hex addresses of /proc/net/{tcp,udp}{,6}. The kernel prints each 32-bit word of the address
// with %08X of a value in *host* byte order, so on little-endian machines every 4-byte group is reversed.
import * as os from 'node:os';
import type { Family } from '../../core/types';

const littleEndian = os.endianness() === 'LE';

/** Bytes of one hex address word group, in network order. */
function wordBytes(hex: string, offset: number, out: number[]): void {
  const b0 = parseInt(hex.substr(offset, 2), 16);
  const b1 = parseInt(hex.substr(offset + 2, 2), 16);
  const b2 = parseInt(hex.substr(offset + 4, 2), 16);
  const b3 = parseInt(hex.substr(offset + 6, 2), 16);
  if (littleEndian) {
    out.push(b3, b2, b1, b0);
  } else {
    out.push(b0, b1, b2, b3);
  }
}

/** Formats 16 bytes as an RFC 5952 IPv6 address (longest run of ≥2 zero groups compressed to `::`). */
export function formatIPv6(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) {
    groups.push((bytes[i] << 8) | bytes[i + 1]);
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) {
      j++;
    }
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) {
    return hex.join(':');
  }
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** A decoded socket address. `family` is 4 for IPv4 and for v4-mapped IPv6 (`::ffff:a.b.c.d`). */
export interface DecodedAddress {
  address: string;
  family: Family;
  port: number;
}

/** Decodes `0100007F:0BB8` (IPv4) or a 32-hex-digit IPv6 address with port. Returns undefined if malformed. */
export function decodeProcAddress(text: string): DecodedAddress | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) {
    return undefined;
  }
  const hex = text.slice(0, colon);
  const port = parseInt(text.slice(colon + 1), 16);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !/^[0-9A-Fa-f]+$/.test(hex)) {
    return undefined;
  }
  const bytes: number[] = [];
  if (hex.length === 8) {
    wordBytes(hex, 0, bytes);
    return { address: bytes.join('.'), family: 4, port };
  }
  if (hex.length !== 32) {
    return undefined;
  }
  for (let i = 0; i < 32; i += 8) {
    wordBytes(hex, i, bytes);
  }
  const v4mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (v4mapped) {
    return { address: bytes.slice(12).join('.'), family: 4, port };
  }
  return { address: formatIPv6(bytes), family: 6, port };
}
