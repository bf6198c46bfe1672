// The firewall reader against the real nft and iptables, inside a network namespace this file creates
// and always deletes: the host's own firewall is only read (before and after, to prove that nothing this
// file makes reached it), never written. Needs root, `ip netns`, nft and iptables; skipped with the
// reason otherwise.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFirewall } from '../../src/inspector/firewall/index';
import type { FirewallReading } from '../../src/inspector/firewall/index';
import { has, hostFirewall, skipBecause } from '../support/firewallSandbox';

const isRoot = process.platform === 'linux' && process.getuid?.() === 0;

function netnsList(): string {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', timeout: 5000 });
}

function read(readings: FirewallReading[], source: FirewallReading['source']): FirewallReading {
  const r = readings.find((x) => x.source === source);
  assert.ok(r, `no ${source} reading`);
  return r;
}

describe('firewall reader on real nftables/iptables in a network namespace', function () {
  this.timeout(30_000);
  const ns = `pi-test-${randomBytes(4).toString('hex')}`;
  const wrap = ['ip', 'netns', 'exec', ns];
  // What this file makes: the table `inet pi`, and an iptables rule commented with the namespace's name
  // (a host may well have a filter INPUT chain of its own).
  const mine = new RegExp(`^pi$|${ns}`);
  let created = false;
  let hostBefore = '';

  before(function () {
    if (!isRoot) {
      skipBecause(this, 'needs root to create a network namespace');
    }
    if (!has('nft', ['--version']) || !has('iptables-save', ['--version'])) {
      skipBecause(this, 'nft or iptables not installed: apt-get install nftables iptables');
    }
    hostBefore = hostFirewall(mine);
    try {
      execFileSync('ip', ['netns', 'add', ns], { stdio: 'pipe', timeout: 5000 });
      created = true;
    } catch {
      skipBecause(this, '`ip netns add` failed: no iproute2, or no CAP_SYS_ADMIN here');
    }
    const nft = (...args: string[]): void => {
      execFileSync('ip', ['netns', 'exec', ns, 'nft', ...args], { stdio: 'pipe', timeout: 5000 });
    };
    nft('add', 'table', 'inet', 'pi');
    nft('add', 'chain', 'inet', 'pi', 'input', '{ type filter hook input priority 0; policy accept; }');
    nft('add', 'rule', 'inet', 'pi', 'input', 'tcp', 'dport', '3000', 'drop');
    nft('add', 'rule', 'inet', 'pi', 'input', 'tcp', 'dport', '{ 80, 443, 8000-8100 }', 'accept');
    nft('add', 'rule', 'inet', 'pi', 'input', 'udp', 'dport', '!=', '53', 'reject');
    const rule = ['-A', 'INPUT', '-p', 'tcp', '-m', 'multiport', '--dports', '3000,4000:4100', '-m', 'comment', '--comment', ns, '-j', 'REJECT'];
    execFileSync('ip', ['netns', 'exec', ns, 'iptables', ...rule], { stdio: 'pipe', timeout: 5000 });
  });

  after(() => {
    if (created) {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'pipe', timeout: 5000 });
      assert.ok(!netnsList().split('\n').some((l) => l.split(' ')[0] === ns), `network namespace ${ns} left behind`);
    }
  });

  it('finds the nftables rule for the port with its verdict, chain and hook', async () => {
    const findings = await readFirewall({ port: 3000, protocol: 'tcp', platform: 'linux', wrap, sources: ['nftables'] });
    const nft = read(findings.readings, 'nftables');
    assert.equal(nft.status, 'read', JSON.stringify(nft));
    if (nft.status === 'read') {
      const mine = nft.rules.filter((r) => r.location.startsWith('inet pi'));
      assert.deepEqual(
        mine.map((r) => [r.verdict, r.location, r.text]),
        [['drop', 'inet pi, chain input, hook input', 'tcp dport 3000 drop']],
      );
      assert.equal(mine[0].summary, 'Drops incoming TCP to port 3000 (inet pi, chain input, hook input).');
      assert.ok(nft.policies.some((p) => p.location === 'inet pi, chain input, hook input' && p.verdict === 'accept'));
    }
    const range = await readFirewall({ port: 8042, protocol: 'tcp', platform: 'linux', wrap, sources: ['nftables'] });
    const r = read(range.readings, 'nftables');
    assert.ok(r.status === 'read' && r.rules.some((x) => x.verdict === 'accept' && x.location.startsWith('inet pi')));
    const udp = await readFirewall({ port: 3000, protocol: 'udp', platform: 'linux', wrap, sources: ['nftables'] });
    const u = read(udp.readings, 'nftables');
    assert.ok(u.status === 'read' && u.rules.some((x) => x.verdict === 'reject' && x.negated && x.applies));
  });

  it('reads iptables-nft through iptables-save and keeps it out of the nftables reading', async () => {
    const findings = await readFirewall({ port: 3000, protocol: 'tcp', platform: 'linux', wrap, sources: ['nftables', 'iptables', 'ip6tables'] });
    const ipt = read(findings.readings, 'iptables');
    assert.equal(ipt.status, 'read', JSON.stringify(ipt));
    if (ipt.status === 'read') {
      assert.deepEqual(
        ipt.rules.map((r) => [r.verdict, r.location]),
        [['reject', 'filter table, chain INPUT']],
      );
      assert.deepEqual(ipt.rules[0].ports, [[3000, 3000], [4000, 4100]]);
    }
    const nft = read(findings.readings, 'nftables');
    assert.ok(nft.status === 'read' && nft.rules.every((r) => !r.location.startsWith('ip filter')));
    const ip6 = read(findings.readings, 'ip6tables');
    assert.ok(ip6.status === 'read' && ip6.rules.length === 0);
  });

  it('says "needs root" with the command to run when the tools run unprivileged', async function () {
    if (!has('setpriv', ['--version'])) {
      skipBecause(this, 'setpriv (util-linux) not installed');
    }
    const findings = await readFirewall({
      port: 3000,
      platform: 'linux',
      wrap: [...wrap, 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
      sources: ['nftables', 'iptables'],
    });
    const nft = read(findings.readings, 'nftables');
    assert.deepEqual(nft, {
      source: 'nftables',
      status: 'unreadable',
      reason: 'permission',
      message: 'Reading the nftables rules needs administrator rights (root).',
      command: 'sudo nft list ruleset | grep 3000',
    });
    const ipt = read(findings.readings, 'iptables');
    assert.ok(ipt.status === 'unreadable' && ipt.reason === 'permission' && ipt.command === 'sudo iptables-save | grep 3000');
  });

  it('left the host firewall as it was', () => {
    assert.equal(hostFirewall(mine), hostBefore);
  });
});

describe('firewall reader without a namespace', () => {
  it('reports tools that are not installed as missing, never as an error', async function () {
    const missing = ['ufw', 'firewall-cmd'].filter((t) => !has('sh', ['-c', `command -v ${t} || test -x /usr/sbin/${t}`]));
    if (missing.length === 0) {
      skipBecause(this, 'ufw and firewalld are both installed here');
    }
    const findings = await readFirewall({ port: 3000, platform: 'linux', sources: ['ufw', 'firewalld'] });
    for (const reading of findings.readings) {
      const tool = reading.source === 'ufw' ? 'ufw' : 'firewall-cmd';
      if (missing.includes(tool)) {
        assert.equal(reading.status, 'unreadable');
        assert.ok(reading.status === 'unreadable' && reading.reason === 'missing' && reading.message === `${tool} is not installed.`);
      }
    }
  });

  it('says "needs root" for the host firewall when not run as root', async function () {
    if (process.platform !== 'linux' || isRoot || !has('sh', ['-c', 'command -v nft || test -x /usr/sbin/nft'])) {
      skipBecause(this, isRoot ? 'running as root: the setpriv test covers it' : 'not Linux, or nft not installed');
    }
    const [nft] = (await readFirewall({ port: 3000, platform: 'linux', sources: ['nftables'] })).readings;
    assert.ok(nft.status === 'unreadable' && nft.reason === 'permission' && nft.command === 'sudo nft list ruleset | grep 3000', JSON.stringify(nft));
  });

  it('rejects a bad port or protocol with one plain line', async () => {
    await assert.rejects(readFirewall({ port: 0 }), /not a port/);
    await assert.rejects(readFirewall({ port: 70000 }), /not a port/);
    await assert.rejects(readFirewall({ port: 80, protocol: 'sctp' as never }), /Unknown protocol "sctp"/);
  });

  it('has nothing to read on a platform without a reader', async () => {
    assert.deepEqual((await readFirewall({ port: 80, platform: 'aix' })).readings, []);
  });
});
