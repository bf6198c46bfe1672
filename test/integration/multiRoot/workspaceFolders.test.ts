// The workspace's folders change while the extension runs: the Ports view (grouped by project), the
// status bar's workspace-only count follow at once, from the snapshot at hand — no scan. Runs only in a
// host opened on a multi-root workspace (`runTests.js --multi-root`): a single-folder test host cannot
// add a folder ("Entering a new workspace is not possible in tests").
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Settings, Views } from '../../../src/constants';
import type { PortInspectorApi, TreeRowSnapshot } from '../../support/extensionApi';
import { activatedApi } from '../../support/extensionApi';
import { closeAfterEachTest, startListener } from '../../support/listeners';
import { until } from '../../support/poll';

const setSetting = (key: string, value: unknown): Thenable<void> => vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Global);

/** Resolves on the next folder change (subscribed before the change is asked for). */
function nextFolderChange(): Promise<vscode.WorkspaceFoldersChangeEvent> {
  return new Promise((resolve) => {
    const d = vscode.workspace.onDidChangeWorkspaceFolders((e) => {
      d.dispose();
      resolve(e);
    });
  });
}

describe('Workspace folders change', function () {
  this.timeout(90_000);
  closeAfterEachTest();
  let api: PortInspectorApi;
  let base: string;
  let initialFolders: number;

  before(async () => {
    api = await activatedApi();
    assert.ok(vscode.workspace.workspaceFile, 'this suite needs a multi-root workspace: run with --multi-root');
    initialFolders = vscode.workspace.workspaceFolders?.length ?? 0;
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `pi-int-folders-${process.pid}-`)));
    fs.mkdirSync(path.join(base, 'api'));
    fs.writeFileSync(path.join(base, 'api/pyproject.toml'), '[project]\nname = "api"\n');
    fs.copyFileSync(path.join(__dirname, '../../support/listenerChild.js'), path.join(base, 'api/server.js'));
    await vscode.commands.executeCommand(`${Views.ports}.focus`);
  });

  after(async () => {
    const now = vscode.workspace.workspaceFolders?.length ?? 0;
    if (now > initialFolders) {
      const changed = nextFolderChange();
      vscode.workspace.updateWorkspaceFolders(initialFolders, now - initialFolders);
      await changed;
    }
    await setSetting(Settings.refreshIntervalMs, undefined);
    await setSetting(Settings.groupBy, undefined);
    await setSetting(Settings.statusBarWorkspaceOnly, undefined);
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('regroups the Ports view and re-counts the status bar when a folder is added or removed, without a scan', async () => {
    const apiRoot = path.join(base, 'api');
    const id = `project:${apiRoot}`;
    const server = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] }, { cwd: apiRoot, script: path.join(apiRoot, 'server.js') });
    const rows = (): string => JSON.stringify(api.getTreeSnapshot().map((r) => [r.id, r.contextValue, r.description]));
    const group = (word: string) => (): TreeRowSnapshot | undefined => {
      const g = api.getTreeSnapshot().find((r) => r.id === id);
      return g?.contextValue?.split(' ').includes(word) ? g : undefined;
    };
    const counted = (): number => Number(/(\d+)$/.exec(api.getStatusBar().text)?.[1] ?? NaN);
    const lastScan = (): number => api.test.scanAttempts().at(-1)?.seq ?? 0;

    // No polling while the change is watched: what regroups must be the folder change, not a scan.
    await setSetting(Settings.refreshIntervalMs, 600_000);
    await setSetting(Settings.groupBy, 'project');
    await setSetting(Settings.statusBarWorkspaceOnly, true);
    await until(
      async () => {
        await api.refresh();
        return group('otherProject')() && /belong to this workspace\\?'s projects/.test(api.getStatusBar().tooltip);
      },
      { what: () => `the api project among the other projects: ${rows()}` },
    );
    // The settings' own (debounced) refresh has run: the scans are quiet before the folder changes.
    await until(() => Date.now() - (api.test.scanAttempts().at(-1)?.at ?? 0) > 1000, { what: 'no scan for a second' });
    const countBefore = counted();
    const scans = lastScan();

    const added = nextFolderChange();
    assert.ok(vscode.workspace.updateWorkspaceFolders(initialFolders, 0, { uri: vscode.Uri.file(apiRoot) }), 'the folder addition was accepted');
    assert.deepEqual((await added).added.map((f) => f.uri.fsPath), [apiRoot]);
    const inside = await until(group('inWorkspace'), { what: () => `the api project marked "in this workspace": ${rows()}` });
    assert.match(inside.description ?? '', /^in this workspace · 1 port\b/);
    const order = api.getTreeSnapshot();
    const firstOther = order.findIndex((r) => r.contextValue?.split(' ').includes('otherProject'));
    assert.ok(firstOther < 0 || order.findIndex((r) => r.id === id) < firstOther, `this workspace's projects come first: ${rows()}`);
    await until(() => counted() === countBefore + 1, { what: () => `the status bar counting the api server (${countBefore} before): ${api.getStatusBar().text}` });
    assert.equal(lastScan(), scans, `regrouped and re-counted without scanning: ${JSON.stringify(api.test.scanAttempts().slice(-3))}`);

    const removed = nextFolderChange();
    assert.ok(vscode.workspace.updateWorkspaceFolders(initialFolders, 1), 'the folder removal was accepted');
    assert.deepEqual((await removed).removed.map((f) => f.uri.fsPath), [apiRoot]);
    await until(group('otherProject'), { what: () => `the api project back among the other projects: ${rows()}` });
    await until(() => counted() === countBefore, { what: () => `the status bar count back to ${countBefore}: ${api.getStatusBar().text}` });
    assert.equal(lastScan(), scans, 'still without scanning');
    await server.close();
  });
});
