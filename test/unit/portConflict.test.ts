// The port-conflict matcher against real message formats (test/fixtures/port-conflicts, each file says
// where its format was seen) and decoys that must raise nothing; prints precision and recall.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { findPortConflicts, outputLines, OUTPUT_TAIL } from '../../src/model/portConflict/matchConflicts';
import { portFromCommand, withPort } from '../../src/model/portConflict/commandPort';
import { addressesConflict, conflictingSockets } from '../../src/model/portConflict/conflictingSockets';
import { fixturePath } from '../support/paths';

interface Sample {
  name: string;
  /** Expected conflict ports ([] for a decoy). */
  ports: number[];
  host?: string;
  source?: string;
  permission?: number;
  command?: string;
  output: string;
}

function readCorpus(): Sample[] {
  const dir = fixturePath('port-conflicts');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => {
      const text = fs.readFileSync(`${dir}/${f}`, 'utf8');
      const sep = text.indexOf('\n---\n');
      const header = text.slice(0, sep);
      const field = (k: string): string | undefined => new RegExp(`^# ${k}: (.*)$`, 'm').exec(header)?.[1];
      const expect = field('expect') ?? '';
      const sample: Sample = { name: f.replace(/\.txt$/, ''), ports: [], command: field('command'), output: text.slice(sep + 5) };
      if (expect.startsWith('permission ')) {
        sample.permission = Number(expect.split(' ')[1]);
      } else if (expect !== 'none') {
        const [port, ...rest] = expect.split(' ');
        sample.ports = [Number(port)];
        for (const r of rest) {
          if (r.startsWith('host=')) {
            sample.host = r.slice(5);
          } else {
            sample.source = r;
          }
        }
      }
      assert.ok(field('source'), `${f} records where its format comes from`);
      return sample;
    });
}

describe('Port-conflict matcher', () => {
  it('finds the conflicts of the corpus and nothing in its decoys (prints precision and recall)', () => {
    const corpus = readCorpus();
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const held = { tp: 0, fp: 0, fn: 0, n: 0 };
    const problems: string[] = [];
    for (const s of corpus) {
      const r = findPortConflicts(s.output, { commandLine: s.command });
      const got = r.conflicts.map((c) => c.port);
      if (s.name.startsWith('heldout-')) {
        held.n++;
        held.tp += got.filter((p) => s.ports.includes(p)).length;
        held.fp += got.filter((p) => !s.ports.includes(p)).length;
        held.fn += s.ports.filter((p) => !got.includes(p)).length;
      }
      for (const p of got) {
        if (s.ports.includes(p)) {
          tp++;
        } else {
          fp++;
          problems.push(`${s.name}: false conflict on ${p} (${r.conflicts.find((c) => c.port === p)?.line})`);
        }
      }
      for (const p of s.ports) {
        if (!got.includes(p)) {
          fn++;
          problems.push(`${s.name}: missed ${p}`);
        }
      }
      const c = r.conflicts.find((x) => x.port === s.ports[0]);
      if (c && s.host !== undefined && c.host !== s.host) {
        problems.push(`${s.name}: host ${c.host} instead of ${s.host}`);
      }
      if (c && s.source !== undefined && c.source !== s.source) {
        problems.push(`${s.name}: port from ${c.source} instead of ${s.source}`);
      }
      if (c && c.inferred !== (c.source !== 'message')) {
        problems.push(`${s.name}: inferred flag disagrees with its source`);
      }
      const perm = r.permission.map((h) => h.port);
      if (s.permission !== undefined ? !perm.includes(s.permission) : perm.length > 0) {
        problems.push(`${s.name}: permission hints ${JSON.stringify(perm)}, expected ${s.permission ?? 'none'}`);
      }
    }
    const positives = corpus.filter((s) => s.ports.length > 0).length;
    const precision = tp / Math.max(1, tp + fp);
    const recall = tp / Math.max(1, tp + fn);
    console.log(
      `      port-conflict corpus: ${positives} failures, ${corpus.length - positives} decoys; ` +
        `precision ${(precision * 100).toFixed(1)} % (${fp} false), recall ${(recall * 100).toFixed(1)} % (${fn} missed)`,
    );
    console.log(`      of which held out (written after tuning, ${held.n} files): ${held.tp} found, ${held.fp} false, ${held.fn} missed`);
    for (const p of problems) {
      console.log(`        ${p}`);
    }
    assert.deepEqual(problems, []);
  });

  it('reads ports of any length, IPv4, IPv6 and host names from the message', () => {
    const cases: Array<[string, number, string | undefined]> = [
      ['Error: listen EADDRINUSE: address already in use :::1', 1, '::'],
      ['listen tcp [fe80::1%eth0]:65535: bind: address already in use', 65535, 'fe80::1%eth0'],
      ['Failed to bind to address http://dev-box.local:5000: address already in use.', 5000, 'dev-box.local'],
      ['nginx: [emerg] bind() to [::1]:80 failed (98: Address already in use)', 80, '::1'],
    ];
    for (const [line, port, host] of cases) {
      const [c] = findPortConflicts(line).conflicts;
      assert.ok(c, line);
      assert.equal(c.port, port, line);
      assert.equal(c.host, host, line);
      assert.equal(c.inferred, false);
    }
    assert.deepEqual(findPortConflicts('listen tcp :70000: bind: address already in use').conflicts, [], 'not a port');
    // A file and line in a port-less message is not an address.
    const [w] = findPortConflicts("/usr/lib/ruby/webrick/utils.rb:73:in `initialize': Address already in use - bind(2) (Errno::EADDRINUSE)\n", { commandLine: 'jekyll serve' }).conflicts;
    assert.equal(w.port, 4000);
    assert.equal(w.source, 'default');
  });

  it('strips colours, titles and hyperlinks, and reads \\r-overwritten lines', () => {
    const out = '\x1b]0;npm run dev\x07\x1b[1m\x1b[31mError:\x1b[39m listen EADDRINUSE: address already in use \x1b]8;;http://x\x1b\\:::3000\x1b]8;;\x1b\\\x1b[0m\r\n';
    assert.equal(findPortConflicts(out).conflicts[0]?.port, 3000);
    assert.deepEqual(outputLines('a\rb\r\nc'), ['a', 'b', 'c']);
  });

  it('reads only the last 64 kB, and a failure before it is not reported', () => {
    const failure = 'Error: listen EADDRINUSE: address already in use :::3000\n';
    const filler = 'x'.repeat(79) + '\n';
    assert.equal(findPortConflicts(filler.repeat(10_000) + failure).conflicts[0]?.port, 3000);
    assert.deepEqual(findPortConflicts(failure + filler.repeat(Math.ceil(OUTPUT_TAIL / 80) + 1)).conflicts, []);
  });

  it('does work in proportion to the input on adversarial text (no catastrophic backtracking)', () => {
    // A line built to make a backtracking pattern explode: bounded here by LINE_MAX per line and
    // OUTPUT_TAIL in all. The check is the result; the time is bench material, not asserted.
    const nasty = [
      'listen tcp ' + ':'.repeat(5000),
      'Connection in use: (' + "'".repeat(5000),
      'Failed to bind to address http://' + 'a'.repeat(3000) + ' address already in use',
      'Unable to listen on port 1: ' + 'x'.repeat(5000),
      'listening '.repeat(3000),
    ].join('\n');
    const r = findPortConflicts(nasty.repeat(3));
    assert.ok(Array.isArray(r.conflicts));
  });

  it('says how the command line sets the port, and rewrites only that', () => {
    const cases: Array<[string, number, string, string | undefined]> = [
      ['PORT=3000 npm run dev', 3000, 'env', 'PORT=3001 npm run dev'],
      ['npx vite --port 8080', 8080, 'flag', 'npx vite --port 3001'],
      ['ng serve --port=4300', 4300, 'flag', 'ng serve --port=3001'],
      ['uvicorn app:app -p 8000', 8000, 'flag', 'uvicorn app:app -p 3001'],
      ['gunicorn -b 0.0.0.0:8000 app:app', 8000, 'flag', 'gunicorn -b 0.0.0.0:3001 app:app'],
      ['python manage.py runserver 8080', 8080, 'positional', 'python manage.py runserver 3001'],
      ['python manage.py runserver 0.0.0.0:8000', 8000, 'positional', 'python manage.py runserver 0.0.0.0:3001'],
      ['php -S localhost:8000 -t public', 8000, 'positional', 'php -S localhost:3001 -t public'],
      ['docker run -p 8080:80 nginx', 8080, 'flag', 'docker run -p 3001:80 nginx'],
      ['dotnet run --urls http://localhost:5005', 5005, 'flag', 'dotnet run --urls http://localhost:3001'],
      ['ssh -N -L 9000:db:5432 bastion', 9000, 'flag', 'ssh -N -L 3001:db:5432 bastion'],
      ['kubectl port-forward svc/web 8080:80', 8080, 'positional', 'kubectl port-forward svc/web 3001:80'],
      ['streamlit run app.py --server.port=8502', 8502, 'flag', 'streamlit run app.py --server.port=3001'],
      ['flask run', 5000, 'default', undefined],
      ['python manage.py runserver', 8000, 'default', undefined],
    ];
    for (const [cmd, port, kind, rewritten] of cases) {
      const found = portFromCommand(cmd);
      assert.ok(found, cmd);
      assert.equal(found.port, port, cmd);
      assert.equal(found.kind, kind, cmd);
      assert.equal(withPort(cmd, found, 3001), rewritten, cmd);
    }
    assert.equal(portFromCommand('ssh -p 2222 host'), undefined, "ssh -p is the remote's port");
    assert.equal(portFromCommand('mysql -p secret'), undefined);
    assert.equal(portFromCommand('npm run dev'), undefined);
    assert.equal(portFromCommand('node -e "x" --port 99999'), undefined);
  });

  it('marks a port learned from the command line as inferred and carries how to change it', () => {
    const [c] = findPortConflicts('Error: That port is already in use.\n', { commandLine: 'python manage.py runserver 8080' }).conflicts;
    assert.equal(c.port, 8080);
    assert.equal(c.inferred, true);
    assert.equal(c.source, 'command');
    assert.equal(c.commandPort?.kind, 'positional');
    const [d] = findPortConflicts('Error: listen EADDRINUSE: address already in use :::3000', { commandLine: 'PORT=3000 node server.js' }).conflicts;
    assert.equal(d.inferred, false);
    assert.equal(d.commandPort?.kind, 'env');
    const [e] = findPortConflicts('Error: listen EADDRINUSE: address already in use :::3000', { commandLine: 'PORT=4000 node server.js' }).conflicts;
    assert.equal(e.commandPort, undefined, 'the command asked for another port');
  });

  it('names as holders only the sockets that could have refused the address the failure names', () => {
    const yes: Array<[string, string]> = [
      ['127.0.0.1', '127.0.0.1'], ['127.0.0.1', '0.0.0.0'], ['127.0.0.1', '::'], ['0.0.0.0', '127.0.0.1'],
      ['::', '::1'], ['::1', '::'], ['::1', '[::1]'], ['127.0.0.1', '::ffff:127.0.0.1'], ['localhost', '::1'], ['localhost', '127.0.0.1'],
    ];
    const no: Array<[string, string]> = [['127.0.0.1', '::1'], ['::1', '127.0.0.1'], ['127.0.0.1', '192.168.1.5'], ['::1', 'fe80::1'], ['0.0.0.0', '::1']];
    for (const [wanted, held] of yes) {
      assert.equal(addressesConflict(wanted, held), true, `${wanted} vs ${held}`);
    }
    for (const [wanted, held] of no) {
      assert.equal(addressesConflict(wanted, held), false, `${wanted} vs ${held}`);
    }
    const sockets = [{ address: '127.0.0.1' }, { address: '::1' }];
    assert.deepEqual(conflictingSockets(sockets, '127.0.0.1'), [{ address: '127.0.0.1' }]);
    assert.deepEqual(conflictingSockets(sockets, undefined), sockets);
  });
});
