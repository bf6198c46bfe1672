// Restricted Mode, in a real extension host started with workspace trust on (runTests --restricted): the
// extension runs (listing ports needs no trust), and the settings a folder could use to mislead — labels,
// watched ports, hover file kinds — come from the user's settings only, while the folder's other settings
// still count. test/fixtures/restricted-workspace/.vscode/settings.json sets all four.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedApi } from '../../support/extensionApi';
import { closeAfterEachTest, startListener } from '../../support/listeners';
import { until } from '../../support/poll';

describe('Restricted Mode (workspace trust on, folder not trusted)', function () {
  this.timeout(60_000);
  closeAfterEachTest();

  it('runs, and takes labels, watched ports and file kinds from the user only', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the host opened the folder in Restricted Mode');
    // The folder's values are there to be ignored: the test would prove nothing without them.
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the host opened the restricted fixture folder');
    const file = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json')));
    assert.match(file, /"portInspector\.labels": \{ "3000": "from the folder" \}/);
    assert.match(file, /"portInspector\.watchedPorts": \[3000\]/);
    const config = vscode.workspace.getConfiguration();
    assert.equal(config.inspect('portInspector.groupBy')?.workspaceValue, 'process', "VS Code reads the folder's settings file");

    const api = await activatedApi();
    const s = api.test.settings();
    assert.deepEqual(s.labels, [{ lo: 3000, hi: 3000, label: 'from the user' }], "the user's label, not the folder's");
    assert.deepEqual(s.watchedPorts, [], "the user's (default) watched ports, not the folder's");
    assert.equal((s.hoverFileKinds as string[]).length, 24, "the user's (default) file kinds, not the folder's one");
    assert.equal(s.groupBy, 'process', 'a setting that is not trust-bound still comes from the folder');

    // Listing works as anywhere else: a real listener shows up in a scan and in the view.
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const snap = await api.refresh();
    assert.ok(snap.sockets.some((x) => x.port === l.ports[0] && x.owners.some((o) => o.pid === l.pid)), 'the listener is listed');
    await vscode.commands.executeCommand('workbench.view.extension.portInspector');
    // Grouped by process (the folder's setting): the row sits under its process.
    await until(() => JSON.stringify(api.getTreeSnapshot()).includes(`:${l.ports[0]}`), { what: 'the listener in the Ports view' });
  });
});
