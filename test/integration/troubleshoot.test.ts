// Troubleshoot Port… and the activity log, in the real extension host with real listeners.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants';
import type { Snapshot } from '../../src/inspector/types';
import { startListener } from '../support/listeners';

/** The API as `activate()` returns it (kept here, not imported: importing src/ loads a second copy). */
interface PortInspectorApi {
  refresh(): Promise<Snapshot>;
  test: {
    activityFor(port: number): ReadonlyArray<{ kind: string; port: number; holders: ReadonlyArray<{ pid?: number; name: string }> }>;
    reloadActivity(): Promise<number>;
  };
}

async function api(): Promise<PortInspectorApi> {
  const ext = vscode.extensions.getExtension<PortInspectorApi>(EXTENSION_ID);
  assert.ok(ext);
  return ext.activate();
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- markdown-it ships no types
const MarkdownIt = require('markdown-it') as new (options: Record<string, unknown>) => { render(src: string): string };

/** The report's text without Markdown's backslash escapes, for matching wording. */
const unescape = (md: string): string => md.replace(/\\(.)/g, '$1');

/** A port nothing listens on: bind it, note it, release it. */
async function unusedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('Troubleshoot Port and port activity', function () {
  this.timeout(60_000);

  it('explains a loopback-only listener and shows what answers', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    try {
      const md = (await vscode.commands.executeCommand(Commands.troubleshootPort, { port: l.ports[0], protocol: 'tcp' })) as string;
      assert.match(md, /reachable from this machine only/);
      assert.match(md, new RegExp(`pid ${l.pid}`));
      assert.match(md, /Firewall/);
      assert.match(md, new RegExp(`ss -ltnp 'sport = :${l.ports[0]}'`));
    } finally {
      await l.stop();
    }
  });

  it('remembers who held a port after it was released, across a reload of the log', async () => {
    const a = await api();
    await a.refresh();
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = l.ports[0];
    await a.refresh();
    await l.stop();
    await a.refresh();
    // This listener's events: on a shared machine another program may have held the same port number
    // on another address (::1) and closed it meanwhile, and the log records that too.
    const mine = (): string[] => a.test.activityFor(port).filter((e) => e.holders.some((h) => h.pid === l.pid)).map((e) => e.kind);
    assert.deepEqual(mine(), ['opened', 'closed'], JSON.stringify(a.test.activityFor(port)));
    assert.ok((await a.test.reloadActivity()) >= 2, 'stored and read back');
    assert.deepEqual(mine(), ['opened', 'closed'], 'same events after the reload');
    const md = unescape((await vscode.commands.executeCommand(Commands.troubleshootPort, String(port))) as string);
    assert.match(md, new RegExp(`Port ${port} was held by node \\(pid ${l.pid}\\) until`));
    const activity = (await vscode.commands.executeCommand(Commands.showPortActivity, { port, protocol: 'tcp' })) as string;
    assert.match(activity, /opened/);
    assert.match(activity, /closed/);
  });

  it('explains a privileged port with nothing on it', async () => {
    const held = new Set((await (await api()).refresh()).sockets.map((s) => s.port));
    const port = [81, 82, 83, 88, 99, 111].find((p) => !held.has(p));
    assert.ok(port, 'a free privileged port');
    const md = (await vscode.commands.executeCommand(Commands.troubleshootPort, String(port))) as string;
    assert.match(md, /CAP_NET_BIND_SERVICE/);
  });

  it('keeps a hostile process title inert in the report', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }], title: '[x](command:workbench.action.quit) <img src=x>' });
    try {
      const md = (await vscode.commands.executeCommand(Commands.troubleshootPort, { port: l.ports[0], protocol: 'tcp' })) as string;
      assert.match(unescape(md), /\[x\]\(command:workbench\.action\.quit\)/, 'the title is shown');
      // Rendered as a Markdown renderer would: the title must not become a link, an image or HTML.
      const html = new MarkdownIt({ html: true, linkify: true }).render(md);
      assert.ok(!/href="command:/i.test(html), 'no command link');
      assert.ok(!/<img/i.test(html), 'no image element');
    } finally {
      await l.stop();
    }
  });

  it('refuses bad input with a clear message, not a report', async () => {
    const port = await unusedPort();
    assert.equal(typeof (await vscode.commands.executeCommand(Commands.troubleshootPort, String(port))), 'string');
    assert.equal(await vscode.commands.executeCommand(Commands.troubleshootPort, '70000'), undefined);
    assert.equal(await vscode.commands.executeCommand(Commands.troubleshootPort, { nonsense: true }), undefined);
  });
});
