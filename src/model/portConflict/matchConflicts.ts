// Finds "the port I wanted is taken" in a failed program's output. Pure: the terminal, task, debug and
// CLI surfaces hand it the last 64 kB of output (and the command line when they know it) and show what it
// returns. What it must not do matters as much: a server that started, a connection refused, a test named
// after EADDRINUSE, or Vite's "Port 5173 is in use, trying another one…" followed by success raise nothing.
import type { CommandPort } from './commandPort';
import { portFromCommand } from './commandPort';
import type { ConflictFormat, LineHit } from './formats';
import { FORMATS, PERMISSION, PORTLESS, cleanHost } from './formats';

/** Only the end of the output is read: the failure is at the end, and the cost stays bounded. */
export const OUTPUT_TAIL = 64 * 1024;
/** Longer lines are cut before matching (a minified bundle or a base64 blob is not a failure message). */
const LINE_MAX = 2000;

/** Where the port of a conflict was learned. Only `message` means the failure line itself named it. */
export type PortSource = 'message' | 'output' | 'command' | 'default';

export interface PortConflict {
  port: number;
  protocol: 'tcp' | 'udp';
  /** The address as the message named it (`::`, `0.0.0.0`, `localhost`), when it did. */
  host?: string;
  /** True when the failure line itself did not name the port. */
  inferred: boolean;
  source: PortSource;
  /** The format that matched: `node`, `go`, `django`, … */
  tool: string;
  /** The matching line, ANSI-free and cut to 300 characters. Untrusted: escape for the surface. */
  line: string;
  /** How the command line sets the port, when it does (for "Rerun on Port N"). */
  commandPort?: CommandPort;
}

/** A port below 1024 the program may not bind: not a conflict, a different fix. */
export interface PermissionHint {
  port: number;
  host?: string;
  tool: string;
  line: string;
}

export interface ConflictReport {
  conflicts: PortConflict[];
  permission: PermissionHint[];
}

// --- cleaning terminal output

/** CSI (colours, cursor), OSC (titles, hyperlinks, shell-integration marks) and two-byte escapes.
 *  Each alternative is a run of one class, so stripping is linear. */
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]/g;

/** The last OUTPUT_TAIL characters without escape sequences, split into lines. A carriage return
 *  starts a new line too: progress output overwrites itself with `\r`, and the last state is a line. */
export function outputLines(output: string): string[] {
  const tail = output.length > OUTPUT_TAIL ? output.slice(output.length - OUTPUT_TAIL) : output;
  return tail.replace(ANSI, '').replace(/[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g, '').split(/\r\n|\r|\n/);
}

// --- what raises nothing

/** A test runner's report of a test (its name may well say EADDRINUSE). */
const TEST_REPORT = /^\s*(?:[✓✔√✗✕×✘]|\d+\) |(?:PASS|FAIL|ok|not ok)\b|--- (?:PASS|FAIL)|=== RUN|it\(|test\(|describe\()|::\S+ (?:PASSED|FAILED|ERROR)\b|\.\.\. (?:ok|FAIL|ERROR)$/;
/** The program moved to another port by itself: Vite, Next.js, Streamlit, Storybook… */
const MOVED_ON = /\btrying (?:another|\d+ instead|the next)|\busing (?:port )?\d+ instead\b|\bwill (?:use|try) (?:port )?\d+|\bswitching to\b|\bnext available port\b/i;
/** A server announcing where it listens, with the port after a colon or the word "port". */
const LISTENING = /\b(?:listening|running|started|serving|ready|available|bound)\b[^\n]{0,200}?(?:https?:\/\/[^\s/]*:|\bport:? |[\w\]*]:)(\d{1,5})\b|^\s*(?:➜\s*|-\s*)?Local:\s+https?:\/\/[^\s/]*:(\d{1,5})\b/i;
/** Lines that name a listening port while telling of a failure ("stop the process that's listening on port 8080"). */
const NOT_LISTENING = /fail|error|in use|stop|identify|unable|could not|cannot/i;

// --- ports named near the failure

/** Ports the output names around a port-less failure: Node's error object (`port: 5000`), Python's
 *  address tuples, `port=27017` in mongod's banner, Django's `Starting development server at http://…:8000/`. */
const NEARBY_PORT: readonly RegExp[] = [
  /^\s*port: (\d{1,5}),?\s*$/,
  /\(\s*'[^']*',\s*(\d{1,5})\s*[,)]/,
  /\bport[=:] ?(\d{1,5})\b/i,
  /(?:server|listening|running)\b[^\n]{0,120}?https?:\/\/(?:\[[^\]]*\]|[^\s/:]*):(\d{1,5})\b/i,
];
/** The host near that port: Node's `address: '::'`, `host="0.0.0.0"`, the URL's host, the tuple's host. */
/** An address on the failure line itself (`Binding service [x] to 127.0.0.1:8080: Address already in use`,
 *  `bind(2) for 127.0.0.1:4000`, `Failed to bind to: /127.0.0.1:9501`): IPv4, bracketed IPv6 or localhost
 *  only — a dotted name followed by a number is as often `utils.rb:73`, a file and a line. */
const LINE_ADDRESS = /(?:^|[\s/(,])(\[[0-9a-fA-F:.]+\]|\d{1,3}(?:\.\d{1,3}){3}|localhost):(\d{1,5})\b/g;

function addressOnLine(line: string): { port: number; host?: string } | undefined {
  const found = new Map<number, string | undefined>();
  for (const m of line.matchAll(LINE_ADDRESS)) {
    if (validPort(Number(m[2]))) {
      found.set(Number(m[2]), cleanHost(m[1]));
    }
  }
  // Only an unambiguous one: a line naming two ports (a forward, a proxy) says nothing about which failed.
  if (found.size !== 1) {
    return undefined;
  }
  const [[port, host]] = [...found];
  return { port, ...(host !== undefined ? { host } : {}) };
}

const NEARBY_HOST: readonly RegExp[] = [
  /^\s*address: '([^']*)',?\s*$/,
  /\bhost=["']([^"']*)["']/,
  /(?:server|listening|running)\b[^\n]{0,120}?https?:\/\/(\[[^\]]*\]|[^\s/:]*):\d{1,5}\b/i,
  /\(\s*'([^']+)',\s*\d{1,5}\s*[,)]/,
];
const CONTEXT_BEFORE = 12;
const CONTEXT_AFTER = 8;

function validPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

function lineMatch(line: string, lower: string, formats: readonly ConflictFormat[]): { format: ConflictFormat; hit: LineHit } | undefined {
  for (const format of formats) {
    if (!lower.includes(format.needle)) {
      continue;
    }
    const m = format.re.exec(line);
    const hit = m ? format.read(m) : undefined;
    if (hit) {
      return { format, hit };
    }
  }
  return undefined;
}

function nearbyPort(lines: readonly string[], at: number): { port: number; host?: string } | undefined {
  const order: number[] = [];
  for (let d = 1; d <= Math.max(CONTEXT_BEFORE, CONTEXT_AFTER); d++) {
    if (d <= CONTEXT_AFTER && at + d < lines.length) {
      order.push(at + d);
    }
    if (d <= CONTEXT_BEFORE && at - d >= 0) {
      order.push(at - d);
    }
  }
  for (const i of order) {
    const line = lines[i].slice(0, LINE_MAX);
    for (const re of NEARBY_PORT) {
      const m = re.exec(line);
      if (m && validPort(Number(m[1]))) {
        let host: string | undefined;
        for (let j = Math.max(0, i - 4); j <= Math.min(lines.length - 1, i + 4) && host === undefined; j++) {
          const text = lines[j].slice(0, LINE_MAX);
          for (const hre of NEARBY_HOST) {
            const h = hre.exec(text);
            if (h && cleanHost(h[1]) !== undefined) {
              host = cleanHost(h[1]);
              break;
            }
          }
        }
        return { port: Number(m[1]), ...(host !== undefined ? { host } : {}) };
      }
    }
  }
  return undefined;
}

function clip(line: string): string {
  const t = line.trim();
  return t.length > 300 ? `${t.slice(0, 299)}…` : t;
}

/**
 * The port conflicts (and privileged-port refusals) in a program's output. `commandLine`, when known,
 * supplies the port of a message that names none, and says how a rerun could change it.
 */
export function findPortConflicts(output: string, options: { commandLine?: string } = {}): ConflictReport {
  const lines = outputLines(output);
  const fromCommand = options.commandLine ? portFromCommand(options.commandLine) : undefined;
  const found: PortConflict[] = [];
  const permission: PermissionHint[] = [];
  let portless: { tool: string; line: string; at: number; onLine?: { port: number; host?: string } } | undefined;
  const listeningAfter = new Map<number, number>();
  let lastListening = -1;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].length > LINE_MAX ? lines[i].slice(0, LINE_MAX) : lines[i];
    const lower = line.toLowerCase();
    const ok = LISTENING.exec(line);
    const okPort = ok ? Number(ok[1] ?? ok[2]) : NaN;
    if (validPort(okPort) && !NOT_LISTENING.test(line)) {
      listeningAfter.set(okPort, i);
      lastListening = i;
    }
    if (TEST_REPORT.test(line) || MOVED_ON.test(line)) {
      continue;
    }
    const hit = lineMatch(line, lower, FORMATS);
    if (hit) {
      // Tomcat's ProtocolHandler line is only a conflict when a BindException follows.
      if (hit.format.id === 'tomcat' && !lines.slice(i + 1, i + 8).some((l) => l.includes('BindException'))) {
        continue;
      }
      if (hit.hit.port !== undefined) {
        found.push({
          port: hit.hit.port,
          protocol: hit.hit.protocol ?? 'tcp',
          ...(hit.hit.host !== undefined ? { host: hit.hit.host } : {}),
          inferred: false,
          source: 'message',
          tool: hit.format.id,
          line: clip(line),
          at: i,
        } as PortConflict & { at: number });
      } else {
        portless ??= { tool: hit.format.id, line: clip(line), at: i, onLine: addressOnLine(line) };
      }
      continue;
    }
    const deny = lineMatch(line, lower, PERMISSION);
    if (deny?.hit.port !== undefined && deny.hit.port < 1024) {
      permission.push({ port: deny.hit.port, ...(deny.hit.host !== undefined ? { host: deny.hit.host } : {}), tool: deny.format.id, line: clip(line) });
      continue;
    }
    if (portless === undefined) {
      const bare = lineMatch(line, lower, PORTLESS);
      if (bare) {
        portless = { tool: bare.format.id, line: clip(line), at: i, onLine: addressOnLine(line) };
      }
    }
  }

  // A port-less failure: the port from the output around it, else the command line, else nothing.
  if (portless?.onLine && found.length === 0) {
    found.push({
      port: portless.onLine.port,
      protocol: 'tcp',
      ...(portless.onLine.host !== undefined ? { host: portless.onLine.host } : {}),
      inferred: false,
      source: 'message',
      tool: portless.tool,
      line: portless.line,
      at: portless.at,
    } as PortConflict & { at: number });
  } else if (portless && found.length === 0) {
    const near = nearbyPort(lines, portless.at);
    const port = near?.port ?? fromCommand?.port;
    if (port !== undefined) {
      found.push({
        port,
        protocol: 'tcp',
        ...(near?.host !== undefined ? { host: near.host } : {}),
        inferred: true,
        source: near ? 'output' : fromCommand?.kind === 'default' ? 'default' : 'command',
        tool: portless.tool,
        line: portless.line,
        at: portless.at,
      } as PortConflict & { at: number });
    }
  }

  // One conflict per port and protocol (a failure is often printed twice: message and stack), and none
  // for a port the program went on to listen on after all (a retry that worked).
  const seen = new Set<string>();
  const conflicts: PortConflict[] = [];
  for (const c of found as Array<PortConflict & { at: number }>) {
    const key = `${c.protocol}/${c.port}`;
    const later = listeningAfter.get(c.port);
    // Create React App asks to move to another port; a server that came up after it did.
    const movedOn = c.tool === 'create-react-app' && lastListening > c.at;
    if (seen.has(key) || (later !== undefined && later > c.at) || movedOn) {
      continue;
    }
    seen.add(key);
    const { at: _at, ...conflict } = c;
    if (fromCommand && fromCommand.port === c.port) {
      conflict.commandPort = fromCommand;
    }
    conflicts.push(conflict);
  }
  return { conflicts, permission };
}
