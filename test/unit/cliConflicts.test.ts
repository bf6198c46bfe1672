// `explain` and `run` as a user runs them: a real listener holds a port, a real child process fails on it,
// and `run --free --yes` stops the holder and reruns the command, whose own server then listens (checked
// with ss and a connection).
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { parseArgs } from '../../src/cli/args';
import { quoteCommand } from '../../src/cli/conflictCommands';
import { until } from '../support/poll';
import { addCleanup, closeAfterEachTest, startListener } from '../support/listeners';
import { ssListening } from '../support/ss';

const cli = path.join(__dirname, '../../src/cli/main.js');

function runCli(args: string[], input?: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000, input: input ?? '' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A server as a dev command would be: listens on `port`, says so with its pid, exits 0 after its first
 *  connection; when the port is taken, Node's own unhandled EADDRINUSE error ends it with exit code 1. */
function serverScript(port: number): string {
  return `const s=require('net').createServer((c)=>{c.end();s.close();});s.listen(${port},'127.0.0.1',()=>console.log('child-listening '+process.pid));`;
}

describe('CLI explain and run arguments', () => {
  it('keeps everything after -- for run, untouched', () => {
    const a = parseArgs(['run', '--free', '--', 'node', '--port', '3000', '-e', 'x']);
    assert.deepEqual(a.rest, ['node', '--port', '3000', '-e', 'x']);
    assert.ok(a.flags.has('free'));
    assert.equal(parseArgs(['explain', '--command', 'npm run dev', '--json']).options.get('command'), 'npm run dev');
    assert.equal(quoteCommand(['node', '-e', "a b'c"]), `node -e 'a b'\\''c'`);
  });

  it('rejects bad use with exit code 2 and one line', () => {
    for (const [args, message] of [
      [['run'], /needs a command/],
      [['run', 'x', '--', 'y'], /after '--' only/],
      [['explain', 'file.txt'], /stdin/],
      [['run', '--timeout', 'soon', '--', 'true'], /--timeout/],
    ] as Array<[string[], RegExp]>) {
      const r = runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
      assert.equal(r.err.trim().split('\n').length, 1);
    }
  });
});

(process.platform === 'linux' ? describe : describe.skip)('CLI explain and run on the live system', function () {
  this.timeout(90_000);
  closeAfterEachTest();

  it('explain: names who holds the port now, as text and as JSON; an empty list without a conflict', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = l.ports[0];
    const output = `node:events:495\n      throw er;\n\nError: listen EADDRINUSE: address already in use 127.0.0.1:${port}\n    at Server.setupListenHandle\n`;
    const text = runCli(['explain'], output);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, new RegExp(`Port ${port}/tcp on 127\\.0\\.0\\.1 was in use`));
    assert.match(text.out, new RegExp(`node \\(pid ${l.pid}, user `));
    const json = JSON.parse(runCli(['explain', '--json'], output).out);
    assert.equal(json.conflicts.length, 1);
    const c = json.conflicts[0];
    assert.deepEqual([c.port, c.protocol, c.host, c.inferred, c.heldNow], [port, 'tcp', '127.0.0.1', false, true]);
    assert.equal(c.holders[0].pid, l.pid);
    assert.equal(c.holders[0].kind, 'process');

    const inferred = JSON.parse(runCli(['explain', '--json', '--command', `python manage.py runserver ${port}`], 'Error: That port is already in use.\n').out);
    assert.equal(inferred.conflicts[0].port, port);
    assert.equal(inferred.conflicts[0].inferred, true);

    await l.close();
    const free = JSON.parse(runCli(['explain', '--json'], output).out);
    assert.equal(free.conflicts[0].heldNow, false);
    assert.deepEqual(free.conflicts[0].holders, []);
    const none = runCli(['explain', '--json'], 'Server listening on http://localhost:3000\n');
    assert.equal(none.code, 1);
    assert.deepEqual(JSON.parse(none.out).conflicts, []);
  });

  it('run: passes the output through and names the holder; without --free nothing is stopped', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = l.ports[0];
    const r = runCli(['run', '--', process.execPath, '-e', serverScript(port)]);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.err, /EADDRINUSE/, 'the child output passed through');
    assert.match(r.err, new RegExp(`port-inspector: .*Held on 127\\.0\\.0\\.1 by node \\(pid ${l.pid}`));
    assert.match(r.err, /--free/);
    assert.ok(ssListening().some((s) => s.port === port && s.pids.includes(l.pid)), 'the holder still listens');
  });

  it('run --free --yes: stops the holder (re-checked), reruns, and the command’s own server listens', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = l.ports[0];
    const child = spawn(process.execPath, [cli, 'run', '--free', '--yes', '--', process.execPath, '-e', serverScript(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    addCleanup(() => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const rerunPid = Number(
      (await until(() => /child-listening (\d+)/.exec(out)?.[1], { what: () => `the rerun to listen (stderr: ${err})`, timeoutMs: 60_000 })),
    );
    assert.notEqual(rerunPid, l.pid);
    assert.match(err, new RegExp(`Port ${port} is now free`));
    assert.equal(await until(() => l.child.signalCode, { what: 'the holder to exit' }), 'SIGTERM', 'the holder was stopped gracefully');
    // The truth: ss says the rerun's pid listens on the port, and it answers.
    await until(() => ssListening().some((s) => s.port === port && s.pids.includes(rerunPid)), { what: `ss to show pid ${rerunPid} on ${port}` });
    await new Promise<void>((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.end();
        resolve();
      });
      sock.on('error', reject);
    });
    assert.equal(await exited, 0, err);
  });
});
