// Freeing a port against real processes: graceful stop, a process that ignores SIGTERM, a respawning
// supervisor, pid reuse, protected processes, a hidden owner and a real EPERM.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { freePort, killHint, revealOwnerHint } from '../../src/inspector/kill/stopOwners';
import { ancestorsOf, descendantsOf, jobMembers, readProcessTable } from '../../src/inspector/kill/processParents';
import type { Snapshot } from '../../src/core/types';
import { protectedPids } from '../../src/inspector/kill/protectedPids';
import { LinuxScanner } from '../../src/inspector/linux/linuxScanner';
import { startListener } from '../support/listeners';
import { ownersOnPort } from '../../src/core/sockets';

const isLinux = process.platform === 'linux';
const isRoot = process.getuid?.() === 0;

(isLinux ? describe : describe.skip)('freePort (real processes)', function () {
  this.timeout(30_000);
  const scanner = new LinuxScanner();
  const deps = { snapshot: async () => scanner.scan({ connections: false }), pollMs: 50 };

  it('stops a process that exits on SIGTERM and reports the port free', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const owner = ownersOnPort(scanner.scan(), l.ports[0], 'tcp')[0];
    assert.equal(owner.pid, l.pid);
    const r = await freePort({ port: l.ports[0], protocol: 'tcp', targets: [{ pid: owner.pid, startTime: owner.startTime }] }, deps);
    assert.equal(r.outcome, 'freed', r.message);
    assert.match(r.message, new RegExp(`Port ${l.ports[0]} is now free \\(\\d+\\.\\d s\\)`));
    assert.deepEqual(r.signalled, [l.pid]);
    assert.equal(l.child.signalCode ?? 'SIGTERM', 'SIGTERM');
  });

  it('says a process ignoring SIGTERM still holds the port, and force stops it', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }], ignoreTerm: true });
    try {
      const req = { port: l.ports[0], targets: [{ pid: l.pid }], timeoutMs: 600 };
      const soft = await freePort(req, deps);
      assert.equal(soft.outcome, 'still-held');
      assert.match(soft.message, /still held by listenerChild\.js \(node\) \d+ after .*ignoring SIGTERM/);
      const hard = await freePort({ ...req, force: true }, deps);
      assert.equal(hard.outcome, 'freed', hard.message);
    } finally {
      await l.close();
    }
  });

  it('needs the tree option when a supervisor respawns its child', async () => {
    const script = path.join(__dirname, '../support/respawnParent.js');
    // detached: its own process group, as a shell gives each job.
    const parent = spawn(process.execPath, [script, '0'], { stdio: ['pipe', 'pipe', 'inherit'], detached: true });
    const lines = readline.createInterface({ input: parent.stdout! });
    const next = (): Promise<{ parent: number; child: number; port: number }> =>
      new Promise((resolve) => lines.once('line', (l) => resolve(JSON.parse(l))));
    try {
      const first = await next();
      const retaken = next();
      // The port must stay free longer than the supervisor needs to start a new child: on a busy 2-core
      // machine starting Node takes well over the default 300 ms, which would call the port free.
      const watch = { ...deps, settleMs: 5000 };
      const r1 = await freePort({ port: first.port, targets: [{ pid: first.child }], timeoutMs: 10_000 }, watch);
      const second = await retaken;
      assert.notEqual(second.child, first.child);
      assert.ok(r1.outcome === 'taken-by-other' || r1.outcome === 'still-held', r1.message);
      if (r1.outcome === 'taken-by-other') {
        assert.match(r1.message, /another took port .*Its parent started it again/);
      }
      const r2 = await freePort({ port: first.port, targets: [{ pid: second.child }], tree: true, timeoutMs: 10_000 }, watch);
      assert.equal(r2.outcome, 'freed', r2.message);
      assert.ok(r2.signalled.includes(first.parent), 'the supervisor was stopped too');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(ownersOnPort(scanner.scan(), first.port).length, 0, 'nothing respawned');
    } finally {
      try {
        process.kill(-parent.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('does nothing when the pid no longer holds the port (exited before confirmation)', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = l.ports[0];
    await l.close();
    const r = await freePort({ port, targets: [{ pid: l.pid }] }, deps);
    assert.equal(r.outcome, 'freed');
    assert.match(r.message, /no longer holds port .* free now/);
    assert.deepEqual(r.signalled, []);
  });

  it('refuses when the pid is now a different process (start time differs: reused pid)', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    try {
      const owner = ownersOnPort(scanner.scan(), l.ports[0])[0];
      const r = await freePort({ port: l.ports[0], targets: [{ pid: l.pid, startTime: owner.startTime! - 60_000 }] }, deps);
      assert.equal(r.outcome, 'refused');
      assert.match(r.message, /pid was reused/);
      assert.equal(l.child.exitCode, null, 'not signalled');
    } finally {
      await l.close();
    }
  });

  it('refuses when another process took the port meanwhile', async () => {
    const a = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = a.ports[0];
    await a.close();
    const b = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1', port }] });
    try {
      const r = await freePort({ port, targets: [{ pid: a.pid }] }, deps);
      assert.equal(r.outcome, 'refused');
      assert.match(r.message, new RegExp(`held by listenerChild\\.js \\(node\\) ${b.pid} now`));
      assert.equal(b.child.exitCode, null);
    } finally {
      await b.close();
    }
  });

  it('refuses to signal itself, its ancestors (the test runner) and pid 1', async () => {
    const table = await readProcessTable();
    const protect = protectedPids(table.parents, { siblings: true });
    assert.ok(protect.has(process.pid) && protect.has(process.ppid) && protect.has(1));
    for (const pid of [process.pid, process.ppid, 1]) {
      // A fake snapshot that claims the pid holds a port: the refusal must come before any signal.
      const snapshot = async () => ({
        takenAt: 0, backend: 't', durationMs: 0, warnings: [],
        sockets: [{ protocol: 'tcp' as const, family: 4 as const, address: '127.0.0.1', port: 9, state: 'LISTEN', owners: [{ pid, name: 'x', command: 'x' }], ownerVisible: true }],
      });
      const r = await freePort({ port: 9, targets: [{ pid }] }, { snapshot, kill: async () => assert.fail('must not signal') });
      assert.equal(r.outcome, 'refused');
      assert.match(r.message, /Refused to stop pid/);
    }
  });

  it('computes ancestors and descendants', () => {
    const parents = new Map([[2, 1], [3, 2], [4, 3], [5, 2], [6, 6]]);
    assert.deepEqual(ancestorsOf(4, parents), [3, 2, 1]);
    assert.deepEqual(descendantsOf(2, parents).sort(), [3, 4, 5]);
    assert.deepEqual(ancestorsOf(6, parents), [], 'a self-loop ends the chain');
  });

  it('names every process a tree stop adds, and signals only those confirmed', async () => {
    // 10 owns the port; 9 (npm) leads its job; 11 is its child; 12 shares its process group (started
    // by the same shell job); 13 is an unrelated process.
    const table = {
      parents: new Map([[10, 9], [11, 10], [12, 9], [13, 1]]),
      groups: new Map([[9, 9], [10, 9], [11, 9], [12, 9], [13, 13]]),
      names: new Map([[9, 'npm'], [10, 'node'], [11, 'esbuild'], [12, 'tail'], [13, 'sshd']]),
      startTicks: new Map([[10, 100], [11, 101], [12, 102], [13, 5]]),
    };
    assert.deepEqual(jobMembers([10], table, new Map(), 4242), [
      { pid: 9, name: 'npm', startTicks: undefined, relation: 'group' },
      { pid: 11, name: 'esbuild', startTicks: 101, relation: 'child' },
      { pid: 12, name: 'tail', startTicks: 102, relation: 'group' },
    ]);
    const snapshot = async (): Promise<Snapshot> => ({
      sockets: [{ protocol: 'tcp', family: 'ipv4', address: '127.0.0.1', port: 3000, state: 'LISTEN', ownerVisible: true, owners: [{ pid: 10, name: 'node', command: 'node', startTicks: 100 }] }],
      warnings: [],
    } as unknown as Snapshot);
    const signalled: number[] = [];
    await freePort(
      // The user confirmed only 11 (say 12 joined the group after the prompt): 12 is not signalled.
      { port: 3000, targets: [{ pid: 10, startTicks: 100 }], tree: true, job: [{ pid: 11, startTicks: 101 }], timeoutMs: 0 },
      { snapshot, processTable: async () => table, protect: () => new Map(), verify: () => undefined, kill: async (pid) => void signalled.push(pid), pollMs: 1, settleMs: 0 },
    );
    assert.deepEqual(signalled, [10, 11]);
    // The other members, when confirmed, are signalled too; nobody outside the job ever is.
    signalled.length = 0;
    const job = jobMembers([10], table, new Map(), 4242);
    await freePort(
      { port: 3000, targets: [{ pid: 10, startTicks: 100 }], tree: true, job, timeoutMs: 0 },
      { snapshot, processTable: async () => table, protect: () => new Map(), verify: () => undefined, kill: async (pid) => void signalled.push(pid), pollMs: 1, settleMs: 0 },
    );
    assert.deepEqual(signalled.sort((a, b) => a - b), [9, 10, 11, 12]);
  });

  it('gives hints in each OS’s words', () => {
    assert.equal(killHint(42, false, 'linux'), 'sudo kill 42');
    assert.equal(killHint(42, true, 'darwin'), 'sudo kill -9 42');
    assert.equal(killHint(42, true, 'win32'), 'taskkill /PID 42 /F');
    assert.equal(revealOwnerHint(5353, 'udp', 'linux', false), "sudo ss -lunp 'sport = :5353'");
    // As root, sudo would not help: the owner is in another pid namespace.
    assert.equal(revealOwnerHint(5353, 'udp', 'linux', true), 'lsns -t pid');
    assert.equal(revealOwnerHint(80, 'tcp', 'darwin'), 'sudo lsof -nP -i TCP:80');
  });

  it('rejects invalid arguments clearly', async () => {
    await assert.rejects(freePort({ port: 70000, targets: [{ pid: 5 }] }, deps), /"70000" is not a port/);
    await assert.rejects(freePort({ port: 80, targets: [] }, deps), /No valid process/);
  });

  (isRoot ? it : it.skip)('as another user: a hidden owner is never called free, and EPERM is reported with a hint', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pi-eperm-'));
    fs.chmodSync(dir, 0o755);
    try {
      const snapFile = path.join(dir, 'snap.json');
      fs.writeFileSync(snapFile, JSON.stringify(scanner.scan()));
      const mod = (m: string): string => JSON.stringify(path.join(__dirname, '../../src/inspector', m));
      const script = `
        const { freePort } = require(${mod('kill/stopOwners.js')});
        const { LinuxScanner } = require(${mod('linux/linuxScanner.js')});
        const fs = require('fs');
        const seen = JSON.parse(fs.readFileSync(${JSON.stringify(snapFile)}, 'utf8'));
        (async () => {
          const hidden = await freePort({ port: ${l.ports[0]}, targets: [{ pid: ${l.pid} }] }, { snapshot: async () => new LinuxScanner().scan() });
          const eperm = await freePort({ port: ${l.ports[0]}, targets: [{ pid: ${l.pid} }] }, { snapshot: async () => seen });
          console.log(JSON.stringify({ hidden, eperm }));
        })();`;
      const out = execFileSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' });
      const { hidden, eperm } = JSON.parse(out);
      assert.equal(hidden.outcome, 'not-permitted');
      assert.match(hidden.hint, /^sudo ss -ltnp 'sport = :\d+'$/);
      assert.equal(eperm.outcome, 'not-permitted');
      assert.equal(eperm.hint, `sudo kill ${l.pid}`);
      assert.equal(l.child.exitCode, null, 'still running');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await l.close();
    }
  });
});
