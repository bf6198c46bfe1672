// Troubleshoot Port… and the activity log, in the real extension host with real listeners.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants';
import { activatedApi } from '../support/extensionApi';
import { addCleanup, closeAfterEachTest, startListener, unusedTcpPort } from '../support/listeners';

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

  it('finds a mention deep in a file, and reads only the start of a 50 MB one', async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'the test host opened no workspace folder');
    const dir = fs.mkdtempSync(path.join(root, 'troubleshoot-files-'));
    addCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
    const port = await unusedTcpPort();

    // A compose file whose mapping sits past byte 10,000 (the old 8,000-byte window missed it).
    const filler = Array.from({ length: 200 }, (_, i) => `  # service notes, line ${i}: nothing to map here yet`).join('\n');
    const compose = `services:\n${filler}\n  web:\n    image: nginx:1.27\n    ports:\n      - "${port}:80"\n`;
    const composeLine = compose.slice(0, compose.indexOf(`"${port}:80"`)).split('\n').length;
    assert.ok(compose.indexOf(`"${port}:80"`) > 10_000, 'the mapping is past byte 10,000');
    fs.writeFileSync(path.join(dir, 'compose.yaml'), compose);

    // 50 MB of JSON: one mention at the top (read) and one at the very end (past the bounded read).
    const big = path.join(dir, 'huge.json');
    const fd = fs.openSync(big, 'w');
    try {
      fs.writeSync(fd, `{\n  "port": ${port},\n  "rows": [\n`);
      const row = `    "${'x'.repeat(1000)}",\n`;
      const chunk = row.repeat(1024); // about 1 MB
      for (let i = 0; i < 50; i++) {
        fs.writeSync(fd, chunk);
      }
      fs.writeSync(fd, `    "end"\n  ],\n  "lastPort": ${port}\n}\n`);
    } finally {
      fs.closeSync(fd);
    }
    assert.ok(fs.statSync(big).size > 50e6, 'the file is over 50 MB');
    const bigLines = fs.readFileSync(big, 'utf8').split('\n').length; // read here, before the measurement

    const rssBefore = process.memoryUsage().rss;
    const md = unescape((await vscode.commands.executeCommand(Commands.troubleshootPort, { port, protocol: 'tcp' })) as string);
    const grew = process.memoryUsage().rss - rssBefore;

    const rel = (name: string): string => vscode.workspace.asRelativePath(path.join(dir, name));
    assert.ok(md.includes(`${rel('compose.yaml')}:${composeLine}`), `the compose mapping at line ${composeLine} is listed:\n${md}`);
    assert.ok(md.includes(`${rel('huge.json')}:2`), `the mention at the top of the big file is listed:\n${md}`);
    assert.ok(!md.includes(`${rel('huge.json')}:${bigLines - 2}`), 'the mention 50 MB down was not read');
    // This test runs in the extension host itself: reading the big file whole would add 100 MB or more.
    assert.ok(grew < 40e6, `the extension host grew by ${(grew / 1e6).toFixed(1)} MB`);
  });
});
