// The firewall reader against the REAL ufw and firewalld, each inside a sandbox (new network, mount and
// PID namespaces, see firewallSandbox.ts) with temporary copies of their configuration bound over
// /etc/ufw, /etc/default/ufw, /lib/ufw, /etc/firewalld and a tmpfs over /run, and a private
// `dbus-daemon --system` for firewalld. The host's firewall and config are only read, before and after,
// to prove that the tools left nothing there (only their own part: other software may change the rest
// meanwhile). Needs root, util-linux (unshare, nsenter), ufw / firewalld; skipped with
// the reason otherwise. Set PORT_INSPECTOR_WRITE_FIXTURES=1 to (re)write the captured fixtures.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFirewalldZones, parseUfwStatus, readFirewall } from '../../src/inspector/firewall/index';
import type { FirewallReading, FirewallRule, ParsedFirewall } from '../../src/inspector/firewall/index';
import { fixturePath } from '../support/paths';
import { Sandbox, has, hostState, skipBecause } from '../support/firewallSandbox';

const isRoot = process.platform === 'linux' && process.getuid?.() === 0;
const writeFixtures = process.env.PORT_INSPECTOR_WRITE_FIXTURES === '1';

/** Compact view of the rules for whole-list comparisons. */
function brief(rules: readonly FirewallRule[]): string[] {
  return rules.map((r) => `${r.verdict}${r.applies ? '' : ' (not)'} ${r.direction} ${r.protocols.join('/') || 'any'} @ ${r.location}`);
}

function readOnly(readings: FirewallReading[]): FirewallReading {
  assert.equal(readings.length, 1);
  return readings[0];
}

function mustRead(reading: FirewallReading): ParsedFirewall {
  assert.equal(reading.status, 'read', JSON.stringify(reading));
  return reading as ParsedFirewall;
}

/** Skips the suite unless this machine can make a sandbox for `tools`. */
function requireSandboxTools(ctx: Mocha.Context, tools: Array<[string, string[]]>): void {
  if (!isRoot) {
    skipBecause(ctx, 'needs root to make namespaces');
  }
  for (const [tool, args] of [['unshare', ['--version']], ['nsenter', ['--version']], ['nft', ['--version']], ...tools] as Array<[string, string[]]>) {
    if (!has(tool, args)) {
      skipBecause(ctx, `${tool} not installed (apt-get install ufw firewalld nftables util-linux)`);
    }
  }
}

/** Compares a live capture with the committed fixture, or writes the fixture when asked. */
function checkFixture(name: string, live: string, normalize: (t: string) => string = (t) => t): void {
  const file = fixturePath('firewall', name);
  if (writeFixtures) {
    fs.writeFileSync(file, live);
    return;
  }
  assert.equal(normalize(live), normalize(fs.readFileSync(file, 'utf8')), `${name} no longer matches what the tool prints`);
}

// --- ufw

const UFW_PATHS = ['/etc/ufw', '/etc/default/ufw', '/lib/ufw', '/run/ufw.lock'];
/** ufw's chains (ufw-*, ufw6-*) and the jumps to them: a ufw-init that reached the host would make them
 *  before it set any built-in chain's policy. */
const UFW_MINE = /ufw/;
const UFW_VERSION = '0.36.2';

describe('firewall reader on the real ufw in a sandbox', function () {
  this.timeout(60_000);
  let box: Sandbox | undefined;
  let hostBefore = '';
  let version = '';

  before(async function () {
    requireSandboxTools(this, [['ufw', ['--version']], ['iptables', ['--version']]]);
    version = /ufw (\S+)/.exec(execFileSync('ufw', ['--version'], { encoding: 'utf8' }))?.[1] ?? '';
    hostBefore = hostState(UFW_MINE, UFW_PATHS);
    try {
      box = await Sandbox.create(180);
    } catch (err) {
      skipBecause(this, (err as Error).message);
    }
    // ufw's pristine configuration from the package, not the host's (which may hold rules).
    const etc = path.join(box.dir, 'etc-ufw');
    fs.mkdirSync(path.join(etc, 'applications.d'), { recursive: true });
    for (const name of ['ufw.conf', 'before.rules', 'after.rules', 'before6.rules', 'after6.rules', 'user.rules', 'user6.rules', 'before.init', 'after.init']) {
      if (fs.existsSync(`/usr/share/ufw/${name}`)) {
        fs.copyFileSync(`/usr/share/ufw/${name}`, path.join(etc, name));
      }
    }
    fs.writeFileSync(
      path.join(etc, 'applications.d', 'port-inspector-test'),
      '[Port Inspector Test]\ntitle=Port Inspector test\ndescription=A profile the unit tests use\nports=9000:9010/tcp|9443/udp\n',
    );
    // No sysctl file and no modules: ufw-init must change nothing outside the network namespace.
    // Forwarding off in the namespace, as on a fresh machine: ufw prints the routed policy as "disabled"
    // only then, and a new namespace copies the host's IPv4 forwarding (on wherever Docker runs).
    const forwarding: Record<string, string> = { 'net.ipv4.ip_forward': '0' };
    if (fs.existsSync('/proc/sys/net/ipv6')) {
      forwarding['net.ipv6.conf.all.forwarding'] = '0';
      forwarding['net.ipv6.conf.default.forwarding'] = '0';
    }
    box.sysctl(forwarding);
    fs.writeFileSync(path.join(box.dir, 'sysctl.conf'), '');
    fs.writeFileSync(
      path.join(box.dir, 'default-ufw'),
      [
        'IPV6=yes',
        'DEFAULT_INPUT_POLICY="DROP"',
        'DEFAULT_OUTPUT_POLICY="ACCEPT"',
        'DEFAULT_FORWARD_POLICY="DROP"',
        'DEFAULT_APPLICATION_POLICY="SKIP"',
        'MANAGE_BUILTINS=no',
        `IPT_SYSCTL=${path.join(box.dir, 'sysctl.conf')}`,
        'IPT_MODULES=""',
        '',
      ].join('\n'),
    );
    fs.cpSync('/lib/ufw', path.join(box.dir, 'lib-ufw'), { recursive: true });
    box.bind(etc, '/etc/ufw');
    box.bind(path.join(box.dir, 'default-ufw'), '/etc/default/ufw');
    box.bind(path.join(box.dir, 'lib-ufw'), '/lib/ufw');
    box.tmpfs('/run');
  });

  after(async () => {
    await box?.dispose();
  });

  it('says ufw is installed but inactive, as the real `ufw status verbose` says', async () => {
    const reading = readOnly((await readFirewall({ port: 3000, platform: 'linux', wrap: box!.wrap, sources: ['ufw'] })).readings);
    assert.deepEqual(reading, { source: 'ufw', status: 'inactive', command: 'ufw status verbose', message: 'ufw is installed but inactive.' });
  });

  it('reads the verdicts of the real rules: ports, ranges, addresses, an app profile, LIMIT, OUT, FWD, IPv6', async () => {
    const ufw = (...args: string[]): string => box!.run(['ufw', ...args]);
    ufw('--force', 'enable');
    ufw('allow', '3000/tcp');
    ufw('deny', '3000/udp');
    ufw('deny', 'from', '10.0.0.0/8', 'to', 'any', 'port', '5432', 'proto', 'tcp');
    ufw('allow', 'Port Inspector Test');
    ufw('limit', '22/tcp');
    ufw('reject', '8000:8100/udp');
    ufw('allow', 'in', 'on', 'lo', 'to', 'any', 'port', '4000', 'proto', 'tcp', 'comment', 'dev "x" [y](command:z)');
    ufw('route', 'allow', '8080/tcp');
    ufw('deny', 'out', '25/tcp');
    ufw('allow', 'from', '192.168.1.0/24', 'to', '192.168.1.5', 'port', '6000:6010', 'proto', 'udp');
    // A source port only: must not be reported as a rule for local port 7000.
    ufw('allow', 'from', 'any', 'port', '7000', 'to', 'any', 'proto', 'tcp');

    const read = async (port: number, protocol?: 'tcp' | 'udp'): Promise<ParsedFirewall> =>
      mustRead(readOnly((await readFirewall({ port, protocol, platform: 'linux', wrap: box!.wrap, sources: ['ufw'] })).readings));

    const p3000 = await read(3000, 'tcp');
    assert.deepEqual(brief(p3000.rules), ['accept in tcp @ ufw', 'accept in tcp @ ufw (IPv6)']);
    assert.equal(p3000.rules[0].summary, 'Allows incoming TCP to port 3000 (ufw).');
    assert.deepEqual(
      p3000.policies.map((p) => `${p.direction} ${p.verdict} ${p.action}`),
      ['in drop deny (incoming)', 'out accept allow (outgoing)'],
    );
    assert.deepEqual(p3000.notes, []);
    assert.deepEqual(brief((await read(3000, 'udp')).rules), ['drop in udp @ ufw', 'drop in udp @ ufw (IPv6)']);
    assert.deepEqual(brief((await read(3000)).rules), ['accept in tcp @ ufw', 'drop in udp @ ufw', 'accept in tcp @ ufw (IPv6)', 'drop in udp @ ufw (IPv6)']);

    const db = await read(5432, 'tcp');
    assert.deepEqual(brief(db.rules), ['drop in tcp @ ufw']);
    assert.match(db.rules[0].text, /^5432\/tcp DENY IN 10\.0\.0\.0\/8$/);

    // The app profile: verbose ufw prints its ports, `9000:9010/tcp (Port Inspector Test)`.
    const app = await read(9005, 'tcp');
    assert.deepEqual(brief(app.rules), ['accept in tcp @ ufw', 'accept in tcp @ ufw (IPv6)']);
    assert.deepEqual(app.rules[0].ports, [[9000, 9010]]);
    assert.deepEqual(app.notes, []);
    assert.deepEqual(brief((await read(9443, 'udp')).rules), ['accept in udp @ ufw', 'accept in udp @ ufw (IPv6)']);
    assert.deepEqual((await read(9443, 'tcp')).rules, []);

    const ssh = await read(22, 'tcp');
    assert.deepEqual(brief(ssh.rules), ['accept in tcp @ ufw', 'accept in tcp @ ufw (IPv6)']);
    assert.match(ssh.rules[0].summary, /^Allows \(rate-limited\) incoming TCP to port 22 \(ufw\)/);
    assert.deepEqual(brief((await read(8050, 'udp')).rules), ['reject in udp @ ufw', 'reject in udp @ ufw (IPv6)']);

    const lo = await read(4000, 'tcp');
    assert.deepEqual(brief(lo.rules), ['accept in tcp @ ufw on lo', 'accept in tcp @ ufw on lo (IPv6)']);
    assert.match(lo.rules[0].text, /# dev "x" \[y\]\(command:z\)$/);

    assert.deepEqual(brief((await read(8080, 'tcp')).rules), ['accept forward tcp @ ufw', 'accept forward tcp @ ufw (IPv6)']);
    assert.deepEqual(brief((await read(25, 'tcp')).rules), ['drop out tcp @ ufw', 'drop out tcp @ ufw (IPv6)']);
    assert.deepEqual(brief((await read(6005, 'udp')).rules), ['accept in udp @ ufw']);
    assert.deepEqual((await read(7000, 'tcp')).rules, []);
    assert.deepEqual((await read(3001, 'tcp')).rules, []);
  });

  it('captures output that the parser reads the same way, and that matches the committed fixture', function () {
    const live = box!.run(['ufw', 'status', 'verbose']);
    const parsed = parseUfwStatus(live, { port: 9005, protocol: 'tcp' });
    assert.deepEqual(brief(parsed.rules), ['accept in tcp @ ufw', 'accept in tcp @ ufw (IPv6)']);
    if (version !== UFW_VERSION && !writeFixtures) {
      skipBecause(this, `ufw ${version} here; the fixture is from ufw ${UFW_VERSION}`);
    }
    checkFixture(`ufw-${UFW_VERSION}-status-verbose.txt`, live);
  });

  it('says "needs root" when ufw runs unprivileged', async function () {
    if (!has('setpriv', ['--version'])) {
      skipBecause(this, 'setpriv (util-linux) not installed');
    }
    const wrap = [...box!.wrap, 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
    const reading = readOnly((await readFirewall({ port: 3000, platform: 'linux', wrap, sources: ['ufw'] })).readings);
    assert.deepEqual(reading, {
      source: 'ufw',
      status: 'unreadable',
      reason: 'permission',
      message: 'Reading the ufw rules needs administrator rights (root).',
      command: 'sudo ufw status verbose',
    });
  });

  it('leaves no process behind and the host firewall and ufw config as they were', async () => {
    await box!.dispose();
    assert.deepEqual(box!.leftovers(), []);
    assert.equal(hostState(UFW_MINE, UFW_PATHS), hostBefore);
  });
});

// --- firewalld

const FIREWALLD_PATHS = ['/etc/firewalld', '/run/firewalld', '/run/dbus', '/var/log/firewalld'];
/** firewalld's nftables tables (`inet firewalld`, `inet firewalld_policy_drop`). */
const FIREWALLD_MINE = /firewalld/;
const FIREWALLD_VERSION = '1.3.3';
const FIREWALLD_START_MS = 30_000;

/** Zone listings with their lists sorted: firewalld keeps rich rules in a set, whose order changes from
 *  one daemon run to the next. */
function canonicalZones(text: string): string {
  const blocks = text.split(/\n(?=\S)/).map((block) => {
    const lines = block.split('\n').map((l) => (/^ {2}[a-z -]+: /.test(l) ? l.replace(/: (.*)$/, (_m, v: string) => `: ${v.split(' ').sort().join(' ')}`) : l));
    const [head, ...rest] = lines;
    return [head, ...rest.sort()].join('\n');
  });
  return blocks.join('\n');
}

describe('firewall reader on the real firewalld in a sandbox', function () {
  this.timeout(90_000);
  let box: Sandbox | undefined;
  let hostBefore = '';
  let version = '';
  const log = (name: string): string => path.join(box!.dir, name);
  const tail = (name: string): string => (fs.existsSync(log(name)) ? fs.readFileSync(log(name), 'utf8').trim().split('\n').slice(-5).join(' | ') : '(no log)');
  const read = async (port: number, protocol?: 'tcp' | 'udp', wrap = box!.wrap): Promise<FirewallReading> =>
    readOnly((await readFirewall({ port, protocol, platform: 'linux', wrap, sources: ['firewalld'], timeoutMs: 15_000 })).readings);

  before(async function () {
    requireSandboxTools(this, [
      ['firewalld', ['--help']],
      ['firewall-cmd', ['--help']],
      ['dbus-daemon', ['--version']],
    ]);
    if (!fs.existsSync('/etc/firewalld')) {
      skipBecause(this, '/etc/firewalld is missing: firewalld is not installed as a package');
    }
    hostBefore = hostState(FIREWALLD_MINE, FIREWALLD_PATHS);
    try {
      box = await Sandbox.create(240);
    } catch (err) {
      skipBecause(this, (err as Error).message);
    }
    // An empty configuration: firewalld's defaults (zones, services) come from /usr/lib/firewalld.
    const etc = path.join(box.dir, 'etc-firewalld');
    for (const sub of ['zones', 'services', 'icmptypes', 'ipsets', 'helpers', 'policies']) {
      fs.mkdirSync(path.join(etc, sub), { recursive: true });
    }
    fs.writeFileSync(
      path.join(etc, 'firewalld.conf'),
      ['DefaultZone=public', 'CleanupOnExit=yes', 'Lockdown=no', 'IPv6_rpfilter=yes', 'IndividualCalls=no', 'LogDenied=off', 'FirewallBackend=nftables', 'FlushAllOnReload=yes', ''].join('\n'),
    );
    fs.mkdirSync(path.join(box.dir, 'var-log'));
    box.bind(etc, '/etc/firewalld');
    box.bind(path.join(box.dir, 'var-log'), '/var/log');
    box.tmpfs('/run');
    box.run(['mkdir', '/run/dbus']);
  });

  after(async () => {
    await box?.dispose();
  });

  it('says firewalld is not running when there is no D-Bus system bus (real firewall-cmd)', async () => {
    assert.deepEqual(await read(3000), {
      source: 'firewalld',
      status: 'inactive',
      command: 'firewall-cmd --list-all-zones',
      message: 'firewalld is installed but not running (there is no D-Bus system bus, which it needs).',
    });
  });

  it('says firewalld is installed but not running when the bus has no firewalld', async () => {
    box!.daemon(['dbus-daemon', '--system', '--nofork', '--nopidfile'], log('dbus.log'));
    const deadline = Date.now() + 10_000;
    while ((await box!.runAsync(['test', '-S', '/run/dbus/system_bus_socket'])).code !== 0) {
      assert.ok(Date.now() < deadline, `the private dbus-daemon did not start within 10 s: ${tail('dbus.log')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(await read(3000), {
      source: 'firewalld',
      status: 'inactive',
      command: 'firewall-cmd --list-all-zones',
      message: 'firewalld is installed but not running.',
    });
  });

  it('reads the verdicts of a running firewalld: ports, services, forward-ports, rich rules, default zone', async () => {
    const daemon = box!.daemon(['firewalld', '--nofork', '--nopid', '--log-file', '/var/log/firewalld'], log('firewalld.out'));
    const deadline = Date.now() + FIREWALLD_START_MS;
    for (;;) {
      assert.ok(daemon.exitCode === null && daemon.signalCode === null, `firewalld exited while starting: ${tail('firewalld.out')} ${tail('var-log/firewalld')}`);
      const state = await box!.runAsync(['firewall-cmd', '--state']);
      if (state.code === 0 && state.out.trim() === 'running') {
        break;
      }
      assert.ok(Date.now() < deadline, `firewalld did not answer "running" within ${FIREWALLD_START_MS / 1000} s: ${tail('firewalld.out')} ${tail('var-log/firewalld')}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    version = box!.run(['firewall-cmd', '--version']).trim();
    const cmd = (...args: string[]): string => box!.run(['firewall-cmd', ...args]);
    // A source bound to `trusted` makes it the only zone marked active: `public` still filters all other
    // traffic as the default zone, and must still be read.
    cmd('--zone=trusted', '--add-source=172.16.0.0/12');
    cmd('--add-port=3000/tcp', '--add-port=6000-6010/udp');
    cmd('--add-service=http');
    cmd('--add-forward-port=port=8080:proto=tcp:toport=3000', '--add-forward-port=port=2222:proto=tcp:toport=22:toaddr=192.168.1.10');
    cmd(
      '--add-rich-rule=rule family="ipv4" source address="10.0.0.0/8" port port="5432" protocol="tcp" reject',
      '--add-rich-rule=rule family="ipv4" source address="192.168.1.0/24" service name="https" accept',
      '--add-rich-rule=rule family="ipv4" forward-port port="8443" protocol="tcp" to-port="3000"',
      '--add-rich-rule=rule port port="7000" protocol="tcp" log prefix="dev [x](command:y)" level="info"',
      '--add-rich-rule=rule family="ipv4" source address="10.1.2.3" drop',
    );
    // A zone neither active nor default filters nothing.
    cmd('--zone=internal', '--add-port=4000/tcp');

    const p3000 = mustRead(await read(3000, 'tcp'));
    assert.deepEqual(brief(p3000.rules), ['accept in tcp @ zone public', 'other in tcp @ zone public, forward-port', 'other in tcp @ zone public, rich rule']);
    assert.match(p3000.rules[1].summary, /^Redirects incoming TCP for port 8080 to port 3000 on this machine/);
    assert.match(p3000.rules[2].summary, /^Redirects incoming TCP for port 8443 to port 3000 on this machine/);
    assert.deepEqual(
      p3000.policies.map((p) => `${p.location} ${p.verdict} ${p.action}`),
      ['zone public reject target default', 'zone trusted accept target ACCEPT'],
    );
    assert.deepEqual(p3000.notes, []);
    assert.deepEqual(mustRead(await read(3000, 'udp')).rules, []);

    const db = mustRead(await read(5432, 'tcp'));
    assert.deepEqual(brief(db.rules), ['reject in tcp @ zone public, rich rule']);
    assert.match(db.rules[0].text, /source address="10\.0\.0\.0\/8"/);
    assert.deepEqual(brief(mustRead(await read(80, 'tcp')).rules), ['accept in tcp @ zone public, service http']);
    assert.deepEqual(brief(mustRead(await read(443, 'tcp')).rules), ['accept in tcp @ zone public, rich rule']);
    assert.deepEqual(brief(mustRead(await read(6005, 'udp')).rules), ['accept in udp @ zone public']);
    const ssh = mustRead(await read(22, 'tcp'));
    assert.deepEqual(brief(ssh.rules), ['accept in tcp @ zone public, service ssh']);
    const forwarded = mustRead(await read(2222, 'tcp'));
    assert.match(forwarded.rules[0].summary, /^Matches incoming TCP to port 2222 and does "forward to 192\.168\.1\.10 port 22"/);
    const logged = mustRead(await read(7000, 'tcp'));
    assert.deepEqual(brief(logged.rules), ['other in tcp @ zone public, rich rule']);
    assert.equal(logged.rules[0].action, 'log only');
    assert.deepEqual(mustRead(await read(4000, 'tcp')).rules, []);
  });

  it('captures output that the parser reads the same way, and that matches the committed fixture', function () {
    const live = box!.run(['firewall-cmd', '--list-all-zones']);
    const direct = parseFirewalldZones(live, { port: 3000, protocol: 'tcp' }, { defaultZone: box!.run(['firewall-cmd', '--get-default-zone']).trim() });
    assert.deepEqual(brief(direct.rules), ['accept in tcp @ zone public', 'other in tcp @ zone public, forward-port', 'other in tcp @ zone public, rich rule']);
    // Without the default zone only `trusted (active)` is known: that is why the reader asks for it.
    assert.deepEqual(brief(parseFirewalldZones(live, { port: 3000, protocol: 'tcp' }).rules), []);
    if (version !== FIREWALLD_VERSION && !writeFixtures) {
      skipBecause(this, `firewalld ${version} here; the fixture is from firewalld ${FIREWALLD_VERSION}`);
    }
    checkFixture(`firewalld-${FIREWALLD_VERSION}-list-all-zones.txt`, live, canonicalZones);
  });

  it('says "needs root" when firewall-cmd is refused by polkit', async function () {
    if (!has('setpriv', ['--version'])) {
      skipBecause(this, 'setpriv (util-linux) not installed');
    }
    const reading = await read(3000, undefined, [...box!.wrap, 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']);
    assert.deepEqual(reading, {
      source: 'firewalld',
      status: 'unreadable',
      reason: 'permission',
      message: 'Reading the firewalld rules needs administrator rights (root).',
      command: 'sudo firewall-cmd --list-all-zones',
    });
  });

  it('leaves no process behind (firewalld, dbus-daemon, polkitd) and the host as it was', async () => {
    await box!.dispose();
    assert.deepEqual(box!.leftovers(), []);
    assert.equal(hostState(FIREWALLD_MINE, FIREWALLD_PATHS), hostBefore);
  });
});
