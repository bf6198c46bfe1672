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

  it("counts only this workspace's ports in the status bar when asked", async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the test host opened no workspace folder');
    const spec = { sockets: [{ protocol: 'tcp' as const, host: '127.0.0.1' }] };
    // Started in the workspace folder: its project is the repository that holds the folder.
    const inside = await startListener(spec, { cwd: folder });
    // Started in a project of its own outside the workspace.
    const outside = await startListener(spec, { cwd: path.join(base, 'api'), script: path.join(base, 'api/server.js') });
    await setSetting(Settings.statusBarWorkspaceOnly, true);
    try {
      const count = (): number => Number(/(\d+)$/.exec(api.getStatusBar().text)?.[1] ?? NaN);
      const listed = (port: number): boolean => api.getSnapshot()?.sockets.some((x) => x.port === port) ?? false;
      await api.refresh();
      await until(() => /belong to this workspace\\?'s projects/.test(api.getStatusBar().tooltip) && listed(inside.ports[0]) && listed(outside.ports[0]), {
        what: 'the workspace-only count with both listeners listed',
      });
      const both = count();
      assert.ok(both >= 1 && both < (api.getSnapshot()?.sockets.length ?? 0), `${both} of ${api.getSnapshot()?.sockets.length}`);
      // The outside server's socket was not counted: closing it leaves the count as it was…
      await outside.close();
      await until(
        async () => {
          await api.refresh();
          return !listed(outside.ports[0]);
        },
        { what: 'the outside listener to go' },
      );
      assert.equal(count(), both, 'a port outside the workspace is not counted');
      // …while the workspace's own server was: closing it takes one off.
      await inside.close();
      await until(
        async () => {
          await api.refresh();
          return !listed(inside.ports[0]) && count() === both - 1;
        },
        { what: "the workspace server's port to leave the count" },
      );
      await setSetting(Settings.statusBarWorkspaceOnly, undefined);
      await until(() => !/belong to this workspace\\?'s projects/.test(api.getStatusBar().tooltip) && count() === api.getSnapshot()?.sockets.length, {
        what: 'every socket counted again once the setting is off',
      });
    } finally {
      await setSetting(Settings.statusBarWorkspaceOnly, undefined);
    }
  });
});
