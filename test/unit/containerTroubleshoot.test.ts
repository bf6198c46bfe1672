// Troubleshoot Port's Container section from realistic inputs: a real dockerd's inspect (captured), a
// docker-proxy owner as the Linux scan sees it, hostile container names and labels (untrusted: escaped,
// never a link or HTML), and the container-side check's fallback — a real connection to a real listener
// when the container's socket tables cannot be read — against an engine API served on a unix socket here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ContainerInfo, ListeningSocket } from '../../src/core/types';
import type { ContainerSide } from '../../src/inspector/containers/containerSide';
import { checkContainerSide, listenersInNamespace, parseContainerInspect } from '../../src/inspector/containers/containerSide';
import type { TroubleshootFacts } from '../../src/model/troubleshoot/index';
import { buildTroubleshootReport, containerLogsCommand, containersOf, gatherTroubleshootFacts } from '../../src/model/troubleshoot/index';
import { readFixture } from '../support/paths';

const NOW = Date.UTC(2026, 11, 2, 6, 0, 0);
const ID = 'a3f1c2d4e5b6a3f1c2d4e5b6a3f1c2d4e5b6a3f1c2d4e5b6a3f1c2d4e5b6a3f1';

const db: ContainerInfo = { engine: 'docker', id: ID, name: 'shop-db-1', image: 'postgres:16', state: 'running', startedAt: NOW - 3 * 60_000, compose: { project: 'shop', service: 'db', configFiles: ['/home/dev/shop/compose.yaml'] } };

function proxied(address: string, container: ContainerInfo | null = db, pid = 4242): ListeningSocket {
  return {
    protocol: 'tcp',
    family: address.includes(':') ? 6 : 4,
    address,
    port: 5432,
    state: 'LISTEN',
    inode: pid,
    uid: 0,
    owners: [{ pid, name: 'docker-proxy', command: `/usr/sbin/docker-proxy -proto tcp -host-ip ${address} -host-port 5432 -container-ip 172.17.0.2 -container-port 5433`, user: 'root', ppid: 1 }],
    ownerVisible: true,
    ...(container ? { container } : {}),
  };
}

function facts(sockets: ListeningSocket[], side?: ContainerSide, container = db): TroubleshootFacts {
  return {
    port: 5432,
    protocol: 'tcp',
    platform: 'linux',
    now: NOW,
    snapshotTakenAt: NOW,
    backend: 'linux-proc',
    sockets,
    otherProtocolSockets: [],
    tests: [],
    containers: containersOf(sockets).map(({ request: _request, ...entry }) => ({ ...entry, container, ...(side ? { side } : {}) })),
    problems: [],
  };
}

const unescape = (markdown: string): string => markdown.replace(/\\(.)/g, '$1');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (options: Record<string, unknown>) => { render(src: string): string; validateLink: (url: string) => boolean };
// The Markdown preview's settings (no raw HTML, bare URLs become links), every link scheme let through so
// that any link the report made shows up here.
const renderer = new MarkdownIt({ html: false, linkify: true });
renderer.validateLink = () => true;

/** The report's rule (as in troubleshootReport.test.ts): no link, image, tag or command URI comes from
 *  untrusted text; outside code spans nothing hostile stands unescaped. */
function assertInert(markdown: string): void {
  const html = renderer.render(markdown);
  assert.doesNotMatch(html, /<a |<img|<script|<iframe|<[^>]*\sonerror=|href="command:/i);
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  assert.doesNotMatch(prose, /(?<!\\)</);
  assert.doesNotMatch(prose, /(?<!\\)!\[/);
  assert.doesNotMatch(prose, /(?<!\\)\[/);
  assert.doesNotMatch(prose, /command:/);
}

describe('Troubleshoot Port: the Container section', () => {
  it("parses a real dockerd's inspect: state, start, main pid, address, port map", () => {
    const inspect = parseContainerInspect(JSON.parse(readFixture('containers/docker-inspect.json')));
    assert.deepEqual(inspect, {
      state: 'running',
      startedAt: Date.parse('2026-12-02T05:52:56.40372852Z'),
      pid: 916,
      networkMode: 'default',
      addresses: ['172.17.0.2'],
      ports: [{ containerPort: 8080, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 18081 }],
    });
    assert.equal(parseContainerInspect('Not Found'), undefined);
  });

  it("takes the container side from docker-proxy's arguments, one entry per container across its proxies", () => {
    const found = containersOf([proxied('0.0.0.0', db, 11), proxied('::', db, 12), proxied('127.0.0.1', null, 13)]);
    assert.equal(found.length, 1);
    assert.deepEqual(found[0].request, { container: db, hostPort: 5432, protocol: 'tcp', containerIp: '172.17.0.2', containerPort: 5433 });
    assert.deepEqual(
      found[0].hostSide.map((h) => `${h.address} ${h.forwarders.map((f) => `${f.name}/${f.pid}`).join(',')}`),
      ['0.0.0.0 docker-proxy/11', ':: docker-proxy/12'],
    );
  });

  it('published but nothing listens: fail, with the host side, the container side and the logs command', () => {
    const side: ContainerSide = { containerIp: '172.17.0.2', containerPort: 5433, check: { method: 'netns', listening: false, boundAddresses: [] } };
    const report = buildTroubleshootReport(facts([proxied('127.0.0.1')], side));
    assert.equal(report.container?.verdict, 'fail');
    assert.equal(report.container?.summary, 'Container shop-db-1 publishes port 5432 → 172.17.0.2:5433, but nothing listens on port 5433 inside it.');
    const text = unescape(report.markdown);
    assert.match(text, /^- ❌ \*\*Container\*\* — Container shop-db-1 publishes port 5432/m);
    assert.match(text, /^1\. ✅ \*\*Listening\?\*\* — Port 5432\/tcp is listening on 127.0.0.1 \(loopback only\), held by container shop-db-1 \(through docker-proxy, pid 4242\)\.$/m);
    assert.match(text, /## ❌ Container\n\n\*\*shop-db-1\*\* — Docker container `a3f1c2d4e5b6`, image `postgres:16`, running, up 3 min \(since \d\d:\d\d\)\./);
    assert.match(text, /Compose service \*\*db\*\* of project \*\*shop\*\*, from `\/home\/dev\/shop\/compose.yaml`\./);
    assert.match(text, /- \*\*Host side\*\*: TCP `127.0.0.1:5432`, held for it by docker-proxy \(pid 4242\)\./);
    assert.match(text, /- \*\*Container side\*\*: `172.17.0.2:5433`\./);
    assert.match(text, /docker-proxy still accepts connections and then closes them at once/);
    assert.match(report.markdown, /```sh\ndocker logs --tail 50 shop-db-1\n```/);
    // The steps keep their numbers: the section stands before them.
    assert.deepEqual(report.steps.map((s) => s.id), ['listening', 'reachable', 'firewall', 'nothing-listening', 'configuration', 'next-steps']);
    assert.deepEqual(report.commands.at(-1), { purpose: 'The last log lines of container shop-db-1', command: 'docker logs --tail 50 shop-db-1' });
  });

  it('listening only on loopback inside: warn; listening on all: ok; not checked: info with the reason', () => {
    const loop = buildTroubleshootReport(facts([proxied('127.0.0.1')], { containerIp: '172.17.0.2', containerPort: 5433, check: { method: 'netns', listening: true, boundAddresses: ['127.0.0.1'] } }));
    assert.equal(loop.container?.verdict, 'warn');
    assert.match(unescape(loop.markdown), /Listening inside the container only on loopback\*\* \(`127.0.0.1:5433`\)/);
    const all = buildTroubleshootReport(facts([proxied('127.0.0.1')], { containerIp: '172.17.0.2', containerPort: 5433, check: { method: 'netns', listening: true, boundAddresses: ['0.0.0.0'] } }));
    assert.equal(all.container?.verdict, 'ok');
    const unknown = buildTroubleshootReport(
      facts([proxied('127.0.0.1')], { containerIp: '172.17.0.2', containerPort: 5433, check: { method: 'none', note: "Could not check: the container's socket tables (/proc/916/net) could not be read (ENOENT)." } }),
    );
    assert.equal(unknown.container?.verdict, 'info');
    assert.match(unescape(unknown.markdown), /ℹ️ Could not check: the container's socket tables \(\/proc\/916\/net\) could not be read \(ENOENT\)\./);
    const hostNet = buildTroubleshootReport(facts([proxied('127.0.0.1')], { inspect: { state: 'running', networkMode: 'host', addresses: [], ports: [] }, check: { method: 'none' } }));
    assert.equal(hostNet.container?.verdict, 'ok');
    assert.equal(hostNet.container?.summary, "Container shop-db-1 holds port 5432 itself: it shares the host's network.");
    assert.match(unescape(hostNet.markdown), /\*\*Container side\*\*: the host's network \(`--network=host`\)/);
    const unchecked = buildTroubleshootReport(facts([proxied('127.0.0.1')]));
    assert.equal(unchecked.container?.summary, 'Port 5432 is published by container shop-db-1; its container side was not checked.');
    assert.equal(buildTroubleshootReport({ ...facts([proxied('127.0.0.1', null)]), containers: undefined }).container, undefined);
  });

  it('hostile names, images, labels and files stay inert; the logs command names the container by id then', () => {
    const HOSTILE = '[x](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> `tick` *b*';
    const evil: ContainerInfo = { ...db, name: HOSTILE, image: HOSTILE, state: HOSTILE, pod: HOSTILE, compose: { project: HOSTILE, service: HOSTILE, configFiles: [HOSTILE] } };
    const report = buildTroubleshootReport(facts([proxied('127.0.0.1', evil)], { containerIp: '172.17.0.2', containerPort: 5433, check: { method: 'connect', listening: false, note: HOSTILE } }, evil));
    assertInert(report.markdown);
    assert.match(report.markdown, /```sh\ndocker logs --tail 50 a3f1c2d4e5b6\n```/);
    assert.equal(containerLogsCommand({ engine: 'podman', id: ID, name: 'api;rm -rf ~' }), 'podman logs --tail 50 a3f1c2d4e5b6');
    assert.equal(containerLogsCommand(db, { name: 'DOCKER_HOST', value: 'unix:///run/user/1000/docker.sock' }), 'DOCKER_HOST=unix:///run/user/1000/docker.sock docker logs --tail 50 shop-db-1');
    assert.equal(containerLogsCommand(db, { name: 'DOCKER_HOST', value: 'unix:///tmp/a b;reboot' }), 'docker logs --tail 50 shop-db-1');
  });
});

describe('Troubleshoot Port: checking the container side', () => {
  let dir: string;
  let api: http.Server;
  let listener: net.Server | undefined;
  let inspect: Record<string, unknown>;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pi-side-'));
    inspect = JSON.parse(readFixture('containers/docker-inspect.json')) as Record<string, unknown>;
    // The engine's API, served on a unix socket as dockerd serves it.
    api = http.createServer((req, res) => {
      if (req.url === `/v1.41/containers/${ID}/json`) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(inspect));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"No such container"}');
      }
    });
    await new Promise<void>((resolve) => api.listen(path.join(dir, 'docker.sock'), resolve));
  });

  afterEach(async () => {
    await new Promise((resolve) => api.close(resolve));
    if (listener) {
      await new Promise((resolve) => listener!.close(resolve));
      listener = undefined;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const endpoints = (): Array<{ engine: 'docker'; socketPath: string; source: string }> => [{ engine: 'docker', socketPath: path.join(dir, 'docker.sock'), source: 'DOCKER_HOST' }];

  it("reads the container's socket tables through its main pid (this process's own, here)", async () => {
    listener = net.createServer();
    await new Promise<void>((resolve) => listener!.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    (inspect.State as Record<string, unknown>).Pid = process.pid;
    const side = await checkContainerSide({ container: db, hostPort: 18081, protocol: 'tcp', containerPort: port }, { endpoints: endpoints() });
    assert.deepEqual(side.check, { method: 'netns', listening: true, boundAddresses: ['127.0.0.1'] });
    assert.deepEqual(side.endpointEnv, { name: 'DOCKER_HOST', value: `unix://${path.join(dir, 'docker.sock')}` });
    assert.deepEqual(listenersInNamespace(process.pid, port, 'udp'), []);
  });

  it('without readable socket tables, connects to the container address: refused, then accepted', async () => {
    listener = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve) => listener!.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    const procRoot = path.join(dir, 'no-proc');
    const open = await checkContainerSide({ container: db, hostPort: 18081, protocol: 'tcp', containerIp: '127.0.0.1', containerPort: port }, { endpoints: endpoints(), procRoot });
    assert.deepEqual(open.check, { method: 'connect', listening: true, note: `A connection from this machine to 127.0.0.1:${port} succeeded.` });
    await new Promise((resolve) => listener!.close(resolve));
    listener = undefined;
    const closed = await checkContainerSide({ container: db, hostPort: 18081, protocol: 'tcp', containerIp: '127.0.0.1', containerPort: port }, { endpoints: endpoints(), procRoot });
    assert.deepEqual(closed.check, { method: 'connect', listening: false, note: `A connection from this machine to 127.0.0.1:${port} was refused.` });
  });

  it('the mapping from the inspect when no forwarder names it; a stopped or removed container in plain words', async () => {
    const procRoot = path.join(dir, 'no-proc');
    const side = await checkContainerSide({ container: db, hostPort: 18081, protocol: 'tcp' }, { endpoints: endpoints(), procRoot, timeoutMs: 500 });
    assert.equal(side.containerPort, 8080);
    assert.equal(side.containerIp, '172.17.0.2');
    (inspect.State as Record<string, unknown>).Status = 'exited';
    const stopped = await checkContainerSide({ container: db, hostPort: 18081, protocol: 'tcp' }, { endpoints: endpoints(), procRoot });
    assert.deepEqual(stopped.check, { method: 'none', listening: false, note: 'The container is exited, so nothing in it listens.' });
    const gone = await checkContainerSide({ container: { ...db, id: 'f'.repeat(64) }, hostPort: 18081, protocol: 'tcp' }, { endpoints: endpoints(), procRoot });
    assert.match(gone.check.note ?? '', /^The container port could not be told: The container ffffffffffff no longer exists \(it was removed\)\.$/);
  });

  it('the gather names the container even without a container-side checker, and a failing checker is a problem line', async () => {
    const snapshot = { takenAt: NOW, backend: 'test', durationMs: 0, warnings: [], sockets: [proxied('127.0.0.1')] };
    const plain = await gatherTroubleshootFacts({ port: 5432, snapshot, now: NOW });
    assert.equal(plain.containers?.[0].container.name, 'shop-db-1');
    const failing = await gatherTroubleshootFacts({ port: 5432, snapshot, now: NOW, containerSide: () => Promise.reject(new Error('engine gone')) });
    assert.deepEqual(failing.problems, ['The container side of shop-db-1 could not be checked: engine gone']);
  });
});
