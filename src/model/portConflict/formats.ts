// The failure messages programs print when the port they want is taken, one entry per format, each with
// where it was seen (test/fixtures/port-conflicts/SOURCES.md lists the public threads). Every pattern is
// matched against one line of at most LINE_MAX characters and has no nested quantifier, so the cost of a
// line is bounded by its length times a small constant.

export interface LineHit {
  port?: number;
  host?: string;
  protocol?: 'tcp' | 'udp';
}

export interface ConflictFormat {
  /** Short id, also the tool family shown in `--json` (`node`, `go`, `spring`…). */
  id: string;
  /** A cheap test first (all lower case, checked against the lower-cased line). */
  needle: string;
  re: RegExp;
  /** Reads the hit from the match; undefined to reject it after all. */
  read(m: RegExpExecArray): LineHit | undefined;
}

function port(digits: string | undefined): number | undefined {
  if (digits === undefined || !/^\d{1,5}$/.test(digits)) {
    return undefined;
  }
  const n = Number(digits);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** `[::1]` → `::1`; `*`, `null`, `undefined` and empty → undefined (no host was named). */
export function cleanHost(raw: string | undefined): string | undefined {
  if (raw === undefined) {
    return undefined;
  }
  const h = raw.replace(/^\[|\]$/g, '').replace(/^['"]|['"]$/g, '');
  return h === '' || h === '*' || h === 'null' || h === 'undefined' || h === '<null>' ? undefined : h;
}

/** `:::3000`, `0.0.0.0:3000`, `[::1]:8080`, `localhost:8000`, `null:3001` → host and port. */
export function splitAddress(token: string): LineHit | undefined {
  const m = /^(.*):(\d{1,5})$/.exec(token.replace(/[.,;)'"\]]+$/, (s) => (s.startsWith(']') ? ']' : '')));
  if (!m) {
    return undefined;
  }
  const p = port(m[2]);
  return p === undefined ? undefined : { port: p, host: cleanHost(m[1]) };
}

const hostPort = (m: RegExpExecArray, hostGroup: number, portGroup: number): LineHit | undefined => {
  const p = port(m[portGroup]);
  return p === undefined ? undefined : { port: p, host: cleanHost(m[hostGroup]) };
};
const portOnly = (m: RegExpExecArray, group: number): LineHit | undefined => {
  const p = port(m[group]);
  return p === undefined ? undefined : { port: p };
};
const noPort = (): LineHit => ({});

/** Host and port as programs print them: `[::1]`, `::`, `0.0.0.0`, `localhost`, `*`, `my-host.local`. */
const HOST = String.raw`\[[0-9a-fA-F:.%\w]*\]|[0-9a-fA-F:.]*|[\w.*-]+`;

export const FORMATS: readonly ConflictFormat[] = [
  // Node: `listen EADDRINUSE: address already in use :::3000` (Node ≥ 12), `listen EADDRINUSE :::3000` and
  // `listen EADDRINUSE 127.0.0.1:3000` (older), `bind EADDRINUSE null:3001` (cluster workers).
  {
    id: 'node',
    needle: 'eaddrinuse',
    re: /\b(?:listen|bind) EADDRINUSE(?::? address already in use)?(?:\s+(\S+))?/,
    read: (m) => (m[1] ? (splitAddress(m[1]) ?? {}) : {}),
  },
  // Bun: `EADDRINUSE: Failed to start server. Is port 3000 in use?`
  { id: 'bun', needle: 'failed to start server', re: /Failed to start server\. Is port (\d+) in use\?/, read: (m) => portOnly(m, 1) },
  // Tools that print an address after Node's code: `EADDRINUSE: address already in use 127.0.0.1:18080`.
  {
    id: 'node',
    needle: 'eaddrinuse: address already in use',
    re: /EADDRINUSE: address already in use (\S+)/,
    read: (m) => splitAddress(m[1]),
  },
  // Vite --strictPort / Angular / Next.js / Spring Boot / Streamlit / Postgres.app / Spring's PortInUseException:
  // `Port 8080 is already in use`, `Port 8080 was already in use.`
  { id: 'port-in-use', needle: 'already in use', re: /\bPort (\d+) (?:is |was )?already in use\b/i, read: (m) => portOnly(m, 1) },
  // Gatsby 1: `We were unable to start Gatsby on port 8000 as there's already a process listening on that port`.
  { id: 'gatsby', needle: "as there's already a process", re: /unable to start \S+ on port (\d+) as there's already a process/i, read: (m) => portOnly(m, 1) },
  // Create React App: `Something is already running on port 3000.`
  { id: 'create-react-app', needle: 'already running on port', re: /Something is already running on port (\d+)/, read: (m) => portOnly(m, 1) },
  // werkzeug ≥ 2.1 (Flask): `Port 5000 is in use by another program.`
  { id: 'werkzeug', needle: 'in use by another program', re: /\bPort (\d+) is in use by another program\b/, read: (m) => portOnly(m, 1) },
  // uvicorn: `[Errno 98] error while attempting to bind on address ('0.0.0.0', 8000): address already in use`
  // (also ('::1', 8000, 0, 0), [Errno 48] on macOS, [Errno 10048] on Windows).
  {
    id: 'uvicorn',
    needle: 'error while attempting to bind on address',
    re: /\[Errno (98|48|10048)\] error while attempting to bind on address \(\s*'([^']*)',\s*(\d+)/,
    read: (m) => hostPort(m, 2, 3),
  },
  // gunicorn: `[ERROR] Connection in use: ('0.0.0.0', 8000)`
  { id: 'gunicorn', needle: 'connection in use', re: /Connection in use: \(\s*'([^']*)',\s*(\d+)\)/, read: (m) => hostPort(m, 1, 2) },
  // Django runserver: `Error: That port is already in use.` (names no port).
  { id: 'django', needle: 'that port is already in use', re: /That port is already in use/i, read: noPort },
  // Go (and everything written in it: Docker's userland proxy, kubectl, Hugo…):
  // `listen tcp :8080: bind: address already in use`, `listen tcp4 0.0.0.0:5432: bind: address already in use`,
  // `listen udp [::]:53: bind: Only one usage of each socket address …`.
  {
    id: 'go',
    needle: 'bind: ',
    re: new RegExp(String.raw`\blisten (tcp|udp)[46]? (${HOST}):(\d+): bind: (?:address already in use|Only one usage of each socket address)`, 'i'),
    read: (m) => {
      const h = hostPort(m, 2, 3);
      return h && { ...h, protocol: m[1].toLowerCase() as 'tcp' | 'udp' };
    },
  },
  // Docker: `Bind for 0.0.0.0:5432 failed: port is already allocated`.
  { id: 'docker', needle: 'port is already allocated', re: new RegExp(String.raw`Bind for (${HOST}):(\d+) failed: port is already allocated`), read: (m) => hostPort(m, 1, 2) },
  // Docker ≥ 25: `failed to bind host port for 0.0.0.0:5432:172.18.0.2:5432/tcp: address already in use`;
  // 20–24: `failed to bind port 0.0.0.0:5432/tcp: Error starting userland proxy: …`.
  {
    id: 'docker',
    needle: 'failed to bind',
    re: /failed to bind (?:host )?port (?:for )?(\[[0-9a-fA-F:.]*\]|[0-9.]+):(\d+)(?:\/(tcp|udp)|:)/,
    read: (m) => {
      const h = hostPort(m, 1, 2);
      return h && (m[3] ? { ...h, protocol: m[3] as 'tcp' | 'udp' } : h);
    },
  },
  // Spring Boot with Tomcat: `The Tomcat connector configured to listen on port 8080 failed to start.`
  { id: 'spring', needle: 'connector configured to listen on port', re: /connector configured to listen on port (\d+) failed to start/, read: (m) => portOnly(m, 1) },
  // Tomcat: `Failed to initialize end point associated with ProtocolHandler ["http-nio-8081"]` (the next
  // lines say java.net.BindException; the matcher requires that, see `needsNearby`).
  {
    id: 'tomcat',
    needle: 'protocolhandler [',
    re: /(?:Failed to (?:initialize|start) end ?point associated with|Protocol handler (?:initialization|start) failed).*?ProtocolHandler \["(?:https?|ajp)-[\w-]*?(\d+)"\]/,
    read: (m) => portOnly(m, 1),
  },
  // Java: `java.net.BindException: Address already in use (Bind failed) <null>:8080` or with no address.
  {
    id: 'java',
    needle: 'bindexception',
    re: /java\.net\.BindException: Address already in use(?:[^:]*?\s(\S+:\d+))?/,
    read: (m) => (m[1] ? (splitAddress(m[1]) ?? {}) : {}),
  },
  // ASP.NET Core Kestrel: `Failed to bind to address http://127.0.0.1:5000: address already in use.`
  // (`… on the IPv4 loopback interface: port already in use.` in 2.x).
  {
    id: 'kestrel',
    needle: 'failed to bind to address',
    re: /Failed to bind to address \w+:\/\/(\[[^\]]*\]|[^\s:/]+):(\d+)[:\s].*?(?:address|port) already in use/,
    read: (m) => hostPort(m, 1, 2),
  },
  // Puma / Ruby: `Address already in use - bind(2) for "0.0.0.0" port 3000 (Errno::EADDRINUSE)`.
  { id: 'ruby', needle: 'bind(2) for', re: /Address already in use - bind\(2\) for "?([^"\s]*)"? port (\d+)/, read: (m) => hostPort(m, 1, 2) },
  // PHP built-in server: `Failed to listen on localhost:8000 (reason: Address already in use)`.
  {
    id: 'php',
    needle: 'failed to listen on',
    re: /Failed to listen on "?(?:tcp:\/\/)?(\S+?)"?:? \(?(?:reason: )?(?:Address already in use|Only one usage of each socket address)/,
    read: (m) => splitAddress(m[1]),
  },
  // Phoenix: `Running MyAppWeb.Endpoint with Cowboy using http://127.0.0.1:4000 failed, port already in use`
  // and (older) `Running Chat.Endpoint with Cowboy on port 4000 (http) failed, port already in use`.
  {
    id: 'phoenix',
    needle: 'failed, port already in use',
    re: /(?:https?:\/\/([^\s/]+):|on port )(\d+)(?: \(https?\))? failed, port already in use/,
    read: (m) => hostPort(m, 1, 2),
  },
  // Erlang/Elixir supervisors: `{:listen_error, HelloPhoenix.Endpoint.HTTP, :eaddrinuse}`.
  { id: 'phoenix', needle: 'eaddrinuse', re: /listen_error,\s*[\w.']+,\s*:?eaddrinuse/, read: noPort },
  // nginx: `bind() to 0.0.0.0:80 failed (98: Address already in use)`; Apache: `make_sock: could not bind to address [::]:80`.
  { id: 'nginx', needle: 'bind() to', re: /bind\(\) to (\S+) failed \((?:98|48|10048): /, read: (m) => splitAddress(m[1]) },
  { id: 'apache', needle: 'make_sock: could not bind to address', re: /\((?:98|48)\)Address already in use: AH00072: make_sock: could not bind to address (\S+)/, read: (m) => splitAddress(m[1]) },
  // Redis: `Could not create server TCP listening socket *:6379: bind: Address already in use` (≥ 5),
  // `Creating Server TCP listening socket *:6379: bind: Address already in use` (older).
  {
    id: 'redis',
    needle: 'tcp listening socket',
    re: /(?:Could not create|Creating) [Ss]erver TCP listening socket (\S+): bind: (?:Address already in use|Only one usage)/,
    read: (m) => splitAddress(m[1]),
  },
  // PostgreSQL: `HINT:  Is another postmaster already running on port 5432? If not, wait a few seconds and retry.`
  { id: 'postgres', needle: 'another postmaster already running on port', re: /another postmaster already running on port (\d+)/, read: (m) => portOnly(m, 1) },
  // MySQL / MariaDB: `[ERROR] Do you already have another mysqld server running on port: 3306 ?`
  { id: 'mysql', needle: 'another mysqld server running on port', re: /another mysqld server running on port: ?(\d+)/, read: (m) => portOnly(m, 1) },
  // MongoDB ≤ 3.x: `listen(): bind() failed errno:48 Address already in use for socket: 0.0.0.0:27017`.
  { id: 'mongodb', needle: 'address already in use for socket', re: /Address already in use for socket: (\S+)/, read: (m) => splitAddress(m[1]) },
  // MongoDB ≥ 3.4: `Failed to set up listener: SocketException: Address already in use` (no port; JSON logs too).
  { id: 'mongodb', needle: 'failed to set up listener', re: /Failed to set up listener.{0,80}?Address already in use/, read: noPort },
  // OpenSSH -L/-R: `bind [127.0.0.1]:8080: Address already in use`, `channel_setup_fwd_listener_tcpip: cannot listen to port: 8080`.
  { id: 'ssh', needle: 'address already in use', re: /^bind \[?([^\]\s]*)\]?:(\d+): Address already in use/, read: (m) => hostPort(m, 1, 2) },
  { id: 'ssh', needle: 'cannot listen to port', re: /cannot listen to port: (\d+)/, read: (m) => portOnly(m, 1) },
  // kubectl port-forward: `Unable to listen on port 8080: Listeners failed to create with the following errors: …`
  // (the Go message that follows names the address too; both give the same port).
  { id: 'kubectl', needle: 'unable to listen on port', re: /Unable to listen on port (\d+): .{0,400}?(?:address already in use|Only one usage)/i, read: (m) => portOnly(m, 1) },
];

/** Messages that say "address in use" without naming a port: the port comes from the rest of the
 *  output or the command line. Errno 98 is Linux, 48 macOS and BSD, 10048 Windows. */
export const PORTLESS: readonly ConflictFormat[] = [
  // Rust std / tokio, Deno: `Address already in use (os error 98)`, `Os { code: 98, kind: AddrInUse, … }`,
  // `error: Uncaught AddrInUse: Address already in use (os error 98)`.
  { id: 'rust', needle: 'addrinuse', re: /\bAddrInUse\b/, read: noPort },
  { id: 'rust', needle: 'os error', re: /\(os error (?:98|48|10048)\)/, read: noPort },
  // Python: `OSError: [Errno 98] Address already in use`, `socket.error: [Errno 48] …`, `[WinError 10048] Only one usage …`.
  { id: 'python', needle: 'errno', re: /\[(?:Errno (?:98|48)|WinError 10048)\] (?:Address already in use|Only one usage)/i, read: noPort },
  // MySQL: `Can't start server: Bind on TCP/IP port: Address already in use`.
  { id: 'mysql', needle: 'bind on tcp/ip port', re: /Bind on TCP\/IP port: Address already in use/, read: noPort },
  // Anything else in the family (`Error: Address already in use`, SocketException (98)…): a last resort.
  { id: 'generic', needle: 'address already in use', re: /\baddress already in use\b/i, read: noPort },
  { id: 'generic', needle: 'only one usage of each socket address', re: /only one usage of each socket address/i, read: noPort },
];

/** Permission to bind, not a conflict: a port below 1024 without the privilege. Its own hint. */
export const PERMISSION: readonly ConflictFormat[] = [
  // Node: `listen EACCES: permission denied 0.0.0.0:80`.
  { id: 'node', needle: 'eacces', re: /\b(?:listen|bind) EACCES(?:: permission denied)?\s+(\S+)/, read: (m) => splitAddress(m[1]) },
  // Go: `listen tcp :80: bind: permission denied`.
  { id: 'go', needle: 'permission denied', re: new RegExp(String.raw`\blisten (tcp|udp)[46]? (${HOST}):(\d+): bind: permission denied`, 'i'), read: (m) => hostPort(m, 2, 3) },
  // Python: `[Errno 13] error while attempting to bind on address ('0.0.0.0', 80): permission denied`.
  { id: 'uvicorn', needle: 'errno 13', re: /\[Errno 13\] error while attempting to bind on address \(\s*'([^']*)',\s*(\d+)/, read: (m) => hostPort(m, 1, 2) },
  // Ruby: `Permission denied - bind(2) for "0.0.0.0" port 80 (Errno::EACCES)`.
  { id: 'ruby', needle: 'permission denied - bind(2)', re: /Permission denied - bind\(2\) for "?([^"\s]*)"? port (\d+)/, read: (m) => hostPort(m, 1, 2) },
];
