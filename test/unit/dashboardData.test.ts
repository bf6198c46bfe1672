// The host side of the dashboard: rows and summary from real snapshots (real listener processes, one
// of them with a hostile title), the row diff that updates carry, and the HTML shell's CSP.
import * as assert from 'node:assert/strict';
import { LinuxScanner } from '../../src/inspector/linux/linuxScanner';
import type { ListeningSocket, Snapshot } from '../../src/core/types';
import type { DashboardRow } from '../../src/shared/protocol';
import { COMMAND_MAX, FULL_COMMAND_MAX } from '../../src/shared/protocol';
import { commandText, dashboardRow, dashboardRows, dashboardSummary, diffRows, forgottenSockets } from '../../src/webview/dashboardData';
import { ConnectionTracker, forgottenServers } from '../../src/model/serverActivity';
import { contentSecurityPolicy, dashboardHtml, newNonce } from '../../src/webview/dashboardHtml';
import type { ListenerProcess } from '../support/listeners';
import { startListener } from '../support/listeners';
import { socketKey } from '../../src/core/sockets';

const HOSTILE = '<img src=x onerror=alert(1)>';
const self = { uid: process.getuid?.() };

function socket(fields: Partial<ListeningSocket> & Pick<ListeningSocket, 'port'>): ListeningSocket {
  return {
    protocol: 'tcp',
    family: 4,
    address: '127.0.0.1',
    state: 'LISTEN',
    owners: [{ pid: 4242, name: 'node', command: 'node server.js', uid: 1000, user: 'dev' }],
    ownerVisible: true,
    ...fields,
  };
}

(process.platform === 'linux' ? describe : describe.skip)('dashboard rows from a live snapshot', function () {
  this.timeout(20_000);
  let listener: ListenerProcess;
  let snapshot: Snapshot;

  before(async () => {
    listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }, { protocol: 'udp', host: '::1' }], title: HOSTILE });
    snapshot = new LinuxScanner().scan();
  });
  after(() => listener.close());

  it('lists the listener with its owner, as text exactly as the process gave it', () => {
    const { rows, sockets } = dashboardRows(snapshot, { self, terminalOf: (pid) => (pid === listener.pid ? 'dev server' : undefined) });
    const [tcpPort, udpPort] = listener.ports;
    const tcp = rows.find((r) => r.protocol === 'tcp' && r.port === tcpPort && r.address === '127.0.0.1');
    const udp = rows.find((r) => r.protocol === 'udp' && r.port === udpPort && r.address === '::1');
    assert.ok(tcp && udp, 'both sockets listed');
    assert.deepEqual(tcp.pids, [listener.pid]);
    // comm is the title cut to 15 bytes; the command line is the whole title. Kept as data, not
    // escaped: the webview sets it with textContent, and the UI test checks it renders as text.
    assert.equal(tcp.process, HOSTILE.slice(0, 15));
    assert.equal(tcp.command, HOSTILE);
    assert.equal(tcp.terminal, 'dev server');
    assert.equal(tcp.mine, true, 'started by this user');
    assert.equal(tcp.exposure, 'loopback');
    assert.equal(tcp.range === 'registered' || tcp.range === 'dynamic', true);
    assert.equal(udp.family, 6);
    assert.equal(sockets.get(tcp.key)?.port, tcpPort, 'the key leads back to the socket');
    assert.equal(new Set(rows.map((r) => r.key)).size, rows.length, 'keys are unique');
  });

  it('summarises the same snapshot: counts add up, TCP states and the ephemeral range are there', () => {
    const { rows } = dashboardRows(snapshot, { self });
    const sum = dashboardSummary(snapshot, rows);
    assert.equal(sum.total, snapshot.sockets.length);
    assert.equal(sum.byProtocol.tcp + sum.byProtocol.udp, sum.total);
    assert.equal(sum.byRange['well-known'] + sum.byRange.registered + sum.byRange.dynamic, sum.total);
    assert.ok(sum.topProcesses.some((p) => p.pid === listener.pid && p.count >= 2 && p.name === HOSTILE.slice(0, 15)));
    assert.ok(sum.tcpStates.some((t) => t.state === 'LISTEN' && t.count >= 1));
    assert.ok(sum.ephemeral && sum.ephemeral.size === sum.ephemeral.high - sum.ephemeral.low + 1 && sum.ephemeral.size > 0);
  });
});

describe('dashboard rows: text, labels, ownership', () => {
  it('makes control and bidi characters inert and caps long command lines', () => {
    const r = dashboardRow(
      socket({ port: 3000, owners: [{ pid: 7, name: 'ev\u202eil\nname', command: `run ${'x'.repeat(10_000)}`, uid: 1 }] }),
      { self: { uid: 1 } },
    );
    assert.equal(r.process, 'ev?il name');
    assert.equal(r.command.length, COMMAND_MAX);
    assert.ok(r.command.endsWith('…'));
    assert.equal(r.mine, true);
  });

  it('cuts command lines before cleaning them, and still marks the cut', () => {
    assert.equal(commandText('node  server.js', 100), 'node server.js');
    const long = `node ${'a'.repeat(100_000)}`;
    assert.equal(commandText(long, FULL_COMMAND_MAX).length, FULL_COMMAND_MAX);
    // Mostly spaces: whole (794 characters) it folds to the full text; cut (903), it must say so.
    const spaced = `run${' '.repeat(780)}x${'y'.repeat(10)}`;
    assert.equal(commandText(spaced, 400), 'run xyyyyyyyyyy');
    const cutSpaced = `run${' '.repeat(900)}tail`;
    assert.equal(commandText(cutSpaced, 400), 'run…');
    const started = performance.now();
    const huge = 'x'.repeat(200_000);
    for (let i = 0; i < 5000; i++) {
      commandText(huge, COMMAND_MAX);
    }
    // Not a timing assertion: a cost per row that grew with the command's length would take seconds here.
    console.log(`      5,000 rows with a 200 kB command line: ${(performance.now() - started).toFixed(1)} ms`);
  });

  it('uses the user label first, then what developers run there, then IANA', () => {
    assert.equal(dashboardRow(socket({ port: 5173 }), { self, labels: [{ lo: 5000, hi: 5999, label: 'frontend' }] }).service, 'frontend');
    assert.match(dashboardRow(socket({ port: 5173 }), { self }).service, /Vite/);
    assert.match(dashboardRow(socket({ port: 5173 }), { self, labels: [{ lo: 5173, hi: 5173, label: 'web' }] }).serviceDetail, /Your label: web · Commonly: Vite/);
  });

  it('says who owns a socket whose owner is hidden, and never claims a pid for it', () => {
    const r = dashboardRow(socket({ port: 22, address: '0.0.0.0', uid: 0, owners: [], ownerVisible: false }), { self: { uid: 0 } });
    assert.deepEqual(r.pids, []);
    assert.equal(r.process, '');
    assert.equal(r.user, '0');
    assert.equal(r.ownerVisible, false);
    assert.equal(r.mine, true, 'the kernel says uid 0 holds it');
    assert.equal(r.exposure, 'all');
  });

  it('compares Windows user names when there is no uid', () => {
    const s = socket({ port: 3000, owners: [{ pid: 1, name: 'node.exe', command: '', user: 'CORP\\Dev' }] });
    assert.equal(dashboardRow(s, { self: { name: 'dev' } }).mine, true);
    assert.equal(dashboardRow(s, { self: { name: 'other' } }).mine, false);
  });

  it('gives duplicate identities distinct keys', () => {
    const twin = socket({ port: 3000 });
    const { rows, sockets } = dashboardRows({ sockets: [twin, { ...twin }] }, { self });
    assert.deepEqual(rows.map((r) => r.key), [socketKey(twin), `${socketKey(twin)}#2`]);
    assert.equal(sockets.size, 2);
  });
});

describe('dashboard summary', () => {
  it('counts ranges, protocols and exposure, calls out risky listeners high first, ranks processes', () => {
    const sockets = [
      socket({ port: 80, address: '0.0.0.0' }),
      socket({ port: 6379, address: '0.0.0.0', owners: [{ pid: 9, name: 'redis-server', command: 'redis-server *:6379' }] }),
      socket({ port: 5432, address: '::', family: 6, owners: [{ pid: 10, name: 'postgres', command: 'postgres' }] }),
      socket({ port: 53, protocol: 'udp', address: '127.0.0.53' }),
      socket({ port: 50000, protocol: 'udp', address: '0.0.0.0', owners: [], ownerVisible: false }),
    ];
    const snapshot: Snapshot = {
      takenAt: 1,
      backend: 'test',
      durationMs: 2,
      sockets,
      warnings: [],
      connections: { tcpStates: { ESTABLISHED: 40, TIME_WAIT: 300, LISTEN: 3, CLOSE_WAIT: 0 }, timeWait: 300, udpSockets: 2, ephemeral: { low: 32768, high: 60999, used: 1200 } },
    };
    const { rows } = dashboardRows(snapshot, { self });
    const sum = dashboardSummary(snapshot, rows);
    assert.deepEqual(sum.byRange, { 'well-known': 2, registered: 2, dynamic: 1 });
    assert.deepEqual(sum.byProtocol, { tcp: 3, udp: 2 });
    assert.equal(sum.exposed, 4);
    assert.equal(sum.hiddenOwners, 1);
    assert.deepEqual(sum.risky.map((r) => [r.port, r.level]), [[6379, 'high'], [5432, 'medium']]);
    assert.equal(sum.riskyTotal, 2);
    assert.deepEqual(sum.tcpStates, [{ state: 'TIME_WAIT', count: 300 }, { state: 'ESTABLISHED', count: 40 }, { state: 'LISTEN', count: 3 }]);
    assert.deepEqual(sum.ephemeral, { low: 32768, high: 60999, size: 28232, used: 1200 });
    assert.equal(sum.timeWait, 300);
    assert.deepEqual(sum.topProcesses[0], { name: 'server.js (node)', pid: 4242, count: 2 });
  });

  it('leaves out what the back-end does not report', () => {
    const snapshot: Snapshot = { takenAt: 1, backend: 'test', durationMs: 1, sockets: [], warnings: [] };
    const sum = dashboardSummary(snapshot, []);
    assert.equal(sum.ephemeral, undefined);
    assert.equal(sum.timeWait, undefined);
    assert.deepEqual(sum.tcpStates, []);
    assert.equal(sum.total, 0);
  });
});

describe('dashboard row diff', () => {
  const rowsOf = (list: ListeningSocket[]): DashboardRow[] => dashboardRows({ sockets: list }, { self }).rows;

  it('sends only added, changed and removed rows', () => {
    const a = socket({ port: 3000, inode: 1 });
    const b = socket({ port: 4000, inode: 2 });
    const c = socket({ port: 5000, inode: 3 });
    const before = new Map(rowsOf([a, b]).map((r) => [r.key, r]));
    const renamed = { ...b, owners: [{ ...b.owners[0], name: 'deno', command: 'deno task dev' }] };
    const diff = diffRows(before, rowsOf([renamed, c]));
    assert.deepEqual(diff.added.map((r) => r.port), [5000]);
    assert.deepEqual(diff.changed.map((r) => [r.port, r.process]), [[4000, 'deno task dev']]);
    assert.deepEqual(diff.removed, [socketKey(a)]);
    assert.deepEqual(diffRows(new Map(rowsOf([a]).map((r) => [r.key, r])), rowsOf([a])), { added: [], changed: [], removed: [] });
  });

  it('sees a terminal name arriving without a new snapshot', () => {
    const a = socket({ port: 3000, inode: 1 });
    const before = new Map(rowsOf([a]).map((r) => [r.key, r]));
    const after = dashboardRows({ sockets: [a] }, { self, terminalOf: () => 'npm run dev' }).rows;
    assert.equal(diffRows(before, after).changed[0]?.terminal, 'npm run dev');
  });
});

describe('dashboard rows: containers, uptime, idleness, forgotten servers', () => {
  const H = 3600_000;
  const T0 = 1_750_000_000_000;
  const uid = 1000;
  const me = { uid };
  const project = { root: '/home/dev/shop', name: 'shop', kind: 'npm' };
  const vite = { pid: 4242, name: 'node', command: 'node /home/dev/shop/node_modules/.bin/vite', uid, user: 'dev', startTime: T0 - 9 * H, project };
  // The forgotten dev server, on 127.0.0.1 and ::1 (one port, one process: both rows are marked).
  const v4 = socket({ port: 5173, inode: 1, owners: [vite], connections: 0 });
  const v6 = socket({ port: 5173, inode: 2, family: 6, address: '::1', owners: [vite], connections: 0 });
  // Up long and idle, but a system service (no project, no runtime): never forgotten.
  const sshd = socket({ port: 2222, inode: 3, owners: [{ pid: 700, name: 'sshd', command: '/usr/sbin/sshd -D', uid, startTime: T0 - 90 * H }], connections: 0 });
  // A container held by its forwarder: never a "development server" of its own.
  const db = socket({
    port: 5432,
    inode: 4,
    owners: [{ pid: 900, name: 'docker-proxy', command: '/usr/bin/docker-proxy -proto tcp -host-port 5432', uid: 0, user: 'root', startTime: T0 - 20 * H }],
    connections: 0,
    container: { engine: 'docker', id: '3f2a9c1b7e4d5a6b7c8d', name: 'shop-db-1', image: 'postgres:16', compose: { project: 'shop', service: 'db', configFiles: ['/home/dev/shop/compose.yaml'] } },
  });
  // Connected now, a while ago, and young.
  const api = socket({ port: 8000, inode: 5, owners: [{ ...vite, pid: 4300, name: 'python3', command: 'python3 -m uvicorn main:app' }], connections: 1 });
  const udp = socket({ port: 5353, inode: 6, protocol: 'udp', owners: [vite] });
  const sockets = [v4, v6, sshd, db, api, udp];
  const snap = (takenAt: number, list = sockets): Snapshot => ({ takenAt, backend: 'test', durationMs: 1, sockets: list, warnings: [] });
  const criteria = { olderThanMs: 8 * H, idleMs: 30 * 60_000 };

  function rowsAt(tracker: ConnectionTracker, now: number): Map<number, DashboardRow[]> {
    const s = snap(now);
    const forgotten = forgottenSockets(s, tracker, criteria, now, uid);
    const { rows } = dashboardRows(s, { self: me, activityOf: (x) => tracker.activity(x, now), now, forgotten });
    const byPort = new Map<number, DashboardRow[]>();
    rows.forEach((r) => byPort.set(r.port, [...(byPort.get(r.port) ?? []), r]));
    return byPort;
  }

  it('marks what Show Forgotten Servers lists, on every address of the port, and nothing else', () => {
    const tracker = new ConnectionTracker();
    tracker.observe(snap(T0));
    tracker.observe(snap(T0 + 40 * 60_000));
    const now = T0 + 40 * 60_000;
    const listed = forgottenServers(snap(now), tracker, criteria, now, uid).map((e) => e.socket.port);
    assert.deepEqual(listed, [5173], 'the command lists the dev server only');
    const rows = rowsAt(tracker, now);
    assert.deepEqual(rows.get(5173)?.map((r) => r.forgotten), [true, true]);
    for (const port of [2222, 5432, 8000, 5353]) {
      assert.equal(rows.get(port)?.[0].forgotten, false, String(port));
    }
    const sum = dashboardSummary(snap(now), [...rows.values()].flat(), criteria);
    assert.deepEqual(sum.forgotten, { ...criteria, count: 2 });
    // Stricter thresholds (the settings changed): the same rule, nothing listed.
    assert.equal(forgottenSockets(snap(now), tracker, { olderThanMs: 10 * H, idleMs: 0 }, now, uid).size, 0);
    // Another user's server is not "mine to have forgotten", as in the command.
    assert.equal(forgottenSockets(snap(now), tracker, criteria, now, 4321).size, 0);
  });

  it('carries start, connection and watch times — not durations — and never guesses idleness', () => {
    const tracker = new ConnectionTracker();
    tracker.observe(snap(T0));
    const now = T0 + 5 * 60_000;
    tracker.observe(snap(now));
    const rows = rowsAt(tracker, now);
    const dev = rows.get(5173)![0];
    assert.equal(dev.startedAt, vite.startTime);
    assert.equal(dev.connections, 0);
    assert.equal(dev.lastConnectionAt, undefined, 'no connection seen: unknown, not "idle since start"');
    assert.equal(dev.watchedSince, T0);
    const connected = rows.get(8000)![0];
    assert.equal(connected.connections, 1);
    assert.equal(connected.lastConnectionAt, undefined, 'connected now: idle 0, and the row does not change every scan');
    const udpRow = rows.get(5353)![0];
    assert.equal(udpRow.connections, undefined, 'UDP: not counted, not zero');
    assert.equal(udpRow.watchedSince, undefined);
    // The connection closes: the last scan that saw it is the idle start.
    const closed = { ...api, connections: 0 };
    tracker.observe(snap(now + 60_000, [v4, v6, sshd, db, closed, udp]));
    const later = now + 60_000;
    const { rows: after } = dashboardRows(snap(later), { self: me, activityOf: (x) => tracker.activity(x, later), now: later });
    const r = dashboardRow(closed, { self: me, activityOf: (x) => tracker.activity(x, later + 60_000), now: later + 60_000 });
    assert.equal(r.lastConnectionAt, now);
    assert.ok(after.length > 0);
  });

  it('sends nothing for an unchanged server from scan to scan, and sends the change when it turns forgotten', () => {
    const tracker = new ConnectionTracker();
    tracker.observe(snap(T0));
    tracker.observe(snap(T0 + 5_000));
    const first = rowsAt(tracker, T0 + 5_000);
    tracker.observe(snap(T0 + 10_000));
    const second = rowsAt(tracker, T0 + 10_000);
    const before = new Map([...first.values()].flat().map((r) => [r.key, r]));
    assert.deepEqual(diffRows(before, [...second.values()].flat()), { added: [], changed: [], removed: [] });
    tracker.observe(snap(T0 + 31 * 60_000));
    const third = [...rowsAt(tracker, T0 + 31 * 60_000).values()].flat();
    const diff = diffRows(new Map([...second.values()].flat().map((r) => [r.key, r])), third);
    assert.deepEqual(diff.changed.map((r) => [r.port, r.forgotten]), [[5173, true], [5173, true]]);
  });

  it('names the container in its own column: compose service and project, and the details for the tooltip', () => {
    const row = dashboardRow(db, { self: me });
    assert.equal(row.container, 'db (compose shop) · postgres:16');
    assert.equal(row.containerDetail, 'shop-db-1 (docker 3f2a9c1b7e4d) · compose service "db" of project "shop" · postgres:16');
    assert.equal(row.process, 'docker-proxy', 'the process fields stay the forwarder');
    const plain = dashboardRow({ ...db, container: { engine: 'podman', id: 'abcdef0123456789', name: 'web1', image: 'nginx:1' } }, { self: me });
    assert.equal(plain.container, 'web1 · nginx:1');
    assert.equal(plain.containerDetail, 'web1 (podman abcdef012345) · nginx:1');
    const none = dashboardRow(api, { self: me });
    assert.equal(none.container, undefined);
    assert.equal(none.containerDetail, undefined);
    // A hostile container name stays text, made inert like every other field.
    const hostile = dashboardRow({ ...db, container: { engine: 'docker', id: 'x', name: 'a\u202eb\n<img src=x>', image: '' } }, { self: me });
    assert.equal(hostile.container, 'a?b <img src=x>');
  });

  it('sends a row again when its container, project or workspace mark changes', () => {
    const before = new Map([dashboardRow(db, { self: me })].map((r) => [r.key, r]));
    const named = dashboardRow({ ...db, container: { ...db.container!, name: 'shop-db-2' } }, { self: me });
    assert.equal(diffRows(before, [named]).changed.length, 1);
    const inWs = dashboardRow(db, { self: me, workspaceFolders: ['/home/dev/shop'] });
    assert.equal(inWs.inWorkspace, true);
    assert.equal(diffRows(before, [inWs]).changed.length, 1);
  });
});

describe('dashboard HTML shell', () => {
  const nonce = newNonce();
  const html = dashboardHtml({
    cspSource: "'self' https://*.vscode-cdn.net",
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/dashboard.css?"><script>alert(1)</script>',
    nonce,
  });

  it('allows nothing by default and scripts only with this load\u2019s nonce', () => {
    const csp = contentSecurityPolicy("'self'", nonce);
    assert.match(csp, /^default-src 'none';/);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce.replace(/[+/=]/g, (c) => `\\${c}`)}'`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
    assert.ok(meta, 'the policy is in a meta tag');
    assert.match(meta[1].replace(/&#39;/g, "'"), /default-src 'none'; style-src 'self' https:\/\/\*\.vscode-cdn\.net;/);
  });

  it('has one script, with the nonce, and no inline script, style or handler', () => {
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.ok(html.includes(`<script nonce="${nonce}" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js"></script>`));
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    assert.doesNotMatch(html, /<style|style=/i);
  });

  it('escapes what goes into attributes, and wants a real nonce', () => {
    assert.ok(html.includes('dashboard.css?&#34;&#62;&#60;script&#62;'));
    assert.throws(() => dashboardHtml({ cspSource: "'self'", scriptUri: 'a', styleUri: 'b', nonce: "x' 'unsafe-inline" }), /nonce/);
    assert.notEqual(newNonce(), newNonce());
  });

  it('carries no data: rows arrive only as messages', () => {
    assert.doesNotMatch(html, /LISTEN|127\.0\.0\.1|pid/);
  });
});
