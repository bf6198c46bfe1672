// Ports written the ways every kind of file shares, read after a kind's own rules: a host name with a port
// (`redis:6379`, `kafka-1:9092,kafka-2:9092`), a wildcard host (`*:5000`, `+:8443`), a bare `:8080` word,
// `tcp:5432` / `tcp:localhost:9200` (wait-on, dockerize), SQL Server's `Server=host,1433`, Oracle's
// `@//host:1521/…`, and `443/tcp`. Image tags (`node:20`, `postgres:16`), file positions (`main.go:120`),
// times and ratios are not ports.
import type { Protocol } from '../../core/types';
import { foundOf, isWildcardAddress, portOf } from './portValues';
import type { Found } from './portValues';
import type { PortFileKind, PortRole } from './types';

/** Kinds whose lines are code: a `name:port` there counts only inside a string literal. */
const CODE_KINDS = new Set<PortFileKind>(['javascript', 'typescript', 'python', 'go', 'java', 'csharp', 'rust', 'ruby']);

// A source file or document, not a host: `server.go:120`, `README.md:12`.
const FILE_SUFFIX = /\.(?:go|js|mjs|cjs|ts|tsx|jsx|py|rb|java|kt|rs|c|h|cc|cpp|hpp|cs|php|swift|md|txt|json|ya?ml|toml|log|html?|css|scss|sh|lock|xml|sql)$/i;
// Keys that take an image or a version, where `name:N` is a tag.
const TAG_CONTEXT = /(?:\bimage\b|\bFROM\b|\bimages?\s*[:=]|\bversion\b|\btag\b)/i;

// `name:port` / `*:port` / `+:port`: the host starts with a letter (not a time like `10:30`), and is not
// part of a longer `a:b:c` or a path (`library/postgres:16`).
const NAME_PORT_RE = /(?<![\w.:/@\\$%{-])(\*|\+|[A-Za-z][\w-]{0,62}(?:\.[\w-]{1,63}){0,10}):(\d{1,5})(?![\w:])(?!\.\d)/g;
const COLON_WORD_RE = /(?<=^|[\s"'=,`(])(:)(\d{1,5})(?:\/(tcp|udp))?(?=$|[\s"',;)\]`])/gi;
const SQLSERVER_RE = /\b(?:Server|Data Source|Address|Addr|Network Address)\s*=\s*(?:tcp:)?([\w.-]{1,253}|\([\w.]+\))(?:\\[\w$]+)?,(\d{1,5})\b/gi;
const SQLCMD_RE = /(?:^|\s)-S\s+(?:tcp:)?([\w.-]{1,253}),(\d{1,5})\b/g;
const ORACLE_RE = /@\/\/([\w.-]{1,253}):(\d{1,5})\b/g;
const TCP_PREFIX_RE = /\b(tcp|udp):(?:([\w.-]{1,253}):)?(\d{1,5})(?![\w:.])/gi;

function found(digitsAt: number, digits: string, role: PortRole, context: string, extra: { protocol?: Protocol; hostAddress?: string } = {}): Found | undefined {
  const port = portOf(digits);
  return port === undefined ? undefined : foundOf({ start: digitsAt, end: digitsAt + digits.length, port, next: 0 }, role, context, extra);
}

/** True when `at` is inside a string literal of a code line (an odd number of quotes before it). */
function inString(line: string, at: number): boolean {
  let quote: string | undefined;
  for (let i = 0; i < at; i++) {
    const c = line[i];
    if (c === '\\') {
      i++;
    } else if (quote === undefined && (c === '"' || c === "'" || c === '`')) {
      quote = c;
    } else if (c === quote) {
      quote = undefined;
    }
  }
  return quote !== undefined;
}

function push(out: Found[], f: Found | undefined): void {
  if (f) {
    out.push(f);
  }
}

/** `name:port`, `*:port`, `+:port` where the name is a host. */
function namePorts(line: string, kind: PortFileKind, out: Found[]): void {
  if (!/[A-Za-z0-9_*+-]:\d/.test(line) || !/[A-Za-z*+]/.test(line)) {
    return;
  }
  const code = CODE_KINDS.has(kind);
  NAME_PORT_RE.lastIndex = 0;
  for (let m = NAME_PORT_RE.exec(line); m; m = NAME_PORT_RE.exec(line)) {
    const host = m[1];
    const digitsAt = m.index + m[0].length - m[2].length;
    const wildcard = host === '*' || host === '+';
    if (!wildcard) {
      // Two digits or fewer after a bare name is a tag or a version far more often than a port.
      if (m[2].length < 3 || FILE_SUFFIX.test(host) || TAG_CONTEXT.test(line.slice(0, m.index))) {
        continue;
      }
      if (code && !inString(line, m.index)) {
        continue;
      }
      // `http:8080` inside a URL-less word is a scheme typo more than a host; `tcp:` has its own rule.
      if (/^(?:https?|wss?|tcp|udp|file|mailto|urn|sha\d*|md5)$/i.test(host)) {
        continue;
      }
    }
    const role: PortRole = wildcard || isWildcardAddress(host) ? 'listen' : 'url';
    push(out, found(digitsAt, m[2], role, wildcard ? 'wildcard-address' : 'host-port', { hostAddress: host }));
  }
}

/** A word that is only `:port` (`--bind :8000`, `address: ":80"`, `"-addr", ":8081"`): a bind on every interface. */
function colonWords(line: string, out: Found[]): void {
  if (!line.includes(':')) {
    return;
  }
  COLON_WORD_RE.lastIndex = 0;
  for (let m = COLON_WORD_RE.exec(line); m; m = COLON_WORD_RE.exec(line)) {
    const protocol = m[3] ? (m[3].toLowerCase() as Protocol) : 'tcp';
    push(out, found(m.index + 1, m[2], 'listen', 'colon-port', { protocol }));
  }
}

/** `443/tcp`, `53/udp`, `30000-32767/tcp`: found from each `/tcp` or `/udp`, read backwards. */
function protocolSuffixed(line: string, out: Found[]): void {
  if (!/\d\/[tuTU]/.test(line)) {
    return;
  }
  const lower = line.toLowerCase();
  for (let slash = lower.indexOf('/'); slash !== -1; slash = lower.indexOf('/', slash + 1)) {
    const word = lower.slice(slash + 1, slash + 4);
    if ((word !== 'tcp' && word !== 'udp') || /\w/.test(lower[slash + 4] ?? '')) {
      continue;
    }
    const m = /(?<![\w./:-])(\d{1,5})(?:[-–](\d{1,5}))?$/.exec(line.slice(Math.max(0, slash - 12), slash));
    if (!m) {
      continue;
    }
    const start = slash - m[0].length;
    const lo = portOf(m[1]);
    const hi = m[2] !== undefined ? portOf(m[2]) : undefined;
    if (lo === undefined || (m[2] !== undefined && (hi === undefined || hi < lo))) {
      continue;
    }
    const protocol = word as Protocol;
    out.push(foundOf({ start, end: slash, port: lo, next: slash, ...(hi !== undefined ? { range: [lo, hi] as [number, number] } : {}) }, 'single', 'port-protocol', { protocol }));
  }
}

function connectionStrings(line: string, out: Found[]): void {
  for (const re of [SQLSERVER_RE, SQLCMD_RE, ORACLE_RE]) {
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      push(out, found(m.index + m[0].length - m[2].length, m[2], 'target', 'connection-string', { hostAddress: m[1] }));
    }
  }
  if (/\b(?:tcp|udp):/i.test(line)) {
    TCP_PREFIX_RE.lastIndex = 0;
    for (let m = TCP_PREFIX_RE.exec(line); m; m = TCP_PREFIX_RE.exec(line)) {
      const protocol = m[1].toLowerCase() as Protocol;
      push(out, found(m.index + m[0].length - m[3].length, m[3], 'target', 'protocol-address', { protocol, hostAddress: m[2] }));
    }
  }
}

/** The shared rules over one line (every kind but those that read nothing). */
export function findHostPorts(line: string, kind: PortFileKind): Found[] {
  const out: Found[] = [];
  connectionStrings(line, out);
  namePorts(line, kind, out);
  colonWords(line, out);
  protocolSuffixed(line, out);
  return out;
}
