// The quick actions in the real extension host, against real processes and sockets: Free Port (SIGTERM,
// a process ignoring it, a respawning supervisor, an owner that exits or is replaced before the
// confirmation, Ctrl+C in an integrated terminal, several ports at once, and the extension host and its
// parent refused), Find a Free Port, Test Connection on a typed address, Open in Browser. The modal
// confirmation is answered through the API's documented test seam (`test.setPromptHandler`): the
// extension host cannot click a dialog (test/ui/actions.test.ts clicks the real one).
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import { Commands, Settings, Views } from '../../src/constants';
import type { ListeningSocket } from '../../src/core/types';
import type { PortInspectorApi, Prompt, TreeRowSnapshot } from '../support/extensionApi';
import { activatedApi } from '../support/extensionApi';
import type { ListenerProcess } from '../support/listeners';
import { addCleanup, closeAfterEachTest, listen, startListener, unusedTcpPort } from '../support/listeners';
import { until } from '../support/poll';

interface FreePortResult {
  outcome: 'freed' | 'still-held' | 'taken-by-other' | 'refused' | 'not-permitted';
  message: string;
  elapsedMs: number;
  signalled: number[];
  holders: Array<{ pid: number; name: string }>;
  hint?: string;
}

interface ConnectionResult {
  ok: boolean | undefined;
  address?: string;
  family?: number;
  failure?: { kind: string; message: string };
  identified?: { kind: string; summary: string };
}

const STOP = 'Stop Process';
const TREE = 'Stop Process Tree';
const CTRL_C = 'Stop in Terminal (Ctrl+C)';
const FORCE = 'Force Stop (SIGKILL)';
const listenerScript = path.join(__dirname, '..', 'support', 'listenerChild.js');
const respawnScript = path.join(__dirname, '..', 'support', 'respawnParent.js');
const isLinux = process.platform === 'linux';

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** pid → parent pid, from /proc (the test's own reading, independent of the extension's). */
function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

const freePortCmd = (port: number): Thenable<FreePortResult | undefined> => vscode.commands.executeCommand<FreePortResult | undefined>(Commands.freePort, { port, protocol: 'tcp' });
const setSetting = (key: string, value: unknown): Thenable<void> => vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Global);

describe('Quick actions', function () {
  this.timeout(60_000);
  closeAfterEachTest();
  let api: PortInspectorApi;
  /** Every prompt the actions showed, oldest first. */
  let prompts: Prompt[] = [];
  /** How the current test answers prompts. */
  let answer: (p: Prompt) => string | undefined | Promise<string | undefined> = () => undefined;

  const modals = (): Prompt[] => prompts.filter((p) => p.modal);
  const waitForPrompt = (what: string, test: (p: Prompt) => boolean, timeoutMs?: number): Promise<Prompt> =>
    until(() => prompts.find(test), { what: () => `a prompt: ${what} (seen: ${JSON.stringify(prompts.map((p) => p.message))})`, timeoutMs });

  /** A listener child, in the snapshot already. */
  async function listener(spec: Parameters<typeof startListener>[0]): Promise<ListenerProcess> {
    const l = await startListener(spec);
    await api.refresh();
    return l;
  }

  before(async () => {
    api = await activatedApi();
    api.test.setPromptHandler((p) => {
      prompts.push(p);
      return answer(p);
    });
    await setSetting(Settings.freePortTimeoutMs, undefined);
    await vscode.commands.executeCommand(`${Views.ports}.focus`);
  });

  beforeEach(() => {
    prompts = [];
    answer = () => undefined;
  });

  afterEach(async () => {
    await setSetting(Settings.freePortTimeoutMs, undefined);
  });

  after(() => api.test.setPromptHandler(undefined));

  describe('Free Port', () => {
    it('names the process in one confirmation, stops it with SIGTERM and says the port is free', async () => {
      const l = await listener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }, { protocol: 'tcp', host: '127.0.0.1' }] });
      const [port, other] = l.ports;
      // The holder as the Ports view names it: what runs (the script), with its runtime, and the pid.
      const holder = `listenerChild.js (node) ${l.pid}`;
      const row = await until(
        () => api.getTreeSnapshot().flatMap((r) => [r, ...(r.children ?? [])]).find((r) => r.label === `${port}/tcp` && r.description?.startsWith(holder)),
        { what: () => `a Ports view row "${port}/tcp" described "${holder} …": ${JSON.stringify(api.getTreeSnapshot().map((r) => [r.label, r.description]))}` },
      );
      assert.ok(row);
      answer = (p) => (p.modal ? STOP : undefined);
      const result = await freePortCmd(port);
      assert.ok(result);
      assert.equal(result.outcome, 'freed', result.message);
      assert.deepEqual(result.signalled, [l.pid]);
      await exited(l.child);
      assert.equal(l.child.signalCode, 'SIGTERM');

      assert.equal(modals().length, 1);
      const confirm = modals()[0];
      assert.equal(confirm.message, `Stop ${holder} to free ${port}/tcp?`, 'named as the Ports view names it, not by the bare OS name');
      assert.deepEqual(confirm.buttons, [STOP, TREE], 'no Ctrl+C offer for a process not started in a terminal');
      const detail = confirm.detail ?? '';
      assert.match(detail, new RegExp(`listenerChild\\.js \\(node\\) — pid ${l.pid}, user \\S+`));
      assert.ok(detail.includes('listenerChild.js'), `the command line is shown: ${detail}`);
      assert.ok(detail.includes(`it also holds ${other}/tcp`), `the other port is named: ${detail}`);
      assert.ok(detail.includes('Not started from an integrated terminal'), detail);
      assert.ok(detail.includes('up to 5.0 s'), `the default graceful wait: ${detail}`);

      const done = await waitForPrompt('the port is free', (p) => p.message.startsWith(`Port ${port} is now free (`));
      assert.equal(done.kind, 'info');
      assert.match(done.message, /^Port \d+ is now free \(\d+\.\d s\)\.$/);
    });

    it('does nothing when the confirmation is cancelled', async () => {
      const l = await listener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
      const result = await freePortCmd(l.ports[0]);
      assert.equal(result, undefined);
      assert.equal(modals().length, 1);
      assert.ok(alive(l.pid));
    });

    it('says a process ignoring SIGTERM still holds the port after the configured wait, and Force stops it', async () => {
      await setSetting(Settings.freePortTimeoutMs, 1000);
      const l = await listener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }], ignoreTerm: true });
      const port = l.ports[0];
      // The result notification offers Force; clicking it stops the process with SIGKILL. (The
      // notification is shown before the command returns, so the answer is set up front.)
      answer = (p) => (p.modal ? STOP : p.buttons.includes(FORCE) ? FORCE : undefined);
      const result = await freePortCmd(port);
      assert.ok(result);
      assert.equal(result.outcome, 'still-held', result.message);
      assert.ok(result.elapsedMs >= 1000 && result.elapsedMs < 4000, `waited ${result.elapsedMs} ms with timeoutMs 1000`);
      assert.match(result.message, new RegExp(`still held by listenerChild\\.js \\(node\\) ${l.pid} after`));
      assert.ok(modals()[0].detail?.includes('up to 1.0 s'));
      const held = await waitForPrompt('still held, with Force', (p) => p.buttons.includes(FORCE));
      assert.equal(held.kind, 'warning');
      await waitForPrompt('freed after Force', (p) => p.message.startsWith(`Port ${port} is now free`));
      await exited(l.child);
      assert.equal(l.child.signalCode, 'SIGKILL');
    });

    it('falls back to the default wait (5 s) when the setting is out of bounds', async () => {
      await setSetting(Settings.freePortTimeoutMs, 10);
      const l = await listener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }], ignoreTerm: true });
      answer = (p) => (p.modal ? STOP : undefined);
      const result = await freePortCmd(l.ports[0]);
      assert.equal(result?.outcome, 'still-held', result?.message);
      assert.ok(result.elapsedMs >= 4900, `waited ${result.elapsedMs} ms`);
      assert.ok(modals()[0].detail?.includes('up to 5.0 s'));
    });

    (isLinux ? it : it.skip)('needs Stop Process Tree for a supervisor that respawns its child', async () => {
      // detached: its own process group, as a shell gives each job.
      const parent = spawn(process.execPath, [respawnScript, '0'], { stdio: ['pipe', 'pipe', 'inherit'], detached: true });
      addCleanup(() => {
        try {
          process.kill(-parent.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      });
      const lines = readline.createInterface({ input: parent.stdout! });
      const next = (): Promise<{ parent: number; child: number; port: number }> => new Promise((resolve) => lines.once('line', (l) => resolve(JSON.parse(l))));
      const first = await next();
      const respawned = next();
      await api.refresh();

      answer = (p) => (p.modal ? STOP : undefined);
      const soft = await freePortCmd(first.port);
      const second = await respawned;
      assert.notEqual(second.child, first.child);
      assert.equal(soft?.outcome, 'taken-by-other', soft?.message);
      assert.match(soft.message, /Its parent started it again: stop the whole process tree/);
      const again = await waitForPrompt('taken by another', (p) => p.message === soft.message);
      assert.ok(again.buttons.includes('Free Port…'));

      prompts = [];
      answer = (p) => (p.modal ? TREE : undefined);
      const tree = await freePortCmd(first.port);
      assert.equal(tree?.outcome, 'freed', tree?.message);
      assert.ok(tree.signalled.includes(first.parent), 'the supervisor was stopped too');
      await exited(parent);
      assert.ok(modals()[0].detail?.includes(`pid ${second.child}`), 'the confirmation names the respawned child');
    });

    it('stops nothing when the owner exits before the confirmation is answered', async () => {
      const l = await listener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
      answer = async (p) => {
        if (p.modal) {
          await l.close();
          return STOP;
        }
        return undefined;
      };
      const result = await freePortCmd(l.ports[0]);
      assert.equal(result?.outcome, 'freed', result?.message);
      assert.deepEqual(result.signalled, [], 'no signal was sent');
      assert.match(result.message, new RegExp(`Pid ${l.pid} no longer holds port ${l.ports[0]}, and the port is free now`));
    });

    it('refuses when another process took the port before the confirmation was answered', async () => {
      const l = await listener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
      const port = l.ports[0];
      let successor: ListenerProcess | undefined;
      answer = async (p) => {
        if (p.modal) {
          await l.close();
          successor = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1', port }] });
          return STOP;
        }
        return undefined;
      };
      const result = await freePortCmd(port);
      assert.ok(successor);
      assert.equal(result?.outcome, 'refused', result?.message);
      assert.deepEqual(result.signalled, []);
      assert.match(result.message, new RegExp(`Pid ${l.pid} no longer holds port ${port}; it is held by listenerChild\\.js \\(node\\) ${successor.pid} now\\. Nothing was stopped\\.`));
      assert.ok(alive(successor.pid), 'the new owner was left alone');
    });

    it('refuses to stop the extension host (which runs this test) without asking', async () => {
      const server = net.createServer();
      const { port } = await listen({ protocol: 'tcp', host: '127.0.0.1' }, { server });
      await api.refresh();
      answer = (p) => (p.modal ? STOP : undefined);
      const result = await freePortCmd(port);
      assert.equal(result?.outcome, 'refused', result?.message);
      assert.match(result.message, new RegExp(`Refused to stop .* \\(pid ${process.pid}\\) to free ${port}/tcp: it is this process itself`));
      assert.equal(modals().length, 0, 'no confirmation for a protected process');
      await waitForPrompt('the refusal', (p) => p.kind === 'warning' && p.message.includes('it is this process itself'));
      assert.ok(server.listening);
    });

    (isLinux ? it : it.skip)("refuses to stop the extension host's parent (VS Code's server)", async function () {
      const ancestors: number[] = [];
      for (let pid = parentOf(process.pid); pid !== undefined && pid > 1 && ancestors.length < 20; pid = parentOf(pid)) {
        ancestors.push(pid);
      }
      const snapshot = await api.refresh();
      const held = snapshot.sockets.find((s) => s.protocol === 'tcp' && s.owners.some((o) => ancestors.includes(o.pid)));
      if (!held) {
        this.skip(); // Only when no ancestor listens (code-server's always does).
      }
      const owner = held.owners.find((o) => ancestors.includes(o.pid))!;
      answer = (p) => (p.modal ? STOP : undefined);
      const result = await freePortCmd(held.port);
      assert.equal(result?.outcome, 'refused', result?.message);
      assert.ok(result.message.includes(`(pid ${owner.pid})`), result.message);
      assert.match(result.message, /it is a parent of this process/);
      assert.equal(modals().length, 0);
      assert.ok(alive(owner.pid));
    });

    it('frees several selected ports with one confirmation listing every process', async () => {
      const a = await listener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
      const b = await listener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
      const socketOf = (port: number): ListeningSocket => api.getSnapshot()!.sockets.find((s) => s.port === port && s.protocol === 'tcp')!;
      // What a tree context menu passes on a multi-selection: (clicked row, selected rows).
      const rowA = { kind: 'socket', socket: socketOf(a.ports[0]) };
      const rowB = { kind: 'socket', socket: socketOf(b.ports[0]) };
      answer = (p) => (p.modal ? STOP : undefined);
      const results = await vscode.commands.executeCommand<FreePortResult[]>(Commands.freePort, rowA, [rowA, rowB]);
      assert.equal(modals().length, 1, 'one confirmation');
      const [confirm] = modals();
      assert.equal(confirm.message, `Stop 2 processes to free ${a.ports[0]}/tcp and ${b.ports[0]}/tcp?`);
      assert.ok(confirm.detail?.includes(`pid ${a.pid}`) && confirm.detail.includes(`pid ${b.pid}`), confirm.detail);
      assert.deepEqual(
        results.map((r) => r.outcome),
        ['freed', 'freed'],
        results.map((r) => r.message).join(' | '),
      );
      await Promise.all([exited(a.child), exited(b.child)]);
      const summary = await waitForPrompt('one summary', (p) => !p.modal && p.message.startsWith('Freed 2 of 2 ports.'));
      assert.equal(summary.kind, 'info');
    });

    (isLinux ? it : it.skip)('offers Stop in Terminal first for a server started in an integrated terminal, and Ctrl+C frees it', async () => {
      const port = await unusedTcpPort();
      const terminal = vscode.window.createTerminal({ name: 'pi-actions-dev' });
      addCleanup(() => terminal.dispose());
      const spec = JSON.stringify({ sockets: [{ protocol: 'tcp', host: '127.0.0.1', port }] });
      terminal.sendText(`'${process.execPath}' '${listenerScript}' '${spec}'`);
      // Wait until the shell has started the server, then until the extension has matched the owner to
      // this terminal (its row says so).
      await until(async () => (await api.refresh()).sockets.some((s) => s.port === port && s.owners.length > 0), {
        what: 'the listener started in the terminal',
        timeoutMs: 30_000,
        intervalMs: 300,
      });
      const flat = (rows: TreeRowSnapshot[]): TreeRowSnapshot[] => rows.flatMap((r) => [r, ...flat(r.children ?? [])]);
      const row = (): TreeRowSnapshot | undefined => flat(api.getTreeSnapshot()).find((r) => r.id.includes(`|${port}|`));
      await until(
        async () => {
          await api.refresh();
          return /\bterminal\b/.test(row()?.contextValue ?? '');
        },
        { what: () => `the row to name the terminal (row: ${JSON.stringify(row()?.contextValue)})`, timeoutMs: 10_000, intervalMs: 300 },
      );
      const owner = api.getSnapshot()!.sockets.find((s) => s.port === port)!.owners[0];
      answer = (p) => (p.modal ? CTRL_C : undefined);
      const result = await freePortCmd(port);
      const [confirm] = modals();
      assert.deepEqual(confirm.buttons, [CTRL_C, STOP, TREE], 'Ctrl+C is the first choice');
      assert.ok(confirm.detail?.includes('Started from the integrated terminal "pi-actions-dev"'), confirm.detail);
      assert.equal(result?.outcome, 'freed', result?.message);
      assert.deepEqual(result.signalled, [owner.pid]);
      await until(() => !alive(owner.pid), { what: 'the process to exit' });
      assert.equal(terminal.exitStatus, undefined, 'the terminal itself is still open');
    });

    it('offers to type the reveal command into a terminal for an owner it cannot see, without running it', async () => {
      // Any socket will do for the explanation itself: the hidden-owner flow opens it, and as root no
      // owner is hidden here. What is checked is the terminal it opens.
      const { port } = await listen({ protocol: 'tcp', host: '127.0.0.1' });
      await api.refresh();
      const before = vscode.window.terminals.length;
      answer = (p) => (p.buttons.includes('Open Terminal with Command') ? 'Open Terminal with Command' : undefined);
      await vscode.commands.executeCommand(Commands.explainHiddenOwner, { port, protocol: 'tcp' });
      const [shown] = modals();
      assert.deepEqual(shown.buttons, ['Open Terminal with Command', 'Copy Command']);
      // As root a hidden owner is in another pid namespace: sudo would not help, lsns lists them.
      const reveal = process.getuid?.() === 0 ? 'lsns -t pid' : `sudo ss -ltnp 'sport = :${port}'`;
      assert.ok(shown.detail?.includes(reveal), shown.detail);
      assert.equal(/sudo/.test(shown.detail ?? ''), process.getuid?.() !== 0, shown.detail);
      const terminal = await until(() => vscode.window.terminals.length > before && vscode.window.terminals.find((t) => t.name === 'Port Inspector'), {
        what: 'a terminal',
      });
      addCleanup(() => terminal.dispose());
    });
  });

  describe('Find a Free Port', () => {
    interface Answer {
      input: string;
      error?: string;
      port?: number;
      copied?: boolean;
    }

    it('skips a port in use, confirms by binding, and copies the port', async () => {
      const l = await listener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
      const busy = l.ports[0];
      const found = await vscode.commands.executeCommand<Answer>(Commands.findFreePort, String(busy));
      assert.ok(found.port !== undefined, found.error);
      assert.notEqual(found.port, busy);
      assert.ok(Math.abs(found.port - busy) <= 60, `near ${busy}: ${found.port}`);
      assert.equal(found.copied, true);
      assert.equal(await vscode.env.clipboard.readText(), String(found.port));
      const msg = await waitForPrompt('found', (p) => p.message.includes(`nearest free port is ${found.port}, copied to the clipboard`));
      assert.ok(msg.message.includes(`TCP ${busy} is in use by listenerChild.js (node) ${l.pid}`), msg.message);
      // Bindable right now, on the wildcard address like a dev server.
      const check = net.createServer();
      await new Promise<void>((resolve, reject) => check.once('error', reject).listen(found.port, resolve));
      await new Promise((r) => check.close(r));
    });

    it('says so when a range has no free port, and refuses bad input', async () => {
      const l = await listener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
      const busy = l.ports[0];
      const none = await vscode.commands.executeCommand<Answer>(Commands.findFreePort, `${busy}-${busy}`);
      assert.equal(none.port, undefined);
      assert.match(none.error ?? '', new RegExp(`No free TCP port in ${busy}: 1 skipped \\(known to be in use\\)`));
      const bad = await vscode.commands.executeCommand<Answer>(Commands.findFreePort, '3100-3000');
      assert.match(bad.error ?? '', /backwards/);
      const words = await vscode.commands.executeCommand<Answer>(Commands.findFreePort, 'http');
      assert.match(words.error ?? '', /is not a port/);
      assert.ok(prompts.some((p) => p.kind === 'error' && /backwards/.test(p.message)));
    });
  });

  describe('Test Connection to a typed address', () => {
    interface Answer {
      input: string;
      error?: string;
      result?: ConnectionResult;
    }

    it('connects to a typed 127.0.0.1:<port> and shows the key line', async () => {
      const { port } = await listen({ protocol: 'tcp', host: '127.0.0.1' }, { server: net.createServer((s) => s.end('SSH-2.0-pi_test\r\n')) });
      const answerData = await vscode.commands.executeCommand<Answer>(Commands.testAddress, `127.0.0.1:${port}`);
      assert.equal(answerData.error, undefined);
      assert.equal(answerData.result?.ok, true);
      assert.equal(answerData.result.address, '127.0.0.1');
      assert.equal(answerData.result.family, 4);
      assert.equal(answerData.result.identified?.kind, 'banner');
      const line = await waitForPrompt('the result', (p) => p.message.startsWith(`TCP 127.0.0.1:${port} is open`));
      assert.equal(line.kind, 'info');
      assert.ok(line.message.includes('SSH server: pi_test'), line.message);
      assert.deepEqual(line.buttons, ['Show Log']);
    });

    it('reports a closed port as refused', async () => {
      const port = await unusedTcpPort();
      const answerData = await vscode.commands.executeCommand<Answer>(Commands.testAddress, `127.0.0.1:${port}`);
      assert.equal(answerData.result?.ok, false);
      assert.equal(answerData.result.failure?.kind, 'refused');
      await waitForPrompt('the failure', (p) => p.kind === 'warning' && p.message.includes('failed'));
    });

    it('refuses invalid input with a clear message and sends nothing', async () => {
      const space = await vscode.commands.executeCommand<Answer>(Commands.testAddress, 'bad host:80');
      assert.equal(space.result, undefined);
      assert.match(space.error ?? '', /"bad host:80" is not an address: it contains a space/);
      const range = await vscode.commands.executeCommand<Answer>(Commands.testAddress, 'localhost:70000');
      assert.equal(range.result, undefined);
      assert.match(range.error ?? '', /"70000" is not a port: ports are whole numbers from 1 to 65535/);
      const portOnly = await vscode.commands.executeCommand<Answer>(Commands.testAddress, '3000');
      assert.match(portOnly.error ?? '', /has no host/);
      assert.deepEqual(
        prompts.map((p) => p.kind),
        ['error', 'error', 'error'],
      );
    });

    it('says UDP cannot be confirmed by a connect', async () => {
      const answerData = await vscode.commands.executeCommand<Answer>(Commands.testAddress, '127.0.0.1:9/udp');
      assert.equal(answerData.result?.ok, undefined);
      await waitForPrompt('cannot tell', (p) => /UDP 127\.0\.0\.1:9: cannot tell/.test(p.message));
    });
  });

  describe('Open in Browser', () => {
    it('opens an HTTP server on a port the dev table does not know through asExternalUri', async () => {
      const server = http.createServer((_req, res) => res.writeHead(200, { Server: 'pi-test' }).end('ok'));
      const { port } = await listen({ protocol: 'tcp', host: '127.0.0.1' }, { server });
      await api.refresh();
      const url = await vscode.commands.executeCommand<string | undefined>(Commands.openInBrowser, { port, protocol: 'tcp' });
      const expected = (await vscode.env.asExternalUri(vscode.Uri.parse(`http://localhost:${port}/`))).toString(true);
      assert.equal(url, expected);
    });

    it('does not open a port that does not answer HTTP unless asked', async () => {
      const { port } = await listen({ protocol: 'tcp', host: '127.0.0.1' }, { server: net.createServer((s) => s.end('220 pi-test ESMTP\r\n')) });
      await api.refresh();
      const url = await vscode.commands.executeCommand<string | undefined>(Commands.openInBrowser, { port, protocol: 'tcp' });
      assert.equal(url, undefined);
      const warned = await waitForPrompt('not a web server', (p) => p.message.includes('did not answer as a web server'));
      assert.deepEqual(warned.buttons, ['Open with http:// Anyway']);
    });
  });

  // Issue #20: what a server or a process chose to say reaches a notification, and VS Code turns
  // `[label](command:…)` there into a link that runs the command. The prompt seam receives the text as the
  // workbench would show it; VS Code's own link pattern (linkedText.ts) must find nothing in it.
  describe('Hostile text never becomes a link', () => {
    const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;
    const LINK = '[Docs](command:workbench.action.files.newUntitledFile "https://example.com")';
    const inert = (p: Prompt): void => {
      for (const text of [p.message, p.detail ?? '', ...p.buttons]) {
        assert.equal(VSCODE_LINK.exec(text), null, `a link in ${JSON.stringify(text)}`);
        assert.ok(!/[\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(text), `an invisible character in ${JSON.stringify(text)}`);
      }
    };

    it('a banner, an HTTP status text and Server header (Test Connection), and a banner again (Open in Browser)', async () => {
      const banner = net.createServer((s) => s.end(`SSH-2.0-${LINK}\u202e\u2028\r\n`));
      const bannerPort = (await listen({ protocol: 'tcp', host: '127.0.0.1' }, { server: banner })).ports[0];
      const web = http.createServer((_req, res) => {
        res.statusMessage = `OK ${LINK}`;
        res.writeHead(200, { Server: `pi ${LINK}` }).end('ok');
      });
      const webPort = (await listen({ protocol: 'tcp', host: '127.0.0.1' }, { server: web })).ports[0];
      await vscode.commands.executeCommand(Commands.testAddress, `127.0.0.1:${bannerPort}`);
      inert(await waitForPrompt('the banner', (p) => p.message.includes(String(bannerPort))));
      await vscode.commands.executeCommand(Commands.testAddress, `127.0.0.1:${webPort}`);
      const httpLine = await waitForPrompt('the HTTP answer', (p) => p.message.includes(String(webPort)));
      inert(httpLine);
      assert.ok(httpLine.message.includes('Docs'), `the words stay readable: ${httpLine.message}`);
      await api.refresh();
      await vscode.commands.executeCommand(Commands.openInBrowser, { port: bannerPort, protocol: 'tcp' });
      inert(await waitForPrompt('not a web server', (p) => p.message.includes('did not answer as a web server')));
    });

    it('a process name (Find What Is Using Port, the Free Port confirmation and its result)', async () => {
      const l = await listener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }], title: '[a](command:x)' });
      await vscode.commands.executeCommand(Commands.findPort, String(l.ports[0]));
      inert(await waitForPrompt('the answer', (p) => p.message.includes(`Port ${l.ports[0]}`)));
      answer = (p) => (p.modal ? 'Stop Process' : undefined);
      await freePortCmd(l.ports[0]);
      for (const p of prompts) {
        inert(p);
      }
      assert.ok(prompts.some((p) => p.modal), 'the confirmation was shown');
    });
  });
});
