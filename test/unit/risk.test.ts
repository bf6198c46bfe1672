import * as assert from 'node:assert/strict';
import type { DevPortEntry } from '../../src/model/devPorts';
import { devPortInfo } from '../../src/model/devPorts';
import { addressExposure } from '../../src/model/exposure';
import { exposureRisk } from '../../src/model/risk';

function riskOf(port: number, protocol: 'tcp' | 'udp', address: string): ReturnType<typeof exposureRisk> {
  return exposureRisk(devPortInfo(port, protocol), addressExposure(address), address);
}

describe('exposureRisk', () => {
  it('flags services that let anyone in as high, on any non-loopback address', () => {
    for (const [port, word] of [[9229, 'Node.js inspector'], [6379, 'Redis'], [27017, 'MongoDB'], [2375, 'Docker API'], [11211, 'memcached']] as const) {
      const all = riskOf(port, 'tcp', '0.0.0.0');
      assert.equal(all?.level, 'high', `${port}`);
      assert.ok(all.reason.includes(word), all.reason);
      assert.ok(all.reason.endsWith('listens on all network interfaces.'), all.reason);
      assert.equal(riskOf(port, 'tcp', '::')?.level, 'high');
      assert.equal(riskOf(port, 'tcp', '*')?.level, 'high');
      assert.equal(riskOf(port, 'tcp', '192.168.1.5')?.level, 'high');
    }
    assert.equal(
      riskOf(2375, 'tcp', '0.0.0.0')?.reason,
      'The Docker API without TLS gives anyone who connects root on this machine, and it listens on all network interfaces.',
    );
    assert.equal(
      riskOf(6379, 'tcp', '::')?.reason,
      'Redis usually lets anyone in without a password, and it listens on all network interfaces.',
    );
  });

  it('flags databases and queues as medium', () => {
    const pg = riskOf(5432, 'tcp', '0.0.0.0');
    assert.equal(pg?.level, 'medium');
    assert.equal(pg.reason, 'PostgreSQL listens on all network interfaces, so other machines can reach it; bind it to 127.0.0.1 unless they need to.');
    assert.equal(riskOf(3306, 'tcp', '::')?.level, 'medium');
    assert.equal(riskOf(9092, 'tcp', '0.0.0.0')?.level, 'medium');
  });

  it('flags plaintext protocols as medium', () => {
    const telnet = riskOf(23, 'tcp', '0.0.0.0');
    assert.equal(telnet?.level, 'medium');
    assert.equal(telnet.reason, 'Telnet sends passwords and data unencrypted, and it listens on all network interfaces.');
    assert.equal(riskOf(21, 'tcp', '::')?.level, 'medium');
    assert.equal(riskOf(513, 'tcp', '0.0.0.0')?.level, 'medium'); // rlogin
    assert.equal(riskOf(514, 'tcp', '0.0.0.0')?.level, 'medium'); // rsh
    assert.equal(riskOf(161, 'udp', '0.0.0.0')?.level, 'medium'); // SNMP
    assert.ok(riskOf(5900, 'tcp', '0.0.0.0')?.reason.startsWith('VNC shares this screen'));
  });

  it('names the interface when bound to one address', () => {
    assert.equal(
      riskOf(9229, 'tcp', '192.168.1.5')?.reason,
      'The Node.js inspector lets anyone who connects run code in the process, and it listens on 192.168.1.5 (a private network address).',
    );
    assert.ok(riskOf(5432, 'tcp', '203.0.113.9')?.reason.includes('203.0.113.9 (a public address)'));
    assert.ok(riskOf(6379, 'tcp', 'fe80::1%eth0')?.reason.includes('fe80::1%eth0 (a link-local address)'));
    assert.ok(riskOf(6379, 'tcp', 'db.internal')?.reason.includes('listens on db.internal.'));
  });

  it('stays quiet for loopback, for services meant to be reached, and for unknown ports', () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.0.0.53']) {
      assert.equal(riskOf(9229, 'tcp', address), undefined, address);
      assert.equal(riskOf(23, 'tcp', address), undefined, address);
    }
    assert.equal(riskOf(3000, 'tcp', '0.0.0.0'), undefined);
    assert.equal(riskOf(22, 'tcp', '0.0.0.0'), undefined);
    assert.equal(riskOf(443, 'tcp', '::'), undefined);
    assert.equal(riskOf(53, 'udp', '0.0.0.0'), undefined);
    assert.equal(riskOf(514, 'udp', '0.0.0.0'), undefined); // syslog, not rsh
    assert.equal(riskOf(161, 'tcp', '0.0.0.0'), undefined); // SNMP is UDP
    assert.equal(riskOf(40123, 'tcp', '0.0.0.0'), undefined);
  });

  it('uses the kind default for an entry without an explicit concern', () => {
    const entry: DevPortEntry = { port: 7777, protocols: ['tcp'], runs: ['Some cache'], kind: 'cache' };
    assert.equal(exposureRisk(entry, addressExposure('0.0.0.0'), '0.0.0.0')?.level, 'medium');
    const web: DevPortEntry = { port: 7777, protocols: ['tcp'], runs: ['Some site'], kind: 'web' };
    assert.equal(exposureRisk(web, addressExposure('0.0.0.0'), '0.0.0.0'), undefined);
  });
});
