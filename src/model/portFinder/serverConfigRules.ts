// Dockerfiles, nginx, Apache httpd and Caddy: directive-per-line formats with their own port syntax.
import type { Protocol } from '../../core/types';
import { uncomment } from './keyValueRules';
import { foundOf, isPortKey, parsePortValue, portOf, rangeOf, roleOfKey } from './portValues';
import type { Found } from './portValues';
import { scanShell } from './shellRules';
import { findUrls, parseHostPort } from './urlFinder';
import type { PortRole } from './types';

// --- Dockerfile

/** `EXPOSE 80/tcp 443`, `EXPOSE 7000-8000/udp`. */
function exposeWords(line: string, from: number, commented: boolean): Found[] {
  const out: Found[] = [];
  const re = /(?<=^|\s)(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp))?(?=\s|$)/gi;
  re.lastIndex = from;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const range = m[2] !== undefined ? rangeOf(m[1], m[2]) : undefined;
    const port = m[2] !== undefined ? range?.[0] : portOf(m[1]);
    if (port === undefined) {
      continue;
    }
    const end = m.index + m[1].length + (m[2] !== undefined ? m[2].length + 1 : 0);
    out.push(
      foundOf({ start: m.index, end, port, range, next: end }, 'container', 'dockerfile-expose', {
        protocol: m[3] ? (m[3].toLowerCase() as Protocol) : 'tcp',
        commented,
      }),
    );
  }
  return out;
}

/** `ENV PORT=3000 HOST=0.0.0.0`, `ENV PORT 3000`, `ARG PORT=3000`. */
function envWords(line: string, from: number, commented: boolean): Found[] {
  const legacy = /^([A-Za-z_]\w*)[ \t]+(?!\S*=)/.exec(line.slice(from));
  if (legacy) {
    if (!isPortKey(legacy[1])) {
      return [];
    }
    const value = parsePortValue(line, from + legacy[0].length);
    return value && line.slice(value.next).trim() === '' ? [foundOf(value, roleOfKey(legacy[1]), 'env-assignment', { commented })] : [];
  }
  return scanShell(line, { commented }, from);
}

/**
 * One Dockerfile line. `instruction` is the instruction of the logical line it belongs to (a line after
 * `RUN a \` continues the RUN).
 */
export function scanDockerfileLine(line: string, instruction: string | undefined, command: string | undefined): Found[] {
  const { from: start, commented } = uncomment(line, '#');
  let from = start;
  let op = instruction;
  if (op === undefined) {
    const m = /^([A-Za-z]+)\s+/.exec(line.slice(from));
    if (!m) {
      return [];
    }
    op = m[1].toUpperCase();
    from += m[0].length;
  }
  switch (op) {
    case 'EXPOSE':
      return exposeWords(line, from, commented);
    case 'ENV':
    case 'ARG':
      return envWords(line, from, commented);
    case 'RUN':
    case 'CMD':
    case 'ENTRYPOINT':
    case 'HEALTHCHECK':
      return scanShell(line, { commented, command }, from);
    default:
      return [];
  }
}

/** The instruction a Dockerfile line starts (upper case), if any. */
export function dockerInstruction(line: string): string | undefined {
  const m = /^\s*([A-Za-z]+)(?:\s|$)/.exec(line);
  return m ? m[1].toUpperCase() : undefined;
}

// --- nginx

interface DirectiveWord {
  text: string;
  at: number;
}

/** The statements of `line[from, to)` (ended by `;`, `{` or `}`) as words with their columns. */
function statements(line: string, from: number, to: number): DirectiveWord[][] {
  const out: DirectiveWord[][] = [];
  let words: DirectiveWord[] = [];
  const re = /[;{}]|"[^"]*"|'[^']*'|[^\s;{}"']+/g;
  const body = line.slice(0, to);
  re.lastIndex = from;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    if (m[0] === ';' || m[0] === '{' || m[0] === '}') {
      out.push(words);
      words = [];
    } else if (m[0].startsWith('"') || m[0].startsWith("'")) {
      words.push({ text: m[0].slice(1, -1), at: m.index + 1 });
    } else {
      words.push({ text: m[0], at: m.index });
    }
  }
  out.push(words);
  return out.filter((w) => w.length > 0);
}

const NGINX_PASS = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass']);

/** How far around a stream `proxy_pass` its block's `listen … udp` is looked for. */
const NGINX_BLOCK_LINES = 40;

/** True when the block around line `i` has a `listen … udp;` (a stream proxy then forwards UDP too). */
function blockListensUdp(lineAt: (line: number) => string | undefined, i: number): boolean {
  const code = (text: string): string => text.replace(/#.*/, '');
  const count = (text: string, c: string): number => text.split(c).length - 1;
  for (const step of [-1, 1]) {
    let depth = 0;
    for (let j = i + step; Math.abs(j - i) <= NGINX_BLOCK_LINES; j += step) {
      const raw = lineAt(j);
      if (raw === undefined) {
        break;
      }
      const text = code(raw);
      depth += step < 0 ? count(text, '}') - count(text, '{') : count(text, '{') - count(text, '}');
      if (depth < 0) {
        break;
      }
      if (depth === 0 && /^\s*listen\s[^;]*\budp\b/.test(text)) {
        return true;
      }
    }
  }
  return false;
}

/** One nginx line: `listen`, upstream `server`, `*_pass`, `resolver`. `lineAt` reads nearby lines. */
export function scanNginxLine(line: string, lineAt: (line: number) => string | undefined = () => undefined, i = 0): Found[] {
  const { from, commented } = uncomment(line, '#');
  const hash = line.indexOf('#', from);
  const to = hash === -1 ? line.length : hash;
  const out: Found[] = [];
  for (const words of statements(line, from, to)) {
    if (words.length < 2) {
      continue;
    }
    const directive = words[0].text;
    const arg = words[1];
    const at = (f: Found | undefined): void => {
      if (f) {
        out.push({ ...f, start: f.start + arg.at, end: f.end + arg.at, commented: commented || undefined });
      }
    };
    if (directive === 'listen') {
      const protocol: Protocol = words.some((w) => w.text === 'udp') ? 'udp' : 'tcp';
      const bare = parsePortValue(arg.text, 0);
      if (bare && bare.next === arg.text.length && !arg.text.startsWith('unix:')) {
        at(foundOf(bare, 'listen', 'nginx-listen', { protocol }));
      } else {
        const f = parseHostPort(arg.text.replace(/^\*(?=:)/, ''), arg.text.startsWith('*') ? 1 : 0, 'listen', 'nginx-listen');
        if (f) {
          f.protocol = protocol;
        }
        at(f);
      }
    } else if (directive === 'server' && !arg.text.startsWith('unix:')) {
      at(parseHostPort(arg.text, 0, 'target', 'nginx-upstream'));
    } else if (NGINX_PASS.has(directive)) {
      const url = findUrls(arg.text, { role: 'target', context: 'nginx-proxy-pass' })[0];
      const bare = url ? undefined : parseHostPort(arg.text, 0, 'target', 'nginx-proxy-pass');
      // A scheme-less proxy_pass is the stream module's; it forwards the protocol its server listens on.
      if (bare && directive === 'proxy_pass' && blockListensUdp(lineAt, i)) {
        bare.protocol = 'udp';
      }
      at(url ?? bare);
    } else if (directive === 'set' && words[2] && isPortKey(arg.text.replace(/^\$/, ''))) {
      // `set $upstream_port 5000;`
      const value = parsePortValue(words[2].text, 0);
      if (value && value.next === words[2].text.length) {
        const w = words[2];
        out.push({ ...foundOf(value, 'single', 'nginx-set'), start: value.start + w.at, end: value.end + w.at, commented: commented || undefined });
      }
    } else if (directive === 'resolver') {
      for (const w of words.slice(1)) {
        const f = parseHostPort(w.text, 0, 'target', 'nginx-resolver');
        if (f) {
          out.push({ ...f, start: f.start + w.at, end: f.end + w.at, protocol: 'udp', commented: commented || undefined });
        }
      }
    }
  }
  return out.map(clean);
}

function clean(f: Found): Found {
  if (!f.commented) {
    delete f.commented;
  }
  return f;
}

// --- Apache httpd

const APACHE_PROXY = /^(ProxyPass|ProxyPassReverse|BalancerMember|ProxyPassMatch|ProxyRemote)$/i;

/** One Apache line: `Listen`, `<VirtualHost …>`, `ServerName host:port`, proxy directives. */
export function scanApacheLine(line: string): Found[] {
  const { from, commented } = uncomment(line, '#');
  const out: Found[] = [];
  const add = (f: Found | undefined): void => {
    if (f) {
      out.push(clean({ ...f, commented: commented || undefined }));
    }
  };
  const body = line.slice(from);
  const listen = /^(Listen)\s+(\S+)/i.exec(body);
  if (listen) {
    const argAt = from + listen[0].length - listen[2].length;
    const bare = parsePortValue(line, argAt);
    add(bare ? foundOf(bare, 'listen', 'apache-listen') : shift(parseHostPort(listen[2], 0, 'listen', 'apache-listen'), argAt));
    return out;
  }
  const vhost = /^<\s*(VirtualHost|NameVirtualHost)\s+([^>]*)/i.exec(body) ?? /^(NameVirtualHost)\s+(.*)$/i.exec(body);
  if (vhost) {
    const argsAt = from + vhost[0].length - vhost[2].length;
    const re = /\S+/g;
    for (let m = re.exec(vhost[2]); m; m = re.exec(vhost[2])) {
      const text = m[0].replace(/^(\*|_default_)(?=:)/, '');
      add(shift(parseHostPort(text, m[0].length - text.length, 'listen', 'apache-virtualhost'), argsAt + m.index));
    }
    return out;
  }
  const serverName = /^(ServerName)\s+(\S+)/i.exec(body);
  if (serverName) {
    const argAt = from + serverName[0].length - serverName[2].length;
    const url = findUrls(serverName[2], { role: 'single', context: 'apache-servername' })[0];
    add(shift(url ?? parseHostPort(serverName[2], 0, 'single', 'apache-servername'), argAt));
    return out;
  }
  const directive = /^(\S+)\s/.exec(body);
  if (directive && APACHE_PROXY.test(directive[1])) {
    for (const f of findUrls(line, { role: 'target', context: 'apache-proxy', commented }, from)) {
      add(f);
    }
  }
  return out;
}

function shift(f: Found | undefined, by: number): Found | undefined {
  return f ? { ...f, start: f.start + by, end: f.end + by } : undefined;
}

// --- Caddy

const CADDY_UPSTREAM_DIRECTIVES = new Set(['reverse_proxy', 'to', 'php_fastcgi']);
const CADDY_LISTEN_OPTIONS = new Set(['http_port', 'https_port']);

function caddyAddress(text: string, role: PortRole, context: string): Found | undefined {
  const url = findUrls(text, { role, context })[0];
  if (url) {
    return url;
  }
  // `*.example.com:443/api`: the wildcard label and the path are not part of host:port.
  const prefix = text.startsWith('*.') ? 2 : 0;
  const slash = text.indexOf('/', prefix);
  return parseHostPort(text.slice(prefix, slash === -1 ? text.length : slash), prefix, role, context);
}

/** One Caddyfile line: site addresses (`:8080 {`, `localhost:2015, example.com:8443 {`), upstreams,
 *  `http_port`/`https_port`, `admin localhost:2019`. */
export function scanCaddyLine(line: string): Found[] {
  const { from, commented } = uncomment(line, '#');
  const out: Found[] = [];
  const hash = line.search(/\s#/);
  const to = hash === -1 ? line.length : hash;
  const words: Array<{ text: string; at: number }> = [];
  const re = /[^\s,]+/g;
  const body = line.slice(0, to);
  re.lastIndex = from;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    words.push({ text: m[0], at: m.index });
  }
  if (words.length === 0) {
    return out;
  }
  const add = (f: Found | undefined, at: number): void => {
    if (f) {
      out.push(clean({ ...f, start: f.start + at, end: f.end + at, commented: commented || undefined }));
    }
  };
  const head = words[0].text;
  const addresses = words[words.length - 1].text === '{' ? words.slice(0, -1) : words;
  const looksLikeSite = addresses.length > 0 && addresses.every((w) => /^(?:[a-z][\w+.-]*:\/\/)?(?:[\w*.-]+|\[[0-9a-f:]+\])?(?::\d{1,5})?(?:\/\S*)?$/i.test(w.text) && /[:.]|^localhost/.test(w.text));
  if (looksLikeSite && (words[words.length - 1].text === '{' || from === 0)) {
    for (const w of addresses) {
      add(caddyAddress(w.text, 'listen', 'caddy-site'), w.at);
    }
    return out;
  }
  if (CADDY_UPSTREAM_DIRECTIVES.has(head)) {
    for (const w of words.slice(1)) {
      if (w.text === '{') {
        break;
      }
      if (w.text.startsWith('@') || w.text.startsWith('/')) {
        continue;
      }
      add(caddyAddress(w.text, 'target', 'caddy-upstream'), w.at);
    }
    return out;
  }
  if (head === 'admin' && words[1]) {
    add(parseHostPort(words[1].text, 0, 'listen', 'caddy-admin'), words[1].at);
    return out;
  }
  if ((CADDY_LISTEN_OPTIONS.has(head) || isPortKey(head)) && words[1]) {
    const value = parsePortValue(line, words[1].at);
    if (value && value.next === words[1].at + words[1].text.length) {
      out.push(foundOf(value, CADDY_LISTEN_OPTIONS.has(head) ? 'listen' : 'single', 'caddy-option', { commented }));
    }
  }
  return out;
}
