// Port settings written as key and value: `server.port=8081` (.properties), `port = 8000` (TOML, INI),
// `PORT ?= 3000` (Makefile), `{ host = "0.0.0.0", port = 8080 }` (inline tables), `ports = [80, 443]`.
import { foundOf, isPortKey, parsePortValue, rangeOf, roleOfKey } from './portValues';
import type { Found } from './portValues';
import { addressSetting, scanShell } from './shellRules';

/** Port values after `at`: one value, or for a key naming several ports, a `[a, b]` list. */
export function portValuesAt(line: string, at: number, key: string, context: string, commented: boolean): Found[] {
  const extra = { commented };
  const role = roleOfKey(key);
  const single = parsePortValue(line, at);
  if (single) {
    return [foundOf(single, role, context, extra)];
  }
  if (line[at] !== '[' || !/(?:ports|port_ranges|portRanges)$/i.test(key)) {
    return [];
  }
  const out: Found[] = [];
  let pos = at + 1;
  for (;;) {
    while (line[pos] === ' ' || line[pos] === '\t') {
      pos++;
    }
    const value = parsePortValue(line, pos);
    if (!value) {
      return out;
    }
    out.push(foundOf(value, role, context, extra));
    pos = value.next;
    while (line[pos] === ' ' || line[pos] === '\t') {
      pos++;
    }
    if (line[pos] !== ',') {
      return out;
    }
    pos++;
  }
}

const PAIR_RE = /(?<![\w$.-])(["']?)([A-Za-z_$][\w$.-]{0,100})\1[ \t]*(?:=(?![=>~])|:=|:(?![:=/]))[ \t]*/g;

/** The quoted or bare scalar at `at` (up to a comma, bracket, brace, comment or the end). */
function scalarAt(line: string, at: number): { text: string; at: number } {
  const q = line[at];
  if (q === '"' || q === "'") {
    const close = line.indexOf(q, at + 1);
    // Only short strings can be addresses or commands worth reading; a long one is skipped.
    const end = close === -1 ? line.length : close;
    return { text: end - at > 1000 ? '' : line.slice(at + 1, end), at: at + 1 };
  }
  const m = /^[^\s,}\]#;]{0,300}/.exec(line.slice(at, at + 301));
  return { text: m ? m[0] : '', at };
}

/**
 * Every `key = value` / `key: value` pair in `line[from, to)` whose key names a port or an address; with
 * `shellStrings`, other string values are read as commands (`serve = "uvicorn app:app --port 8000"`).
 */
export function findPortPairs(line: string, context: string, commented = false, from = 0, to = line.length, shellStrings = false): Found[] {
  const out: Found[] = [];
  const text = to === line.length ? line : line.slice(0, to);
  PAIR_RE.lastIndex = from;
  for (let m = PAIR_RE.exec(text); m; m = PAIR_RE.exec(text)) {
    const valueAt = m.index + m[0].length;
    if (isPortKey(m[2])) {
      out.push(...portValuesAt(text, valueAt, m[2], context, commented));
      continue;
    }
    const value = scalarAt(text, valueAt);
    const address = addressSetting(m[2], value.text, context);
    if (address) {
      out.push({ ...address, start: address.start + value.at, end: address.end + value.at, ...(commented ? { commented } : {}) });
    } else if (shellStrings && /\s/.test(value.text)) {
      out.push(...scanShell(text, { commented }, value.at, value.at + value.text.length));
    }
  }
  return out;
}

/** A line's comment marker stripped: `# port = 80` → the text after it, and whether it was there. */
export function uncomment(line: string, markers: string): { from: number; commented: boolean } {
  let i = 0;
  while (line[i] === ' ' || line[i] === '\t') {
    i++;
  }
  if (i < line.length && markers.includes(line[i])) {
    while (i < line.length && markers.includes(line[i])) {
      i++;
    }
    while (line[i] === ' ' || line[i] === '\t') {
      i++;
    }
    return { from: i, commented: true };
  }
  return { from: i, commented: false };
}

/** A `.properties` line: `key=value`, `key: value` or `key value`. */
export function scanPropertiesLine(line: string): Found[] {
  const { from, commented } = uncomment(line, '#!');
  const m = /^([^\s=:#!]+)[ \t]*(?:[=:][ \t]*|[ \t]+)/.exec(line.slice(from));
  if (!m || !isPortKey(m[1])) {
    return [];
  }
  return portValuesAt(line, from + m[0].length, m[1], 'properties', commented);
}

/** A TOML or INI line; every pair on it, inline tables included. */
export function scanTomlIniLine(line: string, kind: 'toml' | 'ini'): Found[] {
  const { from, commented } = uncomment(line, kind === 'ini' ? ';#' : '#');
  if (line[from] === '[') {
    return [];
  }
  // `.conf` files in the `directive value` style (redis.conf `port 6379`, sshd `Port 22`).
  const spaced = /^([A-Za-z_][\w.-]*)[ \t]+(?=\d)/.exec(line.slice(from));
  if (kind === 'ini' && spaced && isPortKey(spaced[1])) {
    const value = parsePortValue(line, from + spaced[0].length);
    return value && line.slice(value.next).trim() === '' ? [foundOf(value, 'single', 'ini', { commented })] : [];
  }
  // mosquitto `listener 1883 0.0.0.0`, and `listen 8080` in other `.conf` files: the port, then an address.
  const listener = /^(?:listener|listen)[ \t]+(\d{1,5})(?:[ \t]+\S+)?[ \t]*$/.exec(line.slice(from));
  if (kind === 'ini' && listener) {
    const value = parsePortValue(line, from + listener[0].indexOf(listener[1]));
    return value ? [foundOf(value, 'listen', 'ini-listener', { commented })] : [];
  }
  // redis.conf `replicaof 10.0.0.10 6379` (and the older `slaveof`): host, then port.
  const replica = /^(?:replicaof|slaveof)[ \t]+\S+[ \t]+(\d{1,5})[ \t]*$/.exec(line.slice(from));
  if (kind === 'ini' && replica) {
    const value = parsePortValue(line, from + replica[0].trimEnd().length - replica[1].length);
    return value ? [foundOf(value, 'target', 'ini', { commented })] : [];
  }
  // sysctl `net.ipv4.ip_local_port_range = 32768 60999`: a range written as two numbers.
  const spacedRange = /^([\w.-]*port_range)[ \t]*=[ \t]*(\d{1,5})[ \t]+(\d{1,5})[ \t]*$/.exec(line.slice(from));
  if (kind === 'ini' && spacedRange) {
    const range = rangeOf(spacedRange[2], spacedRange[3]);
    const hiAt = from + spacedRange[0].trimEnd().length - spacedRange[3].length;
    const loAt = line.lastIndexOf(spacedRange[2], hiAt - 1);
    if (range) {
      return [
        foundOf({ start: loAt, end: loAt + spacedRange[2].length, port: range[0], range, next: 0 }, 'single', 'ini', { commented }),
        foundOf({ start: hiAt, end: hiAt + spacedRange[3].length, port: range[1], next: 0 }, 'single', 'ini', { commented }),
      ];
    }
  }
  return findPortPairs(line, kind, commented, from, line.length, true);
}

const MAKE_ASSIGN_RE = /^[ \t]*(?:export[ \t]+|override[ \t]+)?([A-Za-z_][\w.-]*)[ \t]*(?:\?=|::?=|\+=|!=|=)[ \t]*/;

/** A Makefile variable assignment (`PORT ?= 3000`); undefined when the line is not one. */
export function makeAssignment(line: string, from: number): { key: string; valueAt: number } | undefined {
  const m = MAKE_ASSIGN_RE.exec(line.slice(from));
  return m ? { key: m[1], valueAt: from + m[0].length } : undefined;
}
