import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { SystemInformationBackend } from '../../src/inspector/fallback/systemInformationBackend';
import type { SystemInformationSource } from '../../src/inspector/fallback/systemInformationBackend';
import { listenersFromSystemInformation, parseStarted, siEndpoint } from '../../src/inspector/fallback/systemInformationMapper';
import type { SiConnection, SiProcess } from '../../src/inspector/fallback/systemInformationMapper';
import { InspectorError } from '../../src/core/types';
import type { ListeningSocket } from '../../src/core/types';

const brief = (s: ListeningSocket): string =>
  `${s.protocol}${s.family} ${s.address} ${s.port} ${s.state} [${s.owners.map((o) => o.pid).join(',')}]${s.ownerVisible ? '' : ' hidden'}`;

const conn = (over: Partial<SiConnection>): SiConnection => ({
  protocol: 'tcp',
  localAddress: '0.0.0.0',
  localPort: '80',
  peerAddress: '0.0.0.0',
  peerPort: '*',
  state: 'LISTEN',
  pid: 10,
  process: 'nginx',
  ...over,
});

function listen(server: net.Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port));
  });
}

describe('systeminformation: addresses', () => {
  it('reads Linux netstat and ss splits', () => {
    assert.deepEqual(siEndpoint('127.0.0.1', '5432', 4), { family: 4, address: '127.0.0.1', port: 5432 });
    assert.deepEqual(siEndpoint('::', '3000', 6), { family: 6, address: '::', port: 3000 });
    assert.deepEqual(siEndpoint('::ffff:127.0.0.1', '8080', 6), { family: 4, address: '127.0.0.1', port: 8080 });
    assert.deepEqual(siEndpoint('[::1]', '8080', 6), { family: 6, address: '::1', port: 8080 });
    assert.deepEqual(siEndpoint('*', '5353', 4), { family: 4, address: '0.0.0.0', port: 5353 });
    assert.deepEqual(siEndpoint('fe80::1%eth0', '546', 6), { family: 6, address: 'fe80::1%eth0', port: 546 });
  });

  it('repairs BSD host.port text that was split at a colon', () => {
    assert.deepEqual(siEndpoint('*.22', '', 4), { family: 4, address: '0.0.0.0', port: 22 });
    assert.deepEqual(siEndpoint('*.22', '', 6), { family: 6, address: '::', port: 22 });
    assert.deepEqual(siEndpoint('127.0.0.1.5432', '', 4), { family: 4, address: '127.0.0.1', port: 5432 });
    // `::1.8080` split at its last colon arrives as ':' and '1.8080'.
    assert.deepEqual(siEndpoint(':', '1.8080', 6), { family: 6, address: '::1', port: 8080 });
    assert.deepEqual(siEndpoint('fe80::1%em0', '1.5353'.replace('1.', ''), 6), { family: 6, address: 'fe80::1%em0', port: 5353 });
  });

  it('rejects what is not an address', () => {
    assert.equal(siEndpoint('*', '*', 4), undefined);
    assert.equal(siEndpoint('localhost', '80', 4), undefined);
    assert.equal(siEndpoint('1.2.3.4', '0', 4), undefined);
    assert.equal(siEndpoint('', '', 4), undefined);
  });
});

describe('systeminformation: mapping', () => {
  it('keeps listeners, drops connections, completes owners from the process list', () => {
    const processes: SiProcess[] = [
      { pid: 10, parentPid: 1, name: 'nginx', command: '/usr/sbin/nginx', params: '-g daemon off;', user: 'www', started: '2026-11-24 14:33:49' },
    ];
    const sockets = listenersFromSystemInformation(
      [
        conn({}),
        conn({ protocol: 'tcp6', localAddress: '::', localPort: '80' }),
        conn({ localAddress: '10.0.0.5', localPort: '80', peerAddress: '10.0.0.9', peerPort: '51000', state: 'ESTABLISHED' }),
        conn({ protocol: 'tcp4', localAddress: '*.22', localPort: '', state: 'LISTEN', pid: null, process: '' }),
        conn({ protocol: 'udp', localAddress: '0.0.0.0', localPort: '5353', peerAddress: '0.0.0.0', state: '', pid: 20, process: 'avahi-daemon' }),
        conn({ protocol: 'udp', localAddress: '10.0.0.5', localPort: '40000', peerAddress: '8.8.8.8', peerPort: '53', state: 'ESTABLISHED', pid: 20 }),
        conn({}), // a duplicate row
        conn({ protocol: 'sctp' }),
        conn({ state: 'LISTEN', localPort: 'http' }),
        null as unknown as SiConnection,
      ],
      processes,
    );
    assert.deepEqual(sockets.map(brief), [
      'tcp4 0.0.0.0 80 LISTEN [10]',
      'tcp6 :: 80 LISTEN [10]',
      'tcp4 0.0.0.0 22 LISTEN [] hidden',
      'udp4 0.0.0.0 5353 UNCONN [20]',
    ]);
    assert.deepEqual(sockets[0].owners[0], {
      pid: 10,
      name: 'nginx',
      command: '/usr/sbin/nginx -g daemon off;',
      user: 'www',
      ppid: 1,
      startTime: new Date(2026, 10, 24, 14, 33, 49).getTime(),
    });
    assert.deepEqual(sockets[3].owners[0], { pid: 20, name: 'avahi-daemon', command: '' }, 'a pid missing from the list keeps the name');
  });

  it('parses start times strictly', () => {
    assert.equal(parseStarted('2026-02-30 10:00:00'), undefined);
    assert.equal(parseStarted('garbage'), undefined);
    assert.equal(parseStarted(undefined), undefined);
  });
});

describe('SystemInformationBackend with a fake source', () => {
  const source = (over: Partial<SystemInformationSource>): SystemInformationSource => ({
    networkConnections: async () => [conn({})],
    processes: async () => ({ list: [{ pid: 10, name: 'nginx', command: 'nginx' }] }),
    ...over,
  });

  it('turns a failure of systeminformation into an InspectorError', async () => {
    const backend = new SystemInformationBackend(source({ networkConnections: () => Promise.reject(new Error('spawn netstat EACCES')) }));
    await assert.rejects(backend.snapshot(), (e: unknown) => {
      assert.ok(e instanceof InspectorError);
      assert.equal(e.code, 'FAILED');
      assert.match(e.message, /systeminformation could not list network connections: spawn netstat EACCES/);
      return true;
    });
    const thrower = new SystemInformationBackend(source({ networkConnections: () => { throw new Error('boom'); } }));
    await assert.rejects(thrower.snapshot(), { code: 'FAILED' });
  });

  it('asks for processes again when an owner is missing from a cached list', async () => {
    let calls = 0;
    const backend = new SystemInformationBackend(
      source({
        processes: async () => ({ list: calls++ === 0 ? [] : [{ pid: 10, name: 'nginx', command: '/usr/sbin/nginx' }] }),
      }),
    );
    const snap = await backend.snapshot();
    assert.equal(calls, 2);
    assert.equal(snap.sockets[0].owners[0].command, '/usr/sbin/nginx');
  });

  it('can be cancelled while waiting for a fresh process list', async () => {
    const controller = new AbortController();
    const backend = new SystemInformationBackend(source({ processes: async () => ({ list: [] }) }));
    const pending = backend.snapshot({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(pending, { code: 'FAILED', message: /cancelled/ });
  });

  it('rejects a result of the wrong shape as PARSE', async () => {
    const backend = new SystemInformationBackend(source({ networkConnections: async () => ({}) as unknown as SiConnection[] }));
    await assert.rejects(backend.snapshot(), { code: 'PARSE' });
  });

  it('keeps the sockets when the process list fails, with a warning', async () => {
    const backend = new SystemInformationBackend(source({ processes: () => Promise.reject(new Error('ps missing')) }));
    const snap = await backend.snapshot();
    assert.deepEqual(snap.sockets.map(brief), ['tcp4 0.0.0.0 80 LISTEN [10]']);
    assert.equal(snap.sockets[0].owners[0].name, 'nginx');
    assert.equal(snap.warnings.length, 1);
    assert.match(snap.warnings[0], /ps missing/);
  });
});

describe('SystemInformationBackend on this machine', function () {
  this.timeout(30_000);
  const servers: net.Server[] = [];
  let child: ChildProcess | undefined;
  const backend = new SystemInformationBackend();

  after(() => {
    for (const s of servers) {
      s.close();
    }
    child?.kill();
    backend.dispose();
  });

  it('finds a TCP listener of this process with the right pid', async () => {
    const server = net.createServer();
    servers.push(server);
    const port = await listen(server, '127.0.0.1');
    const snap = await backend.snapshot();
    assert.equal(snap.backend, 'systeminformation');
    const mine = snap.sockets.filter((s) => s.port === port);
    assert.deepEqual(mine.map(brief), [`tcp4 127.0.0.1 ${port} LISTEN [${process.pid}]`]);
    assert.equal(mine[0].owners[0].name, 'node');
    assert.ok(mine[0].owners[0].startTime && Math.abs(mine[0].owners[0].startTime - (Date.now() - process.uptime() * 1000)) < 5_000);
    const ports = snap.sockets.map((s) => s.port);
    assert.deepEqual(ports, [...ports].sort((a, b) => a - b), 'sorted by port');
  });

  it('finds a child process listening on IPv6 loopback, with its command line', async function () {
    const probe = net.createServer();
    try {
      await listen(probe, '::1');
    } catch {
      this.skip(); // no IPv6 loopback here
    } finally {
      probe.close();
    }
    const marker = `si-test-${process.pid}`;
    child = spawn(process.execPath, ['-e', "const s=require('net').createServer().listen(0,'::1',()=>console.log(s.address().port))", marker], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child?.stdout?.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
      child?.once('error', reject);
    });
    const snap = await backend.snapshot();
    const found = snap.sockets.filter((s) => s.port === port);
    assert.deepEqual(found.map(brief), [`tcp6 ::1 ${port} LISTEN [${child.pid}]`]);
    assert.match(found[0].owners[0].command, new RegExp(marker));
    assert.equal(found[0].owners[0].ppid, process.pid);
  });
});
