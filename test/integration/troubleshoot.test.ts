// Troubleshoot Port… and the activity log, in the real extension host with real listeners.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants';
import { activatedApi } from '../support/extensionApi';
import { closeAfterEachTest, startListener, unusedTcpPort } from '../support/listeners';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- markdown-it ships no types
const MarkdownIt = require('markdown-it') as new (options: Record<string, unknown>) => { render(src: string): string };

/** The report's text without Markdown's backslash escapes, for matching wording. */
const unescape = (md: string): string => md.replace(/\\(.)/g, '$1');

describe('Troubleshoot Port and port activity', function () {
  this.timeout(60_000);
  closeAfterEachTest();

  it('explains a loopback-only listener and shows what answers', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const md = (await vscode.commands.executeCommand(Commands.troubleshootPort, { port: l.ports[0], protocol: 'tcp' })) as string;
    assert.match(md, /reachable from this machine only/);
    assert.match(md, new RegExp(`pid ${l.pid}`));
    assert.match(md, /Firewall/);
    assert.match(md, new RegExp(`ss -ltnp 'sport = :${l.ports[0]}'`));
  });

  it('remembers who held a port after it was released, across a reload of the log', async () => {
    const a = await activatedApi();
    await a.refresh();
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = l.ports[0];
    await a.refresh();
    await l.close();
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
    const held = new Set((await (await activatedApi()).refresh()).sockets.map((s) => s.port));
    const port = [81, 82, 83, 88, 99, 111].find((p) => !held.has(p));
    assert.ok(port, 'a free privileged port');
    const md = (await vscode.commands.executeCommand(Commands.troubleshootPort, String(port))) as string;
    assert.match(md, /CAP_NET_BIND_SERVICE/);
  });

  it('keeps a hostile process title inert in the report', async () => {
    const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }], title: '[x](command:workbench.action.quit) <img src=x>' });
    const md = (await vscode.commands.executeCommand(Commands.troubleshootPort, { port: l.ports[0], protocol: 'tcp' })) as string;
    assert.match(unescape(md), /\[x\]\(command:workbench\.action\.quit\)/, 'the title is shown');
    // Rendered as a Markdown renderer would: the title must not become a link, an image or HTML.
    const html = new MarkdownIt({ html: true, linkify: true }).render(md);
    assert.ok(!/href="command:/i.test(html), 'no command link');
    assert.ok(!/<img/i.test(html), 'no image element');
  });

  it('refuses bad input with a clear message, not a report', async () => {
    const port = await unusedTcpPort();
    assert.equal(typeof (await vscode.commands.executeCommand(Commands.troubleshootPort, String(port))), 'string');
    assert.equal(await vscode.commands.executeCommand(Commands.troubleshootPort, '70000'), undefined);
    assert.equal(await vscode.commands.executeCommand(Commands.troubleshootPort, { nonsense: true }), undefined);
  });
});
