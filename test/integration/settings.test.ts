// Invalid settings in the real extension host: wrong types and out-of-range values written into the real
// user configuration. The extension must keep working on the defaults, say so once (a non-modal warning,
// answered through the API's prompt seam, since the host cannot click a notification), stay quiet when
// the settings are fixed, and warn again when one breaks again. Talks to the extension only through its
// API object and commands (importing src/ would load a second copy of it).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, Settings, Views } from '../../src/constants';
import type { PortInspectorApi, Prompt, TreeRowSnapshot } from '../support/extensionApi';
import { activatedApi } from '../support/extensionApi';
import type { ListenerProcess } from '../support/listeners';
import { closeAfterEachTest, startListener } from '../support/listeners';
import { until } from '../support/poll';

/** Longer than the extension's wait before it warns (1.5 s), so a warning that is coming has come. */
const SETTLE_MS = 3000;
const TITLE = /^\*\*(\d+)\/(tcp|udp)\*\*/;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const full = (key: string): string => (key.includes('.') ? key : `${Settings.section}.${key}`);
const setSetting = (key: string, value: unknown): Thenable<void> => vscode.workspace.getConfiguration().update(full(key), value, vscode.ConfigurationTarget.Global);

function flatten(rows: TreeRowSnapshot[], parent?: string): Array<TreeRowSnapshot & { parent?: string }> {
  return rows.flatMap((r) => [{ ...r, parent }, ...flatten(r.children ?? [], r.id)]);
}

describe('Invalid settings', function () {
  this.timeout(90_000);
  closeAfterEachTest();
  let api: PortInspectorApi;
  let listener: ListenerProcess;
  let scratch: string;
  let prompts: Prompt[] = [];
  let answer: (p: Prompt) => string | undefined = () => undefined;
  const touched = [
    Settings.refreshIntervalMs,
    Settings.groupBy,
    Settings.watchedPorts,
    Settings.showUdp,
    Settings.hoverFileKinds,
    Settings.freePortTimeoutMs,
    Settings.labels,
  ];
  const settingsWarnings = (): Prompt[] => prompts.filter((p) => /^Port Inspector: .*invalid/.test(p.message));

  before(async () => {
    api = await activatedApi();
    for (const key of touched) {
      await setSetting(key, undefined);
    }
    api.test.setPromptHandler((p) => {
      prompts.push(p);
      return answer(p);
    });
    await vscode.commands.executeCommand(`${Views.ports}.focus`);
    await until(() => api.getViewState().visible, { what: 'the Ports view to be visible' });
    listener = await startListener({
      sockets: [
        { protocol: 'tcp', host: '127.0.0.1' },
        { protocol: 'udp', host: '127.0.0.1' },
      ],
    });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pi-settings-'));
    await sleep(SETTLE_MS);
    prompts = [];
  });

  after(async () => {
    for (const key of touched) {
      await setSetting(key, undefined);
    }
    api?.test.setPromptHandler(undefined);
    if (scratch) {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('keeps working on the defaults, and warns once per distinct set of bad values, not per read', async () => {
    const [tcp, udp] = listener.ports;
    // A burst of writes, as editing settings.json by hand makes. The extension waits until the settings
    // have been still for a moment before it warns, so this is normally one warning; a host too busy to
    // deliver the writes within that moment may show one per distinct set on the way, never two alike.
    const bad: Array<[string, unknown]> = [
      [Settings.refreshIntervalMs, 100],
      [Settings.groupBy, 42],
      [Settings.watchedPorts, '3000'],
      [Settings.showUdp, 'no'],
      [Settings.hoverFileKinds, {}],
      [Settings.freePortTimeoutMs, 'fast'],
      [Settings.labels, { [String(tcp)]: 'kept', '3000': 7, abc: 'x' }],
    ];
    for (const [key, value] of bad) {
      await setSetting(key, value);
    }
    const warning = await until(() => settingsWarnings().find((p) => p.message.startsWith('Port Inspector: 7 settings are invalid (')), {
      what: 'the warning about all seven settings',
    });
    assert.equal(warning.kind, 'warning');
    assert.equal(warning.modal, false);
    assert.deepEqual(warning.buttons, ['Open Settings', 'Show Log']);
    for (const key of ['refreshIntervalMs', 'groupBy', 'watchedPorts', 'showUdp', 'hover.fileKinds', 'freePort.timeoutMs', 'labels']) {
      assert.ok(warning.message.includes(key), `the warning names ${key}: ${warning.message}`);
    }
    const shown = settingsWarnings().map((p) => p.message);
    assert.equal(new Set(shown).size, shown.length, `no warning twice: ${JSON.stringify(shown)}`);
    assert.ok(shown.length <= bad.length, JSON.stringify(shown));
    console.log(`      (${shown.length} warning(s) for the burst of ${bad.length} writes)`);

    // The values in effect are the defaults (and the valid label).
    const s = api.test.settings();
    assert.equal(s.refreshIntervalMs, 2000);
    assert.equal(api.test.refreshIntervalMs(), 2000, 'the refresh manager polls no faster than the default');
    assert.equal(s.groupBy, 'none');
    assert.deepEqual(s.watchedPorts, []);
    assert.equal(s.showUdp, true);
    assert.equal((s.hoverFileKinds as string[]).length, 24, 'every file kind, as by default');
    assert.equal(s.freePortTimeoutMs, 5000);
    assert.deepEqual(s.labels, [{ lo: tcp, hi: tcp, label: 'kept' }]);

    // Every surface still answers: a scan, the view (flat, UDP shown, the good label), the status bar,
    // a command, a hover in a .env file (every file kind, as by default).
    const snapshot = await api.refresh();
    assert.ok(snapshot.sockets.some((x) => x.port === tcp));
    assert.equal(api.getViewState().message, undefined);
    const rows = flatten(api.getTreeSnapshot()).filter((r) => r.contextValue?.startsWith('port '));
    const tcpRow = rows.find((r) => r.id.includes(`|${tcp}|`));
    assert.ok(tcpRow, 'the TCP row');
    assert.equal(tcpRow.parent, undefined, 'not grouped');
    assert.match(tcpRow.description ?? '', /^kept · /);
    assert.ok(rows.some((r) => r.id.includes(`|${udp}|`)), 'UDP rows are shown');
    assert.ok(api.getStatusBar().text.length > 0);
    await vscode.commands.executeCommand(Commands.refresh);
    const env = path.join(scratch, '.env');
    fs.writeFileSync(env, `PORT=${tcp}\n`);
    await vscode.workspace.openTextDocument(vscode.Uri.file(env));
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', vscode.Uri.file(env), new vscode.Position(0, 6))) ?? [];
    const titles = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).filter((t) => TITLE.test(t));
    assert.equal(titles.length, 1, 'one Port Inspector hover');
    assert.ok(titles[0].startsWith(`**${tcp}/tcp**`));

    // Many reads later (scans, view updates, the hover): no further warning.
    await sleep(SETTLE_MS);
    await api.refresh();
    assert.deepEqual(
      settingsWarnings().map((p) => p.message),
      shown,
    );
  });

  it('forgets fixed settings silently, and warns again when one breaks again', async () => {
    const before = settingsWarnings().length;
    assert.ok(before > 0, 'the previous test left its settings broken');
    await setSetting(Settings.groupBy, 'range');
    await until(() => api.test.settings().groupBy === 'range', { what: 'grouping by range' });
    await until(() => api.getTreeSnapshot().some((r) => r.contextValue?.startsWith('group')), { what: 'range groups in the view' });
    for (const key of touched) {
      await setSetting(key, undefined);
    }
    await sleep(SETTLE_MS);
    assert.equal(settingsWarnings().length, before, 'fixing says nothing');

    // Broken again: a new warning, about that one setting; "Open Settings" opens the Settings editor.
    answer = (p) => (/invalid/.test(p.message) ? 'Open Settings' : undefined);
    await setSetting(Settings.showUdp, 'no');
    const again = await until(() => settingsWarnings()[before], { what: 'a new warning' });
    assert.equal(again.message, 'Port Inspector: the setting showUdp is invalid; the default is used. See the log for details.');
    await until(() => vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Settings', { what: 'the Settings editor' });
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await setSetting(Settings.showUdp, undefined);
    await sleep(SETTLE_MS);
    assert.equal(settingsWarnings().length, before + 1);
  });
});
