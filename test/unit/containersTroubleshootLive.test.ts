// Troubleshoot Port on ports real containers publish: a private dockerd in a network namespace this test
// creates (test/support/containerEngines.ts), three containers — one where nothing listens behind the
// published port (busybox `sleep`), one that listens (busybox httpd), one that listens only on loopback
// inside — and the real gather: the listing as the CLI saw it in the namespace, the engine's inspect and the
// container's own socket tables. Skipped only when an engine is not installed here (CI installs it).
import * as assert from 'node:assert/strict';
import type { ListeningSocket, Snapshot } from '../../src/core/types';
import { checkContainerSide } from '../../src/inspector/containers/containerSide';
import { engineEndpoints } from '../../src/inspector/containers/engineApi';
import { buildTroubleshootReport, gatherTroubleshootFacts } from '../../src/model/troubleshoot/index';
import { EngineSandbox, missingTool } from '../support/containerEngines';
import { skipBecause } from '../support/firewallSandbox';
import { until } from '../support/poll';

const P = 19000 + (process.pid % 1000) * 2;

describe('Troubleshoot Port on containers: a real dockerd in a network namespace', function () {
  this.timeout(180_000);
  let sandbox: EngineSandbox | undefined;

  before(async function () {
    const missing = missingTool(['dockerd', 'docker', 'docker-proxy']);
    if (missing) {
      skipBecause(this, missing);
    }
    sandbox = new EngineSandbox('trbl');
    await sandbox.startDocker();
    const run = (...args: string[]): string => sandbox!.docker('run', '-d', '--init', ...args);
    run('--name', 'shop-quiet-1', '-p', `127.0.0.1:${P}:8080`, '--label', 'com.docker.compose.project=shop', '--label', 'com.docker.compose.service=quiet', 'pi-busybox', '/bin/busybox', 'sleep', '3600');
    run('--name', 'shop-web-1', '-p', `127.0.0.1:${P + 1}:8080`, '--label', 'com.docker.compose.project=shop', '--label', 'com.docker.compose.service=web', 'pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/www');
    run('--name', 'inward', '-p', `127.0.0.1:${P + 2}:8080`, 'pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', '127.0.0.1:8080', '-h', '/www');
    await until(() => [P, P + 1, P + 2].every((p) => sandbox!.ss(p).includes('docker-proxy')), { what: 'the three published ports', timeoutMs: 60_000 });
    // httpd is up once its container's table shows it; the gather must not race the container's start.
    await until(() => sandbox!.docker('top', 'shop-web-1').includes('httpd') && sandbox!.docker('top', 'inward').includes('httpd'), { what: 'httpd in both containers', timeoutMs: 60_000 });
  });

  after(async () => {
    await sandbox?.dispose();
  });

  /** The snapshot as the CLI saw it inside the namespace (the ports exist only there; pids are the host's). */
  function snapshotOf(port: number): Snapshot {
    const r = sandbox!.cli(['list', '--json', '--port', String(port)]);
    assert.equal(r.status, 0, r.stderr);
    const { sockets } = JSON.parse(r.stdout) as { sockets: Array<ListeningSocket & { container?: ListeningSocket['container'] & { shortId?: string } }> };
    return {
      takenAt: Date.now(),
      backend: 'linux-proc (in the test namespace)',
      durationMs: 0,
      warnings: [],
      sockets: sockets.map((s) => ({
        protocol: s.protocol,
        family: s.family,
        address: s.address,
        port: s.port,
        state: s.state,
        owners: s.owners,
        ownerVisible: s.ownerVisible,
        ...(s.container
          ? { container: { engine: s.container.engine, id: s.container.id, name: s.container.name, image: s.container.image, state: s.container.state, ...(s.container.compose ? { compose: s.container.compose } : {}) } }
          : {}),
      })),
    };
  }

  async function troubleshoot(port: number): Promise<ReturnType<typeof buildTroubleshootReport>> {
    // No host-side connection test: it would run in this process's namespace, not the test's.
    const facts = await gatherTroubleshootFacts({
      port,
      protocol: 'tcp',
      snapshot: snapshotOf(port),
      containerSide: (request) => checkContainerSide(request, { endpoints: engineEndpoints(sandbox!.dockerEnv) }),
    });
    assert.deepEqual(facts.problems, []);
    return buildTroubleshootReport(facts);
  }

  /** The report's Markdown with its backslash escapes undone, to match what a reader sees. */
  const plain = (markdown: string): string => markdown.replace(/\\(.)/g, '$1');

  it('published but nothing listens inside (busybox sleep): the Container section fails and says so', async () => {
    const report = await troubleshoot(P);
    assert.equal(report.container?.verdict, 'fail');
    assert.match(report.container!.summary, new RegExp(`^Container shop-quiet-1 publishes port ${P} → 172\\.\\d+\\.\\d+\\.\\d+:8080, but nothing listens on port 8080 inside it\\.$`));
    const text = plain(report.markdown);
    assert.match(text, /\*\*shop-quiet-1\*\* — Docker container `[0-9a-f]{12}`, image `pi-busybox`, running, up \d+ (s|min)/);
    assert.match(text, /Compose service \*\*quiet\*\* of project \*\*shop\*\*/);
    assert.match(text, new RegExp(`\\*\\*Host side\\*\\*: TCP \`127\\.0\\.0\\.1:${P}\`, held for it by docker-proxy \\(pid \\d+\\)`));
    assert.match(text, /\*\*Container side\*\*: `172\.\d+\.\d+\.\d+:8080`/);
    assert.match(text, /Published, but nothing listens on port 8080 inside the container\*\* \(read from the container's own socket tables\)/);
    assert.match(report.markdown, new RegExp(`\`\`\`sh\\nDOCKER_HOST=unix://${sandbox!.dockerSock.replace(/[.]/g, '\\.')} docker logs --tail 50 shop-quiet-1\\n\`\`\``));
    assert.ok(report.commands.some((c) => c.command.endsWith('docker logs --tail 50 shop-quiet-1')));
  });

  it('a container that listens (busybox httpd): the Container section is fine', async () => {
    const report = await troubleshoot(P + 1);
    assert.equal(report.container?.verdict, 'ok', report.container?.markdown);
    assert.match(report.container!.summary, new RegExp(`^Container shop-web-1 publishes port ${P + 1} → 172\\.\\d+\\.\\d+\\.\\d+:8080, and something listens there inside it\\.$`));
    assert.match(plain(report.markdown), /Something listens on port 8080 inside the container\*\* on `(0\.0\.0\.0|\[::\]):8080`/);
  });

  it('a server bound to 127.0.0.1 inside the container: published, listening, and still refused', async () => {
    const report = await troubleshoot(P + 2);
    assert.equal(report.container?.verdict, 'warn', report.container?.markdown);
    assert.match(report.container!.summary, /^Container inward listens on port 8080 only on 127\.0\.0\.1 inside it/);
  });

  it('the container stopped since the listing: the section says it is exited', async () => {
    const snapshot = snapshotOf(P + 1);
    sandbox!.docker('stop', '-t', '1', 'shop-web-1');
    const facts = await gatherTroubleshootFacts({
      port: P + 1,
      protocol: 'tcp',
      snapshot,
      containerSide: (request) => checkContainerSide(request, { endpoints: engineEndpoints(sandbox!.dockerEnv) }),
    });
    const report = buildTroubleshootReport(facts);
    assert.equal(report.container?.verdict, 'fail');
    assert.match(report.container!.summary, /^Container shop-web-1 publishes port \d+.*, but it is exited\.$/);
  });
});

describe('Troubleshoot Port on containers: rootful Podman (conmon) in a network namespace', function () {
  this.timeout(240_000);
  let sandbox: EngineSandbox | undefined;

  before(async function () {
    const missing = missingTool(['podman', 'conmon', 'runc']);
    if (missing) {
      skipBecause(this, missing);
    }
    sandbox = new EngineSandbox('trpod');
    await sandbox.startPodman();
    sandbox.podman('run', '-d', '--init', '--name', 'pod-quiet', '-p', `127.0.0.1:${P + 3}:8080`, 'localhost/pi-busybox', '/bin/busybox', 'sleep', '3600');
    sandbox.podman('run', '-d', '--init', '--name', 'pod-web', '-p', `127.0.0.1:${P + 4}:8080`, 'localhost/pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/www');
    await until(() => sandbox!.ss(P + 3).includes('conmon') && sandbox!.ss(P + 4).includes('conmon'), { what: 'conmon to listen on both ports', timeoutMs: 60_000 });
    await until(() => sandbox!.podman('top', 'pod-web').includes('httpd'), { what: 'httpd in pod-web', timeoutMs: 60_000 });
  });

  after(async () => {
    await sandbox?.dispose();
  });

  async function report(port: number): Promise<ReturnType<typeof buildTroubleshootReport>> {
    const r = sandbox!.cli(['list', '--json', '--port', String(port)], sandbox!.podmanEnv);
    assert.equal(r.status, 0, r.stderr);
    const { sockets } = JSON.parse(r.stdout) as { sockets: ListeningSocket[] };
    assert.equal(sockets[0]?.container?.engine, 'podman', r.stdout);
    const snapshot: Snapshot = { takenAt: Date.now(), backend: 'linux-proc (in the test namespace)', durationMs: 0, warnings: [], sockets };
    // conmon's arguments name the container, not its address or port: those come from Podman's inspect.
    const facts = await gatherTroubleshootFacts({ port, protocol: 'tcp', snapshot, containerSide: (request) => checkContainerSide(request, { endpoints: engineEndpoints(sandbox!.podmanEnv) }) });
    assert.deepEqual(facts.problems, []);
    return buildTroubleshootReport(facts);
  }

  it('published but nothing listens inside: fail, the container side from the inspect, a podman logs command', async () => {
    const r = await report(P + 3);
    assert.equal(r.container?.verdict, 'fail', r.container?.markdown);
    assert.match(r.container!.summary, new RegExp(`^Container pod-quiet publishes port ${P + 3} → 10\\.\\d+\\.\\d+\\.\\d+:8080, but nothing listens on port 8080 inside it\\.$`));
    assert.match(r.container!.markdown, /held for it by conmon \(pid \d+\)/);
    // conmon only reserves the port (netavark's DNAT forwards): no "still accepts" claim for it.
    assert.doesNotMatch(r.container!.markdown, /still accepts/);
    assert.match(r.container!.markdown, /podman logs --tail 50 pod-quiet\n/);
  });

  it('a container that listens: ok', async () => {
    const r = await report(P + 4);
    assert.equal(r.container?.verdict, 'ok', r.container?.markdown);
  });
});
