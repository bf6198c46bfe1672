// Projects in the real extension host: real listeners started in two temporary projects (one a git
// repository), the Ports view grouped by project, "Stop All in Project…" with its one confirmation
// (answered through the prompt seam) stopping every server of one project and none of the other, and
// "Show Forgotten Servers" listing a development server.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, Settings, Views } from '../../src/constants';
import type { PortInspectorApi, Prompt } from '../support/extensionApi';
import { activatedApi } from '../support/extensionApi';
import { closeAfterEachTest, startListener } from '../support/listeners';
import { until } from '../support/poll';

const STOP = 'Stop Process';
const setSetting = (key: string, value: unknown): Thenable<void> => vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Global);
const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

describe('Projects', function () {
  this.timeout(90_000);
  closeAfterEachTest();
  let api: PortInspectorApi;
  let prompts: Prompt[] = [];
  let base: string;

  before(async () => {
    api = await activatedApi();
    api.test.setPromptHandler((p) => {
      prompts.push(p);
      return p.modal ? STOP : undefined;
    });
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `pi-int-projects-${process.pid}-`)));
    fs.mkdirSync(path.join(base, 'shop'));
    fs.writeFileSync(path.join(base, 'shop/package.json'), JSON.stringify({ name: 'shop' }));
    execFileSync('git', ['-c', 'init.defaultBranch=main', 'init', '-q'], { cwd: path.join(base, 'shop') });
    fs.mkdirSync(path.join(base, 'api'));
    fs.writeFileSync(path.join(base, 'api/pyproject.toml'), '[project]\nname = "api"\n');
    // The listener script inside each project, so the project is theirs whichever way it is found.
    for (const p of ['shop', 'api']) {
      fs.copyFileSync(path.join(__dirname, '../support/listenerChild.js'), path.join(base, p, 'server.js'));
    }
    await vscode.commands.executeCommand(`${Views.ports}.focus`);
  });

  after(async () => {
    api.test.setPromptHandler(undefined);
    await setSetting(Settings.groupBy, undefined);
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('groups ports by project and stops a whole project with one confirmation', async () => {
    const spec = { sockets: [{ protocol: 'tcp' as const, host: '127.0.0.1' }] };
    const web = await startListener(spec, { cwd: path.join(base, 'shop'), script: path.join(base, 'shop/server.js') });
    const worker = await startListener(spec, { cwd: path.join(base, 'shop'), script: path.join(base, 'shop/server.js') });
    const other = await startListener(spec, { cwd: path.join(base, 'api'), script: path.join(base, 'api/server.js') });
    const shopRoot = path.join(base, 'shop');
    await until(
      async () => {
        const snap = await api.refresh();
        const rootOf = (pid: number): string | undefined => snap.sockets.flatMap((s) => s.owners).find((o) => o.pid === pid)?.project?.root;
        return rootOf(web.pid) === shopRoot && rootOf(worker.pid) === shopRoot && rootOf(other.pid) === path.join(base, 'api');
      },
      { what: 'the three listeners with their projects' },
    );

    await setSetting(Settings.groupBy, 'project');
    const group = await until(() => api.getTreeSnapshot().find((r) => r.id === `project:${shopRoot}`), { what: 'the shop project group' });
    assert.equal(group.label, 'shop on main');
    assert.match(group.contextValue ?? '', /^group project\b.*\botherProject\b/);
    assert.deepEqual((group.children ?? []).map((c) => Number(c.label.split('/')[0])).sort(), [web.ports[0], worker.ports[0]].sort());

    prompts = [];
    const results = await vscode.commands.executeCommand<Array<{ outcome: string; signalled: number[] }>>(Commands.stopProject, shopRoot);
    assert.ok(results, 'stopped');
    const modals = prompts.filter((p) => p.modal);
    assert.equal(modals.length, 1, 'one confirmation for the whole project');
    const text = `${modals[0].message}\n${modals[0].detail ?? ''}`;
    assert.ok(text.includes(String(web.pid)) && text.includes(String(worker.pid)), `every holder is named: ${text}`);
    assert.ok(!text.includes(String(other.pid)), 'the other project is not in it');
    assert.deepEqual(results.map((r) => r.outcome), ['freed', 'freed']);
    await Promise.all([exited(web.child), exited(worker.child)]);
    assert.equal(web.child.signalCode, 'SIGTERM');
    assert.equal(other.child.exitCode, null, 'the other project keeps running');
    assert.equal(other.child.signalCode, null);

    // The api server, a development server, is listed as forgotten with no thresholds.
    const forgotten = await vscode.commands.executeCommand<{ servers: Array<{ port: number; pid: number }> }>(Commands.showForgottenServers, { olderThanMs: 0, idleMs: 0, stopPorts: [] });
    assert.ok(forgotten.servers.some((s) => s.port === other.ports[0] && s.pid === other.pid), JSON.stringify(forgotten.servers));
    // Bad input: a clear error, nothing stopped.
    prompts = [];
    assert.equal(await vscode.commands.executeCommand(Commands.showForgottenServers, { idleMs: 'soon' }), undefined);
    const error = await until(() => prompts.find((p) => p.kind === 'error'), { what: 'the error message' });
    assert.match(error.message, /Show Forgotten Servers takes/);
    assert.equal(other.child.exitCode, null);
  });
});
