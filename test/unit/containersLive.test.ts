// Containers with real engines: a private dockerd (and rootful Podman) inside a network namespace this
// test creates (test/support/containerEngines.ts). The listing runs there too, through the real CLI, and is
// checked against the engine's own answer and `ss`. Skipped only when an engine is not installed here
// (CI installs docker.io, podman, runc and busybox-static: .ci/run).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Snapshot } from '../../src/core/types';
import { ContainerLookup } from '../../src/inspector/containers/containerLookup';
import { engineEndpoints } from '../../src/inspector/containers/engineApi';
import { EngineSandbox, ROOTLESS_DOCKER_DIR, missingTool } from '../support/containerEngines';
import { until } from '../support/poll';
import { skipBecause } from '../support/firewallSandbox';

interface JsonSocket {
  address: string;
  port: number;
  owners: Array<{ pid: number; name: string }>;
  ownerVisible: boolean;
  container?: { id: string; shortId: string; name: string; image: string; engine: string; compose?: { project: string; service: string } };
}

function listJson(sandbox: EngineSandbox, port: number, env?: NodeJS.ProcessEnv, asUser?: number): { sockets: JsonSocket[]; warnings: string[] } {
  const r = sandbox.cli(['list', '--json', '--port', String(port)], env, asUser);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { sockets: JsonSocket[]; warnings: string[] };
}

const P = 18000 + (process.pid % 1000) * 2;

describe('containers: a real dockerd in a network namespace', function () {
  this.timeout(180_000);
  let sandbox: EngineSandbox | undefined;
  const ids: Record<string, string> = {};

  before(async function () {
    const missing = missingTool(['dockerd', 'docker', 'docker-proxy', 'setpriv']);
    if (missing) {
      skipBecause(this, missing);
    }
    sandbox = new EngineSandbox('docker');
    await sandbox.startDocker();
    const run = (...args: string[]): string => sandbox!.docker('run', '-d', '--init', ...args);
    ids.web = run('--name', 'shop-web-1', '-p', `127.0.0.1:${P}:8080`, '--label', 'com.docker.compose.project=shop', '--label', 'com.docker.compose.service=web', 'pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/www');
    ids.all = run('--name', 'everywhere', '-p', `${P + 1}:8080`, 'pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/www');
    ids.host = run('--name', 'hostnet', '--network=host', 'pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', String(P + 2), '-h', '/www');
    await until(() => sandbox!.ss(P).includes('docker-proxy') && sandbox!.ss(P + 1).includes('docker-proxy') && sandbox!.ss(P + 2).includes('busybox'), { what: 'the three listeners', timeoutMs: 60_000 });
  });

  after(async () => {
    await sandbox?.dispose();
  });

  it('names the container behind docker-proxy on 127.0.0.1, with its compose project and service', () => {
    const { sockets } = listJson(sandbox!, P);
    assert.equal(sockets.length, 1);
    const s = sockets[0];
    assert.equal(s.address, '127.0.0.1');
    assert.equal(s.owners[0].name, 'docker-proxy');
    assert.deepEqual(
      { id: s.container?.id, name: s.container?.name, image: s.container?.image, engine: s.container?.engine, compose: s.container?.compose },
      { id: ids.web, name: 'shop-web-1', image: 'pi-busybox', engine: 'docker', compose: { project: 'shop', service: 'web' } },
    );
    // The engine's own answer agrees.
    assert.equal(sandbox!.docker('inspect', '--format', '{{.Name}} {{index .Config.Labels "com.docker.compose.service"}}', s.container!.id), '/shop-web-1 web');
  });

  it('names it on both proxies of a port published on all addresses (0.0.0.0 and ::)', () => {
    const { sockets } = listJson(sandbox!, P + 1);
    assert.deepEqual(sockets.map((s) => s.address).sort(), ['0.0.0.0', '::']);
    for (const s of sockets) {
      assert.equal(s.owners[0].name, 'docker-proxy');
      assert.equal(s.container?.id, ids.all);
      assert.equal(s.container?.name, 'everywhere');
    }
  });

  it("--network=host: the container's own process holds the port; its cgroup names the container", () => {
    const { sockets } = listJson(sandbox!, P + 2);
    assert.ok(sockets.length >= 1);
    for (const s of sockets) {
      assert.equal(s.owners[0].name, 'busybox');
      assert.equal(s.container?.id, ids.host);
      assert.equal(s.container?.name, 'hostnet');
    }
  });

  it('`who` and `list` say it in words: container, compose service, forwarders', () => {
    const who = sandbox!.cli(['who', String(P)]);
    assert.equal(who.status, 0, who.stderr);
    assert.match(who.stdout, /Docker container shop-web-1 \(id [0-9a-f]{12}, image pi-busybox, running/);
    assert.match(who.stdout, /compose service "web" of project "shop"/);
    assert.match(who.stdout, /forwarded by \(never signalled\):\n\s*docker-proxy \(pid \d+/);
    const list = sandbox!.cli(['list', '--port', `${P}-${P + 2}`]);
    assert.match(list.stdout, /CONTAINER/);
    assert.match(list.stdout, /web \(compose shop\) · pi-busybox/);
  });

  it('an unreadable engine socket: the port is still listed, and the warning says "not in the docker group"', () => {
    // As nobody, docker-proxy's socket is another user's (owner hidden) and the API socket refuses us.
    const { sockets, warnings } = listJson(sandbox!, P, sandbox!.dockerEnv, 65534);
    assert.equal(sockets.length, 1);
    assert.equal(sockets[0].ownerVisible, false);
    assert.equal(sockets[0].container, undefined);
    assert.match(warnings.join('\n'), /not in the docker group\. Fix: sudo usermod -aG docker \$USER/);
  });

  it('`kill` stops the container through its engine, never signalling docker-proxy, and reports the port free', () => {
    const proxies = sandbox!.ss(P + 1).match(/pid=(\d+)/g);
    assert.ok(proxies && proxies.length === 2);
    const r = sandbox!.cli(['kill', String(P + 1), '--yes']);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /Docker stopped container everywhere \(pi-busybox\); port \d+ is free now/);
    assert.equal(sandbox!.docker('inspect', '--format', '{{.State.Running}}', ids.all), 'false');
    assert.equal(sandbox!.ss(P + 1).trim(), '');
  });

  it('a container removed and replaced between the listing and the stop: refused, the new one keeps running', async () => {
    const { stopContainer } = await import('../../src/inspector/containers/stopContainer');
    sandbox!.docker('run', '-d', '--init', '--name', 'old-one', '-p', `127.0.0.1:${P + 6}:8080`, 'pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/www');
    await until(() => sandbox!.ss(P + 6).includes('docker-proxy'), { what: 'old-one to listen', timeoutMs: 60_000 });
    const seen = listJson(sandbox!, P + 6).sockets[0].container!;
    assert.equal(seen.name, 'old-one');
    sandbox!.docker('rm', '-f', 'old-one');
    const newId = sandbox!.docker('run', '-d', '--init', '--name', 'new-one', '-p', `127.0.0.1:${P + 6}:8080`, 'pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/www');
    await until(() => sandbox!.ss(P + 6).includes('docker-proxy'), { what: 'new-one to listen', timeoutMs: 60_000 });
    const snapshot = async (): Promise<Snapshot> => ({
      takenAt: Date.now(),
      backend: 'cli-in-netns',
      durationMs: 0,
      warnings: [],
      sockets: listJson(sandbox!, P + 6).sockets.map((s) => ({ ...s, protocol: 'tcp' as const, family: 4 as const, state: 'LISTEN', owners: s.owners.map((o) => ({ ...o, command: '' })), container: s.container && { engine: 'docker' as const, id: s.container.id, name: s.container.name, image: s.container.image } })),
    });
    const result = await stopContainer({ port: P + 6, protocol: 'tcp', container: { engine: 'docker', id: seen.id, name: seen.name, image: seen.image } }, { snapshot, endpoints: engineEndpoints(sandbox!.dockerEnv) });
    assert.equal(result.outcome, 'refused');
    assert.match(result.message, /container old-one \(pi-busybox\) no longer holds port \d+; container new-one \(pi-busybox\) does now\. Nothing was stopped\./);
    assert.equal(sandbox!.docker('inspect', '--format', '{{.State.Running}}', newId), 'true');
    sandbox!.docker('rm', '-f', 'new-one');
  });

  it('the forwarder itself is refused when asked by pid (the never-signalled list)', async () => {
    const { freePort } = await import('../../src/inspector/kill/stopOwners');
    const { sockets } = listJson(sandbox!, P);
    const proxy = sockets[0].owners[0];
    // The refusal is decided from the snapshot the CLI saw in the namespace, before anything is signalled.
    const snapshot = { takenAt: Date.now(), backend: 'test', durationMs: 0, warnings: [], sockets: sockets.map((s) => ({ ...s, protocol: 'tcp' as const, family: 4 as const, state: 'LISTEN', container: undefined, owners: s.owners.map((o) => ({ ...o, command: '/usr/sbin/docker-proxy' })) })) };
    const result = await freePort({ port: P, protocol: 'tcp', targets: [{ pid: proxy.pid }] }, { snapshot: async () => snapshot });
    assert.equal(result.outcome, 'refused');
    assert.match(result.message, /Refused to stop docker-proxy .*Docker's port forwarder/);
    assert.deepEqual(result.signalled, []);
    assert.match(sandbox!.ss(P), /docker-proxy/, 'the proxy still runs');
  });

  it('a real compose project (docker-compose): service, project and compose file from its labels', function () {
    if (missingTool(['docker-compose'])) {
      skipBecause(this, 'docker-compose is not installed (apt-get install docker-compose)');
    }
    const dir = path.join(sandbox!.dir, 'shop');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'compose.yaml');
    fs.writeFileSync(file, `version: "3"\nservices:\n  db:\n    image: pi-busybox\n    init: true\n    command: ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]\n    ports: ["127.0.0.1:${P + 5}:8080"]\n`);
    execFileSync('docker-compose', ['-p', 'shop', '-f', file, 'up', '-d'], { env: sandbox!.dockerEnv, stdio: 'pipe', timeout: 120_000 });
    const { sockets } = listJson(sandbox!, P + 5);
    assert.equal(sockets.length, 1);
    const c = sockets[0].container as (JsonSocket['container'] & { compose?: { configFiles?: string[] } }) | undefined;
    assert.equal(c?.name, 'shop_db_1');
    assert.equal(c?.compose?.project, 'shop');
    assert.equal(c?.compose?.service, 'db');
    assert.deepEqual(c?.compose?.configFiles, [file]);
  });

  it("follows the engine's event stream: a renamed container is seen without a new forwarder, and not asked for on every scan", async () => {
    // The sockets as the CLI saw them in the namespace; the lookup runs here, against the real engine.
    const seen = listJson(sandbox!, P).sockets.map((s) => ({ ...s, protocol: 'tcp' as const, family: 4 as const, state: 'LISTEN', container: undefined, owners: s.owners.map((o) => ({ ...o, command: (o as { command?: string }).command ?? '' })) }));
    const snapshot = (): Snapshot => ({ takenAt: Date.now(), backend: 'test', durationMs: 0, warnings: [], sockets: seen.map((s) => ({ ...s })) });
    const endpoints = engineEndpoints(sandbox!.dockerEnv);
    const watching = new ContainerLookup({ endpoints, watchEvents: true });
    const cached = new ContainerLookup({ endpoints, watchEvents: false });
    try {
      for (const lookup of [watching, cached]) {
        const first = snapshot();
        await lookup.annotate(first);
        assert.equal(first.sockets[0].container?.name, 'shop-web-1');
      }
      sandbox!.docker('rename', 'shop-web-1', 'shop-web-renamed');
      await until(
        async () => {
          const s = snapshot();
          await watching.annotate(s);
          return s.sockets[0].container?.name === 'shop-web-renamed';
        },
        { what: 'the rename to reach the lookup through the event stream', timeoutMs: 60_000 },
      );
      // Without the stream, nothing changed in what the scan sees: the cached answer stands (no API call).
      const s = snapshot();
      await cached.annotate(s);
      assert.equal(s.sockets[0].container?.name, 'shop-web-1');
    } finally {
      watching.dispose();
      cached.dispose();
      sandbox!.docker('rename', 'shop-web-renamed', 'shop-web-1');
    }
  });

  it('the engine stopped mid-session: the listing goes on and says Docker is not running', async () => {
    const seen = listJson(sandbox!, P).sockets.map((s) => ({ ...s, protocol: 'tcp' as const, family: 4 as const, state: 'LISTEN', container: undefined, owners: s.owners.map((o) => ({ ...o, command: (o as { command?: string }).command ?? '' })) }));
    const snapshot = (): Snapshot => ({ takenAt: Date.now(), backend: 'test', durationMs: 0, warnings: [], sockets: seen.map((s) => ({ ...s })) });
    const lookup = new ContainerLookup({ endpoints: engineEndpoints(sandbox!.dockerEnv), watchEvents: true });
    try {
      const before = snapshot();
      await lookup.annotate(before);
      assert.equal(before.sockets[0].container?.name, 'shop-web-1');
      await sandbox!.stopDocker();
      // The event stream ends with the engine: the next scan asks again and says why it got no answer.
      const after = await until(
        async () => {
          const s = snapshot();
          await lookup.annotate(s);
          return s.warnings.length > 0 ? s : undefined;
        },
        { what: 'a warning once the engine is gone', timeoutMs: 60_000 },
      );
      assert.equal(after.sockets[0].container, undefined);
      assert.match(after.warnings.join('\n'), /held by Docker's forwarders, shown without their containers: Docker is not running/);
    } finally {
      lookup.dispose();
    }
    const r = sandbox!.cli(['list', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const { sockets } = JSON.parse(r.stdout) as { sockets: JsonSocket[] };
    assert.ok(!sockets.some((s) => s.container), 'no container named without an engine');
  });
});

describe('containers: a real dockerd with --userland-proxy=false', function () {
  this.timeout(180_000);
  let sandbox: EngineSandbox | undefined;

  before(async function () {
    const missing = missingTool(['dockerd', 'docker']);
    if (missing) {
      skipBecause(this, missing);
    }
    sandbox = new EngineSandbox('dnat');
    await sandbox.startDocker(['--userland-proxy=false']);
  });

  after(async () => {
    await sandbox?.dispose();
  });

  it('dockerd itself holds the port; the container that publishes it is named', async () => {
    const id = sandbox!.docker('run', '-d', '--init', '--name', 'dnat-web', '-p', `${P + 3}:8080`, 'pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/www');
    await until(() => sandbox!.ss(P + 3).includes('dockerd'), { what: 'dockerd to listen', timeoutMs: 60_000 });
    const { sockets } = listJson(sandbox!, P + 3);
    assert.ok(sockets.length >= 1);
    for (const s of sockets) {
      assert.equal(s.owners[0].name, 'dockerd');
      assert.equal(s.container?.id, id);
      assert.equal(s.container?.name, 'dnat-web');
    }
  });
});

describe('containers: rootful Podman (conmon) in a network namespace', function () {
  this.timeout(240_000);
  let sandbox: EngineSandbox | undefined;
  let id = '';

  before(async function () {
    const missing = missingTool(['podman', 'conmon', 'runc']);
    if (missing) {
      skipBecause(this, missing);
    }
    sandbox = new EngineSandbox('podman');
    await sandbox.startPodman();
    id = sandbox.podman('run', '-d', '--init', '--name', 'shop-api-1', '-p', `127.0.0.1:${P + 4}:8080`, '--label', 'com.docker.compose.project=shop', '--label', 'com.docker.compose.service=api', 'localhost/pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/www');
    await until(() => sandbox!.ss(P + 4).includes('conmon'), { what: 'conmon to listen', timeoutMs: 60_000 });
  });

  after(async () => {
    await sandbox?.dispose();
  });

  it('names the container behind conmon through Podman\u2019s API (image, compose labels)', () => {
    const env = { ...sandbox!.podmanEnv, DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    const { sockets } = listJson(sandbox!, P + 4, env);
    assert.equal(sockets.length, 1);
    assert.equal(sockets[0].owners[0].name, 'conmon');
    assert.deepEqual(
      { id: sockets[0].container?.id, name: sockets[0].container?.name, engine: sockets[0].container?.engine, image: sockets[0].container?.image, compose: sockets[0].container?.compose },
      { id, name: 'shop-api-1', engine: 'podman', image: 'localhost/pi-busybox:latest', compose: { project: 'shop', service: 'api' } },
    );
  });

  it("without Podman's API, conmon's arguments still name the container", () => {
    const env = { ...sandbox!.podmanEnv, CONTAINER_HOST: 'unix:///nonexistent/podman.sock' };
    const { sockets, warnings } = listJson(sandbox!, P + 4, env);
    assert.equal(sockets[0].container?.id, id);
    assert.equal(sockets[0].container?.name, 'shop-api-1');
    assert.match(warnings.join('\n'), /Podman is not running or not installed/);
  });

  it("a pod: its infra container's conmon holds the port, and the pod is named", async () => {
    sandbox!.podman('pod', 'create', '--name', 'shop-pod', '-p', `127.0.0.1:${P + 7}:8080`);
    sandbox!.podman('run', '-d', '--init', '--pod', 'shop-pod', '--name', 'pod-web', 'localhost/pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/www');
    await until(() => sandbox!.ss(P + 7).includes('conmon'), { what: "the pod's conmon to listen", timeoutMs: 60_000 });
    const infra = sandbox!.podman('pod', 'inspect', '--format', '{{.InfraContainerID}}', 'shop-pod');
    const { sockets } = listJson(sandbox!, P + 7, sandbox!.podmanEnv);
    assert.equal(sockets.length, 1);
    const c = sockets[0].container as (JsonSocket['container'] & { pod?: string }) | undefined;
    assert.equal(c?.id, infra);
    assert.equal(c?.pod, 'shop-pod');
    const who = sandbox!.cli(['who', String(P + 7)], sandbox!.podmanEnv);
    assert.match(who.stdout, /pod shop-pod/);
    sandbox!.podman('pod', 'rm', '-f', '-t', '0', 'shop-pod');
  });

  it('slirp4netns networking: rootlessport holds the port (as for rootless Podman), and the container is named', async function () {
    const missing = missingTool(['slirp4netns']);
    if (missing) {
      skipBecause(this, missing);
    }
    const slirp = sandbox!.podman('run', '-d', '--init', '--network', 'slirp4netns', '--name', 'slirp-web', '-p', `127.0.0.1:${P + 9}:8080`, 'localhost/pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/www');
    await until(() => sandbox!.ss(P + 9).includes('rootlessport'), { what: 'rootlessport to listen', timeoutMs: 60_000 });
    const { sockets } = listJson(sandbox!, P + 9, sandbox!.podmanEnv);
    assert.equal(sockets.length, 1);
    assert.ok(sockets[0].owners.some((o) => o.name === 'rootlessport'), JSON.stringify(sockets[0].owners));
    assert.equal(sockets[0].container?.id, slirp);
    assert.equal(sockets[0].container?.name, 'slirp-web');
    // Free Port's way through the CLI: the container stops, rootlessport is never signalled by us.
    const r = sandbox!.cli(['kill', String(P + 9), '--yes'], sandbox!.podmanEnv);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /Podman stopped container slirp-web/);
    assert.equal(sandbox!.podman('inspect', '--format', '{{.State.Running}}', slirp), 'false');
    sandbox!.podman('rm', '-f', '-t', '0', slirp);
  });

  it('`kill` stops the Podman container through its API; conmon is not signalled', () => {
    const r = sandbox!.cli(['kill', String(P + 4), '--yes'], { ...sandbox!.podmanEnv });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /Podman stopped container shop-api-1/);
    assert.equal(sandbox!.podman('inspect', '--format', '{{.State.Running}}', id), 'false');
    assert.equal(sandbox!.ss(P + 4).trim(), '');
  });
});

describe('containers: rootless Podman as a test user (rootlessport)', function () {
  this.timeout(240_000);
  const uid = 61000 + (process.pid % 500);
  let sandbox: EngineSandbox | undefined;
  let id = '';
  // What the user's own CLI sees: their runtime folder (where the rootless API socket is), no Docker.
  const userEnv = (): NodeJS.ProcessEnv => sandbox!.rootlessUserEnv('docker');

  before(async function () {
    const missing = missingTool(['podman', 'conmon', 'runc', 'slirp4netns', 'newuidmap', 'setpriv', 'unshare']);
    if (missing) {
      skipBecause(this, missing);
    }
    sandbox = new EngineSandbox('rlpod');
    await sandbox.startRootlessPodman(uid);
    id = sandbox.rootlessPodman('run', '-d', '--init', '--name', 'rootless-web', '-p', `127.0.0.1:${P + 11}:8080`, '--label', 'com.docker.compose.project=shop', '--label', 'com.docker.compose.service=web', 'localhost/pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/www');
    await until(() => sandbox!.ss(P + 11).includes('rootlessport'), { what: 'rootlessport to listen', timeoutMs: 90_000 });
  });

  after(async () => {
    await sandbox?.dispose();
  });

  it("the user's own listing names the container behind rootlessport, through the user's Podman socket", () => {
    const { sockets } = listJson(sandbox!, P + 11, userEnv(), uid);
    assert.equal(sockets.length, 1);
    assert.deepEqual(sockets[0].owners.map((o) => o.name), ['rootlessport']);
    assert.deepEqual(
      { id: sockets[0].container?.id, name: sockets[0].container?.name, engine: sockets[0].container?.engine, compose: sockets[0].container?.compose },
      { id, name: 'rootless-web', engine: 'podman', compose: { project: 'shop', service: 'web' } },
    );
    // The engine's own answer agrees on what it publishes there.
    assert.match(sandbox!.rootlessPodman('port', id), new RegExp(`127\\.0\\.0\\.1:${P + 11}`));
  });

  it("the user's `kill` stops the container through Podman's API (never by signalling rootlessport), and the port is free", () => {
    const r = sandbox!.cli(['kill', String(P + 11), '--yes'], userEnv(), uid);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /Podman stopped container rootless-web/);
    assert.equal(sandbox!.rootlessPodman('inspect', '--format', '{{.State.Running}}', id), 'false');
    assert.equal(sandbox!.ss(P + 11).trim(), '');
  });
});

describe('containers: rootless Docker as a test user (rootlesskit)', function () {
  this.timeout(300_000);
  const uid = 61500 + (process.pid % 400);
  let sandbox: EngineSandbox | undefined;
  let id = '';
  // The user's own CLI, as a rootless Docker user often has it: no DOCKER_HOST, no docker context.
  const userEnv = (): NodeJS.ProcessEnv => sandbox!.rootlessUserEnv('podman');

  before(async function () {
    const missing = missingTool(['dockerd', 'docker', 'rootlesskit', 'slirp4netns', 'newuidmap', 'setpriv', 'unshare']) ?? (fs.existsSync(path.join(ROOTLESS_DOCKER_DIR, 'dockerd-rootless.sh')) ? undefined : `${ROOTLESS_DOCKER_DIR}/dockerd-rootless.sh is missing (apt-get install docker.io)`);
    if (missing) {
      skipBecause(this, missing);
    }
    if (fs.existsSync('/var/run/docker.sock')) {
      // The rootful socket comes first for every user; the rootless default is for machines without it.
      skipBecause(this, 'this machine runs rootful Docker: its socket is the default a user reaches first');
    }
    sandbox = new EngineSandbox('rldock');
    await sandbox.startRootlessDocker(uid);
    id = sandbox.rootlessDocker('run', '-d', '--init', '--name', 'rootless-api', '-p', `127.0.0.1:${P + 15}:8080`, '--label', 'com.docker.compose.project=shop', '--label', 'com.docker.compose.service=api', 'pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/www');
    await until(() => sandbox!.ss(P + 15).includes('rootlesskit'), { what: 'rootlesskit to listen', timeoutMs: 90_000 });
  });

  after(async () => {
    await sandbox?.dispose();
  });

  it("the user's own listing finds rootless Docker's socket by itself and names the container behind rootlesskit", () => {
    const { sockets, warnings } = listJson(sandbox!, P + 15, userEnv(), uid);
    assert.equal(sockets.length, 1);
    assert.deepEqual(sockets[0].owners.map((o) => o.name), ['rootlesskit']);
    assert.deepEqual(
      { id: sockets[0].container?.id, name: sockets[0].container?.name, engine: sockets[0].container?.engine, compose: sockets[0].container?.compose },
      { id, name: 'rootless-api', engine: 'docker', compose: { project: 'shop', service: 'api' } },
    );
    assert.deepEqual(warnings, []);
  });

  it("the user's `kill` stops the container through rootless Docker, and the port is free", () => {
    const r = sandbox!.cli(['kill', String(P + 15), '--yes'], userEnv(), uid);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /Docker stopped container rootless-api/);
    assert.equal(sandbox!.rootlessDocker('inspect', '--format', '{{.State.Running}}', id), 'false');
    assert.equal(sandbox!.ss(P + 15).trim(), '');
  });
});

describe('containers: Docker and Podman at once, on one port number', function () {
  this.timeout(240_000);
  let sandbox: EngineSandbox | undefined;
  let dockerId = '';
  let podmanId = '';

  before(async function () {
    const missing = missingTool(['dockerd', 'docker', 'docker-proxy', 'podman', 'conmon', 'runc']);
    if (missing) {
      skipBecause(this, missing);
    }
    sandbox = new EngineSandbox('both');
    await sandbox.startDocker();
    await sandbox.startPodman();
    // The same port on two loopback addresses: each engine publishes one.
    dockerId = sandbox.docker('run', '-d', '--init', '--name', 'from-docker', '-p', `127.0.0.1:${P + 13}:8080`, 'pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/www');
    podmanId = sandbox.podman('run', '-d', '--init', '--name', 'from-podman', '-p', `127.0.0.2:${P + 13}:8080`, 'localhost/pi-busybox', '/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/www');
    await until(() => sandbox!.ss(P + 13).includes('docker-proxy') && sandbox!.ss(P + 13).includes('conmon'), { what: 'both forwarders to listen', timeoutMs: 60_000 });
  });

  after(async () => {
    await sandbox?.dispose();
  });

  it('names each socket after the container of its own engine', () => {
    const { sockets, warnings } = listJson(sandbox!, P + 13, sandbox!.podmanEnv);
    const byAddress = Object.fromEntries(sockets.map((s) => [s.address, { owner: s.owners[0]?.name, id: s.container?.id, name: s.container?.name, engine: s.container?.engine }]));
    assert.deepEqual(byAddress, {
      '127.0.0.1': { owner: 'docker-proxy', id: dockerId, name: 'from-docker', engine: 'docker' },
      '127.0.0.2': { owner: 'conmon', id: podmanId, name: 'from-podman', engine: 'podman' },
    });
    assert.deepEqual(warnings, []);
  });

  it('`kill` of the port stops both containers, each through its own engine', () => {
    const started = Date.now();
    const r = sandbox!.cli(['kill', String(P + 13), '--yes'], sandbox!.podmanEnv);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /Docker stopped container from-docker \(pi-busybox\); port \d+ is still held by container from-podman \(localhost\/pi-busybox:latest\), which held it alongside\./);
    assert.match(r.stdout, /Podman stopped container from-podman \(localhost\/pi-busybox:latest\); port \d+ is free now/);
    const running = (engine: 'docker' | 'podman', id: string): string => (engine === 'docker' ? sandbox!.docker('inspect', '--format', '{{.State.Running}}', id) : sandbox!.podman('inspect', '--format', '{{.State.Running}}', id));
    assert.equal(running('docker', dockerId), 'false');
    assert.equal(running('podman', podmanId), 'false');
    assert.equal(sandbox!.ss(P + 13).trim(), '');
    // The first stop did not wait out its 10 s watch for a port the other container was always holding.
    assert.ok(Date.now() - started < 60_000);
  });
});
