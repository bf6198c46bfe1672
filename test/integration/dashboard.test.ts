// The dashboard command inside the real extension host: one panel (revealed, not duplicated), the panel's
// declarations in package.json, and polling only while it is visible. What the panel shows and how it
// answers messages is covered by test/ui/dashboard.test.ts in the workbench.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID, RefreshNeeds, WebviewPanels } from '../../src/constants';
import { repoRoot } from '../support/paths';

/** The part of the API `activate()` returns that this file uses (not imported: see extension.test.ts). */
interface Api {
  getRefreshNeeds(): string[];
}

function dashboardTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(WebviewPanels.dashboard));
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Ports dashboard (extension host)', () => {
  let api: Api;

  before(async () => {
    const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
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
    const tab = await until('the dashboard tab', () => dashboardTabs()[0]);
    assert.equal(tab.label, 'Ports Dashboard');
    await until('the dashboard to ask for live data', () => (api.getRefreshNeeds().includes(RefreshNeeds.dashboard) ? true : undefined));

    await vscode.commands.executeCommand(Commands.openDashboard);
    assert.equal(dashboardTabs().length, 1, 'a second "Open Dashboard" reveals the same panel');

    // Hidden behind a text editor in the same group: no polling on its behalf.
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace is open');
    // A saved file, not an untitled one: closing a dirty untitled editor would ask to save it.
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'server.js'));
    await vscode.window.showTextDocument(doc, { viewColumn: tab.group.viewColumn, preview: false });
    await until('polling to stop while hidden', () => (api.getRefreshNeeds().includes(RefreshNeeds.dashboard) ? undefined : true));
    await vscode.commands.executeCommand(Commands.openDashboard);
    await until('polling to resume when shown', () => (api.getRefreshNeeds().includes(RefreshNeeds.dashboard) ? true : undefined));

    await vscode.window.tabGroups.close(dashboardTabs());
    await until('the panel to close', () => (dashboardTabs().length === 0 ? true : undefined));
    assert.ok(!api.getRefreshNeeds().includes(RefreshNeeds.dashboard), 'a closed panel needs nothing');
  });
});
