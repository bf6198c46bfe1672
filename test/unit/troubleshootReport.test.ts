// The troubleshooting report from hand-made facts: the verdict of every step, the explanations, the
// commands per OS, and that hostile text (process names, command lines, banners, rule text, file text)
// never becomes a link, an image, HTML or a command URI — checked by rendering with markdown-it.
import * as assert from 'node:assert/strict';
import type { FirewallFindings } from '../../src/inspector/firewall/types';
import type { ConnectionResult } from '../../src/inspector/probe/types';
import type { ListeningSocket, ProcessInfo } from '../../src/core/types';
import { lastHolderOf } from '../../src/model/activity/describe';
import type { ActivityEvent } from '../../src/model/activity/types';
import type { TroubleshootFacts, TroubleshootReport } from '../../src/model/troubleshoot/index';
import { buildTroubleshootReport, configMentionsIn, connectionTargets, hostReachesSockets, nextStepCommands, safeTarget } from '../../src/model/troubleshoot/index';
import { readFixture } from '../support/paths';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (options: Record<string, unknown>) => { render(src: string): string };
// The Markdown preview's settings: no raw HTML, bare URLs become links.
const renderer = new MarkdownIt({ html: false, linkify: true }) as { render(src: string): string; validateLink: (url: string) => boolean };
// markdown-it drops some schemes (file:, javascript:) by itself; VS Code's preview allows file: links.
// Accept every scheme here, so that any link the report produced shows up and is checked.
renderer.validateLink = () => true;

const NOW = Date.UTC(2025, 0, 15, 12, 30, 0);

const HOSTILE = '[click](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> ![i](https://evil.example/p.png) <script>x</script> `tick` *b* \u202e';

function owner(pid: number, name: string, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  return { pid, name, command: `${name} server.js`, user: 'dev', uid: 1000, ppid: 1, startTime: NOW - 3_600_000, ...extra };
}

function sock(address: string, owners: ProcessInfo[], extra: Partial<ListeningSocket> = {}): ListeningSocket {
  return {
    protocol: 'tcp',
    family: address.includes(':') ? 6 : 4,
    address,
    port: 3000,
    state: 'LISTEN',
    inode: 100,
    owners,
    ownerVisible: owners.length > 0,
    uid: 1000,
    ...extra,
  };
}

function ok(host: string, extra: Partial<ConnectionResult> = {}): ConnectionResult {
  return { ok: true, host, port: 3000, protocol: 'tcp', connectMs: 1, totalMs: 3, address: host, family: host.includes(':') ? 6 : 4, ...extra };
}

function refused(host: string, port = 3000): ConnectionResult {
  return {
    ok: false,
    host,
    port,
    protocol: 'tcp',
    totalMs: 1,
    address: host,
    failure: { kind: 'refused', code: 'ECONNREFUSED', message: `Nothing is listening on ${host}:${port} (connection refused).` },
  };
}

function facts(extra: Partial<TroubleshootFacts> = {}): TroubleshootFacts {
  return {
    port: 3000,
    protocol: 'tcp',
    platform: 'linux',
    now: NOW,
    snapshotTakenAt: NOW - 1000,
    backend: 'linux-proc',
    sockets: [],
    otherProtocolSockets: [],
    tests: [],
    problems: [],
    ...extra,
  };
}

function step(report: TroubleshootReport, id: string): TroubleshootReport['steps'][number] {
  const s = report.steps.find((x) => x.id === id);
  assert.ok(s, `no step ${id}`);
  return s;
}

/** Fails on any link other than allowed file links, any image, raw HTML, or a command URI. */
function assertInert(markdown: string, allowedLinks = 0): void {
  const html = renderer.render(markdown);
  const hrefs = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
  assert.equal(hrefs.length, allowedLinks, `links: ${hrefs.join(', ')}`);
  for (const href of hrefs) {
    assert.match(href, /^file:\/\//);
  }
  // Hostile text may appear as text (`&lt;img …&gt;`), never as a tag or an attribute.
  assert.doesNotMatch(html, /<img|<script|<iframe|<[^>]*\sonerror=|href="command:/i);
  // Outside code, the Markdown itself never holds an unescaped `<`, `![` or `command:`.
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  assert.doesNotMatch(prose, /(?<!\\)</);
  assert.doesNotMatch(prose, /(?<!\\)!\[/);
  assert.doesNotMatch(prose, /command:/);
  assert.doesNotMatch(markdown, /\u202e/);
}

describe('troubleshoot report: listening', () => {
  it('explains a loopback-only listener: reachable from this machine only', () => {
    const report = buildTroubleshootReport(facts({ sockets: [sock('127.0.0.1', [owner(4242, 'node')])], tests: [{ target: '127.0.0.1', boundAddress: '127.0.0.1', reason: 'bound', result: ok('127.0.0.1') }] }));
    const s = step(report, 'listening');
    assert.equal(s.verdict, 'ok');
    assert.match(s.summary, /listening on 127\.0\.0\.1 \(loopback only\), held by node \(pid 4242\)/);
    assert.match(s.markdown, /reachable from this machine only — the usual reason it works locally but not from a phone, a container or another machine/);
    assert.match(s.markdown, /resolves `localhost` to `::1` first/);
    assert.equal(step(report, 'reachable').verdict, 'ok');
    assert.match(report.markdown, /^# Troubleshooting port 3000\/tcp\n/);
    assert.match(report.markdown, /\n1\. ✅ \*\*Listening\?\*\* — /);
    assertInert(report.markdown);
  });

  it('warns when the host asked about reaches none of the bound addresses', () => {
    const sockets = [sock('127.0.0.1', [owner(1, 'node')])];
    const report = buildTroubleshootReport(facts({ host: '192.168.1.20', sockets }));
    assert.equal(step(report, 'listening').verdict, 'warn');
    assert.match(step(report, 'listening').markdown, /No socket accepts connections made to `192\.168\.1\.20`/);
    assert.equal(hostReachesSockets('192.168.1.20', [sock('0.0.0.0', [])]), true);
    assert.equal(hostReachesSockets('localhost', [sock('::1', [])]), true);
    assert.equal(hostReachesSockets('127.0.0.1', [sock('192.168.1.20', [])]), false);
    assert.equal(hostReachesSockets('192.168.1.20', [sock('192.168.1.20', [])]), true);
    assert.equal(hostReachesSockets('example.com', sockets), undefined);
  });

  it('explains all interfaces, one interface, and a dual-stack wildcard', () => {
    const all = buildTroubleshootReport(facts({ sockets: [sock('::', [owner(1, 'node')], { family: 6 })] }));
    assert.match(step(all, 'listening').markdown, /\*\*All interfaces\*\*/);
    assert.match(step(all, 'listening').markdown, /Only the IPv6 wildcard \(`::`\) is bound\. On most systems such a socket also accepts IPv4/);
    const one = buildTroubleshootReport(facts({ sockets: [sock('192.168.1.20', [owner(1, 'node')])] }));
    assert.match(step(one, 'listening').markdown, /\*\*One interface\*\*: reachable only through that one address\. Connections to `localhost` or `127\.0\.0\.1` are refused/);
  });

  it('explains SO_REUSEPORT workers, an inherited socket, IPv4/IPv6 twins that differ, and split owners', () => {
    const primary = owner(100, 'node', { ppid: 1 });
    const workerA = owner(101, 'node', { ppid: 100 });
    const report = buildTroubleshootReport(
      facts({
        sockets: [
          sock('127.0.0.1', [owner(7, 'nginx')], { inode: 1 }),
          sock('127.0.0.1', [owner(8, 'nginx')], { inode: 2 }),
          sock('::', [primary, workerA], { inode: 3, family: 6 }),
        ],
      }),
    );
    const text = step(report, 'listening').markdown;
    assert.match(text, /\*\*2 sockets on the same address\*\* \(TCP `127\.0\.0\.1:3000`, 2 processes\): they were opened with SO_REUSEPORT/);
    assert.match(text, /\*\*One socket held by 2 processes\*\* \(TCP `\[::\]:3000`\): the socket was inherited .* node \(pid 100\) is the parent of the others\. Stopping one holder does not free the port\./);
    assert.match(text, /\*\*IPv4 and IPv6 twins\*\* \(TCP\).*⚠️ They differ in reach: IPv4 `127\.0\.0\.1` versus IPv6 `::`/);
    assert.match(text, /\*\*Different processes on different addresses\*\* \(TCP\)/);
    assert.match(text, /- TCP `\[::\]:3000` — All interfaces \\\(reachable from the network\\\) — held by 2 processes:\n {2}- node \(pid 100/);
    assert.match(text, /on different addresses\*\* \(TCP\): nginx \\\(pid 7\\\) and 1 more on `127\.0\.0\.1:3000`; node \\\(pid 100\\\) and 1 more on `\[::\]:3000`\./);
  });

  it('shows a hidden owner with the command that reveals it', () => {
    const report = buildTroubleshootReport(facts({ sockets: [sock('0.0.0.0', [], { uid: 0 })] }));
    assert.match(step(report, 'listening').markdown, /owner not visible \(uid 0\).*run `sudo ss -ltnp 'sport = :3000'`/);
    assert.ok(report.commands.some((c) => c.command === "sudo ss -ltnp 'sport = :3000'"));
  });

  it('fails when nothing listens, and names a bound port of the other protocol', () => {
    const udp = sock('0.0.0.0', [owner(5, 'dnsmasq')], { protocol: 'udp', state: 'UNCONN' });
    const report = buildTroubleshootReport(facts({ otherProtocolSockets: [udp] }));
    const s = step(report, 'listening');
    assert.equal(s.verdict, 'fail');
    assert.equal(s.summary, 'Nothing is listening on port 3000/tcp. UDP port 3000 is bound, but that is a different protocol.');
  });
});

describe('troubleshoot report: reachable', () => {
  it('gives each test its line and details, and judges them', () => {
    const sockets = [sock('0.0.0.0', [owner(1, 'node')])];
    const http = ok('127.0.0.1', { identified: { kind: 'http', summary: 'HTTP 200 OK, server test', http: { statusLine: 'HTTP/1.1 200 OK', status: 200, server: 'test' } } });
    const good = buildTroubleshootReport(facts({ sockets, tests: [{ target: '127.0.0.1', boundAddress: '0.0.0.0', reason: 'wildcard', result: http }] }));
    const s = step(good, 'reachable');
    assert.equal(s.verdict, 'ok');
    assert.match(s.markdown, /^- ✅ TCP 127\\\.0\\\.0\\\.1\\:3000 is open .*HTTP 200 OK, server test \*\(stands in for the wildcard for 0\\\.0\\\.0\\\.0\)\*/);
    assert.match(s.markdown, /\n {2}- {2}Status line\\: HTTP\\\/1\\\.1 200 OK|\n {2}- Identified/);
    const bad = buildTroubleshootReport(facts({ sockets, tests: [{ target: '127.0.0.1', reason: 'wildcard', result: refused('127.0.0.1') }] }));
    assert.equal(step(bad, 'reachable').verdict, 'fail');
    const mixed = buildTroubleshootReport(
      facts({ sockets, tests: [{ target: '127.0.0.1', reason: 'wildcard', result: ok('127.0.0.1') }, { target: '::1', reason: 'dual-stack', result: refused('::1') }] }),
    );
    assert.equal(step(mixed, 'reachable').verdict, 'warn');
  });

  it('expects refusals with nothing listening, and flags an answer nothing visible explains', () => {
    const quiet = buildTroubleshootReport(facts({ tests: [{ target: '127.0.0.1', reason: 'nothing-listening', result: refused('127.0.0.1') }] }));
    assert.equal(step(quiet, 'reachable').verdict, 'info');
    const ghost = buildTroubleshootReport(facts({ tests: [{ target: '127.0.0.1', reason: 'nothing-listening', result: ok('127.0.0.1') }] }));
    assert.equal(step(ghost, 'reachable').verdict, 'warn');
    assert.match(step(ghost, 'reachable').markdown, /another network namespace or container/);
  });
});

describe('troubleshoot report: firewall', () => {
  const base = { port: 3000, protocol: 'tcp' as const, platform: 'linux' as const };

  it('warns about a rule that drops the port and lists what could not be read', () => {
    const findings: FirewallFindings = {
      ...base,
      readings: [
        {
          source: 'nftables',
          status: 'read',
          command: 'nft -j list ruleset',
          rules: [
            {
              source: 'nftables',
              location: 'inet filter, chain input, hook input',
              direction: 'in',
              verdict: 'drop',
              action: 'drop',
              protocols: ['tcp'],
              ports: [[3000, 3000]],
              negated: false,
              applies: true,
              summary: 'Drops incoming TCP to port 3000 (inet filter, chain input, hook input).',
              text: 'tcp dport 3000 drop',
            },
          ],
          policies: [],
          notes: [],
        },
        { source: 'iptables', status: 'unreadable', reason: 'permission', message: 'Reading the iptables (IPv4) rules needs administrator rights (root).', command: 'sudo iptables-save | grep 3000' },
        { source: 'ufw', status: 'unreadable', reason: 'missing', message: 'ufw is not installed.', command: 'sudo ufw status verbose' },
        { source: 'firewalld', status: 'inactive', command: 'firewall-cmd --list-all-zones', message: 'firewalld is installed but not running.' },
      ],
    };
    const report = buildTroubleshootReport(facts({ sockets: [sock('0.0.0.0', [owner(1, 'node')])], firewall: findings }));
    const s = step(report, 'firewall');
    assert.equal(s.verdict, 'warn');
    assert.match(s.summary, /^A rule may block the port: Drops incoming TCP to port 3000/);
    assert.match(s.markdown, /- ⛔ Drops incoming TCP .*\n {2}`tcp dport 3000 drop`/);
    assert.match(s.markdown, /\*\*iptables \(IPv4\)\*\*: could not read the rules\. .*needs administrator rights \\\(root\\\)\\\. Run `sudo iptables-save \| grep 3000` to look yourself\./);
    assert.match(s.markdown, /Not installed: ufw\./);
    assert.match(s.markdown, /\*\*firewalld\*\*: firewalld is installed but not running\\\./);
  });

  it('warns about a drop policy with no rule opening the port, and says loopback makes it moot', () => {
    const findings: FirewallFindings = {
      ...base,
      readings: [
        {
          source: 'ufw',
          status: 'read',
          command: 'ufw status verbose',
          rules: [],
          policies: [{ source: 'ufw', location: 'ufw defaults', direction: 'in', verdict: 'drop', action: 'deny (incoming)', summary: 'Drops incoming traffic that no rule decided (ufw defaults, deny (incoming)).' }],
          notes: [],
        },
      ],
    };
    const report = buildTroubleshootReport(facts({ sockets: [sock('127.0.0.1', [owner(1, 'node')])], firewall: findings }));
    const s = step(report, 'firewall');
    assert.equal(s.verdict, 'warn');
    assert.match(s.markdown, /bound to loopback only: connections from other machines never reach it, whatever the firewall says/);
  });

  it('is fine when readable rules do not block, informative when nothing could be read or checked', () => {
    const clean: FirewallFindings = { ...base, readings: [{ source: 'nftables', status: 'read', command: 'nft', rules: [], policies: [], notes: [] }] };
    assert.equal(step(buildTroubleshootReport(facts({ firewall: clean })), 'firewall').verdict, 'ok');
    const none: FirewallFindings = { ...base, readings: [{ source: 'nftables', status: 'unreadable', reason: 'permission', message: 'm', command: 'sudo nft list ruleset | grep 3000' }] };
    assert.equal(step(buildTroubleshootReport(facts({ firewall: none })), 'firewall').verdict, 'info');
    assert.equal(step(buildTroubleshootReport(facts()), 'firewall').summary, 'The firewall was not checked.');
  });
});

describe('troubleshoot report: nothing listening', () => {
  const closed: ActivityEvent = {
    at: NOW - 10 * 60_000,
    previousAt: NOW - 10 * 60_000 - 2000,
    kind: 'closed',
    port: 3000,
    protocol: 'tcp',
    address: '127.0.0.1',
    holders: [{ pid: 4242, name: 'node' }],
    exposure: 'loopback',
  };

  it('names the last holder and the workspace files configured for the port', () => {
    const report = buildTroubleshootReport(
      facts({
        activity: { lastHolder: lastHolderOf(closed, NOW), events: [closed], unusual: [] },
        configMentions: [{ file: 'compose.yaml', line: 4, text: '  - "3000:3000"', target: 'file:///w/compose.yaml#L4' }],
      }),
    );
    const s = step(report, 'nothing-listening');
    assert.match(s.markdown, /^Port 3000 was held by node \\\(pid 4242\\\) until \d\d\\:\d\d/);
    assert.match(s.summary, /^Port 3000 was held by node \(pid 4242\) until/);
    assert.match(s.markdown, /1 place in the workspace mentions port 3000 \(step 5\): something is configured for it but not running\./);
    const cfg = step(report, 'configuration');
    assert.equal(cfg.markdown, '- [compose\\.yaml\\:4](file:///w/compose.yaml#L4) — `- "3000:3000"`');
    assertInert(report.markdown, 1);
  });

  it('explains a privileged port per OS, and the ephemeral range', () => {
    const linux = buildTroubleshootReport(facts({ port: 80 }));
    assert.equal(step(linux, 'nothing-listening').verdict, 'warn');
    assert.match(step(linux, 'nothing-listening').markdown, /Port 80 is privileged \(below 1024\): binding it needs root or the `CAP_NET_BIND_SERVICE` capability.*the usual cause of `EACCES`/);
    assert.match(step(buildTroubleshootReport(facts({ port: 80, platform: 'darwin' })), 'nothing-listening').markdown, /Since macOS 10\.14/);
    const win = step(buildTroubleshootReport(facts({ port: 80, platform: 'win32' })), 'nothing-listening').markdown;
    assert.match(win, /Windows has no privileged ports/);
    assert.match(win, /Windows can reserve port ranges for Hyper-V, WSL or Docker/);
    const eph = buildTroubleshootReport(facts({ port: 40000, connections: { tcpStates: {}, timeWait: 0, udpSockets: 0, ephemeral: { low: 32768, high: 60999, used: 12 } } }));
    assert.match(step(eph, 'nothing-listening').markdown, /Port 40000 lies in this machine's ephemeral range \(32768–60999\).*12 ports of it are in use by outgoing connections/);
    assert.equal(step(buildTroubleshootReport(facts({ port: 3000 })), 'nothing-listening').verdict, 'info');
    assert.match(step(buildTroubleshootReport(facts({ port: 50000, platform: 'win32' })), 'nothing-listening').markdown, /the usual ephemeral range \(49152–65535\)/);
  });

  it('points out unusual activity even while something listens', () => {
    const report = buildTroubleshootReport(
      facts({
        sockets: [sock('0.0.0.0', [owner(1, 'node')])],
        activity: { events: [], unusual: [{ kind: 'flapping', port: 3000, protocol: 'tcp', at: NOW, count: 6, message: 'Port 3000/tcp opened and closed 6 times within 10 minutes.' }] },
      }),
    );
    const s = step(report, 'nothing-listening');
    assert.equal(s.verdict, 'warn');
    assert.match(s.markdown, /⚠️ Port 3000\/tcp opened and closed 6 times/);
  });
});

describe('troubleshoot report: next steps', () => {
  it('gives copyable commands for each OS and protocol', () => {
    const cmd = (platform: NodeJS.Platform, protocol: 'tcp' | 'udp' = 'tcp'): string[] =>
      nextStepCommands({ port: 3000, protocol, platform, host: '127.0.0.1', ownerHidden: false, nothingListening: false }).map((c) => c.command);
    assert.deepEqual(cmd('linux').slice(0, 3), ["ss -ltnp 'sport = :3000'", 'lsof -nP -iTCP:3000 -sTCP:LISTEN', 'nc -vz 127.0.0.1 3000']);
    assert.ok(cmd('linux').includes('sudo nft list ruleset | grep 3000'));
    assert.deepEqual(cmd('linux', 'udp').slice(0, 3), ["ss -lunp 'sport = :3000'", 'lsof -nP -iUDP:3000', 'nc -vzu 127.0.0.1 3000']);
    assert.ok(cmd('darwin').includes('lsof -nP -iTCP:3000 -sTCP:LISTEN'));
    assert.ok(cmd('darwin').includes('sudo pfctl -sr | grep 3000'));
    assert.ok(cmd('win32').includes('netstat -ano -p TCP | findstr :3000'));
    assert.ok(cmd('win32').includes('Test-NetConnection -ComputerName 127.0.0.1 -Port 3000'));
    const win = buildTroubleshootReport(facts({ platform: 'win32' }));
    assert.match(step(win, 'next-steps').markdown, /^```powershell\n# Who is listening/);
    const ipv6 = buildTroubleshootReport(facts({ host: '[::1]', sockets: [sock('::1', [owner(1, 'node')])] }));
    assert.ok(ipv6.commands.some((c) => c.command === 'nc -vz ::1 3000'));
  });
});

describe('troubleshoot report: hostile text', () => {
  it('escapes process names, command lines, users, banners, certificates, rule text, notes, file names and lines', () => {
    const evil = owner(666, HOSTILE, { command: `node ${HOSTILE}`, user: HOSTILE });
    const banner = ok('127.0.0.1', {
      identified: {
        kind: 'http',
        summary: `HTTP 200, server ${HOSTILE}`,
        http: { statusLine: `HTTP/1.1 200 ${HOSTILE}`, status: 200, server: HOSTILE, location: HOSTILE },
        tls: { protocol: 'TLSv1.3', subject: HOSTILE, issuer: HOSTILE, validTo: '', selfSigned: true },
        banner: HOSTILE,
      },
      note: HOSTILE,
    });
    const rule = {
      source: 'windows' as const,
      location: `rule "${HOSTILE}"`,
      direction: 'in' as const,
      verdict: 'drop' as const,
      action: HOSTILE,
      protocols: ['tcp' as const],
      ports: [] as [],
      negated: false,
      applies: true,
      summary: `Drops incoming TCP for program ${HOSTILE} (rule "${HOSTILE}").`,
      text: HOSTILE,
    };
    const event: ActivityEvent = { at: NOW - 1000, kind: 'closed', port: 3000, protocol: 'tcp', address: '127.0.0.1', holders: [{ pid: 1, name: HOSTILE.slice(0, 64) }], exposure: 'loopback' };
    const report = buildTroubleshootReport(
      facts({
        sockets: [sock('127.0.0.1', [evil, owner(667, HOSTILE, { ppid: 666 })]), sock('::1', [owner(668, HOSTILE)], { inode: 9 })],
        tests: [{ target: '127.0.0.1', boundAddress: '127.0.0.1', reason: 'bound', result: banner }],
        firewall: {
          port: 3000,
          platform: 'win32',
          readings: [
            { source: 'windows', status: 'read', command: 'netsh', rules: [rule], policies: [], notes: [HOSTILE] },
            { source: 'pf', status: 'unreadable', reason: 'failed', message: HOSTILE, command: 'sudo pfctl -sr | grep 3000' },
          ],
        },
        activity: { lastHolder: lastHolderOf(event, NOW), events: [event], unusual: [{ kind: 'network-exposed', port: 3000, protocol: 'tcp', at: NOW, count: 1, message: HOSTILE }] },
        configMentions: [
          { file: `${HOSTILE}.env`, line: 1, text: `PORT=3000 ${HOSTILE}`, target: 'command:workbench.action.terminal.new' },
          { file: 'a.env', line: 2, text: 'x', target: 'file:///w/a.env#L2)[y](command:evil' },
          { file: 'b.env', line: 3, text: 'x', target: 'javascript:alert(1)' },
          { file: 'c.env', line: 4, text: 'x', target: 'file:///w/c%20d.env#L4' },
        ],
        problems: [HOSTILE],
      }),
    );
    assertInert(report.markdown, 1);
    const html = renderer.render(report.markdown);
    // The hostile text is still there to read, as text.
    assert.match(html, /\[click\]\(command:workbench\.action\.terminal\.new\) &lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(html, /<a href="file:\/\/\/w\/c%20d\.env#L4">c\.env:4<\/a>/);
    for (const s of report.steps) {
      assertInert(s.markdown, s.id === 'configuration' ? 1 : 0);
    }
  });

  it('accepts only file and vscode-* link targets without link-breaking characters', () => {
    assert.equal(safeTarget('file:///home/me/app/compose.yml#L12'), true);
    assert.equal(safeTarget('vscode-remote://ssh-remote%2Bbox/home/me/x.env#L3'), true);
    for (const bad of ['command:x', 'javascript:alert(1)', 'https://example.com', 'file:///a b', 'file:///a)b', 'file:///a"b', 'file:///a<b', undefined]) {
      assert.equal(safeTarget(bad), false, String(bad));
    }
  });

  it('rejects an invalid port or host with one plain line', () => {
    assert.throws(() => buildTroubleshootReport(facts({ port: 70000 })), /Invalid port 70000/);
    assert.throws(() => buildTroubleshootReport(facts({ port: 0 })), /Port 0 cannot be troubleshot/);
    assert.throws(() => buildTroubleshootReport(facts({ host: 'a b' })), /not a host/);
    assert.throws(() => buildTroubleshootReport(facts({ host: '`whoami`' })), /not a valid host name/);
  });
});

describe('troubleshoot: connection targets', () => {
  it('tests each bound address, a wildcard through loopback, IPv4 through an IPv6 wildcard, and the host first', () => {
    const targets = connectionTargets(
      [sock('0.0.0.0', []), sock('::', [], { family: 6 }), sock('192.168.1.5', []), sock('127.0.0.1', [], { protocol: 'udp' })],
      ['tcp'],
      'example.com',
    );
    assert.deepEqual(
      targets.map((t) => `${t.protocol} ${t.target} ${t.reason}`),
      ['tcp example.com requested', 'udp example.com requested', 'tcp 127.0.0.1 wildcard', 'tcp ::1 wildcard', 'tcp 192.168.1.5 bound', 'udp 127.0.0.1 bound'],
    );
    assert.deepEqual(
      connectionTargets([sock('::', [], { family: 6 })], ['tcp'], undefined).map((t) => t.reason),
      ['wildcard', 'dual-stack'],
    );
    assert.deepEqual(
      connectionTargets([], ['tcp'], '127.0.0.1').map((t) => `${t.target} ${t.reason}`),
      ['127.0.0.1 requested', '::1 nothing-listening'],
    );
  });
});

describe('troubleshoot: configuration mentions from the port finder', () => {
  it('finds the lines of a compose file that mention the port, skipping commented ones, with link targets', () => {
    const text = readFixture('ports', 'docker-compose.yml');
    const mentions = configMentionsIn('docker-compose.yml', text, 3000, { target: (line) => `file:///w/docker-compose.yml#L${line}` });
    assert.deepEqual(
      mentions.map((m) => [m.line, m.text, m.target]),
      [
        [10, '- "3000:3000"', 'file:///w/docker-compose.yml#L10'],
        [13, '- PORT=3000', 'file:///w/docker-compose.yml#L13'],
        [20, 'test: ["CMD", "curl", "-f", "http://localhost:3000/health"]', 'file:///w/docker-compose.yml#L20'],
      ],
    );
    // `# - "9229:9229"` is commented out.
    assert.deepEqual(configMentionsIn('docker-compose.yml', text, 9229), []);
    assert.deepEqual(configMentionsIn('package-lock.json', '{"port": 3000}', 3000), []);
  });
});
