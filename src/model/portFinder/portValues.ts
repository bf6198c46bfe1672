// Port numbers, port-ish key names and the small value grammar shared by every config family.
import type { Protocol } from '../../core/types';
import type { PortMapping, PortRole } from './types';

/** A finding on one line, in columns of that line; the scanner turns it into a {@link PortMention}. */
export interface Found {
  start: number;
  end: number;
  port: number;
  protocol: Protocol;
  role: PortRole;
  context: string;
  hostAddress?: string;
  range?: [number, number];
  mapping?: PortMapping;
  variable?: string;
  commented?: boolean;
}

/** The port written as `digits`, or undefined when it is not 1–65535 (or has a leading zero). */
export function portOf(digits: string): number | undefined {
  if (!/^[1-9]\d{0,4}$/.test(digits)) {
    return undefined;
  }
  const port = Number(digits);
  return port <= 65535 ? port : undefined;
}

/** `lo` and `hi` as a range, or undefined when either is not a port or they are reversed. */
export function rangeOf(lo: string, hi: string): [number, number] | undefined {
  const a = portOf(lo);
  const b = portOf(hi);
  return a !== undefined && b !== undefined && a <= b ? [a, b] : undefined;
}

// Words ending in "port" that are not ports.
const NOT_PORT_WORDS = new Set([
  'report', 'support', 'import', 'export', 'transport', 'passport', 'airport', 'sport', 'viewport',
  'deport', 'rapport', 'teleport', 'seaport', 'carport', 'purport', 'comport', 'freeport', 'newport',
]);
// Words that may follow "port" in a key that still names a port (`PORT_HTTP`, `port_max`).
const PORT_QUALIFIERS = new Set([
  'number', 'num', 'no', 'nr', 'http', 'https', 'tcp', 'udp', 'grpc', 'ssl', 'tls', 'min', 'max', 'start',
  'end', 'from', 'to', 'low', 'high', 'lo', 'hi', 'base', 'range', 'internal', 'external', 'public',
  'private', 'local', 'remote', 'default', 'override', 'ranges',
]);
// A plural "ports" next to one of these counts ports rather than naming them (`max_ports: 4`).
const COUNT_WORDS = new Set(['num', 'number', 'count', 'max', 'min', 'total', 'n']);

/** Splits a key into lower-case words: `httpPort` → http, port; `server.port` → server, port. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

function singular(word: string): string {
  return word.endsWith('ports') ? word.slice(0, -1) : word;
}

function isPortWord(word: string): boolean {
  const w = singular(word);
  if (w === 'port' || w === 'portnumber' || w === 'portno' || w === 'portnum') {
    return true;
  }
  return w.length > 4 && w.endsWith('port') && !NOT_PORT_WORDS.has(w);
}

/** True when a key names a port: `PORT`, `DB_PORT`, `httpPort`, `server.port`, `PGPORT`, `port_max`;
 *  false for `report`, `port_timeout`, `transport`, `max_ports`. */
export function isPortKey(key: string): boolean {
  const words = keyWords(key);
  if (words.length === 0) {
    return false;
  }
  const last = words[words.length - 1];
  if (isPortWord(last)) {
    return !(last.endsWith('ports') && words.some((w) => COUNT_WORDS.has(w)));
  }
  return PORT_QUALIFIERS.has(last) && words.slice(0, -1).some((w) => w === 'port' || w === 'ports');
}

/** The role a port-key setting gets: the `PORT` environment convention means "listen here". */
export function roleOfKey(key: string): PortRole {
  return key === 'PORT' ? 'listen' : 'single';
}

/** True for the address of every interface (`0.0.0.0`, `::`, `*`, empty): a bind, not a destination. */
export function isWildcardAddress(address: string | undefined): boolean {
  return address === undefined || address === '' || address === '0.0.0.0' || address === '::' || address === '*';
}

/** True for `localhost`, a dotted IPv4 address or an IPv6 address (no brackets). */
export function isLiteralAddress(host: string): boolean {
  if (host.toLowerCase() === 'localhost') {
    return true;
  }
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    return v4.slice(1).every((octet) => Number(octet) <= 255);
  }
  return host.includes(':') && /^[0-9A-Fa-f:.]+(%[\w.-]+)?$/.test(host);
}

/** A port value parsed at a position: `3000`, `"3000"`, `3000-3005`, `53/udp`, `${PORT:-3000}`,
 *  `${PORT:3000}` (Spring), `127.0.0.1:9001`, `:8080`. */
export interface ParsedValue {
  start: number;
  end: number;
  port: number;
  range?: [number, number];
  protocol?: Protocol;
  variable?: string;
  hostAddress?: string;
  /** Column just after the value (and its closing quote). */
  next: number;
}

const VALUE_RE =
  /(["']?)(?:\$\{([A-Za-z_]\w*)(?::-|-|:=|=|:)(\d{1,5})\}|(?:(\[[0-9A-Fa-f:.%\w]{0,60}\]|[A-Za-z0-9_.-]{0,253}):)?(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp))?)\1(?=$|[\s,;})\]#])/y;

/** Parses a port value at `pos` of `text`; undefined unless the whole value is a port. */
export function parsePortValue(text: string, pos: number): ParsedValue | undefined {
  VALUE_RE.lastIndex = pos;
  const m = VALUE_RE.exec(text);
  if (!m) {
    return undefined;
  }
  const quote = m[1].length;
  if (m[3] !== undefined) {
    const port = portOf(m[3]);
    if (port === undefined) {
      return undefined;
    }
    const start = text.indexOf(m[3], pos + quote + 2 + m[2].length);
    return { start, end: start + m[3].length, port, variable: m[2], next: pos + m[0].length };
  }
  const host = m[4];
  if (host !== undefined && host !== '' && !isLiteralAddress(unbracket(host)) && !/^[A-Za-z][\w.-]*$/.test(host)) {
    return undefined;
  }
  const digitsStart = pos + m[0].length - quote - (m[7] ? m[7].length + 1 : 0) - (m[6] ? m[6].length + 1 : 0) - m[5].length;
  const end = pos + m[0].length - quote - (m[7] ? m[7].length + 1 : 0);
  let range: [number, number] | undefined;
  let port: number | undefined;
  if (m[6] !== undefined) {
    range = rangeOf(m[5], m[6]);
    port = range?.[0];
  } else {
    port = portOf(m[5]);
  }
  if (port === undefined) {
    return undefined;
  }
  const parsed: ParsedValue = { start: digitsStart, end, port, next: pos + m[0].length };
  if (range) {
    parsed.range = range;
  }
  if (m[7]) {
    parsed.protocol = m[7] as Protocol;
  }
  if (host !== undefined) {
    parsed.hostAddress = unbracket(host);
  }
  return parsed;
}

/** `[::1]` → `::1`. */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** A `Found` from a parsed value. */
export function foundOf(
  value: ParsedValue,
  role: PortRole,
  context: string,
  extra: { protocol?: Protocol; commented?: boolean; hostAddress?: string } = {},
): Found {
  const found: Found = {
    start: value.start,
    end: value.end,
    port: value.port,
    protocol: value.protocol ?? extra.protocol ?? 'tcp',
    role,
    context,
  };
  const hostAddress = value.hostAddress ?? extra.hostAddress;
  if (hostAddress !== undefined && hostAddress !== '') {
    found.hostAddress = hostAddress;
  }
  if (value.range) {
    found.range = value.range;
  }
  if (value.variable) {
    found.variable = value.variable;
  }
  if (extra.commented) {
    found.commented = true;
  }
  return found;
}
