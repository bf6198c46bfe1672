// Real listening sockets for tests, and their cleanup. One socket in this process (`listen`), or any
// number in a child process (`startListener`, which runs listenerChild.js or another program speaking its
// protocol). Every listener is registered as it opens and unregistered as it closes, so whatever a test
// leaves open is closed by `closeAfterEachTest()` (mocha hooks) or `closeAll()`, even when the test
// failed half-way. Other things a test must undo (a terminal, a process group) join through `addCleanup`.
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { ChildSpec } from './listenerChild';

/** One socket: TCP listens, UDP binds. `host` decides IPv4 or IPv6; no `port` (or 0): any free one. */
export type SocketSpec = ChildSpec['sockets'][number];

/** Something a test opened that must not outlive it. `close()` is safe to call more than once. */
export interface Closable {
  close(): Promise<void>;
}

/** Listening sockets held by one process. */
export interface Listener extends Closable {
  /** The process that holds the sockets: this one for `listen`, the child for `startListener`. */
  readonly pid: number;
  /** The bound ports, in the order the sockets were asked for. */
  readonly ports: number[];
}

/** One socket opened in this process. */
export interface InProcessListener extends Listener {
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
}

/** Sockets held by a child process; `close()` SIGKILLs it and waits for its exit. */
export interface ListenerProcess extends Listener {
  readonly child: ChildProcess;
  /** @deprecated The same as `close()`; kept for scripts/bench.ts and scripts/benchIdle.ts. */
  stop(): Promise<void>;
}

// --- the registry of open things

/** Everything open, with the sequence number it got when it opened. */
const open = new Map<Closable, number>();
let nextSeq = 0;

/** Registers `close` to run when the current test (or suite, or `closeAll`) is cleaned up; running it
 *  earlier through the returned handle unregisters it. */
export function addCleanup(close: () => unknown): Closable {
  let done: Promise<void> | undefined;
  const handle: Closable = {
    close: () => {
      done ??= (async () => {
        open.delete(handle);
        await close();
      })();
      return done;
    },
  };
  open.set(handle, nextSeq++);
  return handle;
}

/** Closes everything opened since `seq`, newest first. Closes all of them even when one fails, then
 *  throws: a failed cleanup may have left something behind. */
async function closeSince(seq: number): Promise<void> {
  const due = [...open].filter(([, s]) => s >= seq).sort((a, b) => b[1] - a[1]);
  const failures: string[] = [];
  for (const [item] of due) {
    try {
      await item.close();
    } catch (err) {
      failures.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (failures.length > 0) {
    throw new Error(`cleanup failed: ${failures.join('; ')}`);
  }
}

/** Closes every listener and cleanup still open. */
export function closeAll(): Promise<void> {
  return closeSince(0);
}

/**
 * Mocha hooks for the `describe` it is called in: after each test, closes what the test (and
 * `beforeEach`) opened; after the suite, what its `before` hooks opened. Call it first in the
 * `describe`, before the suite's own `before` hooks, so that their listeners count as the suite's.
 */
export function closeAfterEachTest(): void {
  let suiteSeq = 0;
  let testSeq = 0;
  before(() => {
    suiteSeq = nextSeq;
  });
  beforeEach(() => {
    testSeq = nextSeq;
  });
  afterEach(() => closeSince(testSeq));
  after(() => closeSince(suiteSeq));
}

// --- in this process

/**
 * Opens one socket in this process. A TCP server ends nothing by itself: pass `server` (an
 * http.Server, a net.Server with a connection handler) to answer connections. `close()` also
 * destroys connections still open, so it never waits for a client.
 */
export async function listen(spec: SocketSpec, options: { server?: net.Server } = {}): Promise<InProcessListener> {
  return spec.protocol === 'tcp' ? listenTcp(spec, options.server ?? net.createServer()) : bindUdp(spec);
}

async function listenTcp(spec: SocketSpec, server: net.Server): Promise<InProcessListener> {
  const connections = new Set<net.Socket>();
  server.on('connection', (socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: spec.host, port: spec.port ?? 0, ipv6Only: spec.ipv6Only, reusePort: spec.reusePort }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as net.AddressInfo;
  const cleanup = addCleanup(
    () =>
      new Promise<void>((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close(() => resolve());
        connections.forEach((c) => c.destroy());
      }),
  );
  return { protocol: 'tcp', pid: process.pid, port, ports: [port], close: () => cleanup.close() };
}

async function bindUdp(spec: SocketSpec): Promise<InProcessListener> {
  const socket = dgram.createSocket({ type: spec.host.includes(':') ? 'udp6' : 'udp4', ipv6Only: spec.ipv6Only, reuseAddr: spec.reusePort });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(spec.port ?? 0, spec.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    try {
      socket.close();
    } catch {
      // never bound: nothing to release
    }
    throw err;
  }
  const { port } = socket.address();
  const cleanup = addCleanup(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { protocol: 'udp', pid: process.pid, port, ports: [port], close: () => cleanup.close() };
}

/** A TCP port nothing listens on right now on `host`: bound and released at once. Another program may
 *  take it at any time, so use it straight away. */
export async function unusedTcpPort(host = '127.0.0.1'): Promise<number> {
  const probe = await listen({ protocol: 'tcp', host });
  await probe.close();
  return probe.port;
}

// --- in a child process

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of running) {
    c.kill('SIGKILL');
  }
});

/** Spawns listenerChild.js (or another child speaking its protocol) with `spec`; resolves when ready. */
export async function startListener(
  spec: ChildSpec,
  options: {
    uid?: number;
    gid?: number;
    argv0Extra?: string[];
    env?: NodeJS.ProcessEnv;
    /** Working directory of the child (default: this process's). */
    cwd?: string;
    script?: string;
    /** Another program speaking the same protocol (one JSON ready line on stdout), instead of Node. */
    command?: { file: string; args: string[] };
  } = {},
): Promise<ListenerProcess> {
  const script = options.script ?? path.join(__dirname, 'listenerChild.js');
  const spawnOptions: SpawnOptions = { stdio: ['pipe', 'pipe', 'inherit'], env: options.env ?? process.env, cwd: options.cwd };
  if (options.uid !== undefined) {
    spawnOptions.uid = options.uid;
    spawnOptions.gid = options.gid ?? options.uid;
  }
  const child = options.command
    ? spawn(options.command.file, options.command.args, spawnOptions)
    : spawn(process.execPath, [script, JSON.stringify(spec), ...(options.argv0Extra ?? [])], spawnOptions);
  running.add(child);
  child.once('exit', () => running.delete(child));
  let msg: { ready: boolean; pid: number; ports: number[]; error?: string };
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const rl = readline.createInterface({ input: child.stdout! });
      const timer = setTimeout(() => reject(new Error('listener child did not start within 10 s')), 10_000);
      rl.once('line', (l) => {
        clearTimeout(timer);
        rl.close();
        resolve(l);
      });
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`listener child exited early with code ${code}`)));
    });
    msg = JSON.parse(line) as typeof msg;
    if (!msg.ready) {
      throw new Error(`listener child failed: ${msg.error}`);
    }
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  const cleanup = addCleanup(() => stopChild(child));
  const close = (): Promise<void> => cleanup.close();
  return { pid: child.pid!, ports: msg.ports, child, close, stop: close };
}

/** SIGKILLs a child and resolves when it has exited (immediately if it already has, or never started). */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
