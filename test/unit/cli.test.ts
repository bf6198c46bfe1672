// The CLI as a user runs it: a real process, real listeners, exit codes and output.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from '../../src/cli/args';
import { renderTable } from '../../src/cli/table';
import { startListener } from '../support/listeners';
import { until } from '../support/poll';
import { ssListening } from '../support/ss';

const cli = path.join(__dirname, '../../src/cli/main.js');
function run(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('CLI arguments', () => {
  it('rejects bad input with exit code 2 and one clear line', () => {
    const cases: Array<[string[], RegExp]> = [
      [['who', '70000'], /"70000" is not a port/],
      [['who', 'abc'], /"abc" is not a port/],
      [['who'], /exactly one port/],
      [['kill', '0'], /is not a port/],
      [['test', ''], /.+/],
      [['test', 'bad host:80'], /.+/],
      [['test', 'localhost:70000'], /not a port/],
      [['list', '--port', '9-3'], /.+/],
      [['list', '--frobnicate'], /unknown option '--frobnicate'/],
      [['list', '--tcp', '--udp'], /exclude each other/],
      [['kill', '80', '--timeout', 'soon'], /--timeout must be/],
      [['explode'], /unknown command 'explode'/],
    ];
    for (const [args, message] of cases) {
      const r = run(...args);
      assert.equal(r.code, 2, `${args.join(' ')} → ${r.code} ${r.err}`);
      assert.match(r.err, message, args.join(' '));
      assert.equal(r.err.trim().split('\n').length, 1, `one line for ${args.join(' ')}`);
      assert.equal(r.out, '');
    }
  });

  it('parses flags, options and inline values', () => {
    const a = parseArgs(['list', '--udp', '--port=5000-6000', '--json']);
    assert.deepEqual([...a.flags].sort(), ['json', 'udp']);
    assert.equal(a.options.get('port'), '5000-6000');
    assert.equal(parseArgs([]).command, 'help');
  });

  it('pads table columns by visible width', () => {
    assert.equal(renderTable(['A', 'BB'], [['xyz', 'w']]), 'A    BB\nxyz  w');
  });

  it('counts a character outside the BMP as one column, like [...text].length', () => {
    // '🚀' is two UTF-16 units and one code point; 'é' composed is one of each.
    const table = renderTable(['NAME', 'X'], [['🚀🚀', 'a'], ['é', 'b'], ['abcd', 'c']]);
    assert.equal(table, ['NAME  X', '🚀🚀    a', 'é     b', 'abcd  c'].join('\n'));
  });
});

(process.platform === 'linux' ? describe : describe.skip)('CLI on the live system', function () {
  this.timeout(30_000);

  it('lists a real listener with its owner, in the table and as JSON', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }, { protocol: 'udp', host: '::1' }] });
    try {
      const table = run('list');
      assert.equal(table.code, 0, table.err);
      assert.match(table.out, /^PROTO\s+ADDRESS\s+PID\s+PROCESS/);
      assert.match(table.out, new RegExp(`tcp\\s+127\\.0\\.0\\.1:${l.ports[0]}\\s+${l.pid}\\s+listenerChild\\.js \\(node\\)\\s+\\S+\\s+loopback`));
      const json = JSON.parse(run('list', '--json', '--udp').out);
      const udp = json.sockets.find((s: { port: number }) => s.port === l.ports[1]);
      assert.equal(udp.address, '::1');
      assert.equal(udp.exposure, 'loopback');
      assert.equal(udp.owners[0].pid, l.pid);
      assert.ok(json.sockets.every((s: { protocol: string }) => s.protocol === 'udp'));
    } finally {
      await l.close();
    }
  });

  it('who: names the owner (exit 0), or says free (exit 1)', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = l.ports[0];
    try {
      const held = run('who', String(port));
      assert.equal(held.code, 0);
      assert.match(held.out, new RegExp(`listenerChild\\.js \\(node, pid ${l.pid}, user \\w+`));
      assert.match(held.out, /listenerChild\.js/);
      assert.match(held.out, /Loopback only/);
    } finally {
      await l.close();
    }
    const free = run('who', String(port));
    assert.equal(free.code, 1);
    assert.match(free.out, new RegExp(`Port ${port} is free`));
  });

  it('kill: stops the owner gracefully and reports the port free', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const r = run('kill', String(l.ports[0]), '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, new RegExp(`Port ${l.ports[0]} is now free`));
    await until(() => l.child.signalCode !== null || l.child.exitCode !== null, { what: 'the listener to exit' });
    assert.equal(l.child.signalCode, 'SIGTERM');
  });

  it('kill: with no terminal to ask on and no --yes, stops nothing and says how', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    try {
      const r = run('kill', String(l.ports[0]));
      assert.equal(r.code, 1, r.out + r.err);
      assert.match(r.err, /not stopping anything without a confirmation: no terminal to ask on; add --yes/);
      assert.match(r.out, new RegExp(`pid ${l.pid}`));
      assert.equal(l.child.signalCode, null);
      assert.equal(l.child.exitCode, null);
      assert.ok(ssListening().some((s) => s.port === l.ports[0] && s.pids.includes(l.pid)), 'still listening (ss)');
    } finally {
      await l.close();
    }
  });

  it('test: connects to a real server (exit 0), and classifies a refused port (exit 1)', async () => {
    // A separate process: spawnSync blocks this one, so a server here could not accept.
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = l.ports[0];
    try {
      const ok = run('test', `127.0.0.1:${port}`, '--timeout', '2000');
      assert.equal(ok.code, 0, ok.out + ok.err);
      assert.match(ok.out, new RegExp(`127\\.0\\.0\\.1:${port}`));
    } finally {
      await l.close();
    }
    const refused = run('test', `127.0.0.1:${port}`, '--json');
    assert.equal(refused.code, 1);
    assert.equal(JSON.parse(refused.out).failure.kind, 'refused');
  });

  it('never lets a process write escape sequences to the terminal through its name or command line', async () => {
    const evil = '\x1b[2J\x1b]0;pwned\x07<b>evil</b>\u202e';
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }], title: evil });
    try {
      for (const args of [['list', '--wide'], ['who', String(l.ports[0])], ['list', '--json']]) {
        const r = run(...args);
        assert.equal(r.code, 0);
        assert.ok(!/[\x00-\x08\x0b-\x1f\x7f\u202e]/.test(r.out), `${args.join(' ')} printed a control character`);
      }
      assert.match(run('list', '--wide').out, /\?\[2J\?\]0;pwned\?<b>evil<\/b>\?/);
    } finally {
      await l.close();
    }
  });
});
