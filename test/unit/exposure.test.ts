import * as assert from 'node:assert/strict';
import { addressExposure } from '../../src/model/exposure';

describe('addressExposure', () => {
  const cases: Array<[string, string, string?]> = [
    ['127.0.0.1', 'loopback'],
    ['127.0.0.53', 'loopback'], // systemd-resolved: all of 127.0.0.0/8 is loopback
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['localhost', 'loopback'],
    ['0.0.0.0', 'all'],
    ['::', 'all'],
    ['[::]', 'all'],
    ['*', 'all'],
    ['::ffff:0.0.0.0', 'all'],
    ['192.168.1.5', 'interface', 'private'],
    ['10.0.0.7', 'interface', 'private'],
    ['172.16.0.1', 'interface', 'private'],
    ['172.31.255.1', 'interface', 'private'],
    ['100.100.1.2', 'interface', 'private'],
    ['fd12:3456:789a::1', 'interface', 'private'],
    ['::ffff:192.168.1.5', 'interface', 'private'],
    ['fe80::1%eth0', 'interface', 'link-local'],
    ['fe80::1ff:fe23:4567:890a%en0', 'interface', 'link-local'],
    ['169.254.10.20', 'interface', 'link-local'],
    ['224.0.0.251', 'interface', 'multicast'],
    ['ff02::fb', 'interface', 'multicast'],
    ['172.32.0.1', 'interface', 'public'],
    ['8.8.8.8', 'interface', 'public'],
    ['2001:db8::5', 'interface', 'public'],
    ['::ffff:203.0.113.9', 'interface', 'public'],
    ['my-host.example', 'interface', 'unknown'],
    ['1.2.3', 'interface', 'unknown'],
    ['256.1.1.1', 'interface', 'unknown'],
    ['1::2::3', 'interface', 'unknown'],
    ['1:2:3:4:5:6:7:8:9', 'interface', 'unknown'],
    ['::ffff:1.2.3.999', 'interface', 'unknown'],
  ];
  for (const [address, scope, network] of cases) {
    it(`${address} → ${scope}${network ? ` (${network})` : ''}`, () => {
      const e = addressExposure(address);
      assert.equal(e.scope, scope);
      assert.equal(e.network, network);
      assert.ok(e.label.length > 0);
    });
  }

  it('labels in plain words', () => {
    assert.equal(addressExposure('0.0.0.0').label, 'All interfaces (reachable from the network)');
    assert.equal(addressExposure('::1').label, 'Loopback only (this machine)');
    assert.equal(addressExposure('192.168.1.5').label, 'Private network address');
  });
});
