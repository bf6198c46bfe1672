// JavaScript, TypeScript, Python and Go sources: `.listen(3000)`, `app.listen(PORT || 3000)`,
// `port: 5173`, `const PORT = process.env.PORT ?? 3000`, `app.run(port=5000)`,
// `os.getenv("PORT", "8000")`, `s.bind(("", 9000))`, `http.ListenAndServe(":8080", nil)`,
// `net.Listen("tcp", "localhost:9000")`, `flag.Int("port", 8080, …)`.
import type { Protocol } from '../../core/types';
import { foundOf, isLiteralAddress, isPortKey, isWildcardAddress, portOf, roleOfKey, unbracket } from './portValues';
import type { Found } from './portValues';
import type { PortRole } from './types';

export type SourceLanguage = 'javascript' | 'typescript' | 'python' | 'go' | 'java' | 'csharp' | 'rust' | 'ruby';

function hashComments(lang: SourceLanguage): boolean {
  return lang === 'python' || lang === 'ruby';
}

interface Token {
  kind: 'number' | 'string' | 'op' | 'ident' | 'open' | 'close' | 'comma' | 'other';
  text: string;
  at: number;
  end: number;
}

const CONVERSIONS = new Set(['Number', 'parseInt', 'int', 'String', 'str', 'toNumber', 'Atoi', 'uint16']);

/** A port's value expression is short; reading further only costs time on pathological lines. */
const MAX_EXPRESSION_LENGTH = 200;

/** Tokens of one expression starting at `at`: up to a top-level `,` `;` `)` `}` `]`, a comment, or the end. */
function expression(line: string, at: number, lang: SourceLanguage): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = at;
  const stop = Math.min(line.length, at + MAX_EXPRESSION_LENGTH);
  while (i < stop) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if ((hashComments(lang) && c === '#') || (!hashComments(lang) && c === '/' && line[i + 1] === '/')) {
      break;
    }
    if (c === '"' || c === "'" || c === '`') {
      let k = i + 1;
      while (k < line.length && line[k] !== c) {
        k += line[k] === '\\' ? 2 : 1;
      }
      tokens.push({ kind: 'string', text: line.slice(i + 1, Math.min(k, line.length)), at: i + 1, end: Math.min(k, line.length) });
      i = k + 1;
      continue;
    }
    if ('([{'.includes(c)) {
      depth++;
      tokens.push({ kind: 'open', text: c, at: i, end: i + 1 });
      i++;
      continue;
    }
    if (')]}'.includes(c) || c === ',' || c === ';') {
      if (depth === 0) {
        break;
      }
      if (c !== ',' && c !== ';') {
        depth--;
      }
      tokens.push({ kind: c === ',' ? 'comma' : c === ';' ? 'other' : 'close', text: c, at: i, end: i + 1 });
      i++;
      continue;
    }
    const word = /^(?:\d+(?:\.\d+)?(?:e\d+)?[a-zA-Z_]*|[A-Za-z_$][\w$]*|\|\||\?\?|&&|[=!<>]=?=?|\S)/.exec(line.slice(i, i + 64));
    const text = word ? word[0] : c;
    const kind: Token['kind'] = /^\d+$/.test(text) ? 'number' : /^[A-Za-z_$]/.test(text) ? 'ident' : /^\d/.test(text) ? 'other' : 'op';
    tokens.push({ kind, text, at: i, end: i + text.length });
    i += text.length;
  }
  return tokens;
}

function isFallbackBefore(tokens: Token[], index: number): boolean {
  const prev = tokens[index - 1];
  if (!prev) {
    return true;
  }
  if (prev.kind === 'op') {
    return prev.text === '||' || prev.text === '??' || prev.text === '?' || prev.text === ':';
  }
  if (prev.kind === 'ident') {
    return prev.text === 'or';
  }
  if (prev.kind === 'open' && prev.text === '(') {
    const callee = tokens[index - 2];
    return !callee || callee.kind !== 'ident' || CONVERSIONS.has(callee.text);
  }
  return false;
}

function isFallbackAfter(tokens: Token[], index: number): boolean {
  const next = tokens[index + 1];
  if (!next) {
    return true;
  }
  return (
    next.kind === 'close' ||
    next.kind === 'comma' ||
    (next.kind === 'op' && (next.text === '||' || next.text === '??' || next.text === ':')) ||
    (next.kind === 'ident' && next.text === 'or')
  );
}

/** The literal ports of an expression that are its value or a fallback (`PORT || 3000`, `int(x or 8000)`):
 *  not operands of arithmetic, not the radix of `parseInt(x, 10)`, not arguments of arbitrary calls. */
export function fallbackPorts(line: string, at: number, lang: SourceLanguage, role: PortRole, context: string): Found[] {
  const tokens = expression(line, at, lang);
  const out: Found[] = [];
  tokens.forEach((t, index) => {
    if (t.kind !== 'number' && t.kind !== 'string') {
      return;
    }
    const port = /^\d{1,5}$/.test(t.text) ? portOf(t.text) : undefined;
    if (port !== undefined && isFallbackBefore(tokens, index) && isFallbackAfter(tokens, index)) {
      out.push(foundOf({ start: t.at, end: t.end, port, next: t.end }, role, context));
    }
  });
  return out;
}

const PAIR_RE = /(?<![\w$.])(["']?)([A-Za-z_$][\w$.]{0,100})\1[ \t]*(?:(?::[ \t]*(?:number|string|int|str|uint16|int32|int64|uint|Optional\[int\]|Number|u16|u32|i32|i64|usize|Int|Integer|UInt16|ushort|short|long)[ \t]*)?=(?![=>~])|:=|:(?![:=/]))[ \t]*/g;
const GO_VAR_RE = /\bvar[ \t]+([A-Za-z_]\w*)[ \t]+\w+[ \t]*=[ \t]*/g;
const KEY_ARG_RE = /(["'])-{0,2}([A-Za-z_][\w.-]{0,60})\1[ \t]*,[ \t]*/g;
const DEFAULT_RE = /\bdefault[ \t]*[=:][ \t]*/g;
const LISTEN_RE = /\.listen[ \t]*\([ \t]*/g;
const PY_TUPLE_RE = /\([ \t]*(["'])([^"'\s]{0,253})\1[ \t]*,[ \t]*(\d{1,5})[ \t]*\)/g;
const GO_ADDRESS_RE = /"(\[[0-9A-Fa-f:.%]{2,60}\]|[A-Za-z0-9_.-]{0,253}):(\d{1,5})"/g;
const GO_NET_CALL_RE = /\b(Listen\w*|Dial\w*|Serve\w*|Run|Start|NewClient|ListenPacket)[ \t]*\(/;
const GO_ADDRESS_KEY_RE = /\b(?:[Aa]ddr\w*|[Aa]ddress|[Hh]ost[Pp]ort)[ \t]*(?::=|=|:)[ \t]*$/;

function pairs(line: string, lang: SourceLanguage, out: Found[]): void {
  for (const re of lang === 'go' ? [PAIR_RE, GO_VAR_RE] : [PAIR_RE]) {
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      const key = re === PAIR_RE ? m[2] : m[1];
      if (isPortKey(key)) {
        out.push(...fallbackPorts(line, m.index + m[0].length, lang, roleOfKey(key.slice(key.lastIndexOf('.') + 1)), 'source-port-setting'));
      }
    }
  }
}

function keyArguments(line: string, lang: SourceLanguage, out: Found[]): void {
  KEY_ARG_RE.lastIndex = 0;
  for (let m = KEY_ARG_RE.exec(line); m; m = KEY_ARG_RE.exec(line)) {
    if (!isPortKey(m[2])) {
      continue;
    }
    const role = roleOfKey(m[2]);
    const found = fallbackPorts(line, m.index + m[0].length, lang, role, 'source-port-argument');
    out.push(...found);
    if (found.length === 0) {
      // `add_argument("--port", type=int, default=8000)`, `option('--port', { default: 3000 })`.
      const end = m.index + m[0].length;
      DEFAULT_RE.lastIndex = end;
      const d = DEFAULT_RE.exec(line.slice(0, end + MAX_EXPRESSION_LENGTH));
      if (d) {
        out.push(...fallbackPorts(line, d.index + d[0].length, lang, role, 'source-port-argument'));
      }
    }
  }
}

function listenCalls(line: string, lang: SourceLanguage, out: Found[]): void {
  LISTEN_RE.lastIndex = 0;
  for (let m = LISTEN_RE.exec(line); m; m = LISTEN_RE.exec(line)) {
    out.push(...fallbackPorts(line, m.index + m[0].length, lang, 'listen', 'listen-call'));
  }
}

/** How far above a `sock.bind(…)` the `sock = socket.socket(…)` that says UDP is looked for. */
const SOCKET_LOOKBACK_LINES = 20;

/** True when `receiver` was made a datagram socket on this line or a few lines above. */
function isDatagramSocket(line: string, receiver: string | undefined, previous: (back: number) => string | undefined): boolean {
  if (/SOCK_DGRAM/.test(line)) {
    return true;
  }
  if (!receiver) {
    return false;
  }
  const made = new RegExp(String.raw`\b${receiver}\s*=\s*(?:socket\.)?socket\([^)]*SOCK_DGRAM`);
  for (let back = 1; back <= SOCKET_LOOKBACK_LINES; back++) {
    const text = previous(back);
    if (text === undefined) {
      return false;
    }
    if (made.test(text)) {
      return true;
    }
  }
  return false;
}

function pythonAddresses(line: string, out: Found[], previous: (back: number) => string | undefined): void {
  PY_TUPLE_RE.lastIndex = 0;
  for (let m = PY_TUPLE_RE.exec(line); m; m = PY_TUPLE_RE.exec(line)) {
    const host = m[2];
    const before = line.slice(Math.max(0, m.index - 40), m.index);
    // The call the tuple is passed to (`bind((…))`), or the call whose arguments it is (`forAddress("h", 9090)`).
    const call = /(?:(\w+)\.)?(\w+)[ \t]*(?:\([ \t]*)?$/.exec(before);
    const callee = call?.[2] ?? '';
    const listens = /^(bind|create_server|\w*Server|\w*Listener|ServerSocket|DatagramSocket)$/.test(callee);
    const connects = /^(connect|connect_ex|create_connection|sendto|forAddress|Jedis|\w*Client|Socket|InetSocketAddress|IPEndPoint)$/.test(callee);
    if (!(host === '' || isLiteralAddress(host) || listens || connects)) {
      continue;
    }
    const port = portOf(m[3]);
    if (port === undefined) {
      continue;
    }
    const role: PortRole = listens || isWildcardAddress(host) ? 'listen' : connects ? 'target' : 'url';
    const at = m.index + m[0].lastIndexOf(m[3]);
    const protocol: Protocol = (listens || connects) && isDatagramSocket(line, call?.[1], previous) ? 'udp' : 'tcp';
    out.push(foundOf({ start: at, end: at + m[3].length, port, next: 0 }, role, 'python-address', { hostAddress: host || undefined, protocol }));
  }
}

function goAddresses(line: string, out: Found[]): void {
  const call = GO_NET_CALL_RE.exec(line);
  const protocol: Protocol = /"udp[46]?"/.test(line) ? 'udp' : 'tcp';
  GO_ADDRESS_RE.lastIndex = 0;
  for (let m = GO_ADDRESS_RE.exec(line); m; m = GO_ADDRESS_RE.exec(line)) {
    const host = unbracket(m[1]);
    const keyed = GO_ADDRESS_KEY_RE.test(line.slice(0, m.index));
    if (!(host === '' || isLiteralAddress(host) || call || keyed)) {
      continue;
    }
    const port = portOf(m[2]);
    if (port === undefined) {
      continue;
    }
    const dials = call !== null && /^(Dial|NewClient)/.test(call[1]);
    const role: PortRole = dials ? 'target' : isWildcardAddress(host) || call ? 'listen' : 'url';
    const at = m.index + m[0].length - 1 - m[2].length;
    out.push(foundOf({ start: at, end: at + m[2].length, port, next: 0 }, role, 'go-address', { protocol, hostAddress: host || undefined }));
  }
}

// `ListenAnyIP(5080)`, `new ServerSocket(8558, 50)`, `Listen(IPAddress.Loopback, 5443, …)`: the first argument
// that is a plain number.
const NET_CALL_RE = /\b(?:Listen\w*|ServerSocket|DatagramSocket|UdpClient|TcpListener|HttpListener)[ \t]*\([ \t]*/g;

function netCalls(line: string, lang: SourceLanguage, out: Found[]): void {
  NET_CALL_RE.lastIndex = 0;
  for (let m = NET_CALL_RE.exec(line); m; m = NET_CALL_RE.exec(line)) {
    const tokens = expression(line, m.index + m[0].length - 1, lang).slice(1);
    let depth = 0;
    let argStart = true;
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k];
      if (t.kind === 'open') {
        depth++;
      } else if (t.kind === 'close') {
        if (depth === 0) {
          break;
        }
        depth--;
      } else if (depth === 0 && t.kind === 'comma') {
        argStart = true;
        continue;
      } else if (depth === 0 && argStart && t.kind === 'number') {
        const next = tokens[k + 1];
        const port = portOf(t.text);
        if (port !== undefined && (!next || next.kind === 'comma' || next.kind === 'close')) {
          out.push(foundOf({ start: t.at, end: t.end, port, next: t.end }, 'listen', 'listen-call'));
          break;
        }
      }
      argStart = false;
    }
  }
}

// Tests and conditions that compare a port: `cfg.port == 8000`, `assert.equal(cfg.port, 3000)`,
// `expect(x.port).toBe(9229)`, `assert_eq!(cfg.port, 8080)`.
const COMPARE_RE = /(?<![\w$])([A-Za-z_$][\w$]*)[ \t]*(?:===?|!==?|,)[ \t]*(\d{1,5})\b(?![.\w])/g;
const EXPECT_RE = /(?<![\w$])([A-Za-z_$][\w$]*)[ \t]*\)[ \t]*\.[ \t]*(?:toBe|toEqual|toStrictEqual|equal|equals|eq)[ \t]*\([ \t]*(\d{1,5})\b/g;

function comparisons(line: string, out: Found[]): void {
  if (!/port/i.test(line)) {
    return;
  }
  for (const re of [COMPARE_RE, EXPECT_RE]) {
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      const port = portOf(m[2]);
      if (port === undefined || !isPortKey(m[1])) {
        continue;
      }
      // `f(port, 3)` passes two things; after a comma only an assertion's expected value counts.
      const comma = re === COMPARE_RE && !/[=!]/.test(m[0]);
      if (comma && !/\b(?:assert\w*|expect\w*|equal\w*|Equal\w*|eq)\b/.test(line.slice(0, m.index))) {
        continue;
      }
      const at = m.index + m[0].length - m[2].length;
      out.push(foundOf({ start: at, end: at + m[2].length, port, next: 0 }, 'single', 'port-comparison'));
    }
  }
}

// Ruby: `ENV.fetch("PORT") { 3000 }`, `ENV.fetch('PORT', 3000)`, `ENV['PORT'] || 3000`.
const RUBY_ENV_RE = /\bENV(?:\.fetch\([ \t]*(["'])(\w+)\1[ \t]*(?:,[ \t]*(\d{1,5})[ \t]*\)|\)[ \t]*\{[ \t]*(\d{1,5})[ \t]*\})|\[[ \t]*(["'])(\w+)\5[ \t]*\][ \t]*\|\|[ \t]*(\d{1,5})\b)/g;

function rubyEnv(line: string, out: Found[]): void {
  RUBY_ENV_RE.lastIndex = 0;
  for (let m = RUBY_ENV_RE.exec(line); m; m = RUBY_ENV_RE.exec(line)) {
    const key = m[2] ?? m[6];
    const digits = m[3] ?? m[4] ?? m[7];
    const port = portOf(digits);
    if (port === undefined || !isPortKey(key)) {
      continue;
    }
    const at = m.index + m[0].lastIndexOf(digits);
    out.push(foundOf({ start: at, end: at + digits.length, port, next: 0, variable: key }, roleOfKey(key), 'env-default'));
  }
}

// A literal address passed with its port as the next argument: `start_server(handle, "127.0.0.1", 8766)`,
// `new Socket("localhost", 6379)`; Vagrant's `forwarded_port, guest: 80, host: 8080`.
const ADDRESS_ARG_RE = /(["'])(localhost|0\.0\.0\.0|127\.0\.0\.1|::1?|\d{1,3}(?:\.\d{1,3}){3})\1[ \t]*,[ \t]*(\d{1,5})\b(?![.\w])/g;
const VAGRANT_RE = /\b(guest|host)(?::[ \t]*|[ \t]*=>[ \t]*)(\d{1,5})\b/g;

function addressArguments(line: string, out: Found[]): void {
  ADDRESS_ARG_RE.lastIndex = 0;
  for (let m = ADDRESS_ARG_RE.exec(line); m; m = ADDRESS_ARG_RE.exec(line)) {
    const port = portOf(m[3]);
    if (port !== undefined) {
      const at = m.index + m[0].length - m[3].length;
      out.push(foundOf({ start: at, end: at + m[3].length, port, next: 0 }, isWildcardAddress(m[2]) ? 'listen' : 'url', 'address-argument', { hostAddress: m[2] }));
    }
  }
  if (/forward(?:ed)?_port/.test(line)) {
    VAGRANT_RE.lastIndex = 0;
    for (let m = VAGRANT_RE.exec(line); m; m = VAGRANT_RE.exec(line)) {
      const port = portOf(m[2]);
      if (port !== undefined) {
        const at = m.index + m[0].length - m[2].length;
        out.push(foundOf({ start: at, end: at + m[2].length, port, next: 0 }, m[1] === 'host' ? 'host' : 'container', 'vagrant-forwarded-port'));
      }
    }
  }
}

/** One line of source code; `previous(n)` is the line `n` lines above (undefined past the start). */
export function scanSourceLine(line: string, lang: SourceLanguage, previous: (back: number) => string | undefined = () => undefined): Found[] {
  const out: Found[] = [];
  if (lang === 'go') {
    goAddresses(line, out);
  } else {
    listenCalls(line, lang, out);
    pythonAddresses(line, out, previous);
    netCalls(line, lang, out);
  }
  if (lang === 'ruby') {
    rubyEnv(line, out);
  }
  if (lang !== 'go') {
    addressArguments(line, out);
  }
  comparisons(line, out);
  keyArguments(line, lang, out);
  pairs(line, lang, out);
  return out;
}
