// Validation of what people type: a port, a port range, a host, a `host:port` or a URL. Every rejection is
// an Error whose message is one plain line saying what was wrong and what is expected.
import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';

const PORT_MAX = 65535;
const PORT_RULE = 'ports are whole numbers from 1 to 65535';

/** A validated host and port. `family` is set when the host is an IP address literal. */
export interface HostPort {
  /** A hostname (ASCII; internationalized names are converted to punycode) or an IP address without
   *  brackets, e.g. `localhost`, `127.0.0.1`, `::1`, `fe80::1%eth0`. */
  host: string;
  port: number;
  family?: 4 | 6;
}

/** A validated host without a port. */
export interface ParsedHost {
  host: string;
  family?: 4 | 6;
}

// Ports that a URL implies when it names none. Only schemes whose default is beyond doubt.
const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  ftp: 21,
  ssh: 22,
  redis: 6379,
  rediss: 6379,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  mongodb: 27017,
  amqp: 5672,
  amqps: 5671,
};

/** Quotes untrusted input for an error message: control characters escaped, long text shortened. */
function quote(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  const visible = short.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${visible}"`;
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Parses a port number: decimal digits only, surrounding whitespace allowed, 1–65535.
 * Leading zeros are accepted and read as decimal (`080` is port 80), the way URL parsers and `ss`/`netstat`
 * read them; nothing here is ever octal. Hex (`0x50`), exponents (`1e3`), signs and fractions are rejected.
 * A number argument must be an integer in range.
 * @throws Error with a one-line message naming the bad input.
 */
export function parsePort(text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isInteger(text) || text < 1 || text > PORT_MAX) {
      throw new Error(`${String(text)} is not a port: ${PORT_RULE}.`);
    }
    return text;
  }
  if (typeof text !== 'string') {
    throw new Error(`No port given: ${PORT_RULE}.`);
  }
  const trimmed = text.trim();
  if (trimmed === '') {
    throw new Error(`No port given: ${PORT_RULE}.`);
  }
  if (!/^\d+$/.test(trimmed)) {
    throw new Error(`${quote(trimmed)} is not a port: ${PORT_RULE}${portHint(trimmed)}.`);
  }
  // Strip leading zeros before the length check so `00080` is fine but a 30-digit number is not parsed
  // into an imprecise float.
  const digits = trimmed.replace(/^0+(?=\d)/, '');
  const value = digits.length > 5 ? Infinity : Number(digits);
  if (value < 1 || value > PORT_MAX) {
    const why = value === 0 ? ' (0 means "any free port" and cannot be connected to)' : '';
    throw new Error(`${quote(trimmed)} is not a port: ${PORT_RULE}${why}.`);
  }
  return value;
}

function portHint(text: string): string {
  if (/^0x[0-9a-f]+$/i.test(text)) {
    return ' written in decimal';
  }
  if (/^[+-]/.test(text)) {
    return ', without a sign';
  }
  return '';
}

/**
 * Parses `3000-3010` (spaces around the dash allowed, an en dash too) or a single port `3000`
 * (returned as `[3000, 3000]`). Both ends follow {@link parsePort}; the first must not exceed the second.
 * @throws Error with a one-line message.
 */
export function parsePortRange(text: string): [number, number] {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (trimmed === '') {
    throw new Error('No port range given: write one port like 3000 or a range like 3000-3010.');
  }
  const parts = trimmed.split(/\s*[-–]\s*/);
  if (parts.length === 1) {
    const port = parsePort(trimmed);
    return [port, port];
  }
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    throw new Error(`${quote(trimmed)} is not a port range: write one port like 3000 or a range like 3000-3010.`);
  }
  const low = parsePort(parts[0]);
  const high = parsePort(parts[1]);
  if (low > high) {
    throw new Error(`${quote(trimmed)} is backwards: write the lower port first, like ${high}-${low}.`);
  }
  return [low, high];
}

/**
 * True when `text` is a syntactically valid DNS host name (RFC 1123): at most 253 characters (a single
 * trailing dot allowed), dot-separated labels of 1–63 letters, digits and hyphens, no label starting or
 * ending with a hyphen. Underscores are rejected (they are legal in DNS records but not in host names).
 * A name made only of digits and dots is accepted only when it is a valid IPv4 address, because a
 * resolver would read it as one. ASCII only: convert internationalized names first (see {@link parseHost}).
 */
export function isValidHostname(text: string): boolean {
  if (typeof text !== 'string') {
    return false;
  }
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) {
    return false;
  }
  const labels = name.split('.');
  if (!labels.every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(l))) {
    return false;
  }
  if (labels.every((l) => /^\d+$/.test(l))) {
    return isIPv4(name);
  }
  return true;
}

/**
 * Validates a host on its own: an IPv4 address, an IPv6 address with or without brackets (a zone like
 * `%eth0` allowed), or a host name ({@link isValidHostname}; internationalized names are converted to
 * punycode). Returns the host without brackets, and the family for IP literals.
 * @throws Error with a one-line message.
 */
export function parseHost(text: string): ParsedHost {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new Error('No host given: write a name like localhost or an address like 127.0.0.1.');
  }
  const host = text.trim();
  if (CONTROL_CHARS.test(host)) {
    throw new Error(`${quote(host)} is not a host: it contains control characters.`);
  }
  if (/\s/.test(host)) {
    throw new Error(`${quote(host)} is not a host: host names cannot contain spaces.`);
  }
  const bracketed = /^\[(.*)\]$/.exec(host);
  if (bracketed) {
    return { host: checkIPv6(bracketed[1]), family: 6 };
  }
  if (host.includes(':')) {
    return { host: checkIPv6(host), family: 6 };
  }
  if (isIPv4(host)) {
    return { host, family: 4 };
  }
  // Non-ASCII names go to DNS as punycode; domainToASCII returns '' when the name cannot be converted.
  const ascii = /^[\u0000-\u007f]*$/.test(host) ? host : domainToASCII(host);
  if (ascii !== '' && isValidHostname(ascii)) {
    return { host: ascii };
  }
  throw new Error(`${quote(host)} is not a valid host name: ${hostnameProblem(ascii || host)}.`);
}

function checkIPv6(text: string): string {
  if (text === '') {
    throw new Error('No host given between the brackets: write an IPv6 address like [::1].');
  }
  const percent = text.indexOf('%');
  const address = percent === -1 ? text : text.slice(0, percent);
  const zone = percent === -1 ? undefined : text.slice(percent + 1);
  if (!isIPv6(address)) {
    throw new Error(`${quote(text)} is not a valid IPv6 address.`);
  }
  if (zone !== undefined && !/^[a-z0-9_.-]{1,64}$/i.test(zone)) {
    throw new Error(`${quote(text)} has an invalid zone: write an interface name or number after the %, like fe80::1%eth0.`);
  }
  return text;
}

function hostnameProblem(name: string): string {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare.length > 253) {
    return 'it is longer than 253 characters';
  }
  const labels = bare.split('.');
  if (labels.some((l) => l === '')) {
    return 'it has an empty part between dots';
  }
  if (labels.some((l) => l.length > 63)) {
    return 'a part between dots is longer than 63 characters';
  }
  if (labels.every((l) => /^\d+$/.test(l))) {
    return 'it looks like an IPv4 address but is not one (four numbers from 0 to 255)';
  }
  if (labels.some((l) => l.startsWith('-') || l.endsWith('-'))) {
    return 'a part between dots starts or ends with a hyphen';
  }
  return 'host names may contain only letters, digits, hyphens and dots';
}

/**
 * Parses where to connect. Accepts `localhost:3000`, `127.0.0.1:80`, `[::1]:8080`, `[fe80::1%eth0]:22`,
 * `example.com:443`, `:3000` and `3000` (both on `defaultHost`), and URLs such as `http://localhost:3000/x`
 * (the port defaults to the scheme's: 80 for http, 443 for https, …). A bare IPv6 address without brackets
 * is rejected because `::1:8080` could mean either `[::1]:8080` or the address `::1:8080`.
 * @param defaultHost host for input that is only a port; `localhost` unless given.
 * @throws Error with a one-line message.
 */
export function parseHostPort(text: string, defaultHost = 'localhost'): HostPort {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new Error('No address given: write host:port, like localhost:3000, or a URL.');
  }
  const input = text.trim();
  if (CONTROL_CHARS.test(input)) {
    throw new Error(`${quote(input)} is not an address: it contains control characters.`);
  }
  const url = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(input);
  if (url) {
    return parseUrlAuthority(input, url[1].toLowerCase(), url[2]);
  }
  if (/\s/.test(input)) {
    throw new Error(`${quote(input)} is not an address: it contains a space.`);
  }
  if (/^\d+$/.test(input)) {
    return withHost(defaultHost, parsePort(input));
  }
  return splitHostPort(input, defaultHost, undefined);
}

function withHost(host: string, port: number): HostPort {
  const parsed = parseHost(host);
  return parsed.family ? { host: parsed.host, port, family: parsed.family } : { host: parsed.host, port };
}

function parseUrlAuthority(input: string, scheme: string, rest: string): HostPort {
  // The authority ends at the first '/', '?' or '#'; credentials before the last '@' are dropped.
  const authority = rest.split(/[/?#]/, 1)[0];
  const at = authority.lastIndexOf('@');
  // RFC 6874 writes an IPv6 zone in a URL as %25 (an escaped '%').
  const hostPart = (at === -1 ? authority : authority.slice(at + 1)).replace(/^(\[[^\]]*?)%25/, '$1%');
  if (hostPart === '' || hostPart.startsWith(':')) {
    throw new Error(`${quote(input)} has no host: write a URL like http://localhost:3000.`);
  }
  if (/\s/.test(hostPart)) {
    throw new Error(`${quote(input)} is not a URL: its host contains a space.`);
  }
  const fallback = DEFAULT_PORTS[scheme];
  return splitHostPort(hostPart, undefined, fallback, `${scheme}:`);
}

function splitHostPort(text: string, defaultHost: string | undefined, defaultPort: number | undefined, scheme?: string): HostPort {
  let hostText: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1) {
      throw new Error(`${quote(text)} has an unclosed "[": write IPv6 addresses like [::1]:8080.`);
    }
    hostText = text.slice(0, close + 1);
    const after = text.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) {
      throw new Error(`${quote(text)} is not an address: expected ":port" after "]".`);
    }
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colons = text.split(':').length - 1;
    if (colons > 1) {
      const lastColon = text.lastIndexOf(':');
      const prefix = text.slice(0, lastColon);
      const suffix = text.slice(lastColon + 1);
      const examples: string[] = [];
      if (isIPv6(prefix) && /^\d+$/.test(suffix)) {
        examples.push(`[${prefix}]:${suffix}`);
      }
      if (isIPv6(text)) {
        examples.push(`[${text}]:PORT`);
      }
      if (examples.length === 0) {
        throw new Error(`${quote(text)} is not an address: it has more than one ":" (IPv6 addresses go in brackets, like [::1]:8080).`);
      }
      throw new Error(`${quote(text)} is ambiguous: put IPv6 addresses in brackets, like ${examples.join(' or ')}.`);
    }
    const colon = text.indexOf(':');
    hostText = colon === -1 ? text : text.slice(0, colon);
    portText = colon === -1 ? undefined : text.slice(colon + 1);
  }
  if (hostText === '') {
    if (defaultHost === undefined) {
      throw new Error(`${quote(text)} has no host.`);
    }
    hostText = defaultHost;
  }
  let port: number;
  if (portText === undefined || (portText === '' && scheme)) {
    if (defaultPort === undefined) {
      throw new Error(
        scheme
          ? `${quote(text)} has no port and ${scheme} has no default port: add one, like ${scheme}//host:PORT.`
          : `${quote(text)} has no port: write host:port, like localhost:3000.`,
      );
    }
    port = defaultPort;
  } else if (portText === '') {
    throw new Error(`${quote(text)} has an empty port: write host:port, like localhost:3000.`);
  } else {
    port = parsePort(portText);
  }
  return withHost(hostText, port);
}

// --- one parser for what a user types to name a port

/** What a user typed to name a port: `3000`, `3000/udp`, `3000-3100`, `localhost:3000`, `[::1]:80/tcp`,
 *  or a URL. */
export interface PortQuery {
  /** The port (the lower end of a range). */
  port: number;
  /** Set when a range was typed; both ends inclusive. */
  range?: [number, number];
  /** Set only when the text said it (`/tcp`, `/udp`). */
  protocol?: 'tcp' | 'udp';
  /** Set only when the text named a host (brackets removed, names in punycode). */
  host?: string;
  family?: 4 | 6;
}

/** What a given input box accepts. Everything not allowed is refused with a message that says so. */
export interface PortQueryRules {
  /** `none` (a port only), `optional` (`3000` or `host:3000`), `required` (`host:3000` or a URL). */
  host?: 'none' | 'optional' | 'required';
  /** Accept `3000-3100`. */
  range?: boolean;
  /** Accept a `/tcp` or `/udp` suffix. */
  protocol?: boolean;
}

const PROTOCOL_SUFFIX = /\s*\/\s*(tcp|udp)$/i;
const URL_START = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Parses what a user typed to name a port, under `rules` (by default: a port and nothing else). Every
 * input box, command argument and CLI argument that names a port goes through here, so `3000`, `3000/udp`,
 * `host:3000`, `[::1]:80` and `3000-3100` mean the same everywhere and are refused with the same words.
 * @throws Error with a one-line message naming the bad input and what is expected.
 */
export function parsePortQuery(text: unknown, rules: PortQueryRules = {}): PortQuery {
  const hostRule = rules.host ?? 'none';
  let rest = typeof text === 'string' ? text.trim() : typeof text === 'number' ? String(text) : '';
  if (typeof text === 'number') {
    return { port: parsePort(text) };
  }
  if (rest === '') {
    throw new Error(hostRule === 'required' ? 'No address given: write host:port, like localhost:3000, or a URL.' : `No port given: write a port like 3000${rules.range ? ' or a range like 3000-3100' : ''}.`);
  }
  let protocol: 'tcp' | 'udp' | undefined;
  const suffix = rules.protocol && !URL_START.test(rest) ? PROTOCOL_SUFFIX.exec(rest) : null;
  if (suffix) {
    protocol = suffix[1].toLowerCase() as 'tcp' | 'udp';
    rest = rest.slice(0, suffix.index);
  }
  const withProtocol = (q: PortQuery): PortQuery => (protocol ? { ...q, protocol } : q);
  const onlyDigits = /^\d+$/.test(rest);
  if (hostRule === 'required' && onlyDigits) {
    // No default host: which machine "3000" is on would be a silent guess.
    throw new Error(`"${rest}" has no host: write host:port, like localhost:${rest}.`);
  }
  if (hostRule !== 'none' && !onlyDigits && (URL_START.test(rest) || rest.includes(':') || hostRule === 'required')) {
    const { host, port, family } = parseHostPort(rest);
    return withProtocol(family ? { port, host, family } : { port, host });
  }
  if (rules.range && /\d\s*[-–]\s*\d/.test(rest)) {
    const range = parsePortRange(rest);
    return withProtocol({ port: range[0], range });
  }
  return withProtocol({ port: parsePort(rest) });
}

/** The one-line problem with `text` under `rules`, or undefined when it is valid (for input boxes). */
export function portQueryProblem(text: string, rules: PortQueryRules = {}): string | undefined {
  try {
    parsePortQuery(text, rules);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
