// A container's port in the real extension host: the Ports view names the container, and Free Port stops
// the container through its engine (answered through the API's prompt seam) without signalling anything.
// The extension host scans the host's network namespace, so the engine runs there, with its networking
// off (no bridge, no firewall rules, no ip_forward: the host stays as it was) and a `--network=host`
// container, whose own process holds the port and whose cgroup names it. Skipped only where dockerd is
// not installed (CI installs docker.io).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, Views } from '../../src/constants';
import type { PortInspectorApi, Prompt, TreeRowSnapshot } from '../support/extensionApi';
import { activatedApi } from '../support/extensionApi';
import { EngineSandbox, missingTool } from '../support/containerEngines';
import { startListener, unusedTcpPort } from '../support/listeners';
import { until } from '../support/poll';

/** Markdown without its backslash escapes, for matching wording. */
const unescape = (md: string): string => md.replace(/\\(.)/g, '$1');

function flatten(rows: readonly TreeRowSnapshot[]): TreeRowSnapshot[] {
  return rows.flatMap((r) => [r, ...flatten(r.children ?? [])]);
}

describe('Containers in the extension host (real dockerd)', function () {
  this.timeout(240_000);
  let api: PortInspectorApi;
  let sandbox: EngineSandbox | undefined;
  let port = 0;
  let id = '';
  const prompts: Prompt[] = [];
  const savedHost = process.env.DOCKER_HOST;
  const forwardBefore = fs.existsSync('/proc/sys/net/ipv4/ip_forward') ? fs.readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8') : '';

  before(async function () {
    const missing = missingTool(['dockerd', 'docker']);
    if (missing) {
      this.skip();
    }
    api = await activatedApi();
    sandbox = new EngineSandbox('ext', true);
    await sandbox.startDocker(EngineSandbox.hostNetworkFlags);
    // The extension host is this process: the lookup reads DOCKER_HOST when it next asks the engine.
    process.env.DOCKER_HOST = `unix://${sandbox.dockerSock}`;
    port = await unusedTcpPort();
    id = sandbox.docker('run', '-d', '--init', '--name', 'pi-ext-web', '--label', 'com.docker.compose.project=shop', '--label', 'com.docker.compose.service=web', '--network=host', 'pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', '/www');
    api.test.setPromptHandler((p) => {
      prompts.push(p);
      return p.buttons.includes('Stop Container') ? 'Stop Container' : undefined;
    });
    await vscode.commands.executeCommand(`${Views.ports}.focus`);
  });

  after(async () => {
    api?.test.setPromptHandler(undefined);
    if (savedHost === undefined) {
      delete process.env.DOCKER_HOST;
    } else {
      process.env.DOCKER_HOST = savedHost;
    }
    await sandbox?.dispose();
    if (forwardBefore !== '') {
      assert.equal(fs.readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8'), forwardBefore, 'ip_forward left as it was');
    }
  });

  it('the Ports view names the container and its compose service, with a package icon', async () => {
    const row = await until(
      async () => {
        await api.refresh();
        // A new row wears a sparkle for its first seconds; then its own icon shows.
        return flatten(api.getTreeSnapshot()).find((r) => r.label === `${port}/tcp` && r.description?.includes('web (compose shop)') && r.icon !== 'sparkle');
      },
      { what: () => `a row for ${port}/tcp naming the container: ${JSON.stringify(flatten(api.getTreeSnapshot()).filter((r) => r.label.startsWith(String(port))))}`, timeoutMs: 60_000, intervalMs: 500 },
    );
    assert.match(row.description ?? '', /web \(compose shop\) · pi-busybox/);
    assert.equal(row.icon, 'package');
    assert.match(row.contextValue ?? '', /\bcontainer\b/);
  });

  it('Troubleshoot Port names the container, its compose service and its logs command', async () => {
    const md = unescape((await vscode.commands.executeCommand(Commands.troubleshootPort, { port, protocol: 'tcp' })) as string);
    assert.match(md, /## ✅ Container\n\n\*\*pi-ext-web\*\* — Docker container `[0-9a-f]{12}`, image `pi-busybox`, running, up \d+ (s|min)/);
    assert.match(md, /Compose service \*\*web\*\* of project \*\*shop\*\*/);
    assert.match(md, new RegExp(`Container pi-ext-web holds port ${port} itself: it shares the host's network\\.`));
    assert.match(md, /```sh\nDOCKER_HOST=unix:\/\/\S+ docker logs --tail 50 pi-ext-web\n```/);
  });

  it("diagnostics: the compose project's own container is not 'outside the workspace'; another project's file names the container", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pi-compose-'));
    // A process-held port on the next line of the same file: its diagnostic proves the file was checked.
    const node = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const file = (project: string): vscode.Uri => {
      const f = path.join(dir, project, 'compose.yaml');
      fs.mkdirSync(path.dirname(f));
      fs.writeFileSync(f, `services:\n  web:\n    image: pi-busybox\n    ports:\n      - "127.0.0.1:${port}:8080"\n      - "127.0.0.1:${node.ports[0]}:9090"\n`);
      return vscode.Uri.file(f);
    };
    const inUse = async (uri: vscode.Uri): Promise<vscode.Diagnostic[]> => {
      await vscode.window.showTextDocument(uri);
      return until(
        async () => {
          await api.refresh();
          await api.whenDiagnosticsIdle();
          const taken = vscode.languages.getDiagnostics(uri).filter((d) => d.code === 'port-in-use');
          return taken.some((d) => d.range.start.line === 5) && taken;
        },
        { what: () => `diagnostics of ${uri.fsPath}: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => d.message))}`, timeoutMs: 60_000, intervalMs: 500 },
      );
    };
    try {
      // The container is labelled compose project "shop": the project Compose names after this folder.
      const own = await inUse(file('shop'));
      assert.deepEqual(own.filter((d) => d.range.start.line === 4).map((d) => d.message), []);
      const other = await inUse(file('billing'));
      assert.deepEqual(other.filter((d) => d.range.start.line === 4).map((d) => d.message), [
        `Port ${port}/tcp is already in use by container pi-ext-web (compose service "web" of project "shop", pi-busybox).`,
      ]);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await node.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Free Port offers Stop Container, the engine stops it, and the port is reported free', async () => {
    type Result = { outcome: string; message: string; signalled: number[] };
    // One port: the command returns its one result.
    const answer = await vscode.commands.executeCommand<Result | Result[] | undefined>(Commands.freePort, { port, protocol: 'tcp' });
    const results = answer === undefined ? undefined : Array.isArray(answer) ? answer : [answer];
    const confirm = prompts.find((p) => p.modal && p.buttons.includes('Stop Container'));
    assert.ok(confirm, `a confirmation offering Stop Container: ${JSON.stringify(prompts)}`);
    assert.deepEqual(confirm.buttons, ['Stop Container', 'Stop Compose Service', 'Restart Container', 'Show Logs', 'Open Shell']);
    assert.match(confirm.message, /Stop container pi-ext-web \(pi-busybox\)\?/);
    assert.ok(results && results.length === 1, JSON.stringify(results));
    assert.equal(results[0].outcome, 'freed', results[0].message);
    assert.deepEqual(results[0].signalled, [], 'nothing was signalled by the extension');
    assert.equal(sandbox!.docker('inspect', '--format', '{{.State.Running}}', id), 'false');
  });

  it('Port Activity names the container that held the port, not only its process', async () => {
    type Event = { kind: string; container?: { name: string; compose?: { service: string } } };
    const events = await until(
      async () => {
        await api.refresh();
        const mine = (api.test.activityFor(port) as unknown as Event[]).filter((e) => e.container?.name === 'pi-ext-web');
        return mine.some((e) => e.kind === 'closed') ? mine : undefined;
      },
      { what: () => `a closed event naming pi-ext-web: ${JSON.stringify(api.test.activityFor(port))}`, timeoutMs: 60_000, intervalMs: 500 },
    );
    assert.equal(events.find((e) => e.kind === 'closed')?.container?.compose?.service, 'web');
    const activity = unescape((await vscode.commands.executeCommand(Commands.showPortActivity, { port, protocol: 'tcp' })) as string);
    assert.match(activity, new RegExp(`closed TCP 127\\.0\\.0\\.1:${port} by container pi-ext-web \\(compose service "web" of project "shop", pi-busybox\\) via busybox \\(pid \\d+\\)`));
  });

  it('Stop Compose Service stops every container of the service, the one holding the port and its replica', async () => {
    const labels = ['--label', 'com.docker.compose.project=shop', '--label', 'com.docker.compose.service=api'];
    const holder = sandbox!.docker('run', '-d', '--init', '--name', 'pi-ext-api-1', ...labels, '--network=host', 'pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', '/www');
    const replica = sandbox!.docker('run', '-d', '--init', '--name', 'pi-ext-api-2', ...labels, '--network=none', 'pi-busybox', '/bin/busybox', 'sleep', '3600');
    await until(
      async () => {
        await api.refresh();
        return flatten(api.getTreeSnapshot()).some((r) => r.label === `${port}/tcp` && r.description?.includes('api (compose shop)'));
      },
      { what: 'the row of the api service', timeoutMs: 60_000, intervalMs: 500 },
    );
    prompts.length = 0;
    api.test.setPromptHandler((p) => {
      prompts.push(p);
      return p.buttons.includes('Stop Compose Service') ? 'Stop Compose Service' : undefined;
    });
    type Result = { outcome: string; message: string };
    const answer = await vscode.commands.executeCommand<Result | Result[] | undefined>(Commands.freePort, { port, protocol: 'tcp' });
    const result = Array.isArray(answer) ? answer[0] : answer;
    assert.equal(result?.outcome, 'freed', JSON.stringify(answer));
    assert.match(result?.message ?? '', /compose service "api" \(2 containers\)/);
    for (const c of [holder, replica]) {
      assert.equal(sandbox!.docker('inspect', '--format', '{{.State.Running}}', c), 'false');
    }
  });
});
