// The Linux back-end against the live kernel: real listener processes, and `ss` as the truth.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { LinuxBackend } from '../../src/inspector/linux/linuxBackend';
import { LinuxScanner } from '../../src/inspector/linux/linuxScanner';
import type { ListeningSocket, Snapshot } from '../../src/core/types';
import type { ListenerProcess } from '../support/listeners';
import { startListener, stopChild } from '../support/listeners';
import { ssListening } from '../support/ss';

const isLinux = process.platform === 'linux';
const isRoot = process.getuid?.() === 0;

function find(snap: Snapshot, protocol: string, address: string, port: number): ListeningSocket | undefined {
  return snap.sockets.find((s) => s.protocol === protocol && s.address === address && s.port === port);
}

/** Starts a child and reads its first stdout line as JSON. */
async function spawnJson(args: string[], env?: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; msg: Record<string, unknown> }> {
  const child = spawn(args[0], args.slice(1), { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (c) => reject(new Error(`${args[0]} exited with ${c}`)));
  });
  return { child, msg: JSON.parse(line) as Record<string, unknown> };
}

(isLinux ? describe : describe.skip)('Linux back-end on the live system', function () {
  this.timeout(30_000);
  let listener: ListenerProcess;

  before(async () => {
    listener = await startListener({
      sockets: [
        { protocol: 'tcp', host: '127.0.0.1' },
        { protocol: 'tcp', host: '::1' },
        { protocol: 'udp', host: '127.0.0.1' },
        { protocol: 'udp', host: '::1' },
      ],
    });
  });
  after(() => listener.close());

  it('finds TCP and UDP, IPv4 and IPv6 sockets with their owner', () => {
    const snap = new LinuxScanner().scan();
    const [t4, t6, u4, u6] = listener.ports;
    const expected: Array<[string, string, number]> = [
      ['tcp', '127.0.0.1', t4],
      ['tcp', '::1', t6],
      ['udp', '127.0.0.1', u4],
      ['udp', '::1', u6],
    ];
    for (const [protocol, address, port] of expected) {
      const s = find(snap, protocol, address, port);
      assert.ok(s, `${protocol} ${address}:${port} missing`);
      assert.equal(s.state, protocol === 'tcp' ? 'LISTEN' : 'UNCONN');
      assert.equal(s.family, address.includes(':') ? 6 : 4);
      assert.equal(s.ownerVisible, true);
      assert.deepEqual(s.owners.map((o) => o.pid), [listener.pid]);
      const owner = s.owners[0];
      assert.equal(owner.name, 'node');
      assert.match(owner.command, /listenerChild\.js/);
      assert.equal(owner.ppid, process.pid);
      assert.equal(owner.uid, process.getuid?.());
      assert.ok(owner.startTime && Math.abs(owner.startTime - Date.now()) < 120_000, 'start time is recent');
    }
  });

  it('agrees with `ss -ltnup` on every listening socket and its owners', async () => {
    const scanner = new LinuxScanner();
    // The machine may change between the two reads; a second attempt absorbs one unlucky moment.
    let mismatch = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const truth = ssListening();
      const snap = scanner.scan();
      const key = (p: string, a: string, port: number): string => `${p} ${a} ${port}`;
      const ours = new Map(snap.sockets.map((s) => [key(s.protocol, s.address, s.port) + ` ${s.inode}`, s]));
      const oursByKey = new Map<string, number[][]>();
      for (const s of ours.values()) {
        const k = key(s.protocol, s.address, s.port);
        oursByKey.set(k, [...(oursByKey.get(k) ?? []), s.owners.map((o) => o.pid)]);
      }
      const theirsByKey = new Map<string, number[][]>();
      for (const t of truth) {
        const k = key(t.protocol, t.address, t.port);
        theirsByKey.set(k, [...(theirsByKey.get(k) ?? []), t.pids]);
      }
      const norm = (m: Map<string, number[][]>): string =>
        JSON.stringify([...m.entries()].map(([k, v]) => [k, v.map((p) => p.join(',')).sort()]).sort());
      if (norm(oursByKey) === norm(theirsByKey)) {
        assert.ok(theirsByKey.size >= 4);
        return;
      }
      mismatch = `ss:   ${norm(theirsByKey)}\nours: ${norm(oursByKey)}`;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.fail(`snapshot differs from ss:\n${mismatch}`);
  });

  it('runs in a worker thread and gives the same answer', async () => {
    const backend = new LinuxBackend({ workerPath: path.join(__dirname, '../../src/inspector/linux/inspectorWorker.js') });
    try {
      const snap = await backend.snapshot();
      assert.equal(snap.backend, 'linux-proc');
      assert.deepEqual(find(snap, 'tcp', '127.0.0.1', listener.ports[0])?.owners.map((o) => o.pid), [listener.pid]);
      assert.ok(snap.connections && snap.connections.tcpStates.LISTEN >= 2);
      assert.ok(snap.connections.ephemeral && snap.connections.ephemeral.high > snap.connections.ephemeral.low);
    } finally {
      backend.dispose();
    }
  });

  it('sees a listener that appears and disappears between steady-state scans', async () => {
    const scanner = new LinuxScanner({ fullWalkIntervalMs: 3_600_000 });
    scanner.scan();
    const late = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    try {
      const s = find(scanner.scan(), 'tcp', '127.0.0.1', late.ports[0]);
      assert.deepEqual(s?.owners.map((o) => o.pid), [late.pid]);
    } finally {
      await late.close();
    }
    assert.equal(find(scanner.scan(), 'tcp', '127.0.0.1', late.ports[0]), undefined);
  });

  it('lists every owner of a shared socket: cluster workers that received it after the first scan', async () => {
    const scanner = new LinuxScanner({ fullWalkIntervalMs: 3_600_000 });
    scanner.scan();
    const script = path.join(__dirname, '../support/clusterChild.js');
    const { child, msg } = await spawnJson([process.execPath, script], { NODE_CLUSTER_SCHED_POLICY: 'none' });
    try {
      const s = find(scanner.scan(), 'tcp', '127.0.0.1', msg.port as number);
      assert.ok(s, 'shared socket listed');
      const pids = s.owners.map((o) => o.pid);
      for (const w of msg.workers as number[]) {
        assert.ok(pids.includes(w), `worker ${w} in ${pids}`);
      }
      const truth = ssListening().find((t) => t.port === msg.port)!;
      assert.deepEqual(pids, truth.pids);
    } finally {
      child.stdin?.end();
      await stopChild(child);
    }
  });

  it('lists both processes of a socket inherited across fork()', async function () {
    try {
      execFileSync('python3', ['--version']);
    } catch {
      this.skip();
    }
    const script = [
      'import socket, os, sys, json, time',
      's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()',
      'pid = os.fork()',
      'if pid == 0:',
      '    time.sleep(60); sys.exit(0)',
      'print(json.dumps({"port": s.getsockname()[1], "child": pid}), flush=True)',
      'sys.stdin.read(); os.kill(pid, 9)',
    ].join('\n');
    const { child, msg } = await spawnJson(['python3', '-c', script]);
    try {
      const s = find(new LinuxScanner().scan(), 'tcp', '127.0.0.1', msg.port as number);
      assert.deepEqual(s?.owners.map((o) => o.pid), [child.pid!, msg.child as number].sort((a, b) => a - b));
    } finally {
      child.stdin?.end();
      await stopChild(child);
    }
  });

  (isRoot ? it : it.skip)('names the user of another user\u2019s listener (nobody)', async () => {
    const other = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] }, { uid: 65534, gid: 65534 });
    try {
      const s = find(new LinuxScanner().scan(), 'tcp', '127.0.0.1', other.ports[0]);
      assert.equal(s?.owners[0]?.pid, other.pid);
      assert.equal(s?.owners[0]?.user, 'nobody');
      assert.equal(s?.uid, 65534);
    } finally {
      await other.close();
    }
  });

  (isRoot ? it : it.skip)('lists a socket whose owner it may not see, with its uid (scan run as nobody)', async () => {
    const module = path.join(__dirname, '../../src/inspector/linux/linuxScanner.js');
    const script = `const { LinuxScanner } = require(${JSON.stringify(module)}); console.log(JSON.stringify(new LinuxScanner().scan()));`;
    const out = execFileSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8', maxBuffer: 64 << 20 });
    const snap = JSON.parse(out) as Snapshot;
    const s = find(snap, 'tcp', '127.0.0.1', listener.ports[0]);
    assert.ok(s, 'root-owned socket still listed for an unprivileged scan');
    assert.equal(s.ownerVisible, false);
    assert.deepEqual(s.owners, []);
    assert.equal(s.uid, 0);
  });

  it('keeps working while processes and ports churn, and leaves no ghost afterwards', async function () {
    this.timeout(60_000);
    const scanner = new LinuxScanner({ fullWalkIntervalMs: 500 });
    const churnPids = new Set<number>();
    let stop = false;
    const churn = (async () => {
      while (!stop) {
        const batch = await Promise.all(
          Array.from({ length: 4 }, () => startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }, { protocol: 'udp', host: '::1' }] })),
        );
        batch.forEach((b) => churnPids.add(b.pid));
        await new Promise((r) => setTimeout(r, 5));
        await Promise.all(batch.map((b) => b.close()));
      }
    })();
    let scans = 0;
    const started = Date.now();
    // Scan for at least 3 s and until two batches of listeners have come and gone: on a busy machine
    // starting Node processes is slow, so the churn is waited for (up to 45 s), not timed.
    while ((Date.now() - started < 3_000 || scans <= 10 || churnPids.size <= 8) && Date.now() - started < 45_000) {
      scanner.scan();
      scans++;
      await new Promise((r) => setImmediate(r));
    }
    stop = true;
    await churn;
    assert.ok(scans > 10 && churnPids.size > 4, `scans=${scans} churned=${churnPids.size}`);
    const after = scanner.scan();
    const ghosts = after.sockets.filter((s) => s.owners.some((o) => churnPids.has(o.pid)));
    assert.deepEqual(ghosts, []);
    const keys = after.sockets.map((s) => `${s.protocol} ${s.address} ${s.port} ${s.inode}`);
    assert.equal(new Set(keys).size, keys.length, 'no duplicate entries');
  });
});
