import * as assert from 'node:assert/strict';
import type { ListeningSocket } from '../../src/core/types';
import { classifyPort, classifySocket } from '../../src/model/classify';

function socket(port: number, address: string, protocol: 'tcp' | 'udp' = 'tcp'): ListeningSocket {
  return {
    protocol,
    family: address.includes(':') && !address.startsWith('::ffff:') ? 6 : 4,
    address,
    port,
    state: protocol === 'tcp' ? 'LISTEN' : 'UNCONN',
    owners: [],
    ownerVisible: false,
  };
}

describe('classifyPort', () => {
  it('combines range, IANA service, developer use and browser scheme', () => {
    const pg = classifyPort(5432, 'tcp');
    assert.equal(pg.port, 5432);
    assert.equal(pg.protocol, 'tcp');
    assert.equal(pg.range, 'registered');
    assert.equal(pg.rangeLabel, 'Registered port (1024–49151)');
    assert.equal(pg.iana?.name, 'postgresql');
    assert.equal(pg.dev?.runs[0], 'PostgreSQL');
    assert.equal(pg.httpScheme, undefined);

    const vite = classifyPort(5173, 'tcp');
    assert.equal(vite.iana, undefined);
    assert.equal(vite.dev?.runs[0], 'Vite');
    assert.equal(vite.httpScheme, 'http');

    assert.equal(classifyPort(443, 'tcp').httpScheme, 'https');
    // HTTP/3 listens on UDP 443, but a browser is opened against the TCP listener.
    assert.equal(classifyPort(443, 'udp').httpScheme, undefined);
    assert.equal(classifyPort(443, 'udp').dev?.runs[0], 'HTTPS');
  });

  it('keeps TCP and UDP apart', () => {
    assert.equal(classifyPort(512, 'tcp').iana?.name, 'exec');
    assert.equal(classifyPort(512, 'udp').iana?.name, 'biff');
    assert.equal(classifyPort(53, 'udp').iana?.name, 'domain');
  });

  it('classifies edge ports and omits what is unknown', () => {
    const zero = classifyPort(0, 'tcp');
    assert.deepEqual(Object.keys(zero).sort(), ['port', 'protocol', 'range', 'rangeLabel']);
    assert.equal(classifyPort(65535, 'udp').range, 'dynamic');
    assert.equal(classifyPort(49152, 'tcp').range, 'dynamic');
  });

  it('caches and freezes results', () => {
    const a = classifyPort(6379, 'tcp');
    assert.equal(classifyPort(6379, 'tcp'), a);
    assert.notEqual(classifyPort(6379, 'udp'), a);
    assert.ok(Object.isFrozen(a));
  });

  it('rejects bad input with clear errors, and does not cache it', () => {
    for (const bad of [-1, 65536, 3.5, NaN]) {
      assert.throws(() => classifyPort(bad, 'tcp'), RangeError);
      assert.throws(() => classifyPort(bad, 'tcp'), RangeError); // still throws: nothing cached
    }
    assert.throws(() => classifyPort(80, 'sctp' as 'tcp'), /Invalid protocol sctp: expected "tcp" or "udp"\./);
  });
});

describe('classifySocket', () => {
  it('adds exposure and risk to the port classification', () => {
    const inspector = classifySocket(socket(9229, '0.0.0.0'));
    assert.equal(inspector.dev?.kind, 'debugger');
    assert.equal(inspector.exposure.scope, 'all');
    assert.equal(inspector.risk?.level, 'high');

    const local = classifySocket(socket(9229, '127.0.0.1'));
    assert.equal(local.exposure.scope, 'loopback');
    assert.equal(local.risk, undefined);
    assert.ok(!('risk' in local));

    const snmp = classifySocket(socket(161, '::', 'udp'));
    assert.equal(snmp.risk?.level, 'medium');
    assert.equal(snmp.iana?.name, 'snmp');

    const lan = classifySocket(socket(5432, 'fe80::1%eth0'));
    assert.equal(lan.exposure.network, 'link-local');
    assert.equal(lan.risk?.level, 'medium');
  });

  it('classifies 5,000 sockets quickly', () => {
    const addresses = ['0.0.0.0', '127.0.0.1', '::', '::1', '192.168.1.5', 'fe80::1%eth0'];
    const sockets: ListeningSocket[] = [];
    for (let i = 0; i < 5000; i++) {
      sockets.push(socket(1 + ((i * 7919) % 65535), addresses[i % addresses.length], i % 3 ? 'tcp' : 'udp'));
    }
    const t0 = process.hrtime.bigint();
    let risky = 0;
    for (const s of sockets) {
      if (classifySocket(s).risk) {
        risky++;
      }
    }
    const coldMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const t1 = process.hrtime.bigint();
    for (const s of sockets) {
      classifySocket(s);
    }
    const warmMs = Number(process.hrtime.bigint() - t1) / 1e6;
    console.log(`      classifySocket × 5000: ${coldMs.toFixed(1)} ms cold (${risky} risky), ${warmMs.toFixed(1)} ms cached`);
    assert.ok(warmMs < 1000, `${warmMs} ms for 5000 cached classifications`);
  });
});
