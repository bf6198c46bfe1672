// Runs inside the real extension host. Talks to the extension only through its API object and commands:
// importing src/ at run time (except the pure ids in src/constants) would load a second copy of the
// extension; types are fine (test/support/extensionApi.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, ContextKeys, EXTENSION_ID, Settings, Views } from '../../src/constants';
import type { PortInspectorApi } from '../support/extensionApi';
import { activatedApi } from '../support/extensionApi';
import { closeAfterEachTest, listen } from '../support/listeners';
import { repoRoot } from '../support/paths';

interface Manifest {
  contributes: {
    commands?: Array<{ command: string }>;
    viewsContainers?: Record<string, Array<{ id: string }>>;
    views?: Record<string, Array<{ id: string }>>;
    configuration?: { properties?: Record<string, unknown> } | Array<{ properties?: Record<string, unknown> }>;
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as Manifest;
const contributes = manifest.contributes;
const manifestCommands = (contributes.commands ?? []).map((c) => c.command).sort();
const manifestContainers = Object.values(contributes.viewsContainers ?? {}).flat().map((c) => c.id).sort();
const manifestViews = Object.values(contributes.views ?? {}).flat().map((v) => v.id).sort();
const manifestSettings = [contributes.configuration ?? []]
  .flat()
  .flatMap((c) => Object.keys(c.properties ?? {}))
  .sort();

/** Settings ids may be full keys (`portInspector.x`) or relative to `Settings.section`. */
function constantSettings(): string[] {
  return Object.entries(Settings)
    .filter(([key]) => key !== 'section')
    .map(([, value]) => (String(value).includes('.') ? String(value) : `${Settings.section}.${String(value)}`))
    .sort();
}

function bytesUnder(dir: string, keep: (file: string) => boolean = () => true): number {
  if (!fs.existsSync(dir)) {
    return 0;
  }
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(keep)
    .map((f) => fs.statSync(path.join(dir, f)))
    .filter((s) => s.isFile())
    .reduce((sum, s) => sum + s.size, 0);
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

describe('Port Inspector extension', () => {
  closeAfterEachTest();
  let api: PortInspectorApi;

  before(async () => {
    api = await activatedApi();
  });

  it('activates and returns its API', () => {
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    assert.equal(typeof api.refresh, 'function');
    assert.equal(typeof api.getSnapshot, 'function');
    assert.equal(typeof api.onDidChangeSnapshot, 'function');
    assert.equal(typeof api.activationTimeMs, 'number');
  });

  it('registers every command declared in package.json', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifestCommands.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'declared in package.json but not registered');
  });

  it('contributes every view declared in package.json', async () => {
    // The workbench adds a `<view>.focus` command for each contributed view; focusing it resolves the
    // view and, with it, the extension's tree data provider.
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const view of manifestViews) {
      assert.ok(registered.has(`${view}.focus`), `view ${view} is not known to the workbench`);
      await vscode.commands.executeCommand(`${view}.focus`);
    }
  });

  it('has the same command ids in src/constants.ts as in package.json', () => {
    assert.deepEqual(Object.values(Commands).sort(), manifestCommands, 'Commands vs contributes.commands');
  });

  it('has the same view ids in src/constants.ts as in package.json', () => {
    const views = Object.values(Views).sort();
    assert.deepEqual(views, [...manifestContainers, ...manifestViews].sort(), 'Views vs viewsContainers + views');
  });

  it('has the same setting keys in src/constants.ts as in package.json', () => {
    assert.deepEqual(constantSettings(), manifestSettings, 'Settings vs contributes.configuration');
  });

  it('uses every context key of src/constants.ts in a package.json when clause', () => {
    const whens = JSON.stringify(manifest.contributes).match(/"(when|enablement)":"[^"]*"/g) ?? [];
    const unused = Object.values(ContextKeys).filter((key) => !whens.some((w) => w.includes(key)));
    assert.deepEqual(unused, [], 'context keys no when clause mentions');
  });

  it("finds a TCP listener opened by the test, owned by the extension host's own pid", async () => {
    const { port } = await listen({ protocol: 'tcp', host: '127.0.0.1' });
    const snapshot = await api.refresh();
    const socket = snapshot.sockets.find((s) => s.protocol === 'tcp' && s.port === port && s.address === '127.0.0.1');
    assert.ok(socket, `127.0.0.1:${port}/tcp missing from a snapshot of ${snapshot.sockets.length} sockets`);
    assert.ok(
      socket.owners.some((o) => o.pid === process.pid),
      `owners ${JSON.stringify(socket.owners.map((o) => o.pid))} do not include the host pid ${process.pid}`,
    );
    // Another refresh (interval, file watcher) may have landed since: only "at least as new".
    assert.ok((api.getSnapshot()?.takenAt ?? -1) >= snapshot.takenAt, 'getSnapshot() lags behind refresh()');
  });

  after(() => {
    // Figures for the log, not assertions.
    const root = repoRoot();
    const vsix = fs.readdirSync(root).filter((f) => f.endsWith('.vsix'));
    console.log(`  activation time: ${api ? `${api.activationTimeMs.toFixed(1)} ms` : 'n/a'}`);
    const dist = path.join(root, 'dist');
    console.log(`  dist/ size: ${kb(bytesUnder(dist))}, without source maps: ${kb(bytesUnder(dist, (f) => !f.endsWith('.map')))}`);
    for (const f of vsix) {
      console.log(`  ${f}: ${kb(fs.statSync(path.join(root, f)).size)}`);
    }
  });
});
