// Which port a command line asks for, and where in the line it says so. The matcher falls back on this
// when a failure message names no port (Django's "That port is already in use.", Rust's `AddrInUse`),
// and "Rerun on Port N" rewrites exactly the span found here — only a `PORT=` prefix or a flag the
// command already has, never a flag we would have to invent for a tool we do not know.

/** Where the port of a command line comes from. `span` is [start, end) of the port digits. */
export interface CommandPort {
  port: number;
  /** `env`: a `PORT=3000` prefix; `flag`: `--port 8080`, `-p 8000`, `-b 0.0.0.0:8000`…; `positional`:
   *  `runserver 8080`, `php -S localhost:8000`, `http.server 9000`; `default`: the tool's documented
   *  default (no span: nothing to rewrite). */
  kind: 'env' | 'flag' | 'positional' | 'default';
  span?: [number, number];
  /** What said so: `PORT`, `--port`, `runserver`, or the tool for a default. */
  via: string;
}

const MAX_COMMAND = 4000;

function toPort(digits: string): number | undefined {
  if (!/^\d{1,5}$/.test(digits)) {
    return undefined;
  }
  const n = Number(digits);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** `host:port`, `[::1]:port`, `:port` or `port`: the index of the port digits inside `value`. */
function portInValue(value: string): { port: number; offset: number } | undefined {
  const m = /^((?:\[[0-9a-fA-F:.]*\]|[\w.*-]*):)?(\d{1,5})(?:\/\w+)?$/.exec(value);
  const port = m ? toPort(m[2]) : undefined;
  return m && port !== undefined ? { port, offset: m[1]?.length ?? 0 } : undefined;
}

interface Token {
  text: string;
  start: number;
}

/** Splits on blanks, keeping offsets; quotes are removed from a token only at its ends (good enough
 *  for the flags we look for, which never contain blanks). */
function tokens(line: string): Token[] {
  const out: Token[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) {
    let text = m[0];
    let start = m.index;
    if (/^['"]/.test(text)) {
      text = text.slice(1);
      start += 1;
    }
    text = text.replace(/['";&|]+$/, '');
    out.push({ text, start });
  }
  return out;
}

/** Flags whose value is a port, or a `host:port` whose port is the one the program listens on. */
const PORT_FLAGS = new Set(['--port', '-p', '--server.port', '--http-port', '--listen-port', '--bind', '-b', '--urls', '--host-port', '-P']);
/** `-p`-like short flags that mean something else for these programs (`ssh -p` is the remote port,
 *  `mysql -p` a password, `redis-cli -p` a server to connect to, `docker -p` host:container handled below). */
const CLIENT_PROGRAMS = new Set(['ssh', 'scp', 'sftp', 'mysql', 'psql', 'redis-cli', 'mongo', 'mongosh', 'curl', 'nc', 'telnet']);

/** Documented defaults, checked in order against the command line. */
const DEFAULTS: ReadonlyArray<[RegExp, number, string]> = [
  [/\b(?:manage\.py|django-admin)\s+runserver\b/, 8000, 'Django runserver'],
  [/\bphp\s+artisan\s+serve\b/, 8000, 'Laravel artisan serve'],
  [/\bflask\s+run\b/, 5000, 'flask run'],
  [/\bhttp\.server\b/, 8000, 'python -m http.server'],
  [/\b(?:uvicorn|gunicorn|hypercorn)\b/, 8000, 'uvicorn/gunicorn'],
  [/\bfastapi\s+(?:dev|run)\b/, 8000, 'fastapi'],
  [/\bmkdocs\s+serve\b/, 8000, 'mkdocs serve'],
  [/\bstreamlit\s+run\b/, 8501, 'streamlit'],
  [/\bjupyter\b/, 8888, 'jupyter'],
  [/\brails\s+(?:s|server)\b/, 3000, 'rails server'],
  [/\bpuma\b/, 9292, 'puma'],
  [/\brackup\b/, 9292, 'rackup'],
  [/\bmix\s+phx\.server\b/, 4000, 'Phoenix'],
  [/\bjekyll\s+serve\b/, 4000, 'jekyll serve'],
  [/\bng\s+serve\b/, 4200, 'ng serve'],
  [/\bnext\s+(?:dev|start)\b/, 3000, 'next'],
  [/\breact-scripts\s+start\b/, 3000, 'react-scripts'],
  [/\bnuxi?\s+dev\b/, 3000, 'nuxt'],
  [/\bastro\s+dev\b/, 4321, 'astro'],
  [/\bvite\s+preview\b/, 4173, 'vite preview'],
  [/\bvite\b/, 5173, 'vite'],
  [/\bgatsby\s+develop\b/, 8000, 'gatsby'],
  [/\bstorybook\s+dev\b/, 6006, 'storybook'],
  [/\bwrangler\s+dev\b/, 8787, 'wrangler'],
  [/\bhugo\s+serve(?:r)?\b/, 1313, 'hugo server'],
  [/\bredis-server\b/, 6379, 'redis-server'],
  [/\b(?:postgres|pg_ctl|postmaster)\b/, 5432, 'PostgreSQL'],
  [/\b(?:mysqld|mariadbd)\b/, 3306, 'MySQL'],
  [/\bmongod\b/, 27017, 'mongod'],
  [/\b(?:spring-boot:run|bootRun)\b/, 8080, 'Spring Boot'],
];

/**
 * The port a command line asks for: a `PORT=` prefix, a port flag, a positional address of a known
 * server command, or (last) the tool's documented default. Undefined when the line says nothing we know.
 */
export function portFromCommand(commandLine: string): CommandPort | undefined {
  const line = commandLine.length > MAX_COMMAND ? commandLine.slice(0, MAX_COMMAND) : commandLine;
  const toks = tokens(line);
  // PORT=3000 (also `env PORT=3000`, `export PORT=3000 &&`): only in the leading assignments of a command.
  for (const t of toks) {
    const m = /^(?:[A-Z_]*_)?PORT=(\d{1,5})$/.exec(t.text);
    const port = m ? toPort(m[1]) : undefined;
    if (m && port !== undefined) {
      const name = t.text.slice(0, t.text.indexOf('='));
      const at = t.start + name.length + 1;
      return { port, kind: 'env', span: [at, at + m[1].length], via: name };
    }
  }
  const program = toks.map((t) => t.text.replace(/^.*\//, '')).find((t) => !/^[A-Z_]+=/.test(t) && t !== 'env' && t !== 'sudo');
  const client = program !== undefined && CLIENT_PROGRAMS.has(program);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    // --port=8080, -p=8000, --bind=0.0.0.0:8000, -Dserver.port=8081, --server.port=8501
    const eq = /^(--?[\w.-]+|-Dserver\.port)=(.+)$/.exec(t.text);
    if (eq && (PORT_FLAGS.has(eq[1]) || eq[1] === '-Dserver.port') && !(client && eq[1] === '-p')) {
      const v = portInValue(eq[2]);
      if (v) {
        const at = t.start + eq[1].length + 1 + v.offset;
        return { port: v.port, kind: 'flag', span: [at, at + String(v.port).length], via: eq[1] };
      }
    }
    // -p8000
    const glued = /^-p(\d{1,5})$/.exec(t.text);
    if (glued && !client && toPort(glued[1]) !== undefined) {
      return { port: Number(glued[1]), kind: 'flag', span: [t.start + 2, t.start + 2 + glued[1].length], via: '-p' };
    }
    const next = toks[i + 1];
    if (next === undefined) {
      continue;
    }
    if (PORT_FLAGS.has(t.text) && !(client && (t.text === '-p' || t.text === '-P'))) {
      // `docker run -p 8080:80`: the host side comes first, which is what portInValue takes when the
      // value has two numbers — but `host:port` has one. Tell them apart by the first part.
      const hostFirst = /^(\d{1,5}):(\d{1,5})(?:\/\w+)?$/.exec(next.text);
      const value = hostFirst ? { port: Number(hostFirst[1]), offset: 0 } : portInValue(next.text.replace(/^https?:\/\//, ''));
      if (value && toPort(String(value.port)) !== undefined) {
        const shift = hostFirst ? 0 : next.text.startsWith('http') ? next.text.indexOf('//') + 2 : 0;
        const at = next.start + shift + value.offset;
        return { port: value.port, kind: 'flag', span: [at, at + String(value.port).length], via: t.text };
      }
    }
    // runserver 8080 | runserver 0.0.0.0:8000 | php -S localhost:8000 | http.server 9000 | ssh -L 8080:host:80
    // | kubectl port-forward svc/x 8080:80
    if (t.text === 'runserver' || t.text === 'http.server' || (t.text === '-S' && program === 'php') || (t.text === '-L' && program === 'ssh')) {
      const m = t.text === '-L' ? /^(?:(?:\[[^\]]*\]|[\w.*-]+):)?(\d{1,5}):/.exec(next.text) : /^(?:(?:\[[^\]]*\]|[\w.*-]+):)?(\d{1,5})$/.exec(next.text);
      const port = m ? toPort(m[1]) : undefined;
      if (m && port !== undefined) {
        const at = next.start + m[0].lastIndexOf(m[1], t.text === '-L' ? m[0].length - 1 : undefined);
        return { port, kind: t.text === '-L' ? 'flag' : 'positional', span: [at, at + m[1].length], via: t.text };
      }
    }
    if (t.text === 'port-forward') {
      for (const later of toks.slice(i + 1)) {
        const m = /^(\d{1,5})(?::\d{1,5})?$/.exec(later.text);
        const port = m ? toPort(m[1]) : undefined;
        if (m && port !== undefined) {
          return { port, kind: 'positional', span: [later.start, later.start + m[1].length], via: 'port-forward' };
        }
      }
    }
  }
  for (const [re, port, via] of DEFAULTS) {
    if (re.test(line)) {
      return { port, kind: 'default', via };
    }
  }
  return undefined;
}

/** The command line with its port replaced by `port` (only for a span `portFromCommand` found). */
export function withPort(commandLine: string, found: CommandPort, port: number): string | undefined {
  if (!found.span || found.kind === 'default') {
    return undefined;
  }
  const [start, end] = found.span;
  return `${commandLine.slice(0, start)}${port}${commandLine.slice(end)}`;
}
