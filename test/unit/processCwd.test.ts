import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLsofCwd, readProcessCwds } from '../../src/inspector/processCwd';
import { stopChild } from '../support/listeners';

describe('readProcessCwds', () => {
  const linux = process.platform === 'linux';

  it('reads the working directory of a real child process (Linux /proc)', async function () {
    if (!linux) {
      this.skip();
    }
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pi-cwd-')));
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { cwd: dir, stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const cwds = await readProcessCwds([child.pid!, process.pid, 999_999_999]);
      assert.equal(cwds.get(child.pid!), dir);
      assert.equal(cwds.get(process.pid), process.cwd());
      assert.equal(cwds.has(999_999_999), false, 'a pid that does not exist is simply absent');
    } finally {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('strips the kernel\u2019s " (deleted)" mark and skips unreadable entries (a /proc tree built by the test)', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pi-proc-'));
    try {
      fs.mkdirSync(path.join(root, '10'));
      fs.symlinkSync('/home/dev/gone (deleted)', path.join(root, '10', 'cwd'));
      fs.mkdirSync(path.join(root, '11'));
      fs.writeFileSync(path.join(root, '11', 'cwd'), 'not a link');
      const cwds = await readProcessCwds([10, 11, 12], { platform: 'linux', procRoot: root });
      assert.deepEqual([...cwds], [[10, '/home/dev/gone']]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('knows nothing on Windows and rejects invalid pids', async () => {
    assert.equal((await readProcessCwds([process.pid], { platform: 'win32' })).size, 0);
    await assert.rejects(readProcessCwds([0]), /invalid pid 0/);
    await assert.rejects(readProcessCwds([1.5]), /invalid pid 1.5/);
  });
});

describe('parseLsofCwd', () => {
  it('reads `lsof -a -d cwd -p … -Fpn` output', () => {
    // lsof -F prints one field per line, the field letter first: p = pid, f = descriptor, n = name
    // (lsof(8), "OUTPUT FOR OTHER PROGRAMS"). The p and f lines always come with -F; n is asked for.
    const out = ['p501', 'fcwd', 'n/Users/dev/app', 'p777', 'fcwd', 'n/Users/dev/other dir', 'pbad', 'n/x', 'p9', 'fcwd', 'n(unknown)', ''].join('\n');
    assert.deepEqual([...parseLsofCwd(out)], [
      [501, '/Users/dev/app'],
      [777, '/Users/dev/other dir'],
    ]);
  });
});
