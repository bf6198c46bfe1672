// Identifying container engines' processes and reading the engines' container lists, on what real
// engines showed on this machine (test/fixtures/containers, captured from dockerd 20.10 and Podman 4.3).
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import { containerFromCgroup, forwarderOf, hintFromProcess, shellSafeContainerRef } from '../../src/core/containerProcesses';
import { ContainerLookup } from '../../src/inspector/containers/containerLookup';
import { engineEndpoints, listContainers, parseContainer } from '../../src/inspector/containers/engineApi';
import type { ListeningSocket, Snapshot } from '../../src/core/types';
import { readFixture } from '../support/paths';

const fx = (name: string): string => readFixture('containers', name);
const proc = (name: string, command: string): { name: string; command: string } => ({ name, command });

describe('container processes', () => {
  it('reads docker-proxy arguments: host side and container side', () => {
    const hint = hintFromProcess(proc('docker-proxy', '/usr/sbin/docker-proxy -proto tcp -host-ip 127.0.0.1 -host-port 18081 -container-ip 172.17.0.2 -container-port 8080'));
    assert.deepEqual(hint, { kind: 'proxy', engine: 'docker', protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 18081, containerIp: '172.17.0.2', containerPort: 8080 });
  });

  it('reads conmon arguments: the container id and name', () => {
    const command = fx('conmon.cmdline').trim();
    assert.deepEqual(hintFromProcess(proc('conmon', command)), { kind: 'conmon', engine: 'podman', id: 'b235190ba9a5208bd394ffceb4b2eb326dde8295514fb15041d5d799dcd888d6', name: 'pweb' });
    // A conmon without a full id is still Podman's, just not a container we can name from its arguments.
    assert.deepEqual(hintFromProcess(proc('conmon', 'conmon -c xyz')), { kind: 'engine', engine: 'podman' });
  });

  it('knows every forwarder, by truncated comm or argv[0], and nothing else', () => {
    for (const [comm, command, name] of [
      ['dockerd', '/usr/sbin/dockerd --userland-proxy=false', 'dockerd'],
      ['containerd-shim', '/usr/bin/containerd-shim-runc-v2 -namespace moby -id abc', 'containerd-shim'],
      ['rootlessport', 'rootlessport', 'rootlessport'],
      ['rootlesskit-doc', '/usr/bin/rootlesskit-docker-proxy -proto tcp', 'rootlesskit-docker-proxy'],
      ['rootlesskit', 'rootlesskit --net=slirp4netns dockerd', 'rootlesskit'],
      ['slirp4netns', 'slirp4netns --mtu 65520', 'slirp4netns'],
      ['pasta', 'pasta --config-net', 'pasta'],
      ['com.docker.back', '/Applications/Docker.app/Contents/MacOS/com.docker.backend', 'com.docker.backend'],
      ['vpnkit', 'vpnkit', 'vpnkit'],
      ['wslrelay.exe', 'wslrelay.exe', 'wslrelay'],
    ]) {
      assert.equal(forwarderOf(proc(comm, command))?.name, name, comm);
    }
    for (const [comm, command] of [
      ['node', 'node server.js'],
      ['dockerd-rootles', '/usr/share/docker.io/contrib/dockerd-rootless.sh'],
      ['docker', 'docker run -p 80:80 nginx'],
      ['busybox', '/bin/busybox httpd -f -p 18095 -h /www'],
    ]) {
      assert.equal(forwarderOf(proc(comm, command)), undefined, comm);
    }
    assert.deepEqual(hintFromProcess(proc('dockerd', 'dockerd --userland-proxy=false')), { kind: 'engine', engine: 'docker' });
  });

  it("names the container from a process's cgroup (Docker cgroupfs and systemd, Podman; not conmon's own)", () => {
    assert.deepEqual(containerFromCgroup(fx('docker-member.cgroup')), { engine: 'docker', id: '7ec2512c8eff583907bcd5060ee60572acb6fd8d43a7c0d21cdc2e9fe4f65f72' });
    assert.deepEqual(containerFromCgroup(fx('podman-member.cgroup')), { engine: 'podman', id: 'b235190ba9a5208bd394ffceb4b2eb326dde8295514fb15041d5d799dcd888d6' });
    const id = 'a'.repeat(64);
    assert.deepEqual(containerFromCgroup(`0::/system.slice/docker-${id}.scope\n`), { engine: 'docker', id });
    assert.equal(containerFromCgroup(`0::/machine.slice/libpod-conmon-${id}.scope\n`), undefined);
    assert.equal(containerFromCgroup('0::/user.slice/user-1000.slice/session-2.scope\n'), undefined);
    assert.equal(containerFromCgroup(''), undefined);
  });

  it('refers to a hostile container name by its id in typed commands', () => {
    assert.equal(shellSafeContainerRef({ id: 'b'.repeat(64), name: 'shop-db-1' }), 'shop-db-1');
    assert.equal(shellSafeContainerRef({ id: 'b'.repeat(64), name: 'x; rm -rf ~' }), 'bbbbbbbbbbbb');
  });
});

describe('engine API', () => {
  it('parses Docker and Podman container lists (compose labels, ports, addresses)', () => {
    const docker = (JSON.parse(fx('docker-containers-json.json')) as unknown[]).map((c) => parseContainer('docker', c));
    const web2 = docker.find((c) => c?.name === 'web2');
    assert.deepEqual(web2?.ports, [
      { ip: '0.0.0.0', privatePort: 8080, publicPort: 18090, protocol: 'tcp' },
      { ip: '::', privatePort: 8080, publicPort: 18090, protocol: 'tcp' },
    ]);
    assert.deepEqual(web2?.addresses, ['172.17.0.3']);
    const web1 = docker.find((c) => c?.name === 'web1');
    assert.deepEqual(web1?.compose, { project: 'shop', service: 'web' });
    const podman = (JSON.parse(fx('podman-containers-json.json')) as unknown[]).map((c) => parseContainer('podman', c));
    assert.equal(podman[0]?.name, 'pweb');
    assert.equal(podman[0]?.image, 'localhost/wtc-bb:latest');
    assert.deepEqual(podman[0]?.compose, { project: 'shop', service: 'api' });
    assert.equal(parseContainer('docker', { Id: 'not hex' }), undefined);
    assert.equal(parseContainer('docker', null), undefined);
  });

  it('finds the engine from DOCKER_HOST, the docker context, or the default socket', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pi-ctx-'));
    try {
      assert.equal(engineEndpoints({ DOCKER_HOST: 'unix:///tmp/d.sock' }, home, 1000)[0].socketPath, '/tmp/d.sock');
      assert.deepEqual(engineEndpoints({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }, home, 1000)[0], { engine: 'docker', host: '127.0.0.1', port: 2375, source: 'DOCKER_HOST' });
      assert.equal(engineEndpoints({}, home, 1000, () => false)[0].socketPath, '/var/run/docker.sock');
      // Rootless Docker's own socket, when there is no rootful one (and only then; never for root).
      const rootless = (...present: string[]) => (f: string) => present.includes(f);
      assert.deepEqual(engineEndpoints({ XDG_RUNTIME_DIR: '/run/user/1000' }, home, 1000, rootless('/run/user/1000/docker.sock'))[0], { engine: 'docker', socketPath: '/run/user/1000/docker.sock', source: 'rootless default' });
      assert.equal(engineEndpoints({}, home, 1000, rootless('/run/user/1000/docker.sock'))[0].socketPath, '/run/user/1000/docker.sock');
      assert.equal(engineEndpoints({}, home, 1000, rootless('/run/user/1000/docker.sock', '/var/run/docker.sock'))[0].socketPath, '/var/run/docker.sock');
      assert.equal(engineEndpoints({}, home, 0, rootless('/run/user/0/docker.sock'))[0].socketPath, '/var/run/docker.sock');
      assert.equal(engineEndpoints({ XDG_RUNTIME_DIR: '/run/user/1000' }, home, 1000)[1].socketPath, '/run/user/1000/podman/podman.sock');
      // A context named "colima": meta.json lives under the SHA-256 of the name.
      const digest = createHash('sha256').update('colima').digest('hex');
      fs.mkdirSync(path.join(home, '.docker', 'contexts', 'meta', digest), { recursive: true });
      fs.writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: 'colima' }));
      fs.writeFileSync(path.join(home, '.docker', 'contexts', 'meta', digest, 'meta.json'), JSON.stringify({ Name: 'colima', Endpoints: { docker: { Host: 'unix:///home/u/.colima/docker.sock' } } }));
      assert.deepEqual(engineEndpoints({}, home, 1000)[0], { engine: 'docker', socketPath: '/home/u/.colima/docker.sock', source: 'docker context "colima"' });
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  describe('failures are plain lines, never a broken listing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pi-engine-'));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const proxySocket = (): ListeningSocket => ({
      protocol: 'tcp',
      family: 4,
      address: '127.0.0.1',
      port: 18081,
      state: 'LISTEN',
      ownerVisible: true,
      owners: [{ pid: 4242, name: 'docker-proxy', command: '/usr/sbin/docker-proxy -proto tcp -host-ip 127.0.0.1 -host-port 18081 -container-ip 172.17.0.2 -container-port 8080', startTicks: 1 }],
    });
    const snap = (): Snapshot => ({ takenAt: Date.now(), backend: 'test', durationMs: 0, sockets: [proxySocket()], warnings: [] });

    it('no engine socket: the forwarder stays, one warning says Docker is not running', async () => {
      const lookup = new ContainerLookup({ endpoints: [{ engine: 'docker', socketPath: path.join(dir, 'absent.sock'), source: 'test' }] });
      const s = snap();
      await lookup.annotate(s);
      assert.equal(s.sockets[0].container, undefined);
      assert.equal(s.sockets[0].owners[0].name, 'docker-proxy');
      assert.match(s.warnings.join('\n'), /Docker is not running or not installed/);
      lookup.dispose();
    });

    it('a socket this user cannot open: says "not in the docker group" and how to fix it', async function () {
      if (process.getuid?.() === 0) {
        // Root opens any socket file: the refusal is simulated by the errno, which is what the user sees.
        const { describeConnectError } = await import('../../src/inspector/containers/engineApi');
        const err = Object.assign(new Error('connect EACCES'), { code: 'EACCES' });
        assert.match(describeConnectError({ engine: 'docker', socketPath: '/var/run/docker.sock', source: 'default' }, err).message, /not in the docker group\. Fix: sudo usermod -aG docker \$USER/);
        return;
      }
      this.skip();
    });

    it('a slow API: the listing waits at most the timeout, says so, and does not ask again on every scan', async () => {
      // A real server that accepts and never answers.
      const sock = path.join(dir, 'slow.sock');
      let requests = 0;
      const server = http.createServer(() => {
        requests++;
      });
      await new Promise<void>((resolve) => server.listen(sock, resolve));
      try {
        const lookup = new ContainerLookup({ endpoints: [{ engine: 'docker', socketPath: sock, source: 'test' }], timeoutMs: 300, retryMs: 60_000 });
        const s = snap();
        await lookup.annotate(s);
        assert.match(s.warnings.join('\n'), /Docker did not answer within 300 ms/);
        const again = snap();
        await lookup.annotate(again);
        assert.equal(requests, 1, 'a second scan within the retry interval asks nobody');
        assert.match(again.warnings.join('\n'), /did not answer/);
        lookup.dispose();
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('an engine that answers garbage: a plain line', async () => {
      const sock = path.join(dir, 'garbage.sock');
      const server = http.createServer((_req, res) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('<b>oops</b>');
      });
      await new Promise<void>((resolve) => server.listen(sock, resolve));
      try {
        await assert.rejects(listContainers({ engine: 'podman', socketPath: sock, source: 'test' }), /Podman answered 500/);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});
