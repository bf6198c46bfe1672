// Live check: opens real listeners on loopback (TCP and UDP, IPv4 and IPv6, one TCP socket shared by
// two processes, and a connected UDP socket that must not count as a listener), then compares what this
// machine's back-end (createBackend) reports about them with the platform's own tool: `ss` on Linux,
// `lsof -nP -iTCP -sTCP:LISTEN -iUDP` on macOS, `netstat -ano` on Windows. Each tool is parsed here with
// a few lines of its own, independent of the back-ends' parsers. Exits 1 on any mismatch, with a plain
// summary. Run by `npm test` after the unit tests and by CI on Ubuntu, macOS and Windows.
//
//   node out/scripts/liveCheck.js
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { run } from '../src/inspector/exec';
import { createBackend } from '../src/inspector/index';
import type { Family, Protocol, Snapshot } from '../src/core/types';

/** A socket as a tool lists it. */
interface Listed {
  protocol: Protocol;
  family: Family;
  address: string;
  port: number;
  pids: number[];
}

/** One socket this script opened, and who must hold it. */
interface Opened {
  label: string;
  protocol: Protocol;
  family: Family;
  address: string;
  port: number;
  pids: number[];
  /** False for the connected UDP socket: nobody may list it as a listener. */
  listening: boolean;
}

const LOOPBACK: Record<Family, string> = { 4: '127.0.0.1', 6: '::1' };
const TOOL: Partial<Record<NodeJS.Platform, string>> = { linux: 'ss', darwin: 'lsof', win32: 'netstat' };

// --- the child that shares a listening socket -----------------------------------------------------

// Receives the parent's listening server over IPC and holds it (on Unix the descriptor is duplicated
// into this process; on Windows the socket is duplicated for it), until the parent disconnects.
function childMain(): void {
  let held: unknown;
  process.on('message', (message: unknown, handle: unknown) => {
    if (message === 'hold' && handle) {
      held = handle;
      process.send?.('held');
    }
  });
  process.on('disconnect', () => {
    void held;
    process.exit(0);
  });
}

// --- opening sockets -----------------------------------------------------------------------------

function listenTcp(family: Family): Promise<net.Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT' ? resolve(undefined) : reject(error)));
    server.listen({ host: LOOPBACK[family], port: 0, ipv6Only: family === 6 }, () => resolve(server));
  });
}

function bindUdp(family: Family): Promise<dgram.Socket | undefined> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
    socket.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT' ? resolve(undefined) : reject(error)));
    socket.bind({ address: LOOPBACK[family], port: 0 }, () => resolve(socket));
  });
}

function shareWithChild(server: net.Server): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const timer = setTimeout(() => reject(new Error('the child did not take the shared socket within 10 s')), 10_000);
    child.once('error', reject);
    child.once('message', (message) => {
      clearTimeout(timer);
      if (message === 'held') {
        resolve(child);
      } else {
        reject(new Error(`unexpected message from the child: ${String(message)}`));
      }
    });
    child.once('spawn', () => child.send('hold', server));
  });
}

// --- what the platform's tool says -----------------------------------------------------------------

function splitHostPort(text: string): { address: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|(.*)):(\d+)$/.exec(text);
  return m ? { address: (m[1] ?? m[2]).replace(/%.*$/, ''), port: Number(m[3]) } : undefined;
}

/** `ss -H -l -n -t -u -p`: `tcp LISTEN 0 511 127.0.0.1:41234 0.0.0.0:* users:(("node",pid=9,fd=21),…)`. */
export function parseSs(stdout: string): Listed[] {
  const listed: Listed[] = [];
  for (const line of stdout.split('\n')) {
    const f = line.trim().split(/\s+/);
    if ((f[0] !== 'tcp' && f[0] !== 'udp') || f.length < 5) {
      continue;
    }
    const local = splitHostPort(f[4]);
    if (!local) {
      continue;
    }
    const pids = [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
    listed.push({ protocol: f[0], family: local.address.includes(':') ? 6 : 4, ...local, pids });
  }
  return listed;
}

/** `lsof -nP -iTCP -sTCP:LISTEN -iUDP`: `node 9 me 21u IPv4 0x… 0t0 TCP 127.0.0.1:41234 (LISTEN)`.
 *  A UDP name with `->` is a connected socket, not a listener. Rows of one socket are merged by device. */
export function parseLsofTable(stdout: string): Listed[] {
  const byDevice = new Map<string, Listed>();
  for (const line of stdout.split('\n')) {
    const m = /^\S+\s+(\d+)\s+\S+\s+\S+\s+(IPv4|IPv6)\s+(\S+)\s+\S+\s+(TCP|UDP)\s+(\S+)(?:\s+\((\w+)\))?\s*$/.exec(line);
    if (!m || m[5].includes('->') || (m[4] === 'TCP' && m[6] !== 'LISTEN')) {
      continue;
    }
    const local = splitHostPort(m[5]);
    if (!local) {
      continue;
    }
    // lsof's darwin dialect prints a v4-mapped IPv6 socket's name IPv4-style: by the address, family 4.
    const family: Family = m[2] === 'IPv6' && !local.address.includes('.') ? 6 : 4;
    const key = `${m[3]}|${m[4]}|${local.address}|${local.port}`;
    const entry = byDevice.get(key) ?? { protocol: m[4] === 'TCP' ? 'tcp' : 'udp', family, address: local.address, port: local.port, pids: [] };
    entry.pids.push(Number(m[1]));
    byDevice.set(key, entry);
  }
  return [...byDevice.values()];
}

/** `netstat -ano`: `TCP 127.0.0.1:41234 0.0.0.0:0 LISTENING 9`, `UDP 127.0.0.1:5353 *:* 9`. A TCP row
 *  listens when its foreign address is the zero address; a UDP row is bound when it is `*:*`. */
export function parseNetstatAno(stdout: string): Listed[] {
  const listed: Listed[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    const protocol = f[0] === 'TCP' ? 'tcp' : f[0] === 'UDP' ? 'udp' : undefined;
    const pid = Number(f[f.length - 1]);
    if (!protocol || f.length < 4 || !Number.isInteger(pid)) {
      continue;
    }
    const listening = protocol === 'tcp' ? f[2] === '0.0.0.0:0' || f[2] === '[::]:0' : f[2] === '*:*';
    const local = splitHostPort(f[1]);
    if (listening && local) {
      listed.push({ protocol, family: f[1].startsWith('[') ? 6 : 4, ...local, pids: [pid] });
    }
  }
  return listed;
}

async function toolListing(platform: NodeJS.Platform): Promise<Listed[]> {
  switch (platform) {
    case 'linux':
      return parseSs((await run('ss', ['-H', '-l', '-n', '-t', '-u', '-p'], { timeoutMs: 15_000 })).stdout);
    case 'darwin':
      return parseLsofTable((await run('lsof', ['-nP', '-iTCP', '-sTCP:LISTEN', '-iUDP'], { timeoutMs: 30_000, okExitCodes: [1] })).stdout);
    case 'win32':
      return parseNetstatAno((await run('netstat', ['-ano'], { timeoutMs: 30_000, encoding: 'latin1' })).stdout);
    default:
      throw new Error(`no platform tool to compare with on ${platform}`);
  }
}

// --- comparing -----------------------------------------------------------------------------------

const same = (a: { protocol: Protocol; family: Family; address: string; port: number }, b: Opened): boolean =>
  a.protocol === b.protocol && a.family === b.family && a.address === b.address && a.port === b.port;
const sorted = (pids: Iterable<number>): number[] => [...new Set(pids)].sort((x, y) => x - y);
const text = (pids: readonly number[]): string => (pids.length > 0 ? pids.join(', ') : 'none');

/** The problems with one opened socket, '' when the back-end and the tool agree with what was opened. */
export function checkSocket(opened: Opened, snapshot: Pick<Snapshot, 'sockets'>, tool: readonly Listed[], toolName: string, platform: NodeJS.Platform): string {
  const backendPids = sorted(snapshot.sockets.filter((s) => same(s, opened)).flatMap((s) => s.owners.map((o) => o.pid)));
  const backendListed = snapshot.sockets.some((s) => same(s, opened));
  const toolEntries = tool.filter((t) => same(t, opened));
  const toolPids = sorted(toolEntries.flatMap((t) => t.pids));
  if (!opened.listening) {
    const who = [backendListed ? 'the back-end' : '', toolEntries.length > 0 ? toolName : ''].filter(Boolean);
    return who.length > 0 ? `listed as a listener by ${who.join(' and ')}, but it is connected` : '';
  }
  const problems: string[] = [];
  if (!backendListed) {
    problems.push('missing from the back-end');
  }
  if (toolEntries.length === 0) {
    problems.push(`missing from ${toolName}`);
  }
  if (backendListed && toolEntries.length > 0 && backendPids.join() !== toolPids.join()) {
    problems.push(`the back-end names ${text(backendPids)}, ${toolName} names ${text(toolPids)}`);
  }
  const expected = sorted(opened.pids);
  // netstat names one process per socket (the one Windows counts as its owner), so on Windows a shared
  // socket is right when that one process is one of the sharers; elsewhere every sharer must be named.
  const complete = platform === 'win32' ? toolPids.length === 1 && expected.includes(toolPids[0]) : toolPids.join() === expected.join();
  if (toolEntries.length > 0 && !complete) {
    problems.push(`${toolName} names ${text(toolPids)}, the holders are ${text(expected)}`);
  }
  return problems.join('; ');
}

// --- main ----------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const platform = process.platform;
  const toolName = TOOL[platform];
  if (!toolName) {
    console.log(`live check: nothing to compare with on ${platform}; skipped.`);
    return 0;
  }
  const closers: Array<() => void> = [];
  const opened: Opened[] = [];
  const notes: string[] = [];
  try {
    for (const family of [4, 6] as const) {
      const server = await listenTcp(family);
      const socket = await bindUdp(family);
      if (!server || !socket) {
        notes.push(`IPv${family} loopback is not available here: its checks are skipped`);
        server?.close();
        socket?.close();
        continue;
      }
      closers.push(() => server.close(), () => socket.close());
      opened.push({ label: 'TCP listener', protocol: 'tcp', family, address: LOOPBACK[family], port: (server.address() as net.AddressInfo).port, pids: [process.pid], listening: true });
      opened.push({ label: 'UDP bound socket', protocol: 'udp', family, address: LOOPBACK[family], port: socket.address().port, pids: [process.pid], listening: true });
      if (family === 4) {
        const shared = await listenTcp(4);
        if (!shared) {
          throw new Error('could not listen on 127.0.0.1 a second time');
        }
        closers.push(() => shared.close());
        const child = await shareWithChild(shared);
        closers.push(() => child.kill());
        opened.push({ label: 'TCP listener shared with a child', protocol: 'tcp', family, address: LOOPBACK[4], port: (shared.address() as net.AddressInfo).port, pids: [process.pid, child.pid ?? -1], listening: true });

        const connected = dgram.createSocket('udp4');
        await new Promise<void>((resolve) => connected.bind({ address: LOOPBACK[4], port: 0 }, resolve));
        await new Promise<void>((resolve, reject) => connected.connect(socket.address().port, LOOPBACK[4], (err?: Error) => (err ? reject(err) : resolve())));
        closers.push(() => connected.close());
        opened.push({ label: 'connected UDP socket', protocol: 'udp', family, address: LOOPBACK[4], port: connected.address().port, pids: [process.pid], listening: false });
      }
    }

    const backend = createBackend();
    let snapshot: Snapshot;
    let tool: Listed[];
    try {
      [snapshot, tool] = await Promise.all([backend.snapshot({ connections: false }), toolListing(platform)]);
    } finally {
      backend.dispose();
    }

    console.log(`live check on ${platform}: the ${snapshot.backend} back-end against ${toolName}, process ${process.pid}`);
    notes.forEach((n) => console.log(`  note  ${n}`));
    snapshot.warnings.forEach((w) => console.log(`  note  back-end warning: ${w}`));
    let failed = 0;
    for (const o of opened) {
      const problem = checkSocket(o, snapshot, tool, toolName, platform);
      const where = `${o.protocol}${o.family} ${o.family === 6 ? `[${o.address}]` : o.address}:${o.port}`;
      const holders = o.listening ? `held by ${o.pids.join(', ')}` : 'not a listener';
      if (problem) {
        failed++;
        console.log(`  FAIL  ${where.padEnd(24)} ${o.label}, ${holders}: ${problem}`);
      } else {
        console.log(`  ok    ${where.padEnd(24)} ${o.label}, ${holders}`);
      }
    }
    console.log(`${opened.length} sockets checked, ${failed} failed.`);
    return failed > 0 ? 1 : 0;
  } finally {
    closers.reverse().forEach((close) => {
      try {
        close();
      } catch {
        // Already closed.
      }
    });
  }
}

if (process.argv[2] === '--child') {
  childMain();
} else if (require.main === module) {
  const deadline = setTimeout(() => {
    console.error('live check: no answer within 90 s.');
    process.exit(1);
  }, 90_000);
  main().then(
    (code) => {
      clearTimeout(deadline);
      process.exitCode = code;
    },
    (error: unknown) => {
      clearTimeout(deadline);
      console.error(`live check failed to run: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
