// The parent-chain walk that finds an integrated terminal above a listener: pure cases, then real process
// chains (sh → node, as `npm run dev` makes) read through /proc and through `ps`.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parsePsParents, readParents } from '../../src/inspector/processAncestry';
import { findShellAncestor, parentChain, terminalsOfProcesses } from '../../src/inspector/terminalAncestry';
import { startListener } from '../support/listeners';

describe('parentChain / findShellAncestor', () => {
  const parents = new Map([
    [500, 400], // node → sh
    [400, 300], // sh → bash (terminal shell)
    [300, 200], // bash → pty host
    [200, 1],
    [600, 1], // a daemon
    [700, 701], // a loop (corrupt table)
    [701, 700],
  ]);
  const parentOf = (p: number): number | undefined => parents.get(p);

  it('walks up to pid 1 (excluded) and stops at a stop pid (included)', () => {
    assert.deepEqual(parentChain(500, parentOf), [500, 400, 300, 200]);
    assert.deepEqual(parentChain(500, parentOf, new Set([300])), [500, 400, 300]);
    assert.deepEqual(parentChain(1, parentOf), []);
  });

  it('stops at loops, unknown parents and the depth cap', () => {
    assert.deepEqual(parentChain(700, parentOf), [700, 701]);
    assert.deepEqual(parentChain(999, parentOf), [999]);
    const long = new Map(Array.from({ length: 200 }, (_, i) => [i + 2, i + 3] as [number, number]));
    assert.equal(parentChain(2, (p) => long.get(p)).length, 64);
  });

  it('finds the nearest terminal shell above a process, or the process itself', () => {
    const shells = new Map([[300, 'dev']]);
    assert.deepEqual(findShellAncestor(500, parentOf, shells), { shellPid: 300, value: 'dev', depth: 1 });
    assert.deepEqual(findShellAncestor(300, parentOf, shells), { shellPid: 300, value: 'dev', depth: 0 });
    assert.equal(findShellAncestor(600, parentOf, shells), undefined);
    assert.equal(findShellAncestor(500, parentOf, new Map()), undefined);
    // Nested terminals: the nearest wins.
    assert.equal(findShellAncestor(500, parentOf, new Map([[300, 'outer'], [400, 'inner']]))?.value, 'inner');
  });

  it('maps many pids at once', () => {
    const m = terminalsOfProcesses([500, 600, 300], parents, new Map([[300, 'dev']]));
    assert.deepEqual([...m.keys()].sort(), [300, 500]);
  });
});

describe('parsePsParents', () => {
  it('reads `ps -A -o pid=,ppid=` output and skips anything else', () => {
    const out = '    1     0\n  312     1\n 4242   312\ngarbage line\n\n   77 \n';
    assert.deepEqual([...parsePsParents(out)], [[1, 0], [312, 1], [4242, 312]]);
  });
});

/** Starts `sh -c 'node listenerChild.js …; true'`: the `; true` keeps sh alive as the parent, like npm. */
async function shellWithListener(): Promise<{ shPid: number; nodePid: number; stop(): void }> {
  const child = path.join(__dirname, '..', 'support', 'listenerChild.js');
  const spec = JSON.stringify({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
  const sh = spawn('sh', ['-c', `"${process.execPath}" "${child}" '${spec}'; true`], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: sh.stdout! }).once('line', resolve);
    sh.once('exit', (code) => reject(new Error(`sh exited early (${code})`)));
  });
  const { pid } = JSON.parse(line) as { pid: number };
  const stop = (): void => {
    // node shares sh's stdin and exits when it closes; the kills make sure nothing is left behind.
    sh.stdin!.end();
    for (const p of [pid, sh.pid!]) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  return { shPid: sh.pid!, nodePid: pid, stop };
}

(process.platform === 'linux' ? describe : describe.skip)('readParents (real processes)', function () {
  this.timeout(15_000);

  it('reads the chain node → sh → this process from /proc and finds this process as the "terminal"', async () => {
    const chain = await shellWithListener();
    try {
      const parents = await readParents([chain.nodePid], { stopAt: new Set([process.pid]) });
      assert.equal(parents.get(chain.nodePid), chain.shPid);
      assert.equal(parents.get(chain.shPid), process.pid);
      assert.equal(parents.has(process.pid), false, 'the walk stops at the shell');
      const match = findShellAncestor(chain.nodePid, (p) => parents.get(p), new Map([[process.pid, 'test']]));
      assert.deepEqual(match, { shellPid: process.pid, value: 'test', depth: 1 });
    } finally {
      chain.stop();
    }
  });

  it('uses known parents without reading them, and finds no terminal for an unrelated process', async () => {
    const chain = await shellWithListener();
    const other = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    try {
      // A deliberately wrong "known" parent proves the known map is used as given.
      const parents = await readParents([chain.nodePid, other.pid], { known: new Map([[chain.nodePid, 1]]), stopAt: new Set([chain.shPid]) });
      assert.equal(parents.get(chain.nodePid), 1);
      assert.equal(parents.get(other.pid), process.pid);
      const shells = new Map([[chain.shPid, 'sh']]);
      assert.equal(findShellAncestor(other.pid, (p) => parents.get(p), shells), undefined);
    } finally {
      chain.stop();
      await other.close();
    }
  });

  it('ends the chain quietly at a process that has exited', async () => {
    const parents = await readParents([2 ** 22 + 12345]);
    assert.equal(parents.size, 0);
  });

  it('reads the same chain through `ps` (the macOS/BSD path, exercised with Linux procps)', async () => {
    const chain = await shellWithListener();
    try {
      const parents = await readParents([chain.nodePid], { platform: 'darwin' });
      assert.equal(parents.get(chain.nodePid), chain.shPid);
      assert.equal(parents.get(chain.shPid), process.pid);
    } finally {
      chain.stop();
    }
  });
});
