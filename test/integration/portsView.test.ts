// The Ports view in the real extension host: real listeners (TCP, UDP, IPv4, IPv6), a dev-server-like
// process chain started in a real integrated terminal, groupings, filter, view options, labels, watched
// ports with their slow poll and notifications, and "Find What Is Using Port…". Talks to the extension
// only through its API object and commands (importing src/ would load a second copy of it).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, Settings, Views } from '../../src/constants';
import type { ListeningSocket } from '../../src/core/types';
import type { PortInspectorApi, TreeRowSnapshot } from '../support/extensionApi';
import { activatedApi } from '../support/extensionApi';
import type { ListenerProcess } from '../support/listeners';
import { addCleanup, closeAfterEachTest, startListener, unusedTcpPort } from '../support/listeners';
import { until } from '../support/poll';
import { hasPython, startRawBytesListener } from '../support/rawBytesListener';

interface FindPortAnswer {
  port?: number;
  error?: string;
  free?: boolean;
  sockets?: Array<{ protocol: string; address: string; owners: Array<{ pid: number; name: string }>; terminal?: string }>;
}

const listenerScript = path.join(__dirname, '..', 'support', 'listenerChild.js');

/** Every row, with its parent's id (undefined at the root). */
function flatten(rows: TreeRowSnapshot[], parent?: TreeRowSnapshot): Array<TreeRowSnapshot & { parent?: string }> {
  return rows.flatMap((r) => [{ ...r, parent: parent?.id }, ...flatten(r.children ?? [], r)]);
}

function socketRows(api: PortInspectorApi): Array<TreeRowSnapshot & { parent?: string }> {
  return flatten(api.getTreeSnapshot()).filter((r) => r.contextValue?.startsWith('port '));
}

/** Rows of the given port, keyed by the row id's protocol|address part. */
function rowsForPort(api: PortInspectorApi, port: number): Array<TreeRowSnapshot & { parent?: string }> {
  return socketRows(api).filter((r) => r.id.includes(`|${port}|`));
}

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration();
const setSetting = (key: string, value: unknown): Thenable<void> => config().update(key, value, vscode.ConfigurationTarget.Global);

const rangeOf = (port: number): string => (port <= 1023 ? 'well-known' : port <= 49151 ? 'registered' : 'dynamic');

describe('Ports view', function () {
  this.timeout(60_000);
  closeAfterEachTest();
  let api: PortInspectorApi;
  let listener: ListenerProcess;
  let tmp: string;

  before(async () => {
    api = await activatedApi();
    for (const key of [Settings.groupBy, Settings.sortBy, Settings.showUdp, Settings.showHiddenOwners, Settings.labels, Settings.watchedPorts]) {
      await setSetting(key, undefined);
    }
    await vscode.commands.executeCommand(`${Views.ports}.focus`);
    await until(() => api.getViewState().visible, { what: 'the Ports view to be visible' });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pi-view-'));
    // One process with four sockets: TCP and UDP, IPv4 and IPv6, all on loopback.
    listener = await startListener({
      sockets: [
        { protocol: 'tcp', host: '127.0.0.1' },
        { protocol: 'tcp', host: '::1' },
        { protocol: 'udp', host: '127.0.0.1' },
        { protocol: 'udp', host: '::1' },
      ],
    });
  });

  after(async () => {
    await vscode.commands.executeCommand(Commands.clearFilter);
    for (const key of [Settings.groupBy, Settings.sortBy, Settings.showUdp, Settings.showHiddenOwners, Settings.labels, Settings.watchedPorts]) {
      await setSetting(key, undefined);
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('shows TCP and UDP, IPv4 and IPv6 listeners with their owner, highlighted while new', async () => {
    await api.refresh();
    const [tcp4, tcp6, udp4, udp6] = listener.ports;
    const expect: Array<[number, string, string]> = [
      [tcp4, 'tcp', '127.0.0.1'],
      [tcp6, 'tcp', '::1'],
      [udp4, 'udp', '127.0.0.1'],
      [udp6, 'udp', '::1'],
    ];
    for (const [port, protocol, address] of expect) {
      const row = rowsForPort(api, port).find((r) => r.id.startsWith(`${protocol}|${address}|`));
      assert.ok(row, `${address} ${port}/${protocol} missing from the tree`);
      assert.equal(row.label, `${port}/${protocol}`);
      assert.match(row.description ?? '', new RegExp(`^listenerChild\\.js \\(node\\) ${listener.pid}\\b`), row.description);
      assert.match(row.contextValue ?? '', new RegExp(`^port ${protocol} owned\\b`));
      assert.match(row.tooltip ?? '', /Loopback only/);
      assert.match(row.tooltip ?? '', new RegExp(`pid ${listener.pid}`));
    }
    // A listener that appeared since the previous scan is highlighted for a few seconds, then not.
    const first = rowsForPort(api, tcp4)[0];
    assert.equal(first.icon, 'sparkle', `new row icon: ${first.icon}`);
    assert.match(first.contextValue ?? '', /\bnew\b/);
    await until(() => rowsForPort(api, tcp4)[0]?.icon === 'lock', { what: 'the highlight to end', timeoutMs: 10_000 });
  });

  it('shows the rows under each grouping', async () => {
    const [tcp4] = listener.ports;
    await setSetting(Settings.groupBy, 'range');
    await until(() => api.getTreeSnapshot().every((r) => r.id.startsWith('range:')) && api.getTreeSnapshot().length > 0, {
      what: 'range groups',
    });
    for (const port of listener.ports) {
      const rows = rowsForPort(api, port);
      assert.ok(rows.length >= 1);
      assert.ok(rows.every((r) => r.parent === `range:${rangeOf(port)}`), `${port} under ${rows.map((r) => r.parent).join()}`);
    }

    await setSetting(Settings.groupBy, 'process');
    const group = await until(() => api.getTreeSnapshot().find((r) => r.id === `process:${listener.pid}`), { what: 'the listener process group' });
    assert.equal(group.label, 'listenerChild.js (node)', 'what runs, with its runtime');
    assert.match(group.description ?? '', new RegExp(`^pid ${listener.pid} · 4 ports`));
    assert.match(group.contextValue ?? '', /^group process owned/);
    assert.deepEqual(
      group.children?.map((c) => c.label).sort(),
      listener.ports.map((p, i) => `${p}/${i < 2 ? 'tcp' : 'udp'}`).sort(),
    );
    // Under a process the row says where it listens instead of repeating the owner.
    assert.match(group.children?.find((c) => c.label === `${tcp4}/tcp`)?.description ?? '', new RegExp(`^127\\.0\\.0\\.1:${tcp4}`));

    await setSetting(Settings.groupBy, 'none');
    await until(() => api.getTreeSnapshot().every((r) => !r.children), { what: 'a flat list' });
  });

  it('names the integrated terminal a dev server was started from, through sh', async () => {
    // What `npm run dev` looks like: the terminal's shell runs sh, which runs node.
    const tag = `pi-dev-${process.pid}-${Date.now()}`;
    const spec = JSON.stringify({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }], tag });
    const script = path.join(tmp, 'dev.sh');
    fs.writeFileSync(script, `"${process.execPath}" "${listenerScript}" '${spec}'\necho "dev server stopped"\n`);
    const terminal = vscode.window.createTerminal({ name: 'dev', cwd: tmp });
    addCleanup(() => terminal.dispose());
    const shellPid = await terminal.processId;
    assert.ok(shellPid, 'the terminal has a shell process');
    terminal.sendText(`sh '${script}'`);
    const socket = await until(async () => (await api.refresh()).sockets.find((s) => s.owners.some((o) => o.command.includes(tag))), {
      what: 'the dev server in the snapshot',
      timeoutMs: 20_000,
      intervalMs: 300,
    });
    const owner = socket.owners[0];
    assert.notEqual(owner.ppid, shellPid, 'sh sits between the shell and node');

    const row = await until(() => rowsForPort(api, socket.port).find((r) => (r.description ?? '').includes('in terminal "dev"')), {
      what: 'the terminal name on the row',
    });
    assert.match(row.description ?? '', new RegExp(`^listenerChild\\.js \\(node\\) ${owner.pid} · .*in terminal "dev"$`));
    assert.match(row.contextValue ?? '', /\bterminal\b/);
    assert.match(row.tooltip ?? '', /Started from the integrated terminal "dev"/);
    // The listener started by the test itself is not in a terminal.
    assert.ok(!(rowsForPort(api, listener.ports[0])[0].description ?? '').includes('in terminal'));

    await setSetting(Settings.groupBy, 'process');
    const group = await until(() => api.getTreeSnapshot().find((r) => r.id === `process:${owner.pid}`), { what: 'the process group' });
    assert.match(group.description ?? '', /in terminal "dev"$/);
    assert.match(group.contextValue ?? '', /\bterminal\b/);
    await setSetting(Settings.groupBy, 'none');

    // "Show Terminal" brings that terminal forward.
    const shown = await vscode.commands.executeCommand<string>(Commands.showTerminal, socket);
    assert.equal(shown, 'dev');
    await until(() => vscode.window.activeTerminal?.name === 'dev', { what: 'the terminal to be active' });
    const answer = await vscode.commands.executeCommand<FindPortAnswer>(Commands.findPort, String(socket.port));
    assert.equal(answer?.sockets?.[0]?.terminal, 'dev');

    // Stop the dev server; its row goes on the next refresh.
    terminal.dispose();
    try {
      process.kill(owner.pid, 'SIGTERM');
    } catch {
      // already ended with its terminal
    }
    await until(async () => !(await api.refresh()).sockets.some((s) => s.port === socket.port), {
      what: 'the dev server to stop',
      timeoutMs: 15_000,
      intervalMs: 300,
    });
    assert.equal(rowsForPort(api, socket.port).length, 0);
    await vscode.commands.executeCommand(`${Views.ports}.focus`);
  });

  it('filters by port, process and command line, shows the filter in the description, and clears', async () => {
    const [tcp4] = listener.ports;
    await vscode.commands.executeCommand(Commands.filter, String(tcp4));
    let rows = socketRows(api);
    assert.ok(rows.length >= 1);
    assert.ok(rows.some((r) => r.label === `${tcp4}/tcp`));
    assert.ok(rows.every((r) => r.label.startsWith(`${tcp4}/`)), JSON.stringify(rows.map((r) => r.label)));
    assert.equal(api.getViewState().description, `Filter: ${tcp4}`);

    // A pid matches its sockets.
    await vscode.commands.executeCommand(Commands.filter, String(listener.pid));
    rows = socketRows(api);
    assert.deepEqual(rows.map((r) => r.label).sort(), listener.ports.map((p, i) => `${p}/${i < 2 ? 'tcp' : 'udp'}`).sort());

    // Part of the command line.
    await vscode.commands.executeCommand(Commands.filter, 'listenerChild');
    assert.ok(socketRows(api).some((r) => r.label === `${tcp4}/tcp`));

    await vscode.commands.executeCommand(Commands.filter, 'no-such-process-xyz');
    assert.equal(socketRows(api).length, 0);
    assert.match(api.getViewState().message ?? '', /No port matches the filter "no-such-process-xyz"/);

    await vscode.commands.executeCommand(Commands.clearFilter);
    assert.equal(api.getViewState().description, undefined);
    assert.equal(api.getViewState().message, undefined);
    assert.ok(socketRows(api).length > 4);
  });

  it('hides and shows UDP sockets from the view title commands', async () => {
    const [, , udp4] = listener.ports;
    await vscode.commands.executeCommand(Commands.hideUdp);
    await until(() => socketRows(api).every((r) => !r.contextValue?.startsWith('port udp')), { what: 'UDP rows to go' });
    assert.equal(config().get(Settings.showUdp), false);
    await vscode.commands.executeCommand(Commands.showUdp);
    await until(() => rowsForPort(api, udp4).length > 0, { what: 'UDP rows to return' });
  });

  it('shows labels from the labels setting in the description and tooltip', async () => {
    const [tcp4] = listener.ports;
    await setSetting(Settings.labels, { [String(tcp4)]: 'my web app' });
    const row = await until(() => rowsForPort(api, tcp4).find((r) => (r.description ?? '').startsWith('my web app · ')), { what: 'the label' });
    assert.match(row.tooltip ?? '', /my web app/);
    await setSetting(Settings.labels, undefined);
  });

  it('escapes a command line that looks like Markdown in the tooltip', async () => {
    const evil = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] }, { argv0Extra: ['[x](command:workbench.action.quit)', '<b>bold</b>'] });
    await api.refresh();
    const row = rowsForPort(api, evil.ports[0])[0];
    assert.ok(row?.tooltip, 'row with a tooltip');
    const prose = row.tooltip.replace(/`[^`]*`/g, '');
    assert.ok(!prose.includes('](command:'), row.tooltip);
    assert.ok(!prose.includes('<b>'), row.tooltip);
    assert.ok(row.tooltip.includes('[x](command:workbench.action.quit)'), 'kept, inert, inside a code span');
  });

  it('shows a process whose name and command line are not valid UTF-8 as inert text: tree, status bar, notification', async function () {
    if (!hasPython()) {
      this.skip(); // python3 writes the raw bytes (apt-get install python3)
    }
    // Watched before it starts, so the "now in use by …" notification names the process.
    const port = await unusedTcpPort();
    const before = api.getWatchedPortNotifications().length;
    await setSetting(Settings.watchedPorts, [port]);
    await until(() => api.getStatusBar().text.includes(`${port} free`), { what: 'the watched port in the status bar' });
    const raw = await startRawBytesListener(
      [Buffer.from('ev\xffil<img src=x>', 'latin1'), Buffer.from('\x1b[31mred\x1b[0m', 'latin1'), Buffer.from('\xe2\x80\xaeexe.txt', 'latin1')],
      Buffer.from('n\xffme\x1b[2J', 'latin1'),
      port,
    );
    const unsafe = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    await api.refresh();
    const row = rowsForPort(api, port)[0];
    assert.ok(row, 'a row for the raw-bytes listener');
    for (const text of [row.label, row.description ?? '', (row.tooltip ?? '').replace(/\n/g, ' ')]) {
      assert.ok(!unsafe.test(text), JSON.stringify(text));
    }
    assert.match(row.description ?? '', /n\ufffdme\?\[2J/);
    assert.ok(!(row.tooltip ?? '').replace(/`[^`]*`/g, '').includes('<img'), row.tooltip);

    const { text, tooltip } = api.getStatusBar();
    assert.match(text, new RegExp(`${port} n\ufffdme\\?\\[2J`));
    assert.ok(!unsafe.test(text) && !unsafe.test(tooltip.replace(/\n/g, ' ')), JSON.stringify({ text, tooltip }));
    const taken = api.getWatchedPortNotifications().slice(before);
    assert.deepEqual(taken, [`Watched port ${port} is now in use by n\ufffdme?[2J (pid ${raw.pid}).`]);
    await setSetting(Settings.watchedPorts, undefined);
  });

  it('drops a closed listener on the next refresh', async () => {
    const gone = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }, { protocol: 'udp', host: '::1' }] });
    await api.refresh();
    assert.equal(rowsForPort(api, gone.ports[0]).length, 1);
    assert.equal(rowsForPort(api, gone.ports[1]).length, 1);
    await gone.close();
    await api.refresh();
    assert.equal(rowsForPort(api, gone.ports[0]).length, 0);
    assert.equal(rowsForPort(api, gone.ports[1]).length, 0);
    assert.ok(!api.getStatusBar().text.includes('…'));
  });

  it('shows watched ports in the status bar, notifies on changes, and polls them with the view hidden', async () => {
    const port = await unusedTcpPort();
    const before = api.getWatchedPortNotifications().length;
    await setSetting(Settings.watchedPorts, [port]);
    await until(() => api.getStatusBar().text.includes(`${port} free`), { what: 'the watched port in the status bar' });
    assert.ok(api.getRefreshNeeds().includes('watched-ports'));

    const holder = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1', port }] });
    await api.refresh();
    assert.match(api.getStatusBar().text, new RegExp(`${port} node`));
    assert.match(api.getStatusBar().tooltip, new RegExp(`${port}.*held by node \\\\\\(pid ${holder.pid}\\\\\\)`));
    const taken = api.getWatchedPortNotifications().slice(before);
    assert.deepEqual(taken, [`Watched port ${port} is now in use by node (pid ${holder.pid}).`]);

    // With the Ports view hidden only the watched-ports poll is left, and it still notices the change.
    await vscode.commands.executeCommand('workbench.view.explorer');
    await until(() => !api.getViewState().visible, { what: 'the Ports view to be hidden' });
    assert.deepEqual(api.getRefreshNeeds(), ['watched-ports']);
    await holder.close();
    await until(() => api.getStatusBar().text.includes(`${port} free`), {
      what: 'the slow poll to see the port freed',
      timeoutMs: 15_000,
      intervalMs: 250,
    });
    assert.equal(api.getWatchedPortNotifications().slice(before).at(-1), `Watched port ${port} is free now.`);

    await setSetting(Settings.watchedPorts, undefined);
    await until(() => /^\$\(server-process\) \d+$/.test(api.getStatusBar().text), { what: 'the count back in the status bar' });
    assert.deepEqual(api.getRefreshNeeds(), []);
    await vscode.commands.executeCommand(`${Views.ports}.focus`);
    await until(() => api.getViewState().visible, { what: 'the Ports view to be visible again' });
  });

  it('"Find What Is Using Port…" refuses invalid input and answers with the owner or "free"', async () => {
    for (const bad of ['abc', '0', '70000', '3000.5', '-1', '']) {
      const answer = await vscode.commands.executeCommand<FindPortAnswer>(Commands.findPort, bad);
      assert.ok(answer?.error, `"${bad}" was accepted`);
      assert.equal(answer.port, undefined);
      assert.ok(!answer.error.includes('\n'));
    }
    const [tcp4] = listener.ports;
    const held = await vscode.commands.executeCommand<FindPortAnswer>(Commands.findPort, tcp4);
    assert.equal(held?.port, tcp4);
    assert.equal(held?.free, false);
    assert.deepEqual(held?.sockets?.[0]?.owners.map((o) => o.pid), [listener.pid]);
    const freePort = await unusedTcpPort();
    const free = await vscode.commands.executeCommand<FindPortAnswer>(Commands.findPort, ` ${freePort} `);
    assert.deepEqual(free, { port: freePort, free: true, sockets: [] });
  });

  it('copies address, pid and command line of a socket', async () => {
    const socket = api.getSnapshot()?.sockets.find((s: ListeningSocket) => s.port === listener.ports[1] && s.protocol === 'tcp');
    assert.ok(socket);
    assert.equal(await vscode.commands.executeCommand(Commands.copyAddress, socket), `[::1]:${listener.ports[1]}`);
    assert.equal(await vscode.env.clipboard.readText(), `[::1]:${listener.ports[1]}`);
    assert.equal(await vscode.commands.executeCommand(Commands.copyPid, socket), String(listener.pid));
    const command = await vscode.commands.executeCommand<string>(Commands.copyCommandLine, socket);
    assert.match(command ?? '', /listenerChild\.js/);
  });

  it('resolves port references (hover links) against the current snapshot, never trusting claimed owners', async () => {
    const [tcp4] = listener.ports;
    assert.equal(await vscode.commands.executeCommand(Commands.copyPid, { port: tcp4, protocol: 'tcp' }), String(listener.pid));
    // A forged argument naming another pid on the same port gets the real owner.
    const forged = { protocol: 'tcp', family: 4, address: '127.0.0.1', port: tcp4, state: 'LISTEN', owners: [{ pid: 1, name: 'init', command: 'init' }], ownerVisible: true };
    assert.equal(await vscode.commands.executeCommand(Commands.copyPid, forged), String(listener.pid));
    // Nothing on the port: the command refuses (the wrapper reports it and returns undefined).
    const nothing = await unusedTcpPort();
    assert.equal(await vscode.commands.executeCommand(Commands.copyPid, { port: nothing, protocol: 'tcp' }), undefined);
    assert.equal(await vscode.commands.executeCommand(Commands.copyPid, { port: 'x', protocol: 'tcp' }), undefined);
    // "Show in Ports View" selects the row when it is shown, and says so when the filter hides it.
    assert.equal(await vscode.commands.executeCommand(Commands.revealPort, { port: tcp4, protocol: 'tcp', address: '127.0.0.1' }), true);
    await vscode.commands.executeCommand(Commands.filter, 'no-such-process-xyz');
    assert.equal(await vscode.commands.executeCommand(Commands.revealPort, { port: tcp4, protocol: 'tcp' }), false);
    await vscode.commands.executeCommand(Commands.clearFilter);
  });
});
