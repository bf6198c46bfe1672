import * as assert from 'node:assert/strict';
import { DEV_PORTS, devPortInfo, exposureConcern } from '../../src/model/devPorts';

describe('devPorts', () => {
  it('has at least 50 well-formed entries, at most one per port and protocol', () => {
    assert.ok(DEV_PORTS.length >= 50, `only ${DEV_PORTS.length} entries`);
    const seen = new Set<string>();
    for (const e of DEV_PORTS) {
      assert.ok(Number.isInteger(e.port) && e.port >= 1 && e.port <= 65535, `bad port ${e.port}`);
      assert.ok(e.protocols.length > 0, `${e.port}: no protocol`);
      assert.ok(e.runs.length > 0 && e.runs.every((r) => r.trim() === r && r.length > 0), `${e.port}: bad runs`);
      for (const p of e.protocols) {
        const key = `${e.port}/${p}`;
        assert.ok(!seen.has(key), `duplicate ${key}`);
        seen.add(key);
      }
      if (e.riskNote) {
        assert.ok(exposureConcern(e), `${e.port}: a risk note without a concern is never shown`);
        assert.ok(!e.riskNote.endsWith('.'), `${e.port}: the note is the first half of a sentence`);
      }
    }
    const ports = DEV_PORTS.map((e) => e.port);
    assert.deepEqual(ports, [...ports].sort((a, b) => a - b), 'table is ordered by port');
  });

  it('knows the ports developers ask about', () => {
    const expect: Array<[number, string, string]> = [
      [3000, 'web', 'Node.js / Express'],
      [4200, 'web', 'Angular CLI'],
      [4321, 'web', 'Astro'],
      [5173, 'web', 'Vite'],
      [5432, 'database', 'PostgreSQL'],
      [3306, 'database', 'MySQL'],
      [1433, 'database', 'Microsoft SQL Server'],
      [6379, 'cache', 'Redis'],
      [11211, 'cache', 'memcached'],
      [27017, 'database', 'MongoDB'],
      [9229, 'debugger', 'Node.js inspector (--inspect)'],
      [5672, 'queue', 'RabbitMQ (AMQP)'],
      [9092, 'queue', 'Kafka'],
      [2375, 'infra', 'Docker Engine API (no TLS)'],
      [6443, 'infra', 'Kubernetes API server'],
      [22, 'remote', 'SSH'],
      [25, 'mail', 'SMTP (mail transfer)'],
      [21, 'file', 'FTP'],
    ];
    for (const [port, kind, first] of expect) {
      const e = devPortInfo(port, 'tcp');
      assert.ok(e, `${port} missing`);
      assert.equal(e.kind, kind, `${port} kind`);
      assert.equal(e.runs[0], first, `${port} first runner`);
    }
    assert.ok(devPortInfo(5000, 'tcp')?.runs.includes('AirPlay Receiver (macOS)'));
    assert.ok(devPortInfo(5000, 'tcp')?.runs.includes('Flask'));
    assert.ok(devPortInfo(8081, 'tcp')?.runs.some((r) => r.includes('Metro')));
    assert.ok(devPortInfo(9000, 'tcp')?.runs.some((r) => r.includes('PHP-FPM')));
  });

  it('keys entries by protocol too', () => {
    assert.equal(devPortInfo(161, 'udp')?.runs[0], 'SNMP');
    assert.equal(devPortInfo(161, 'tcp'), undefined);
    assert.equal(devPortInfo(514, 'tcp')?.runs[0], 'rsh');
    assert.equal(devPortInfo(514, 'udp')?.runs[0], 'syslog');
    assert.equal(devPortInfo(53, 'udp'), devPortInfo(53, 'tcp'));
    assert.equal(devPortInfo(5432, 'udp'), undefined);
    assert.equal(devPortInfo(12345, 'tcp'), undefined);
  });

  it('says which ports speak HTTP or HTTPS', () => {
    assert.equal(devPortInfo(5173, 'tcp')?.http, 'http');
    assert.equal(devPortInfo(443, 'tcp')?.http, 'https');
    assert.equal(devPortInfo(8443, 'tcp')?.http, 'https');
    assert.equal(devPortInfo(5432, 'tcp')?.http, undefined);
    assert.equal(devPortInfo(6379, 'tcp')?.http, undefined);
  });

  it('derives the exposure concern from the kind unless the entry says otherwise', () => {
    const concern = (port: number, protocol: 'tcp' | 'udp' = 'tcp'): string | undefined => {
      const e = devPortInfo(port, protocol);
      assert.ok(e, `${port}/${protocol} missing`);
      return exposureConcern(e);
    };
    assert.equal(concern(5432), 'sensitive'); // database by default
    assert.equal(concern(9092), 'sensitive'); // queue by default
    assert.equal(concern(6379), 'unauthenticated');
    assert.equal(concern(9229), 'unauthenticated');
    assert.equal(concern(2375), 'unauthenticated');
    assert.equal(concern(23), 'plaintext');
    assert.equal(concern(161, 'udp'), 'plaintext');
    assert.equal(concern(5900), 'plaintext');
    assert.equal(concern(3000), undefined);
    assert.equal(concern(22), undefined);
    assert.equal(concern(443), undefined);
  });

  it('rejects invalid ports', () => {
    assert.throws(() => devPortInfo(70000, 'tcp'), RangeError);
  });
});
