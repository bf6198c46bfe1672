import * as assert from 'node:assert/strict';
import type { ListeningSocket } from '../../src/core/types';
import { isMalformedPortRef, parsePortRef, portRefOf, resolvePortRef } from '../../src/model/portRef';
import { addressesClash, isThisMachine, socketsInRange, clashingSockets } from '../../src/model/portStatus';

function sock(port: number, address: string, pids: number[], protocol: 'tcp' | 'udp' = 'tcp'): ListeningSocket {
  return {
    protocol,
    family: address.includes(':') ? 6 : 4,
    address,
    port,
    state: 'LISTEN',
    owners: pids.map((pid) => ({ pid, name: `p${pid}`, command: '' })),
    ownerVisible: pids.length > 0,
  };
}

describe('parsePortRef', () => {
  it('accepts a port, a protocol and an optional address', () => {
    assert.deepEqual(parsePortRef({ port: 3000, protocol: 'tcp' }), { port: 3000, protocol: 'tcp' });
    assert.deepEqual(parsePortRef({ port: 53, protocol: 'udp', address: '::1' }), { port: 53, protocol: 'udp', address: '::1' });
    assert.deepEqual(parsePortRef({ port: 80, protocol: 'tcp', address: 'fe80::1%eth0', pid: 1, owners: 'x' }), { port: 80, protocol: 'tcp', address: 'fe80::1%eth0' });
  });

  it('rejects anything else a link could carry', () => {
    const bad: unknown[] = [
      undefined, null, 3000, '3000', [3000, 'tcp'], {}, { port: 3000 }, { protocol: 'tcp' },
      { port: 0, protocol: 'tcp' }, { port: 65536, protocol: 'tcp' }, { port: 3000.5, protocol: 'tcp' },
      { port: '3000', protocol: 'tcp' }, { port: NaN, protocol: 'tcp' }, { port: 3000, protocol: 'TCP' },
      { port: 3000, protocol: 'sctp' }, { port: 3000, protocol: 'tcp', address: 5 },
      { port: 3000, protocol: 'tcp', address: '' }, { port: 3000, protocol: 'tcp', address: 'a'.repeat(65) },
      { port: 3000, protocol: 'tcp', address: '127.0.0.1; rm -rf /' }, { port: 3000, protocol: 'tcp', address: '[x](command:y)' },
    ];
    for (const value of bad) {
      assert.equal(parsePortRef(value), undefined, JSON.stringify(value));
    }
    assert.equal(isMalformedPortRef({ port: 70000, protocol: 'tcp' }), true);
    assert.equal(isMalformedPortRef({ port: 3000, protocol: 'tcp' }), false);
    assert.equal(isMalformedPortRef({ kind: 'socket' }), false);
  });
});

describe('resolvePortRef', () => {
  const snapshot = { sockets: [sock(3000, '0.0.0.0', []), sock(3000, '::', [42]), sock(3000, '127.0.0.1', [7], 'udp')] };

  it('prefers the named address, then a socket with a visible owner, and keeps protocols apart', () => {
    assert.equal(resolvePortRef(snapshot, { port: 3000, protocol: 'tcp', address: '0.0.0.0' }), snapshot.sockets[0]);
    assert.equal(resolvePortRef(snapshot, { port: 3000, protocol: 'tcp' }), snapshot.sockets[1]);
    assert.equal(resolvePortRef(snapshot, { port: 3000, protocol: 'tcp', address: '10.0.0.1' }), snapshot.sockets[1]);
    assert.equal(resolvePortRef(snapshot, { port: 3000, protocol: 'udp' }), snapshot.sockets[2]);
    assert.equal(resolvePortRef(snapshot, { port: 3001, protocol: 'tcp' }), undefined);
  });

  it('round-trips through portRefOf and JSON, carrying no pid', () => {
    const ref = portRefOf(snapshot.sockets[1]);
    assert.deepEqual(Object.keys(ref).sort(), ['address', 'port', 'protocol']);
    assert.equal(resolvePortRef(snapshot, parsePortRef(JSON.parse(JSON.stringify(ref)))!), snapshot.sockets[1]);
  });
});

describe('port status', () => {
  it('tells this machine from others', () => {
    for (const local of [undefined, '', '0.0.0.0', '::', '*', '127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'app.localhost', 'host.docker.internal']) {
      assert.equal(isThisMachine(local), true, String(local));
    }
    for (const remote of ['db', 'redis', 'api.example.com']) {
      assert.equal(isThisMachine(remote), false, remote);
    }
    for (const unknown of ['${HOST}', '$HOST', '192.168.1.5', 'fe80::1']) {
      assert.equal(isThisMachine(unknown), undefined, unknown);
    }
  });

  it('matches addresses the way binds collide', () => {
    assert.equal(addressesClash(undefined, '127.0.0.1'), true);
    assert.equal(addressesClash('127.0.0.1', '0.0.0.0'), true);
    assert.equal(addressesClash('127.0.0.1', '::1'), true);
    assert.equal(addressesClash('localhost', '127.0.0.1'), true);
    assert.equal(addressesClash('192.168.1.5', '192.168.1.5'), true);
    assert.equal(addressesClash('192.168.1.5', '127.0.0.1'), false);
    assert.equal(addressesClash('127.0.0.1', '192.168.1.5'), false);
    assert.equal(addressesClash('${BIND}', '192.168.1.5'), true);
  });

  it('finds the sockets on a port and in a range, by protocol', () => {
    const s = { sockets: [sock(3000, '127.0.0.1', [1]), sock(3001, '::', [2]), sock(3003, '10.0.0.9', [3]), sock(3002, '0.0.0.0', [4], 'udp')] };
    assert.deepEqual(clashingSockets(s, 3000, 'tcp').map((x) => x.port), [3000]);
    assert.deepEqual(clashingSockets(s, 3000, 'udp'), []);
    assert.deepEqual([...socketsInRange(s, [3000, 3005], 'tcp', '127.0.0.1').keys()], [3000, 3001]);
    assert.deepEqual([...socketsInRange(s, [3000, 3005], 'tcp').keys()], [3000, 3001, 3003]);
    assert.deepEqual([...socketsInRange(s, [3000, 3005], 'udp').keys()], [3002]);
  });
});
