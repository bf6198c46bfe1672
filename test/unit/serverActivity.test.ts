// Uptime, connections and idleness: the tracker's rules, then real connections counted by the Linux
// scanner (checked against `ss`), and the CLI's `servers` command with its filters over real processes.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { LinuxScanner } from '../../src/inspector/linux/linuxScanner';
import type { ListeningSocket, Snapshot } from '../../src/core/types';
import { ConnectionTracker, forgottenServers, formatDuration, idleAtLeast, isDevServer, parseDuration } from '../../src/model/serverActivity';
import { closeAfterEachTest, startListener } from '../support/listeners';
import { sock } from '../support/socketFixtures';
import { until } from '../support/poll';

function socket(port: number, connections: number | undefined, extra: Partial<ListeningSocket> = {}): ListeningSocket {
  return sock(port, { connections, ...extra }, { command: 'node node_modules/.bin/vite', startTime: 0, uid: 1000, project: { root: '/w/shop', name: 'shop', kind: 'npm' } });
}
const snap = (takenAt: number, sockets: ListeningSocket[]): Snapshot => ({ takenAt, backend: 'test', durationMs: 0, sockets, warnings: [] });

describe('server activity: the rules', () => {
  it('parses and formats durations, and refuses nonsense with a plain message', () => {
    assert.equal(parseDuration('30m'), 1_800_000);
    assert.equal(parseDuration('8h'), 28_800_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('2d'), 172_800_000);
    assert.equal(parseDuration('1500'), 1500);
    assert.equal(parseDuration('10min'), 600_000);
    for (const bad of ['', 'soon', '5x', '-3m', '30m later', '9999999d']) {
      assert.throws(() => parseDuration(bad), /is not a duration/, bad);
    }
    assert.equal(formatDuration(undefined), 'unknown');
    assert.equal(formatDuration(45_000), '45 s');
    assert.equal(formatDuration(3 * 3600_000 + 12 * 60_000), '3 h 12 min');
    assert.equal(formatDuration(50 * 3600_000), '2 d 2 h');
  });

  it('keys a socket by its process: the same socket object with another owner starts afresh', () => {
    const t = new ConnectionTracker();
    const s = socket(3000, 1);
    t.observe(snap(1000, [s]));
    assert.equal(t.activity(s, 2000).lastConnectionAt, 1000);
    // An object the back-end carried over, whose owner is now another process (a restart on the port).
    s.owners = [{ ...s.owners[0], pid: s.owners[0].pid + 1 }];
    s.connections = 0;
    t.observe(snap(3000, [s]));
    assert.equal(t.activity(s, 4000).lastConnectionAt, undefined);
    assert.equal(t.activity(s, 4000).observedMs, 1000);
  });

  it('knows the last connection only once one was seen; idle is unknown before', () => {
    const t = new ConnectionTracker();
    t.observe(snap(1000, [socket(3000, 0)]));
    let a = t.activity(socket(3000, 0), 5000);
    assert.equal(a.lastConnectionAt, undefined);
    assert.equal(a.idleMs, undefined);
    assert.equal(a.observedMs, 4000);
    assert.equal(a.uptimeMs, 5000);
    assert.equal(idleAtLeast(a, 3000), true, 'watched 4 s without a connection');
    assert.equal(idleAtLeast(a, 10_000), false);
    t.observe(snap(6000, [socket(3000, 2)]));
    a = t.activity(socket(3000, 2), 6000);
    assert.equal(a.idleMs, 0);
    assert.equal(a.connections, 2);
    t.observe(snap(7000, [socket(3000, 0, { closingConnections: 1 })]));
    t.observe(snap(9000, [socket(3000, 0)]));
    a = t.activity(socket(3000, 0), 10_000);
    assert.equal(a.lastConnectionAt, 7000, 'a TIME_WAIT socket on the port is a connection that just ended');
    assert.equal(a.idleMs, 3000);
  });

  it('treats a restarted server (another process on the port) as new', () => {
    const t = new ConnectionTracker();
    t.observe(snap(1000, [socket(3000, 1)]));
    const restarted = socket(3000, 0, { owners: [{ pid: 4243, name: 'node', command: 'node x.js', startTime: 2000 }] });
    t.observe(snap(2000, [restarted]));
    assert.equal(t.activity(restarted, 3000).lastConnectionAt, undefined);
  });

  it('survives storage, and drops malformed stored entries', () => {
    const t = new ConnectionTracker();
    t.observe(snap(1000, [socket(3000, 1)]));
    const back = ConnectionTracker.fromJSON(JSON.parse(JSON.stringify(t)));
    assert.equal(back.activity(socket(3000, 0), 2000).lastConnectionAt, 1000);
    for (const bad of [null, 3, 'x', [], { k: { firstSeenAt: 'x' } }, { k: { firstSeenAt: 1, lastSeenAt: 1, scans: 1, lastConnectionAt: -5 } }]) {
      assert.equal(Object.keys(ConnectionTracker.fromJSON(bad).toJSON()).length, 0);
    }
  });

  it('lists development servers, not system services, oldest first, with the filters', () => {
    const t = new ConnectionTracker();
    const daemon = socket(5432, 0, { owners: [{ pid: 900, name: 'postgres', command: 'postgres -D /var/lib/pg', startTime: 0, uid: 0 }] });
    const other = socket(8000, 0, { owners: [{ pid: 77, name: 'python3', command: 'python3 -m http.server', startTime: 5000, uid: 1000, project: { root: '/w/api', name: 'api', kind: 'python' } }] });
    const s = snap(0, [socket(3000, 0), daemon, other]);
    t.observe(s);
    const now = 10 * 3600_000;
    assert.equal(isDevServer(daemon, 1000), false);
    assert.equal(isDevServer(socket(3000, 0), 1000), true);
    assert.equal(isDevServer(socket(3000, 0), 1001), false, "another user's process is not your dev server");
    assert.deepEqual(forgottenServers(s, t, { olderThanMs: 0, idleMs: 0 }, now, 1000).map((e) => e.socket.port), [3000, 8000]);
    assert.deepEqual(forgottenServers(s, t, { olderThanMs: 8 * 3600_000, idleMs: 30 * 60_000, projectRoot: '/w/api' }, now, 1000).map((e) => e.socket.port), [8000]);
    assert.deepEqual(forgottenServers(s, t, { olderThanMs: 11 * 3600_000, idleMs: 0 }, now, 1000), []);
  });
});

(process.platform === 'linux' ? describe : describe.skip)('server activity: real connections and the CLI', function () {
  this.timeout(60_000);
  closeAfterEachTest();
  const cli = path.join(__dirname, '../../src/cli/main.js');
  let stateDir: string;
  let server: net.Server | undefined;
  const clients: net.Socket[] = [];

  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `pi-servers-${process.pid}-`));
  });
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.destroy());
    if (server) {
      await new Promise((resolve) => server!.close(resolve));
      server = undefined;
    }
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  function servers(...args: string[]): { code: number | null; out: string; err: string; json?: { servers: Array<Record<string, unknown>> } } {
    const r = spawnSync(process.execPath, [cli, 'servers', ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, PORT_INSPECTOR_STATE_DIR: stateDir } });
    return { code: r.status, out: r.stdout, err: r.stderr, ...(args.includes('--json') && r.status === 0 && { json: JSON.parse(r.stdout) }) };
  }

  /** Established sockets whose local port is `port`, as `ss` counts them. */
  function ssEstablished(port: number): number {
    const out = execFileSync('ss', ['-tnH', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' });
    return out.split('\n').filter((l) => l.trim() !== '').length;
  }

  async function holdingServer(): Promise<number> {
    server = net.createServer(() => undefined); // keeps every connection open
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as net.AddressInfo).port;
  }

  it('counts established connections on a listener as ss does, and not those to other ports', async () => {
    const port = await holdingServer();
    for (let i = 0; i < 3; i++) {
      const c = net.connect(port, '127.0.0.1');
      clients.push(c);
      await new Promise((resolve) => c.once('connect', resolve));
    }
    const scanner = new LinuxScanner();
    const found = await until(
      () => {
        const s = scanner.scan().sockets.find((x) => x.port === port && x.protocol === 'tcp');
        return s?.connections === 3 && ssEstablished(port) === 3 && s;
      },
      { what: `3 established connections on ${port}` },
    );
    assert.equal(found.connections, 3);
    // The clients' own sockets (local port ephemeral, remote port = ours) are not counted on ours.
    clients.splice(0).forEach((c) => c.destroy());
    await until(() => scanner.scan().sockets.find((x) => x.port === port)?.connections === 0 && ssEstablished(port) === 0, { what: 'the connections to close' });
  });

  it('servers --json: pid, port, project, uptimeMs, connections; idle after a connection, seen with short thresholds', async () => {
    const port = await holdingServer();
    const worktree = fs.realpathSync(path.join(__dirname, '../../..'));
    const c = net.connect(port, '127.0.0.1');
    clients.push(c);
    await new Promise((resolve) => c.once('connect', resolve));
    const connected = await until(() => servers('--json').json?.servers.find((e) => e.port === port && e.connections === 1), { what: 'the server with its connection' });
    assert.equal(connected.pid, process.pid);
    assert.equal(connected.idleMs, 0);
    assert.equal(typeof connected.uptimeMs, 'number');
    assert.equal((connected.project as { root: string } | null)?.root, worktree, 'this test runs in the worktree: its project');
    // Not idle for 1 s while connected.
    assert.equal(servers('--json', '--idle', '1s').json?.servers.some((e) => e.port === port), false);
    clients.splice(0).forEach((x) => x.destroy());
    // Once closed, runs go on seeing no connection: after a second it is idle for 1 s, never before.
    const idle = await until(() => servers('--json', '--idle', '1s', '--project', worktree).json?.servers.find((e) => e.port === port), { what: 'the server to be idle for 1 s' });
    assert.ok((idle.idleMs as number) >= 1000);
    assert.equal(idle.connections, 0);
    assert.equal(typeof idle.lastConnectionAt, 'string');
    // --older-than longer than this process has run: not listed. Another project: not listed.
    assert.equal(servers('--json', '--older-than', '300d').json?.servers.some((e) => e.port === port), false);
    assert.equal(servers('--json', '--project', stateDir).json?.servers.some((e) => e.port === port), false);
    // Human output names it with its project and idleness.
    const table = servers('--project', worktree);
    assert.equal(table.code, 0);
    assert.match(table.out, /^PORT\s+PID\s+PROCESS\s+PROJECT\s+UP\s+CONNS\s+IDLE/);
    assert.match(table.out, new RegExp(`^${port}\\s+${process.pid}\\s`, 'm'));
  });

  it('a listener never connected to: last connection unknown, idle only once watched that long', async () => {
    const listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] }, { cwd: stateDir });
    const first = servers('--json').json?.servers.find((e) => e.pid === listener.pid);
    assert.ok(first, 'a node listener is a development server');
    assert.equal(first.lastConnectionAt, null);
    assert.equal(first.idleMs, null);
    const idle = await until(() => servers('--json', '--idle', '1s').json?.servers.find((e) => e.pid === listener.pid), { what: 'watched for 1 s without a connection' });
    assert.ok((idle.observedMs as number) >= 1000);
    assert.equal(idle.idleMs, null, 'still unknown: never a guess');
  });

  it('refuses bad options with exit code 2 and one line', () => {
    for (const [args, message] of [
      [['--idle', 'soon'], /--idle: "soon" is not a duration/],
      [['--older-than', '5x'], /not a duration/],
      [['--project', path.join(stateDir, 'nope')], /is not a folder/],
      [['extra'], /takes no arguments/],
    ] as Array<[string[], RegExp]>) {
      const r = servers(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, message);
      assert.equal(r.err.trim().split('\n').length, 1);
    }
  });
});
