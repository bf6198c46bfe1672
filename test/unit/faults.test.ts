// Faults the core must survive: a missing, hanging or failing tool; a scanner thread that crashes or
// hangs; a fabricated /proc with kernel threads, zombies and vanished processes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../src/inspector/exec';
import { LinuxBackend } from '../../src/inspector/linux/linuxBackend';
import { LinuxScanner } from '../../src/inspector/linux/linuxScanner';
import type { InspectorError } from '../../src/core/types';

const isLinux = process.platform === 'linux';

describe('exec: external programs', () => {
  it('says plainly when a tool is missing', async () => {
    await assert.rejects(run('no-such-tool-pi', ['x']), (e: InspectorError) => e.code === 'TOOL_MISSING' && /not installed/.test(e.message));
  });

  it('stops a tool that hangs, within its timeout', async () => {
    const t = performance.now();
    await assert.rejects(run('sleep', ['10'], { timeoutMs: 200 }), (e: InspectorError) => e.code === 'TIMEOUT' && /200 ms/.test(e.message));
    assert.ok(performance.now() - t < 5000);
  });

  it('reports a failing tool with its first error line, and accepts listed exit codes', async () => {
    await assert.rejects(run('sh', ['-c', 'echo boom >&2; exit 4']), (e: InspectorError) => e.code === 'FAILED' && /boom/.test(e.message));
    const r = await run('sh', ['-c', 'echo partial; exit 1'], { okExitCodes: [1] });
    assert.equal(r.exitCode, 1);
    assert.equal(r.stdout.trim(), 'partial');
  });

  it('never goes through a shell: arguments stay literal', async () => {
    const r = await run('echo', ['$(id)', '; rm -rf /', '`x`']);
    assert.equal(r.stdout.trim(), '$(id) ; rm -rf / `x`');
  });
});

(isLinux ? describe : describe.skip)('Linux back-end faults', function () {
  this.timeout(30_000);
  const flaky = path.join(__dirname, '../support/flakyWorker.js');

  it('restarts a scanner thread that crashed, and says so once', async () => {
    const markerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pi-flaky-'));
    const marker = path.join(markerDir, 'crashed');
    process.env.FLAKY_MODE = 'crash-once';
    process.env.FLAKY_MARKER = marker;
    const backend = new LinuxBackend({ workerPath: flaky });
    try {
      await assert.rejects(backend.snapshot(), (e: InspectorError) => /scanner thread stopped \(exit code 3\)/.test(e.message));
      const snap = await backend.snapshot();
      assert.equal(snap.backend, 'linux-proc');
      assert.match(snap.warnings.join('\n'), /stopped unexpectedly 1 time\(s\) and was restarted/);
      const again = await backend.snapshot();
      assert.deepEqual(again.warnings, [], 'reported once');
    } finally {
      backend.dispose();
      delete process.env.FLAKY_MODE;
      delete process.env.FLAKY_MARKER;
      fs.rmSync(markerDir, { recursive: true, force: true });
    }
  });

  it('gives up on a scan that hangs, with a clear error, and recovers', async () => {
    process.env.FLAKY_MODE = 'hang';
    // The limit also covers starting the fresh worker for the scan after the hang: generous, because
    // starting a thread on a busy 2-core machine can take longer than a tight limit allows.
    const backend = new LinuxBackend({ workerPath: flaky, scanTimeoutMs: 3000 });
    try {
      await assert.rejects(backend.snapshot(), (e: InspectorError) => e.code === 'TIMEOUT' && /did not finish within 3000 ms/.test(e.message));
      // The hung thread was terminated; the next scan starts a fresh one (a working one this time).
      process.env.FLAKY_MODE = 'ok';
      assert.equal((await backend.snapshot()).backend, 'linux-proc');
    } finally {
      backend.dispose();
      delete process.env.FLAKY_MODE;
    }
  });

  it('honours cancellation', async () => {
    const backend = new LinuxBackend({ workerPath: path.join(__dirname, '../../src/inspector/linux/inspectorWorker.js') });
    try {
      const controller = new AbortController();
      controller.abort(new Error('user cancelled'));
      await assert.rejects(backend.snapshot({ signal: controller.signal }), /user cancelled/);
    } finally {
      backend.dispose();
    }
  });

  it('reads a fabricated /proc with kernel threads, zombies and vanished processes', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pi-proc-'));
    try {
      const w = (rel: string, text: string): void => {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), text);
      };
      const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
      const lo = os.endianness() === 'LE' ? '0100007F' : '7F000001';
      w('net/tcp', `${header}   0: ${lo}:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 5001 1 0 100 0 0 10 0\n   1: ${lo}:0BB9 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5002 1 0 100 0 0 10 0\n   2: ${lo}:0BBA 00000000:0000 0A 0000`);
      w('net/udp', header);
      w('stat', 'cpu 1 2 3\nbtime 1700000000\n');
      const stat = (pid: number, name: string, state: string): string =>
        `${pid} (${name}) ${state} 1 ${pid} ${pid} 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 12345 0 0\n`;
      // A server holding inode 5001.
      w('10/stat', stat(10, 'server', 'S'));
      w('10/cmdline', 'server\0--port\x003000\0');
      fs.mkdirSync(path.join(root, '10/fd'));
      fs.symlinkSync('socket:[5001]', path.join(root, '10/fd/3'));
      // A kernel thread: no fds to read, empty cmdline.
      w('2/stat', stat(2, 'kthreadd', 'S'));
      w('2/cmdline', '');
      // A zombie: stat, but no fd directory and empty cmdline.
      w('20/stat', stat(20, 'defunct', 'Z'));
      // A pid whose directory vanished between readdir and read (an empty dir).
      fs.mkdirSync(path.join(root, '30'));
      const snap = new LinuxScanner({ procRoot: root, passwdPath: path.join(root, 'no-passwd') }).scan();
      assert.deepEqual(snap.sockets.map((s) => [s.port, s.ownerVisible, s.owners.map((o) => o.pid)]), [
        [3000, true, [10]],
        [3001, false, []],
      ]);
      assert.equal(snap.sockets[0].owners[0].command, 'server --port 3000');
      assert.equal(snap.sockets[0].owners[0].startTime, 1700000000 * 1000 + 123450);
      assert.equal(snap.sockets[1].uid, 0, 'the hidden owner keeps its uid');
      assert.equal(snap.connections?.tcpStates.LISTEN, 2, 'the cut last line is skipped');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('fails clearly when there is no /proc at all', () => {
    assert.throws(() => new LinuxScanner({ procRoot: '/nonexistent-proc' }).scan(), (e: InspectorError) => e.code === 'UNSUPPORTED' && /is \/proc mounted/.test(e.message));
  });
});
