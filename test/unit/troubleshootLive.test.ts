// Troubleshooting real ports: real listener processes, real snapshots from the Linux scanner, real
// connection tests (loopback only), a real activity log, and — as root — a real nftables rule read from a
// network namespace this file creates and deletes.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { readFirewall } from '../../src/inspector/firewall/index';
import { LinuxScanner } from '../../src/inspector/linux/linuxScanner';
import { testConnection } from '../../src/inspector/probe/index';
import type { Snapshot } from '../../src/core/types';
import { ActivityLog } from '../../src/model/activity/index';
import type { TroubleshootReport } from '../../src/model/troubleshoot/index';
import { buildTroubleshootReport, gatherTroubleshootFacts } from '../../src/model/troubleshoot/index';
import type { ListenerProcess } from '../support/listeners';
import { startListener, stopChild } from '../support/listeners';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (options: Record<string, unknown>) => { render(src: string): string; validateLink: (url: string) => boolean };
const renderer = new MarkdownIt({ html: false, linkify: true });
renderer.validateLink = () => true;

const isLinux = process.platform === 'linux';
const isRoot = isLinux && process.getuid?.() === 0;

/** Skips the running test, or every test of the suite when called from a hook, with the reason in
 *  their titles (mocha's skip takes no message). */
function skipBecause(ctx: Mocha.Context, reason: string): never {
  // In a hook, `ctx.test` is the hook itself; in a test, the test.
  const runnable = ctx.test;
  const tests = (runnable as { type?: string } | undefined)?.type === 'hook' ? (runnable?.parent?.tests ?? []) : runnable ? [runnable] : [];
  for (const t of tests) {
    t.title += ` (skipped: ${reason})`;
  }
  ctx.skip();
}

function step(report: TroubleshootReport, id: string): TroubleshootReport['steps'][number] {
  const s = report.steps.find((x) => x.id === id);
  assert.ok(s, `no step ${id}`);
  return s;
}

async function troubleshoot(scanner: LinuxScanner, port: number, extra: Partial<Parameters<typeof gatherTroubleshootFacts>[0]> = {}): Promise<TroubleshootReport> {
  const snapshot: Snapshot = scanner.scan();
  const facts = await gatherTroubleshootFacts({ port, protocol: 'tcp', snapshot, probe: testConnection, platform: 'linux', timeoutMs: 2000, ...extra });
  return buildTroubleshootReport(facts);
}

/** Whether this Node can open two TCP listeners on one port with SO_REUSEPORT (Node 22.12+/23.1+). */
async function tcpReusePortWorks(): Promise<boolean> {
  const a = net.createServer();
  const b = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      a.once('error', reject);
      a.listen({ host: '127.0.0.1', port: 0, reusePort: true } as net.ListenOptions, resolve);
    });
    const port = (a.address() as net.AddressInfo).port;
    return await new Promise<boolean>((resolve) => {
      b.once('error', () => resolve(false));
      b.listen({ host: '127.0.0.1', port, reusePort: true } as net.ListenOptions, () => resolve(true));
    });
  } finally {
    a.close();
    b.close();
  }
}

/** A UDP port free on 127.0.0.1 (bound and released). */
async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

(isLinux ? describe : describe.skip)('troubleshoot a real port', function () {
  this.timeout(30_000);
  const scanner = new LinuxScanner();
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (stops.length > 0) {
      await stops.pop()!();
    }
  });

  async function listener(spec: Parameters<typeof startListener>[0]): Promise<ListenerProcess> {
    const l = await startListener(spec);
    stops.push(() => l.close());
    return l;
  }

  it('explains why a loopback-only listener is not reachable from elsewhere', async () => {
    const l = await listener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    // readFirewall plugs in as it is; the host's rules are only read (their verdict depends on the machine).
    const report = await troubleshoot(scanner, l.ports[0], { firewall: readFirewall });
    assert.notEqual(step(report, 'firewall').summary, 'The firewall was not checked.');
    assert.match(step(report, 'firewall').markdown, /nftables|iptables|Not installed/);
    const listening = step(report, 'listening');
    assert.equal(listening.verdict, 'ok');
    // Other processes on this machine may hold the same port number on ::1; only our socket is asserted.
    assert.match(listening.summary, /listening on 127\.0\.0\.1.* \(loopback only\), held by node/);
    assert.match(listening.markdown, new RegExp(`- TCP \`127\\.0\\.0\\.1:${l.ports[0]}\` — Loopback only .* — node \\(pid ${l.pid},`));
    assert.match(listening.markdown, /reachable from this machine only — the usual reason it works locally but not from a phone, a container or another machine/);
    const reachable = step(report, 'reachable');
    assert.equal(reachable.verdict, 'ok');
    assert.match(reachable.markdown, new RegExp(`^- ✅ TCP 127\\\\\\.0\\\\\\.0\\\\\\.1\\\\:${l.ports[0]} is open`));
    assert.equal(step(report, 'nothing-listening').verdict, 'info');
  });

  it('tests an all-interfaces listener through 127.0.0.1 and says it is reachable from the network', async () => {
    const l = await listener({ sockets: [{ protocol: 'tcp', host: '0.0.0.0' }] });
    const snapshot = scanner.scan();
    const facts = await gatherTroubleshootFacts({ port: l.ports[0], protocol: 'tcp', snapshot, probe: testConnection, platform: 'linux' });
    assert.deepEqual(
      facts.tests.filter((t) => t.boundAddress === '0.0.0.0').map((t) => [t.target, t.reason, t.result.ok]),
      [['127.0.0.1', 'wildcard', true]],
    );
    const report = buildTroubleshootReport(facts);
    assert.match(step(report, 'listening').summary, /\(all interfaces/);
    assert.match(step(report, 'listening').markdown, /\*\*All interfaces\*\* \(a wildcard address\): reachable through every network interface of this machine/);
    assert.match(step(report, 'reachable').markdown, /^- ✅ TCP 127\\\.0\\\.0\\\.1\\:\d+ is open .*\*\(stands in for the wildcard for 0\\\.0\\\.0\\\.0\)\*/m);
  });

  it('explains two processes sharing a port with SO_REUSEPORT', async () => {
    const tcp = await tcpReusePortWorks();
    // Node before 22.12 ignores reusePort for TCP; UDP sockets share a port the same way with SO_REUSEADDR.
    const protocol = tcp ? 'tcp' : 'udp';
    const first = await listener({ sockets: [{ protocol, host: '127.0.0.1', reusePort: true }] });
    const port = first.ports[0];
    const second = await listener({ sockets: [{ protocol, host: '127.0.0.1', port, reusePort: true }] });
    assert.equal(second.ports[0], port);
    const snapshot = scanner.scan();
    const facts = await gatherTroubleshootFacts({ port, protocol, snapshot, probe: testConnection, platform: 'linux' });
    const mine = facts.sockets.filter((s) => s.address === '127.0.0.1');
    assert.deepEqual(mine.flatMap((s) => s.owners.map((o) => o.pid)).sort(), [first.pid, second.pid].sort());
    const text = step(buildTroubleshootReport(facts), 'listening').markdown;
    assert.match(text, new RegExp(`\\*\\*2 sockets on the same address\\*\\* \\(${protocol.toUpperCase()} \`127\\.0\\.0\\.1:${port}\`, 2 processes\\): they were opened with SO_REUSEPORT`));
    assert.match(text, new RegExp(`node \\(pid ${Math.min(first.pid, second.pid)}`));
  });

  it('explains an inherited socket held by a cluster primary and its workers', async () => {
    const script = path.join(__dirname, '../support/clusterChild.js');
    const child: ChildProcess = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_CLUSTER_SCHED_POLICY: 'none' } });
    stops.push(async () => {
      child.stdin?.end();
      await stopChild(child);
    });
    const line = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (c) => reject(new Error(`cluster exited with ${c}`)));
    });
    const msg = JSON.parse(line) as { port: number; workers: number[] };
    // The workers accept and stay silent: a short timeout keeps service identification brief.
    const report = await troubleshoot(scanner, msg.port, { timeoutMs: 300 });
    const text = step(report, 'listening').markdown;
    assert.match(text, new RegExp(`\\*\\*One socket held by 3 processes\\*\\* \\(TCP \`127\\.0\\.0\\.1:${msg.port}\`\\): the socket was inherited`));
    assert.match(text, new RegExp(`node \\(pid ${child.pid}\\) is the parent of the others`));
  });

  it('names the last holder of a port that was held and released, from real consecutive snapshots', async () => {
    const log = new ActivityLog();
    let previous = scanner.scan({ connections: false });
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = l.ports[0];
    try {
      const during = scanner.scan({ connections: false });
      log.record(previous, during);
      previous = during;
    } finally {
      await l.close();
    }
    const after = scanner.scan();
    log.record(previous, after);
    const facts = await gatherTroubleshootFacts({ port, protocol: 'tcp', snapshot: after, probe: testConnection, activity: log, platform: 'linux' });
    const report = buildTroubleshootReport(facts);
    assert.equal(step(report, 'listening').verdict, 'fail');
    const idle = step(report, 'nothing-listening');
    assert.match(idle.summary, new RegExp(`^Port ${port} was held by node \\(pid ${l.pid}\\) until \\d\\d:\\d\\d`));
    assert.match(idle.markdown, new RegExp(`closed TCP 127\\\\\\.0\\\\\\.0\\\\\\.1\\\\:${port} by node \\\\\\(pid ${l.pid}\\\\\\)`));
    assert.ok(facts.tests.every((t) => t.result.ok === false && t.result.failure?.kind === 'refused'));
    assert.equal(step(report, 'reachable').verdict, 'info');
  });

  it('explains a privileged port with nothing on it (and an unprivileged bind there really fails with EACCES)', async () => {
    const snapshot = scanner.scan();
    const taken = new Set(snapshot.sockets.filter((s) => s.protocol === 'tcp').map((s) => s.port));
    const port = [1023, 1022, 1021, 999, 888, 777].find((p) => !taken.has(p));
    assert.ok(port, 'a free port below 1024');
    const facts = await gatherTroubleshootFacts({ port, protocol: 'tcp', snapshot, probe: testConnection, platform: 'linux' });
    const report = buildTroubleshootReport(facts);
    assert.equal(step(report, 'listening').verdict, 'fail');
    const idle = step(report, 'nothing-listening');
    assert.equal(idle.verdict, 'warn');
    assert.match(idle.markdown, /is privileged \(below 1024\): binding it needs root or the `CAP_NET_BIND_SERVICE` capability/);
    assert.match(idle.markdown, /the usual cause of `EACCES`/);
    const unprivilegedStart = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').trim());
    if (isRoot && port < unprivilegedStart) {
      await assert.rejects(startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1', port }] }, { uid: 65534, gid: 65534 }), /EACCES/);
    }
  });

  it('keeps a hostile process title inert in the report', async () => {
    const title = '[x](command:workbench.action.terminal.new) <img src=x onerror=alert(1)>';
    const l = await listener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }], title });
    const report = await troubleshoot(scanner, l.ports[0]);
    const owner = scanner.scan().sockets.find((s) => s.port === l.ports[0])?.owners[0];
    assert.ok(owner && owner.command.includes('command:workbench'), 'the title reached the command line');
    const html = renderer.render(report.markdown);
    assert.doesNotMatch(html, /<a |<img/);
    assert.match(html, /\[x\]\(command:workbench\.action\.terminal\.new\)/);
  });

  it('says UDP cannot be confirmed by a connection test', async () => {
    const port = await freeUdpPort();
    const l = await listener({ sockets: [{ protocol: 'udp', host: '127.0.0.1', port }] });
    const snapshot = scanner.scan();
    const report = buildTroubleshootReport(await gatherTroubleshootFacts({ port: l.ports[0], protocol: 'udp', snapshot, probe: testConnection, platform: 'linux' }));
    assert.equal(step(report, 'listening').verdict, 'ok');
    assert.equal(step(report, 'reachable').verdict, 'info');
    assert.match(step(report, 'reachable').markdown, /UDP has no handshake/);
  });
});

describe('troubleshoot with a real firewall rule (network namespace)', function () {
  this.timeout(30_000);
  const ns = `pi-test-${randomBytes(4).toString('hex')}`;
  let created = false;

  before(function () {
    if (!isRoot) {
      skipBecause(this, 'needs root to create a network namespace');
    }
    try {
      execFileSync('nft', ['--version'], { stdio: 'ignore' });
      execFileSync('ip', ['netns', 'add', ns], { stdio: 'pipe' });
      created = true;
    } catch {
      skipBecause(this, 'nft or `ip netns` unavailable here');
    }
    const nft = (...args: string[]): void => {
      execFileSync('ip', ['netns', 'exec', ns, 'nft', ...args], { stdio: 'pipe' });
    };
    nft('add', 'table', 'inet', 'pi');
    nft('add', 'chain', 'inet', 'pi', 'input', '{ type filter hook input priority 0; policy accept; }');
    nft('add', 'rule', 'inet', 'pi', 'input', 'tcp', 'dport', '3000-65000', 'drop');
  });

  after(() => {
    if (created) {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'pipe' });
    }
  });

  // The listener runs in the host's namespace and the rule lives in the test's: this checks the way from
  // the real reader into the report, not packet filtering (the firewall reader test covers the rules).
  it('shows the rule that drops the port as a warning in step 3', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '0.0.0.0' }] });
    try {
      const port = l.ports[0];
      const facts = await gatherTroubleshootFacts({
        port,
        protocol: 'tcp',
        snapshot: new LinuxScanner().scan(),
        probe: testConnection,
        firewall: (q) => readFirewall({ ...q, platform: 'linux', wrap: ['ip', 'netns', 'exec', ns], sources: ['nftables'] }),
        platform: 'linux',
      });
      const fw = step(buildTroubleshootReport(facts), 'firewall');
      assert.equal(fw.verdict, 'warn');
      assert.match(fw.summary, /^A rule may block the port: Drops incoming TCP to ports 3000-65000 \(port \d+ among them\) \(inet pi, chain input, hook input\)\./);
      assert.match(fw.markdown, /`tcp dport 3000-65000 drop`/);
    } finally {
      await l.close();
    }
  });
});
