// Port hovers and diagnostics in the real extension host, through `vscode.executeHoverProvider` and the
// diagnostics the workbench holds, with listeners this test starts. Talks to the extension only through
// its API object and commands (see extension.test.ts for why).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import type { PortInspectorApi } from '../support/extensionApi';
import { activatedApi } from '../support/extensionApi';
import { closeAfterEachTest, startListener, unusedTcpPort } from '../support/listeners';
import { fixturePath } from '../support/paths';
import { until } from '../support/poll';

interface ExpectedPort {
  line: number;
  port: number;
  protocol: 'tcp' | 'udp';
}

/** The first line of every Port Inspector hover: `**3000/tcp**` or `**3000–3005/tcp**`. */
const TITLE = /^\*\*(\d+)(?:–(\d+))?\/(tcp|udp)\*\*/;
const HOSTILE_TITLE = '[x](command:workbench.action.quit) <img src=x>';

let scratch: string;

function text(content: vscode.MarkdownString | vscode.MarkedString): string {
  return typeof content === 'string' ? content : content.value;
}

/** Port Inspector's hover at a position (others, from built-in language features, are ignored). */
async function portHover(uri: vscode.Uri, position: vscode.Position): Promise<{ hover: vscode.Hover; markdown: string } | undefined> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  for (const hover of hovers) {
    const markdown = hover.contents.map(text).find((t) => TITLE.test(t));
    if (markdown !== undefined) {
      return { hover, markdown };
    }
  }
  return undefined;
}

function scratchFile(name: string, content: string): vscode.Uri {
  const file = path.join(scratch, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return vscode.Uri.file(file);
}

/** The command links of a hover: id and decoded arguments. */
function commandLinks(markdown: string): Array<{ command: string; args: unknown[] }> {
  return [...markdown.matchAll(/\]\(command:([\w.]+)(?:\?([^)\s]*))?\)/g)].map((m) => ({
    command: m[1],
    args: m[2] ? (JSON.parse(decodeURIComponent(m[2])) as unknown[]) : [],
  }));
}

describe('Port hovers and diagnostics', function () {
  this.timeout(60_000);
  closeAfterEachTest();
  let api: PortInspectorApi;

  before(async () => {
    api = await activatedApi();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pi-hover-'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('names the pid of a listener the test started, and its links work from the hover', async () => {
    const listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = listener.ports[0];
    const uri = scratchFile('app/.env', `# the API\nPORT=${port}\nREQUEST_TIMEOUT=3000\n`);
    const document = await vscode.workspace.openTextDocument(uri);
    await api.refresh();

    const found = await portHover(uri, new vscode.Position(1, 6));
    assert.ok(found, 'no Port Inspector hover on the PORT value');
    const { hover, markdown } = found;
    assert.match(markdown, new RegExp(`^\\*\\*${port}/tcp\\*\\*`));
    assert.match(markdown, /\*\*In use\*\* by:/);
    assert.match(markdown, new RegExp(`\\(pid ${listener.pid}\\)`));
    assert.match(markdown, /loopback only/);
    assert.equal(document.getText(hover.range), String(port));
    assert.equal(await portHover(uri, new vscode.Position(2, 17)), undefined, 'a timeout got a hover');

    // The MarkdownString is trusted for the extension's own commands only.
    const md = hover.contents.find((c): c is vscode.MarkdownString => typeof c !== 'string' && TITLE.test(c.value));
    const trusted = md?.isTrusted;
    if (typeof trusted === 'object') {
      assert.ok(trusted.enabledCommands.length > 0);
      assert.ok(trusted.enabledCommands.every((c) => c.startsWith('portInspector.')), JSON.stringify(trusted));
    } else {
      assert.notEqual(trusted, true, 'the hover must not trust every command');
    }

    // The links carry a port reference the commands accept: Test Connection reaches the listener.
    const links = commandLinks(markdown);
    const test = links.find((l) => l.command === Commands.testConnection);
    assert.ok(test, `no Test Connection link in ${markdown}`);
    assert.deepEqual(test.args, [{ port, protocol: 'tcp', address: '127.0.0.1' }]);
    const result = await vscode.commands.executeCommand<{ ok?: boolean; port?: number }>(test.command, ...test.args);
    assert.equal(result?.ok, true, JSON.stringify(result));
    assert.equal(result?.port, port);
    const reveal = links.find((l) => l.command === Commands.revealPort);
    assert.ok(reveal);
    assert.equal(await vscode.commands.executeCommand(reveal.command, ...reveal.args), true, 'Show in Ports View did not reveal the row');
    assert.ok(links.some((l) => l.command === Commands.freePort), 'no Free Port link');
  });

  it('gives a decoy no hover: a timeout of 3000, an image tag, a version, a user id', async () => {
    const uri = scratchFile('decoys/config.yaml', 'timeout: 3000\nimage: node:20\nversion: "3.8"\nuser: "1000:1000"\nmem_limit: 1024\nreport: 3000\n');
    await vscode.workspace.openTextDocument(uri);
    const positions = [
      [0, 10],
      [1, 13],
      [2, 10],
      [3, 8],
      [3, 13],
      [4, 12],
      [5, 9],
    ];
    for (const [line, character] of positions) {
      assert.equal(await portHover(uri, new vscode.Position(line, character)), undefined, `hover at ${line}:${character}`);
    }
    // The same number in a port context does get one, so the decoys are not silent for another reason.
    const port = scratchFile('decoys/compose.yaml', 'services:\n  web:\n    ports:\n      - "3000:3000"\n');
    await vscode.workspace.openTextDocument(port);
    assert.ok(await portHover(port, new vscode.Position(3, 10)), 'no hover on a compose port mapping');
  });

  it('keeps a hostile process title as text', async () => {
    const listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }], title: HOSTILE_TITLE });
    const port = listener.ports[0];
    const snapshot = await api.refresh();
    const owner = snapshot.sockets.find((s) => s.port === port)?.owners.find((o) => o.pid === listener.pid);
    assert.ok(owner, 'the listener is not in the snapshot');
    // The kernel really reports the hostile text (comm is cut to 15 bytes, the command line is whole).
    assert.ok(owner.name.startsWith('[x](command:'), owner.name);
    assert.ok(owner.command.includes(HOSTILE_TITLE), owner.command);

    const listen = `http.createServer(() => {}).listen(${port});`;
    const uri = scratchFile('hostile/server.js', `const http = require('http');\n${listen}\n`);
    await vscode.workspace.openTextDocument(uri);
    const found = await portHover(uri, new vscode.Position(1, listen.indexOf(String(port)) + 1));
    assert.ok(found, 'no hover on .listen(port)');
    const { markdown } = found;
    assert.match(markdown, new RegExp(`\\(pid ${listener.pid}\\)`));
    // The title is there, escaped: readable text, never a link, an image or HTML.
    assert.ok(markdown.includes('\\[x\\]\\(command\\:workbench\\.action\\.quit\\)'), markdown);
    assert.doesNotMatch(markdown, /(?<!\\)\[x/);
    assert.doesNotMatch(markdown, /(?<!\\)\]\(command:workbench/);
    assert.doesNotMatch(markdown, /(?<!\\)<img/);
    assert.ok(commandLinks(markdown).every((l) => l.command.startsWith('portInspector.')), markdown);
  });

  it('underlines a compose file: a host port mapped twice (warning) and a port another process holds (information)', async () => {
    const listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const held = listener.ports[0];
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the test host opened no workspace folder');
    // Started in the workspace folder: the workspace's own process.
    const own = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] }, { cwd: folder });
    const twice = await unusedTcpPort();
    const compose = [
      'services:',
      '  web:',
      '    image: nginx:1.27',
      '    ports:',
      `      - "${twice}:80"`,
      '  api:',
      '    image: node:20',
      '    ports:',
      `      - "${twice}:3000"`,
      `      - "127.0.0.1:${held}:5000"`,
      `      - "127.0.0.1:${own.ports[0]}:6000"`,
      '',
    ].join('\n');
    const uri = scratchFile('compose/docker-compose.yml', compose);
    await api.refresh();
    await vscode.window.showTextDocument(uri);

    const diagnostics = await until(
      async () => {
        await api.whenDiagnosticsIdle();
        const all = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Port Inspector');
        return all.length >= 3 && all;
      },
      { what: 'port diagnostics' },
    );
    const duplicates = diagnostics.filter((d) => d.code === 'duplicate-host-port');
    assert.deepEqual(duplicates.map((d) => [d.range.start.line, d.severity]), [
      [4, vscode.DiagnosticSeverity.Warning],
      [8, vscode.DiagnosticSeverity.Warning],
    ]);
    assert.match(duplicates[0].message, new RegExp(`^Host port ${twice}/tcp is mapped more than once in this file \\(also on line 9\\)`));
    assert.equal(duplicates[0].relatedInformation?.[0].location.range.start.line, 8);
    const taken = diagnostics.filter((d) => d.code === 'port-in-use');
    assert.equal(taken.length, 1, JSON.stringify(taken.map((d) => d.message)));
    assert.equal(taken[0].severity, vscode.DiagnosticSeverity.Information);
    assert.equal(taken[0].range.start.line, 9);
    assert.match(taken[0].message, new RegExp(`^Port ${held}/tcp is already in use by node \\(pid ${listener.pid}\\)`));
    if (process.platform === 'linux') {
      // Its working directory is the extension host's, not under the workspace folder.
      assert.match(taken[0].message, new RegExp(`started outside this workspace \\(in ${process.cwd().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)\\.$`));
    }
    console.log(`  diagnostic: ${taken[0].message}`);
    // The process started in the workspace folder (line 10) is the workspace's own: no diagnostic.

    // Edited: the second mapping moves to another port, and the warnings go (after the debounce).
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri.toString());
    const other = await unusedTcpPort();
    await editor.edit((e) => e.replace(new vscode.Range(8, 9, 8, 9 + String(twice).length), String(other)));
    await until(
      async () => {
        await api.whenDiagnosticsIdle();
        const left = vscode.languages.getDiagnostics(uri);
        return !left.some((d) => d.code === 'duplicate-host-port') && left.some((d) => d.code === 'port-in-use');
      },
      { what: 'the duplicate warnings to go after an edit' },
    );

    // Freed: the information goes with the next snapshot; closed: everything goes.
    await listener.close();
    await api.refresh();
    await until(
      async () => {
        await api.whenDiagnosticsIdle();
        return !vscode.languages.getDiagnostics(uri).some((d) => d.code === 'port-in-use');
      },
      // Generous: on a loaded 2-core machine the close, the scan and the re-check of the file queue up.
      { what: 'the port-in-use diagnostic to go', timeoutMs: 60_000 },
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await until(() => vscode.languages.getDiagnostics(uri).length === 0, { what: 'the diagnostics of a closed file to go' });
  });

  it('follows the settings: the file kinds read, and hovers off', async () => {
    const config = vscode.workspace.getConfiguration();
    const env = scratchFile('settings/.env', 'PORT=3000\nAPI_URL=http://localhost:4000/\n');
    const compose = scratchFile('settings/compose.yaml', 'services:\n  web:\n    ports:\n      - "3000:3000"\n');
    await vscode.workspace.openTextDocument(env);
    await vscode.workspace.openTextDocument(compose);
    try {
      await config.update(Settings.hoverFileKinds, ['compose'], vscode.ConfigurationTarget.Global);
      await until(async () => !(await portHover(env, new vscode.Position(0, 6))), { what: '.env hovers to stop' });
      assert.equal(await portHover(env, new vscode.Position(1, 25)), undefined, 'a URL in a kind that is off, without `other`');
      assert.ok(await portHover(compose, new vscode.Position(3, 10)), 'compose is still on');

      await config.update(Settings.hoverFileKinds, ['compose', 'other'], vscode.ConfigurationTarget.Global);
      await until(() => portHover(env, new vscode.Position(1, 25)), { what: 'URL hovers in .env (read as any file)' });
      assert.equal(await portHover(env, new vscode.Position(0, 6)), undefined, 'PORT= is an .env rule, and .env is off');

      await config.update(Settings.hoverEnabled, false, vscode.ConfigurationTarget.Global);
      await until(async () => !(await portHover(compose, new vscode.Position(3, 10))), { what: 'every hover to stop' });
    } finally {
      await config.update(Settings.hoverFileKinds, undefined, vscode.ConfigurationTarget.Global);
      await config.update(Settings.hoverEnabled, undefined, vscode.ConfigurationTarget.Global);
    }
    await until(() => portHover(env, new vscode.Position(0, 6)), { what: 'hovers to come back' });
  });

  it('skips diagnostics for a file over the size cap', async () => {
    const head = 'services:\n  a:\n    ports:\n      - "18080:80"\n  b:\n    ports:\n      - "18080:81"\n';
    const uri = scratchFile('big/docker-compose.yml', `${head}${'# padding padding padding padding padding padding padding padding\n'.repeat(9000)}`);
    const small = scratchFile('small/docker-compose.yml', head);
    await vscode.window.showTextDocument(uri, { preview: false });
    await vscode.window.showTextDocument(small, { preview: false });
    // The small copy is read and warned about; by then the big one, opened first, was looked at too.
    await until(
      async () => {
        await api.whenDiagnosticsIdle();
        return vscode.languages.getDiagnostics(small).some((d) => d.code === 'duplicate-host-port');
      },
      { what: 'the small file\u2019s warnings' },
    );
    await api.whenDiagnosticsIdle();
    assert.deepEqual(vscode.languages.getDiagnostics(uri), []);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('finds the ports of the fixture corpus through real hovers (precision and recall)', async function () {
    this.timeout(240_000);
    const expected = JSON.parse(fs.readFileSync(fixturePath('ports', 'expected.json'), 'utf8')) as Record<string, ExpectedPort[]>;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let requests = 0;
    const started = Date.now();
    const rows: string[] = [];
    const differences: string[] = [];
    for (const [file, marks] of Object.entries(expected)) {
      const uri = vscode.Uri.file(fixturePath('ports', file));
      const document = await vscode.workspace.openTextDocument(uri);
      // One hover per number; a number inside a range already hovered (3005 of 3000-3005) is skipped.
      const found: Array<{ line: number; port: number; protocol: string; end: vscode.Position }> = [];
      for (let line = 0; line < document.lineCount; line++) {
        for (const m of document.lineAt(line).text.matchAll(/\d+/g)) {
          const at = new vscode.Position(line, m.index ?? 0);
          const last = found[found.length - 1];
          if (last && last.line === line && at.isBefore(last.end)) {
            continue;
          }
          requests++;
          const hit = await portHover(uri, at);
          const title = hit ? TITLE.exec(hit.markdown) : null;
          if (hit && title) {
            found.push({ line, port: Number(title[1]), protocol: title[3], end: hit.hover.range?.end ?? at });
          }
        }
      }
      const unused = [...marks];
      let fileFp = 0;
      for (const f of found) {
        const k = unused.findIndex((e) => e.line === f.line && e.port === f.port && e.protocol === f.protocol);
        if (k === -1) {
          fileFp++;
          differences.push(`  ${file}:${f.line}  unexpected hover ${f.port}/${f.protocol}`);
        } else {
          unused.splice(k, 1);
        }
      }
      unused.forEach((e) => differences.push(`  ${file}:${e.line}  no hover on ${e.port}/${e.protocol}`));
      const fileTp = found.length - fileFp;
      tp += fileTp;
      fp += fileFp;
      fn += unused.length;
      rows.push(`  ${file.padEnd(24)} ${String(fileTp).padStart(4)} ${String(fileFp).padStart(4)} ${String(unused.length).padStart(4)}`);
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    console.log(`  port hovers over test/fixtures/ports (${requests} hover requests in ${((Date.now() - started) / 1000).toFixed(1)} s):`);
    console.log(`  ${'file'.padEnd(24)}   TP   FP   FN`);
    rows.forEach((r) => console.log(r));
    console.log(`  precision ${(100 * precision).toFixed(1)}%  recall ${(100 * recall).toFixed(1)}%  (TP ${tp}, FP ${fp}, FN ${fn})`);
    differences.forEach((d) => console.log(d));
    assert.ok(precision >= 0.97, `precision ${precision}`);
    assert.ok(recall >= 0.95, `recall ${recall}`);
  });
});
