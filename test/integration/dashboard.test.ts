// The dashboard command inside the real extension host: one panel (revealed, not duplicated), the panel's
// declarations in package.json, and polling only while it is visible. What the panel shows and how it
// answers messages is covered by test/ui/dashboard.test.ts in the workbench.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, RefreshNeeds, WebviewPanels } from '../../src/constants';
import type { PortInspectorApi } from '../support/extensionApi';
import { activatedApi } from '../support/extensionApi';
import { repoRoot } from '../support/paths';
import { until } from '../support/poll';

function dashboardTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(WebviewPanels.dashboard));
}

describe('Ports dashboard (extension host)', () => {
  let api: PortInspectorApi;

  before(async () => {
    api = await activatedApi();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('declares the command, its title and the webview activation event', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as {
      activationEvents: string[];
      contributes: { commands: Array<{ command: string; title: string }> };
    };
    const nls = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.nls.json'), 'utf8')) as Record<string, string>;
    assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${WebviewPanels.dashboard}`));
    const command = manifest.contributes.commands.find((c) => c.command === Commands.openDashboard);
    assert.ok(command, 'portInspector.openDashboard is contributed');
    assert.equal(nls[command.title.replace(/%/g, '')], 'Open Dashboard');
  });

  it('opens one panel, reveals it again, and polls only while it is visible', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(dashboardTabs().length, 0);
    await vscode.commands.executeCommand(Commands.openDashboard);
    const tab = await until(() => dashboardTabs()[0], { what: 'the dashboard tab' });
    assert.equal(tab.label, 'Ports Dashboard');
    await until(() => api.getRefreshNeeds().includes(RefreshNeeds.dashboard), { what: 'the dashboard to ask for live data' });

    await vscode.commands.executeCommand(Commands.openDashboard);
    assert.equal(dashboardTabs().length, 1, 'a second "Open Dashboard" reveals the same panel');

    // Hidden behind a text editor in the same group: no polling on its behalf.
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace is open');
    // A saved file, not an untitled one: closing a dirty untitled editor would ask to save it.
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'server.js'));
    await vscode.window.showTextDocument(doc, { viewColumn: tab.group.viewColumn, preview: false });
    await until(() => !api.getRefreshNeeds().includes(RefreshNeeds.dashboard), { what: 'polling to stop while hidden' });
    await vscode.commands.executeCommand(Commands.openDashboard);
    await until(() => api.getRefreshNeeds().includes(RefreshNeeds.dashboard), { what: 'polling to resume when shown' });

    await vscode.window.tabGroups.close(dashboardTabs());
    await until(() => dashboardTabs().length === 0, { what: 'the panel to close' });
    assert.ok(!api.getRefreshNeeds().includes(RefreshNeeds.dashboard), 'a closed panel needs nothing');
  });
});
