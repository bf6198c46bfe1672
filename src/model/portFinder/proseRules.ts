// Ports named in words: Markdown prose and tables, comments, test names. A number gets a hover only where
// the text names it as a port: `port 3000`, `ports 3000 and 3001`, `ports 30000–32767`, `UDP 123`,
// `ports[6379]`, the ephemeral port range `32768-60999`, a cell of a table's "Port" column, or a number in a
// comment or string that repeats a port found on the lines around it ("3000 is the dev server" above
// `"forwardPorts": [3000]`). Years, versions, counts and timeouts are none of these.
import type { Protocol } from '../../core/types';
import { foundOf, isPortKey, portOf } from './portValues';
import type { Found } from './portValues';
import type { PortFileKind } from './types';

const NUMBER = String.raw`[\x60*_"'«]*(\d{1,5})[\x60*_"'»]*`;
// `port 3000`, `Port: 3000`, `port number 3000`, `port is 3000`, `ports 80, 443 and 8443`, `ports 30000–32767`.
const PORT_WORDS_RE = new RegExp(String.raw`\b(?:[Pp]orts?|PORTS?)\b(?:\s+(?:number|no\.?|is|of|=))?[\s:=#]*` + NUMBER, 'g');
// A list goes on while the next number is not followed by a word of its own (`port 5432, 20 connections`).
const LIST_MORE_RE = new RegExp(
  String.raw`\s*(?:,|\band\b|\bor\b|/|[-–]|\bto\b|\bthrough\b)\s*` + NUMBER + String.raw`(?!\s+(?!and\b|or\b|are\b|is\b|to\b)[A-Za-z])`,
  'y',
);
// `UDP 123`, `TCP port 443`; a named protocol only with "on" (`SMTP on 1025`), since `HTTP 200` is a status.
const PROTOCOL_WORD_RE =
  /\b(?:(TCP|UDP|tcp|udp)(?:\s+port)?|(?:SMTP|HTTPS?|gRPC|GRPC|SSH|DNS|NTP|IMAPS?|POP3|FTP|LDAPS?|MQTT|AMQP|WebSockets?)\s+on(?:\s+port)?)\s+[`*_]*(\d{1,5})\b(?!\.\d)/g;
const PORT_INDEX_RE = /\bports?\[(\d{1,5})\]/g;
const RANGE_RE = /\b(?:port|ephemeral)[\w\s]{0,25}\brange\b[^.\d\n]{0,30}?(\d{1,5})\s*(?:[-–]|\s)\s*(\d{1,5})\b/gi;

function push(out: Found[], digits: string, at: number, context: string, protocol: Protocol = 'tcp', range?: [number, number]): void {
  const port = portOf(digits);
  if (port !== undefined) {
    out.push(foundOf({ start: at, end: at + digits.length, port, next: 0, ...(range ? { range } : {}) }, 'single', context, { protocol }));
  }
}

function digitsAt(match: RegExpExecArray, group: number): number {
  return match.index + match[0].lastIndexOf(match[group]);
}

/** Ports named in words anywhere in `line[from, to)`. */
export function findNamedPorts(line: string, from = 0, to = line.length): Found[] {
  const out: Found[] = [];
  const text = to === line.length ? line : line.slice(0, to);
  if (!/[Pp]ort|PORT|tcp|udp|TCP|UDP|ephemeral|\son\s/.test(text)) {
    return out;
  }
  PORT_WORDS_RE.lastIndex = from;
  for (let m = PORT_WORDS_RE.exec(text); m; m = PORT_WORDS_RE.exec(text)) {
    // Not a count (`3 ports`) nor a word's tail (`support 4`): the regex's \b sees to the second.
    const at = digitsAt(m, 1);
    if (/^\d+(?:\.\d)/.test(text.slice(at)) || /^\d+\s*(?:%|ms|s\b|seconds|minutes|MB|GB|x\b)/.test(text.slice(at))) {
      continue;
    }
    push(out, m[1], at, 'prose-port');
    LIST_MORE_RE.lastIndex = PORT_WORDS_RE.lastIndex;
    for (let more = LIST_MORE_RE.exec(text); more; more = LIST_MORE_RE.exec(text)) {
      push(out, more[1], digitsAt(more, 1), 'prose-port');
      PORT_WORDS_RE.lastIndex = LIST_MORE_RE.lastIndex;
    }
  }
  PROTOCOL_WORD_RE.lastIndex = from;
  const protocolWords = /tcp|udp/i.test(text) || /\son\s+(?:port\s+)?[`*_]*\d/.test(text);
  for (let m = protocolWords ? PROTOCOL_WORD_RE.exec(text) : null; m; m = PROTOCOL_WORD_RE.exec(text)) {
    push(out, m[2], digitsAt(m, 2), 'prose-protocol-port', m[1]?.toLowerCase() === 'udp' ? 'udp' : 'tcp');
  }
  PORT_INDEX_RE.lastIndex = from;
  for (let m = PORT_INDEX_RE.exec(text); m; m = PORT_INDEX_RE.exec(text)) {
    push(out, m[1], digitsAt(m, 1), 'port-index');
  }
  RANGE_RE.lastIndex = from;
  for (let m = RANGE_RE.exec(text); m; m = RANGE_RE.exec(text)) {
    const lo = portOf(m[1]);
    const hi = portOf(m[2]);
    if (lo !== undefined && hi !== undefined && lo < hi) {
      push(out, m[1], digitsAt(m, 1), 'port-range');
      push(out, m[2], m.index + m[0].length - m[2].length, 'port-range');
    }
  }
  return out;
}

// --- Markdown tables

/** How far above a table row its header is looked for. */
const TABLE_LOOKBACK_LINES = 200;

function cells(line: string): Array<{ text: string; at: number }> {
  const out: Array<{ text: string; at: number }> = [];
  const trimmed = line.trimEnd();
  let start = line.indexOf('|') + 1;
  for (let bar = line.indexOf('|', start); bar !== -1 && bar <= trimmed.length; bar = line.indexOf('|', start)) {
    out.push({ text: line.slice(start, bar), at: start });
    start = bar + 1;
  }
  if (start < trimmed.length) {
    out.push({ text: line.slice(start, trimmed.length), at: start });
  }
  return out;
}

/** The numbers in the "Port" column(s) of a Markdown table row. */
export function tablePorts(line: string, i: number, lineAt: (line: number) => string | undefined): Found[] {
  if (!/^\s*\|/.test(line) || /^\s*\|?[\s:|-]+$/.test(line)) {
    return [];
  }
  let header: string | undefined;
  for (let j = i - 1; j >= Math.max(0, i - TABLE_LOOKBACK_LINES); j--) {
    const text = lineAt(j);
    if (text === undefined || !/^\s*\|/.test(text)) {
      break;
    }
    if (/^\s*\|?[\s:|-]+$/.test(text) && text.includes('-')) {
      header = lineAt(j - 1);
      break;
    }
  }
  if (header === undefined) {
    return [];
  }
  const columns = cells(header).map((c) => /\bports?\b/i.test(c.text));
  if (!columns.some(Boolean)) {
    return [];
  }
  const out: Found[] = [];
  cells(line).forEach((cell, k) => {
    if (!columns[k]) {
      return;
    }
    const re = /(?<![\w.:])(\d{1,5})(?![\w.:]|\s*(?:%|ms\b|s\b|MB|GB))/g;
    for (let m = re.exec(cell.text); m; m = re.exec(cell.text)) {
      push(out, m[1], cell.at + m.index, 'table-port');
    }
  });
  return out;
}

// --- comments and strings that repeat a nearby port

const HASH_COMMENT_KINDS = new Set<PortFileKind>([
  'env', 'compose', 'yaml', 'dockerfile', 'nginx', 'apache', 'caddy', 'properties', 'toml', 'ini', 'shell',
  'makefile', 'python', 'ruby', 'hcl',
]);
const SLASH_COMMENT_KINDS = new Set<PortFileKind>(['json', 'javascript', 'typescript', 'go', 'java', 'csharp', 'rust', 'hcl']);
const STRING_KINDS = new Set<PortFileKind>(['javascript', 'typescript', 'python', 'go', 'java', 'csharp', 'rust', 'ruby']);

/** The comment and (in code) string-literal spans of a line, where words rather than syntax name things. */
export function wordyRegions(line: string, kind: PortFileKind): Array<[number, number]> {
  if (kind === 'markdown') {
    // Prose names its ports in words (`port 3000`, a Port column); a bare number there repeats nothing.
    return [];
  }
  const regions: Array<[number, number]> = [];
  const strings = STRING_KINDS.has(kind);
  if (!strings && !line.includes('#') && !line.includes('//')) {
    return regions;
  }
  const hash = HASH_COMMENT_KINDS.has(kind);
  const slash = SLASH_COMMENT_KINDS.has(kind);
  const trimmed = line.trimStart();
  if (slash && (trimmed.startsWith('*') || trimmed.startsWith('/*'))) {
    return [[0, line.length]];
  }
  let quote: string | undefined;
  let quoteAt = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote !== undefined) {
      if (c === '\\') {
        i++;
      } else if (c === quote) {
        if (strings) {
          regions.push([quoteAt + 1, i]);
        }
        quote = undefined;
      }
      continue;
    }
    if ((hash && c === '#' && (i === 0 || /\s/.test(line[i - 1]))) || (slash && c === '/' && line[i + 1] === '/' && line[i - 1] !== ':')) {
      regions.push([i, line.length]);
      break;
    }
    if (c === '"' || (c === "'" && (strings || i === 0 || !/\w/.test(line[i - 1]))) || (strings && c === '`')) {
      quote = c;
      quoteAt = i;
    }
  }
  return regions;
}

/** Numbers in `regions` of `line` equal to one of `ports` (two digits or more). */
export function echoedPorts(line: string, regions: Array<[number, number]>, ports: ReadonlySet<number>): Found[] {
  const out: Found[] = [];
  for (const [from, to] of regions) {
    // Not a quantity: `80 %`, `30 s`, `512 MB`.
    const re = /(?<![\w.:/#-])(\d{2,5})(?!\w|\.\d|:\d|\s*(?:%|ms\b|s\b|sec|min|MB|GB|KB|MiB|GiB|x\b))/g;
    const text = line.slice(0, to);
    re.lastIndex = from;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const port = portOf(m[1]);
      // The value of another setting is that setting's (`timeout: 3000` beside `port 3000`).
      const key = /\b([A-Za-z_][\w.-]*)[ \t]*[:=][ \t]*["'`]?$/.exec(text.slice(Math.max(from, m.index - 80), m.index));
      if (port !== undefined && ports.has(port) && (!key || isPortKey(key[1]))) {
        push(out, m[1], m.index, 'echoed-port');
      }
    }
  }
  return out;
}
