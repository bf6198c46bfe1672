// The incremental owner index, on a fabricated /proc tree: fd symlinks are plain symlinks whose target text
// is `socket:[inode]`, exactly what readlink returns on procfs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SocketOwnerIndex } from '../../src/inspector/linux/socketOwnerIndex';

class FakeProc {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'fakeproc-'));
  addPid(pid: number, fds: Record<number, number | string> = {}): void {
    fs.mkdirSync(path.join(this.root, String(pid), 'fd'), { recursive: true });
    for (const [fd, target] of Object.entries(fds)) {
      this.setFd(pid, Number(fd), target);
    }
  }
  setFd(pid: number, fd: number, target: number | string): void {
    const link = path.join(this.root, String(pid), 'fd', String(fd));
    fs.rmSync(link, { force: true });
    fs.symlinkSync(typeof target === 'number' ? `socket:[${target}]` : target, link);
  }
  removePid(pid: number): void {
    fs.rmSync(path.join(this.root, String(pid)), { recursive: true, force: true });
  }
  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

describe('SocketOwnerIndex (fabricated /proc)', () => {
  let proc: FakeProc;
  let clock: number;
  let index: SocketOwnerIndex;
  const now = (): number => clock;

  beforeEach(() => {
    proc = new FakeProc();
    clock = 1_000_000;
    index = new SocketOwnerIndex(proc.root, 30_000, now, 10_000);
  });
  afterEach(() => proc.dispose());

  it('attributes sockets to every process holding them and ignores other fds', () => {
    proc.addPid(100, { 0: '/dev/null', 3: 111, 4: 'pipe:[9]' });
    proc.addPid(200, { 5: 111, 6: 222 });
    const owners = index.update(new Set([111, 222, 333]));
    assert.deepEqual(owners.get(111)?.sort(), [100, 200]);
    assert.deepEqual(owners.get(222), [200]);
    assert.equal(owners.has(333), false);
    assert.equal(index.stats.fullWalk, true);
  });

  it('finds the socket in a live thread when the thread-group leader is a zombie (empty fd table)', () => {
    proc.addPid(300);
    const taskFd = path.join(proc.root, '300', 'task', '301', 'fd');
    fs.mkdirSync(taskFd, { recursive: true });
    fs.mkdirSync(path.join(proc.root, '300', 'task', '300', 'fd'), { recursive: true });
    fs.symlinkSync('socket:[444]', path.join(taskFd, '7'));
    assert.deepEqual(index.update(new Set([444])).get(444), [300]);
    // Kept on the next scans (its fd is verified where it was found) while another holder exists.
    proc.addPid(400, { 3: 444 });
    clock += 20_000;
    assert.deepEqual(index.update(new Set([444])).get(444)?.sort(), [300, 400]);
  });

  it('steady state walks no process when nothing is new', () => {
    proc.addPid(100, { 3: 111 });
    proc.addPid(200, { 3: 999 });
    index.update(new Set([111]));
    clock += 20_000;
    const owners = index.update(new Set([111]));
    assert.deepEqual(owners.get(111), [100]);
    assert.equal(index.stats.walkedPids, 0);
    // A single holder of a socket that still exists needs no readlink.
    assert.equal(index.stats.verifiedFds, 0);
  });

  it('verifies each holder of a shared socket and drops one that closed its copy', () => {
    proc.addPid(100, { 3: 111 });
    proc.addPid(200, { 4: 111 });
    index.update(new Set([111]));
    clock += 15_000;
    proc.setFd(200, 4, 'pipe:[5]');
    assert.deepEqual(index.update(new Set([111])).get(111), [100]);
    assert.equal(index.stats.verifiedFds, 2);
  });

  it('walks a new process, and re-walks it while young (fd handed over after start)', () => {
    proc.addPid(100, { 3: 111 });
    index.update(new Set([111]));
    clock += 1_000;
    proc.addPid(300);
    index.update(new Set([111]));
    assert.equal(index.stats.walkedPids, 1);
    clock += 1_000;
    proc.setFd(300, 7, 111); // received over IPC, like a cluster worker
    assert.deepEqual(index.update(new Set([111])).get(111)?.sort(), [100, 300]);
    clock += 20_000; // no longer young: not walked again
    index.update(new Set([111]));
    assert.equal(index.stats.walkedPids, 0);
  });

  it('finds a new listener in an old process by walking the others once', () => {
    proc.addPid(100, { 3: 111 });
    proc.addPid(200);
    index.update(new Set([111]));
    clock += 15_000;
    proc.setFd(200, 9, 444);
    const owners = index.update(new Set([111, 444]));
    assert.deepEqual(owners.get(444), [200]);
  });

  it('does not walk everything on every scan for a socket whose owner is not visible', () => {
    proc.addPid(100, { 3: 111 });
    index.update(new Set([111, 555]));
    clock += 5_000;
    index.update(new Set([111, 555]));
    assert.equal(index.stats.walkedPids, 0);
    clock += 30_000; // the periodic full walk tries again
    index.update(new Set([111, 555]));
    assert.equal(index.stats.fullWalk, true);
  });

  it('drops an owner whose fd now points elsewhere (closed and reused fd number), and a vanished pid', () => {
    proc.addPid(100, { 3: 111 });
    proc.addPid(200, { 3: 111 });
    index.update(new Set([111]));
    clock += 15_000;
    proc.setFd(100, 3, '/tmp/somefile');
    proc.removePid(200);
    const owners = index.update(new Set([111]));
    assert.equal(owners.has(111), false);
  });

  it('survives a process directory without an fd folder (exited while listing)', () => {
    fs.mkdirSync(path.join(proc.root, '400'));
    proc.addPid(100, { 3: 111 });
    assert.deepEqual(index.update(new Set([111])).get(111), [100]);
  });
});
