// The firewall parsers on captured output (nft, iptables: real captures; ufw, firewalld, pf, macOS,
// netsh: built from the documented formats, see test/fixtures/firewall/README.md).
import * as assert from 'node:assert/strict';
import {
  iptablesSaveInfo,
  parseAppFirewall,
  parseAppFirewallState,
  parseFirewalldServiceXml,
  parseFirewalldZones,
  parseIptablesSave,
  parseNetshProfiles,
  parseNetshRules,
  parseNftRuleset,
  parsePfRules,
  parseUfwStatus,
  pfStatus,
  ufwInactive,
} from '../../src/inspector/firewall/index';
import { splitSaveLine } from '../../src/inspector/firewall/iptables';
import { dropIptablesNftDuplicates } from '../../src/inspector/firewall/readFirewall';
import { parseSpan } from '../../src/inspector/firewall/ruleText';
import type { FirewallRule, ParsedFirewall } from '../../src/inspector/firewall/types';
import { readFixture } from '../support/paths';

const fx = (name: string): string => readFixture('firewall', name);

/** Compact view of the rules for whole-list comparisons. */
function brief(rules: readonly FirewallRule[]): string[] {
  return rules.map((r) => `${r.verdict}${r.applies ? '' : ' (not)'} ${r.direction} ${r.protocols.join('/') || 'any'} @ ${r.location}`);
}

describe('firewall: nftables JSON (nft -j list ruleset)', () => {
  const json = fx('nft-ruleset.json');

  it('finds every rule that covers TCP 3000: single value, set with range, !=, jump, user chain, output, iptables-nft tables', () => {
    const parsed = parseNftRuleset(json, { port: 3000, protocol: 'tcp' });
    assert.deepEqual(brief(parsed.rules), [
      'drop in tcp @ inet pi, chain input, hook input',
      'accept in tcp @ inet pi, chain input, hook input',
      'other in tcp @ inet pi, chain input, hook input',
      'accept in tcp @ inet pi, chain lan',
      'drop out tcp @ inet pi, chain output, hook output',
      'other in tcp @ ip nat, chain pre, hook prerouting',
      'accept in tcp @ ip filter, chain DOCKER-USER',
      'drop in tcp @ ip filter, chain INPUT, hook input',
      'other in tcp @ ip filter, chain INPUT, hook input',
      'drop forward tcp @ ip filter, chain FORWARD, hook forward',
      'reject in tcp @ ip6 filter, chain INPUT, hook input',
    ]);
    const [drop, notSsh, jump, lan] = parsed.rules;
    assert.equal(drop.summary, 'Drops incoming TCP to port 3000 (inet pi, chain input, hook input).');
    assert.equal(drop.text, 'tcp dport 3000 drop');
    assert.equal(notSsh.negated, true);
    assert.deepEqual(notSsh.ports, [[22, 22]]);
    assert.match(notSsh.summary, /every port except 22, so port 3000 too/);
    assert.match(notSsh.text, /comment "all but ssh"$/);
    assert.deepEqual(jump.ports, [[22, 22], [3000, 3005]]);
    assert.equal(jump.action, 'jump lan');
    // The user chain `lan` is reached from the input hook, so its rule filters incoming traffic.
    assert.equal(lan.direction, 'in');
    assert.match(parsed.rules[5].summary, /^Redirects incoming TCP for port 8081 to port 3000 on this machine/);
  });

  it('leaves out rules for other ports, other protocols (sctp, udp), source ports, and l4proto-limited th dport', () => {
    const parsed = parseNftRuleset(json, { port: 3000, protocol: 'tcp' });
    for (const r of parsed.rules) {
      assert.doesNotMatch(r.text, /sctp|sport|th dport|udp/, r.text);
    }
    // 5353 is opened only for `meta l4proto { tcp, udp } th dport 5353`: both protocols, reported as any.
    const mdns = parseNftRuleset(json, { port: 5353, protocol: 'udp' }).rules.filter((r) => r.text.includes('5353'));
    assert.deepEqual(brief(mdns), ['accept in any @ inet pi, chain input, hook input']);
    // `th dport 5000 drop` has no protocol limit.
    assert.deepEqual(brief(parseNftRuleset(json, { port: 5000, protocol: 'udp' }).rules.filter((r) => r.text.includes('5000'))), [
      'drop in any @ inet pi, chain input, hook input',
    ]);
  });

  it('reads named sets, vmaps and relational matches', () => {
    const named = parseNftRuleset(json, { port: 9050, protocol: 'tcp' }).rules.filter((r) => r.text.includes('@webports'));
    assert.equal(named.length, 1);
    assert.deepEqual(named[0].ports, [[80, 80], [443, 443], [9000, 9100]]);
    const vmap = parseNftRuleset(json, { port: 7101, protocol: 'tcp' }).rules.filter((r) => r.text.includes('vmap'));
    assert.deepEqual(brief(vmap), ['drop in tcp @ inet pi, chain input, hook input']);
    assert.deepEqual(vmap[0].ports, [[7101, 7101]]);
    const low = parseNftRuleset(json, { port: 80, protocol: 'tcp' }).rules.filter((r) => r.text.includes('< 1024'));
    assert.equal(low.length, 1);
    assert.deepEqual(low[0].ports, [[0, 1023]]);
    assert.equal(low[0].verdict, 'drop');
  });

  it('gives UDP its own rules and every base chain policy', () => {
    const parsed = parseNftRuleset(json, { port: 3000, protocol: 'udp' });
    assert.deepEqual(brief(parsed.rules), [
      'reject in udp @ inet pi, chain input, hook input',
      'reject in udp @ ip filter, chain INPUT, hook input',
      'accept in udp @ ip6 filter, chain INPUT, hook input',
    ]);
    assert.equal(parsed.rules[0].text, 'udp dport 3000 reject with icmpx port-unreachable');
    const inputPolicies = parsed.policies.filter((p) => p.direction === 'in');
    assert.ok(inputPolicies.every((p) => p.verdict === 'drop'));
    assert.ok(parsed.policies.some((p) => p.location === 'inet pi, chain output, hook output' && p.verdict === 'accept'));
    // nat chains are not filters: no policy from them.
    assert.ok(!parsed.policies.some((p) => p.location.includes('nat')));
  });

  it('reads service names and the older "name" payload key; notes what it cannot resolve', () => {
    const doc = {
      nftables: [
        { chain: { family: 'inet', table: 't', name: 'in', type: 'filter', hook: 'input', prio: 0, policy: 'accept' } },
        { rule: { family: 'inet', table: 't', chain: 'in', expr: [{ match: { op: '==', left: { payload: { name: 'tcp', field: 'dport' } }, right: 'https' } }, { accept: null }] } },
        { rule: { family: 'inet', table: 't', chain: 'in', expr: [{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 'no-such-service' } }, { drop: null }] } },
        { rule: { family: 'inet', table: 't', chain: 'in', expr: [{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: { set: [{ elem: { val: 443, counter: { packets: 1 } } }] } } }, { counter: null }] } },
      ],
    };
    const parsed = parseNftRuleset(JSON.stringify(doc), { port: 443 });
    assert.deepEqual(brief(parsed.rules), ['accept in tcp @ inet t, chain in, hook input', 'other in tcp @ inet t, chain in, hook input']);
    assert.equal(parsed.rules[1].action, 'no verdict (counts or logs only)');
    assert.deepEqual(parsed.notes, ['A rule in inet t, chain in, hook input matches port "no-such-service", which could not be resolved to a number.']);
  });

  it('rejects text that is not the ruleset JSON with one plain line, and survives hostile shapes', () => {
    assert.throws(() => parseNftRuleset('table inet x {', { port: 1 }), /not JSON/);
    assert.throws(() => parseNftRuleset('{"foo": 1}', { port: 1 }), /not a ruleset/);
    const hostile = JSON.stringify({
      nftables: [
        null,
        7,
        { rule: { expr: 'x' } },
        { rule: { family: 'inet', table: 't', chain: 'c', expr: [null, { match: null }, { match: { left: { payload: { protocol: 'tcp', field: 'dport' } }, right: { range: [1] } } }, { jump: { target: 'c' } }] } },
        { rule: { family: 'inet', table: 't', chain: 'c', expr: [{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 99999 } }, { accept: null }] } },
      ],
    });
    assert.deepEqual(parseNftRuleset(hostile, { port: 1 }).rules, []);
  });
});

describe('firewall: iptables-save', () => {
  it('finds TCP 3000 in INPUT, FORWARD and a user chain reached by a jump; keeps a negated list that excludes it', () => {
    const parsed = parseIptablesSave(fx('iptables-save.txt'), { port: 3000, protocol: 'tcp' });
    assert.deepEqual(brief(parsed.rules), [
      'drop in tcp @ filter table, chain INPUT',
      'other in tcp @ filter table, chain INPUT',
      'accept (not) in tcp @ filter table, chain INPUT',
      'drop forward tcp @ filter table, chain FORWARD',
      'accept in tcp @ filter table, chain DOCKER-USER',
    ]);
    const [drop, log, notList] = parsed.rules;
    assert.equal(drop.action, '-j DROP');
    assert.match(drop.text, /--comment "dev \\"server\\" \[x\]\(command:evil\)"/);
    assert.deepEqual(log.ports, [[1024, 65535]]);
    assert.equal(log.action, '-j LOG --log-prefix high:');
    assert.deepEqual(notList.ports, [[22, 22], [3000, 3000]]);
    assert.match(notList.summary, /every port except 22, 3000, so not port 3000/);
    assert.deepEqual(
      parsed.policies.map((p) => `${p.location}: ${p.verdict}`),
      ['filter table, chain INPUT: drop', 'filter table, chain FORWARD: drop', 'filter table, chain OUTPUT: accept'],
    );
  });

  it('reads multiport lists with ranges, ! --dport for UDP, and DNAT in nat', () => {
    const tcp = parseIptablesSave(fx('iptables-save.txt'), { port: 8050, protocol: 'tcp' });
    assert.ok(tcp.rules.some((r) => r.verdict === 'accept' && r.ports.length === 3 && r.ports[2][0] === 8000 && r.ports[2][1] === 8100));
    const udp = parseIptablesSave(fx('iptables-save.txt'), { port: 3000, protocol: 'udp' });
    assert.deepEqual(brief(udp.rules), ['reject in udp @ filter table, chain INPUT']);
    assert.match(udp.rules[0].summary, /^Rejects incoming UDP to every port except 53, so port 3000 too/);
    const nat = parseIptablesSave(fx('iptables-save.txt'), { port: 8080, protocol: 'tcp' }).rules.filter((r) => r.location.startsWith('nat'));
    assert.equal(nat.length, 1);
    assert.equal(nat[0].action, '-j DNAT --to-destination 10.0.0.2:3000');
  });

  it('reads ip6tables-save ranges and says which variant wrote the dump', () => {
    const parsed = parseIptablesSave(fx('ip6tables-save.txt'), { port: 3005 }, 'ip6tables');
    assert.deepEqual(brief(parsed.rules), ['reject in tcp @ filter table, chain INPUT']);
    assert.equal(parsed.rules[0].source, 'ip6tables');
    const info = iptablesSaveInfo(fx('iptables-save.txt'));
    assert.equal(info.backend, 'nf_tables');
    assert.ok(info.chains.some((c) => c.table === 'filter' && c.chain === 'DOCKER-USER'));
    assert.equal(iptablesSaveInfo('# Generated by iptables-save v1.8.7 (legacy) on x\n*filter\n').backend, 'legacy');
  });

  it('follows REDIRECT --to-ports to the port asked about, and passes on the legacy warning', () => {
    const text = [
      '# Warning: iptables-legacy tables present, use iptables-legacy-save to see them',
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      '-A PREROUTING -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 3000',
      'COMMIT',
    ].join('\n');
    const parsed = parseIptablesSave(text, { port: 3000, protocol: 'tcp' });
    assert.equal(parsed.rules.length, 1);
    assert.match(parsed.rules[0].summary, /^Redirects incoming TCP for port 80 to port 3000 on this machine/);
    assert.deepEqual(parsed.notes, ['Warning: iptables-legacy tables present, use iptables-legacy-save to see them']);
  });

  it('splits quoted words and rejects text without a table', () => {
    assert.deepEqual(splitSaveLine('-A X -m comment --comment "a \\"b\\" \\\\ c" -j ACCEPT'), ['-A', 'X', '-m', 'comment', '--comment', 'a "b" \\ c', '-j', 'ACCEPT']);
    assert.throws(() => parseIptablesSave('hello world', { port: 1 }), /no table/);
    assert.deepEqual(parseIptablesSave('', { port: 1 }).rules, []);
  });
});

describe('firewall: iptables-nft duplicates in the nft reading', () => {
  it('drops the nft copies of chains iptables-save already reported', () => {
    const parsed = parseNftRuleset(fx('nft-ruleset.json'), { port: 3000, protocol: 'tcp' });
    const reading = { source: 'nftables' as const, status: 'read' as const, command: 'nft -j list ruleset', ...parsed };
    const deduped = dropIptablesNftDuplicates(reading, [
      { family: 'ip', text: fx('iptables-save.txt') },
      { family: 'ip6', text: fx('ip6tables-save.txt') },
    ]);
    assert.equal(deduped.status, 'read');
    if (deduped.status === 'read') {
      assert.ok(deduped.rules.every((r) => r.location.startsWith('inet pi') || r.location.startsWith('ip nat, chain pre')), brief(deduped.rules).join('\n'));
      assert.ok(!deduped.policies.some((p) => /^ip6? filter/.test(p.location)));
      assert.match(deduped.notes.join(' '), /5 rules of iptables-nft tables are shown under iptables instead/);
    }
    // A legacy iptables keeps its rules out of nftables: nothing to drop.
    const legacy = dropIptablesNftDuplicates(reading, [{ family: 'ip', text: fx('iptables-save.txt').replace(/\(nf_tables\)/g, '(legacy)') }]);
    assert.equal(legacy, reading);
  });
});

describe('firewall: ufw status verbose', () => {
  const text = fx('ufw-status-verbose.txt');

  it('finds port rules by protocol, interface and IPv6 twin, with directions', () => {
    const parsed = parseUfwStatus(text, { port: 3000, protocol: 'tcp' });
    assert.deepEqual(brief(parsed.rules), ['drop in tcp @ ufw on eth0', 'accept in any @ ufw', 'accept in tcp @ ufw (IPv6)', 'drop out tcp @ ufw']);
    assert.deepEqual(
      parsed.policies.map((p) => `${p.direction} ${p.verdict}`),
      ['in drop', 'out accept'],
    );
    assert.deepEqual(parsed.notes, ['A ufw rule uses the application profile "Custom App", whose ports are not known here: run `sudo ufw app info "Custom App"`.']);
  });

  it('reads lists, ranges, known application profiles and LIMIT', () => {
    assert.deepEqual(brief(parseUfwStatus(text, { port: 3005, protocol: 'udp' }).rules), ['reject in udp @ ufw']);
    const web = parseUfwStatus(text, { port: 443, protocol: 'tcp' }).rules;
    assert.deepEqual(web.map((r) => r.text), ['80,443/tcp ALLOW IN Anywhere # web', 'Nginx Full ALLOW IN Anywhere']);
    const ssh = parseUfwStatus(text, { port: 22, protocol: 'tcp' }).rules;
    assert.equal(ssh.length, 2);
    assert.match(ssh[1].summary, /^Allows \(rate-limited\) incoming TCP to port 22 \(ufw \(IPv6\)\)/);
    const db = parseUfwStatus(text, { port: 5432 }).rules;
    assert.deepEqual(brief(db), ['accept in tcp @ ufw']);
    assert.deepEqual(brief(parseUfwStatus(text, { port: 8080 }).rules), ['accept forward tcp @ ufw']);
  });

  it('recognises inactive ufw and rejects other text', () => {
    assert.equal(ufwInactive(fx('ufw-status-inactive.txt')), true);
    assert.equal(ufwInactive(text), false);
    assert.throws(() => parseUfwStatus('ERROR: You need to be root to run this script', { port: 1 }), /no "Status:" line/);
  });
});

describe('firewall: firewalld --list-all-zones', () => {
  it('reads the active zones: ports, rich rules, forward-ports; targets as policies', () => {
    const parsed = parseFirewalldZones(fx('firewalld-list-all-zones.txt'), { port: 3000, protocol: 'tcp' });
    assert.deepEqual(brief(parsed.rules), [
      'accept in tcp @ zone public',
      'other in tcp @ zone public, forward-port',
      'accept in tcp @ zone public, rich rule',
      'reject in tcp @ zone public, rich rule',
    ]);
    assert.match(parsed.rules[1].summary, /^Redirects incoming TCP for port 8080 to port 3000 on this machine/);
    // 443 forwarded to port 3000 of another machine is not this machine's port 3000, but it is port 443's.
    const https = parseFirewalldZones(fx('firewalld-list-all-zones.txt'), { port: 443, protocol: 'tcp' }).rules;
    assert.deepEqual(brief(https), ['accept in tcp @ zone public, rich rule', 'other in tcp @ zone public, rich rule']);
    assert.match(https[1].summary, /^Matches incoming TCP to port 443 and does "forward to 192\.168\.122\.10 port 3000"/);
    // The trusted zone is not active: its 3000/tcp is not reported.
    assert.ok(!parsed.rules.some((r) => r.location.includes('trusted')));
    assert.deepEqual(
      parsed.policies.map((p) => `${p.location} ${p.verdict}`),
      ['zone docker accept', 'zone public reject'],
    );
    assert.match(parsed.notes.join(' '), /service "my-dev-app"/);
  });

  it('resolves services with the built-in table or firewalld XML definitions', () => {
    const http = parseFirewalldZones(fx('firewalld-list-all-zones.txt'), { port: 80, protocol: 'tcp' }).rules;
    assert.deepEqual(brief(http), ['accept in tcp @ zone public, service http']);
    const xml = parseFirewalldServiceXml(fx('firewalld-service-my-dev-app.xml'));
    assert.deepEqual(xml, [
      { spans: [[3000, 3002]], protocols: ['tcp'] },
      { spans: [[5353, 5353]], protocols: ['udp'] },
    ]);
    const withXml = parseFirewalldZones(fx('firewalld-list-all-zones.txt'), { port: 3001, protocol: 'tcp' }, { servicePorts: (n) => (n === 'my-dev-app' ? xml : undefined) });
    assert.ok(withXml.rules.some((r) => r.location === 'zone public, service my-dev-app' && r.verdict === 'accept'));
    // The UDP half of the service does not open TCP 5353.
    const tcp5353 = parseFirewalldZones(fx('firewalld-list-all-zones.txt'), { port: 5353, protocol: 'tcp' }, { servicePorts: () => xml });
    assert.ok(!tcp5353.rules.some((r) => r.location.includes('my-dev-app')));
  });

  it('reads the older layout with forward-ports on one line', () => {
    const parsed = parseFirewalldZones(fx('firewalld-list-all-old.txt'), { port: 3000 });
    assert.deepEqual(brief(parsed.rules), ['accept in tcp @ zone public', 'other in tcp @ zone public, forward-port']);
    const udp = parseFirewalldZones(fx('firewalld-list-all-old.txt'), { port: 5353, protocol: 'udp' });
    assert.match(udp.rules[0].summary, /port 53 to port 5353/);
    assert.throws(() => parseFirewalldZones('FirewallD is not running', { port: 1 }), /no zone/);
  });
});

describe('firewall: pf (pfctl -sr, -si)', () => {
  it('finds = rules for v4 and v6, exclusive and outside ranges, and notes anchors and unknown names', () => {
    const parsed: ParsedFirewall = parsePfRules(fx('pfctl-sr.txt'), { port: 3000, protocol: 'tcp' });
    assert.deepEqual(brief(parsed.rules), ['accept in tcp @ pf', 'accept in tcp @ pf', 'drop in tcp @ pf on en0, quick', 'accept in tcp @ pf']);
    assert.deepEqual(parsed.rules[2].ports, [[3000, 3004]]);
    assert.equal(parsed.rules[3].negated, true);
    assert.deepEqual(parsed.rules[3].ports, [[1024, 2048]]);
    assert.deepEqual(parsed.policies.map((p) => p.verdict), ['drop']);
    assert.deepEqual(parsed.notes, [
      'A pf rule names port "x-unknown-svc", which could not be resolved to a number.',
      'pf anchor "com.apple/*" holds rules not listed here: run `sudo pfctl -a \'com.apple/*\' -sr`.',
    ]);
  });

  it('reads service names, block return, < and udp !=', () => {
    // 80 lies outside 1024 <> 2048, so that rule covers it too.
    assert.deepEqual(brief(parsePfRules(fx('pfctl-sr.txt'), { port: 80, protocol: 'tcp' }).rules), ['accept in tcp @ pf', 'accept in tcp @ pf', 'drop in tcp @ pf, quick']);
    assert.deepEqual(brief(parsePfRules(fx('pfctl-sr.txt'), { port: 8080, protocol: 'tcp' }).rules), ['reject in tcp @ pf', 'accept in tcp @ pf']);
    const udp = parsePfRules(fx('pfctl-sr.txt'), { port: 53, protocol: 'udp' }).rules;
    assert.deepEqual(brief(udp), ['accept (not) in udp @ pf']);
  });

  it('reads the status and rejects text without rules', () => {
    assert.equal(pfStatus(fx('pfctl-si-enabled.txt')), 'enabled');
    assert.equal(pfStatus(fx('pfctl-si-disabled.txt')), 'disabled');
    assert.equal(pfStatus('pfctl: /dev/pf: Permission denied'), undefined);
    assert.throws(() => parsePfRules('pfctl: /dev/pf: Permission denied', { port: 1 }), /no pf rules/);
  });
});

describe('firewall: macOS Application Firewall', () => {
  it('reads the global and block-all states in old and new wording', () => {
    assert.deepEqual(parseAppFirewallState(fx('socketfilterfw-globalstate-on.txt') + fx('socketfilterfw-blockall-off.txt')), { enabled: true, blockAll: false });
    assert.deepEqual(parseAppFirewallState(fx('socketfilterfw-globalstate-on.txt') + fx('socketfilterfw-blockall-on-old.txt')), { enabled: true, blockAll: true });
    assert.deepEqual(parseAppFirewallState(fx('socketfilterfw-globalstate-off.txt')), { enabled: false });
  });

  it('reports the block rule of the program holding the port, and block-all as a drop policy', () => {
    const on = parseAppFirewall(fx('socketfilterfw-globalstate-on.txt'), fx('socketfilterfw-listapps.txt'), { port: 3000, programs: ['node'] });
    assert.deepEqual(brief(on.rules), ['drop in any @ Application Firewall']);
    assert.match(on.rules[0].summary, /for program node on any port/);
    assert.equal(on.policies[0].verdict, 'other');
    const code = parseAppFirewall(fx('socketfilterfw-globalstate-on.txt'), fx('socketfilterfw-listapps.txt'), { port: 3000, programs: ['/Applications/Visual Studio Code.app/Contents/MacOS/Code', 'Visual Studio Code'] });
    assert.deepEqual(brief(code.rules), ['accept in any @ Application Firewall']);
    const none = parseAppFirewall(fx('socketfilterfw-globalstate-on.txt') + fx('socketfilterfw-blockall-on-old.txt'), fx('socketfilterfw-listapps.txt'), { port: 3000 });
    assert.deepEqual(none.rules, []);
    assert.equal(none.policies[0].verdict, 'drop');
  });
});

describe('firewall: Windows netsh advfirewall', () => {
  const en = fx('netsh-rules-en.txt');

  for (const [eol, text] of [
    ['LF', en],
    ['CRLF', en.replace(/\n/g, '\r\n')],
  ] as const) {
    it(`reads port rules and the program rule for node.exe (${eol})`, () => {
      const parsed = parseNetshRules(text, { port: 3000, protocol: 'tcp', programs: ['node.exe'] });
      assert.deepEqual(brief(parsed.rules), ['drop in tcp @ rule "Node.js JavaScript Runtime", profiles Public', 'accept in tcp @ rule "Dev server 3000", profiles Private']);
      assert.deepEqual(parsed.notes, ['1 disabled Windows firewall rule also mentions this port.']);
    });
  }

  it('reads lists with ranges and leaves out keyword ports and other programs', () => {
    assert.deepEqual(brief(parseNetshRules(en, { port: 8050, protocol: 'tcp' }).rules), ['drop in tcp @ rule "Web ports", profiles Domain,Private,Public']);
    assert.deepEqual(parseNetshRules(en, { port: 135, protocol: 'tcp' }).rules, []);
    const udp = parseNetshRules(en, { port: 3000, protocol: 'udp' }).rules;
    assert.deepEqual(udp.map((r) => r.location), ['rule "Game server [x](command:evil)", profiles Domain,Private,Public']);
  });

  it('reads the profile policies', () => {
    assert.deepEqual(
      parseNetshProfiles(fx('netsh-allprofiles-en.txt')).map((p) => `${p.location}: ${p.verdict} ${p.action}`),
      ['Domain profile: accept firewall off', 'Private profile: drop BlockInbound', 'Public profile: drop BlockInboundAlways'],
    );
  });

  it('refuses German output rather than misread it', () => {
    assert.throws(() => parseNetshRules(fx('netsh-rules-de.txt'), { port: 3000 }), /not in English/);
  });
});

describe('firewall: port spans', () => {
  it('parses single ports, ranges and open ends; rejects junk', () => {
    assert.deepEqual(parseSpan('3000', ':'), [3000, 3000]);
    assert.deepEqual(parseSpan('8000:8100', ':'), [8000, 8100]);
    assert.deepEqual(parseSpan(':1023', ':'), [0, 1023]);
    assert.deepEqual(parseSpan('1024:', ':'), [1024, 65535]);
    assert.deepEqual(parseSpan('9-3', '-'), [3, 9]);
    for (const bad of ['', ':', 'http', '70000', '1:2:3', '-1']) {
      assert.equal(parseSpan(bad, bad.includes('-') ? '-' : ':'), undefined, bad);
    }
  });
});

// Real output, captured in the sandbox of firewallTools.test.ts (which checks these files still match
// what the tools print): here the parsers run on them where the tools are not installed.
describe('firewall: real ufw 0.36.2 status verbose', () => {
  const text = fx('ufw-0.36.2-status-verbose.txt');

  it('reads application rules as verbose ufw prints them: ports, then the profile in brackets', () => {
    const app = parseUfwStatus(text, { port: 9005, protocol: 'tcp' });
    assert.deepEqual(brief(app.rules), ['accept in tcp @ ufw', 'accept in tcp @ ufw (IPv6)']);
    assert.deepEqual(app.rules[1].ports, [[9000, 9010]]);
    assert.equal(app.rules[1].text, '9000:9010/tcp (Port Inspector Test (v6)) ALLOW IN Anywhere (v6)');
    assert.deepEqual(app.notes, []);
    assert.deepEqual(brief(parseUfwStatus(text, { port: 9443 }).rules), ['accept in udp @ ufw', 'accept in udp @ ufw (IPv6)']);
  });

  it('reads `(v6) on lo`, both protocols, a source port that is not the local port, and the defaults', () => {
    assert.deepEqual(brief(parseUfwStatus(text, { port: 4000, protocol: 'tcp' }).rules), ['accept in tcp @ ufw on lo', 'accept in tcp @ ufw on lo (IPv6)']);
    const both = parseUfwStatus(text, { port: 3000 });
    assert.deepEqual(brief(both.rules), ['accept in tcp @ ufw', 'drop in udp @ ufw', 'accept in tcp @ ufw (IPv6)', 'drop in udp @ ufw (IPv6)']);
    assert.deepEqual(
      both.policies.map((p) => `${p.direction} ${p.verdict}`),
      ['in drop', 'out accept'],
    );
    assert.deepEqual(parseUfwStatus(text, { port: 7000 }).rules, []);
    assert.deepEqual(brief(parseUfwStatus(text, { port: 8080 }).rules), ['reject in udp @ ufw', 'reject in udp @ ufw (IPv6)', 'accept forward tcp @ ufw', 'accept forward tcp @ ufw (IPv6)']);
    assert.deepEqual(brief(parseUfwStatus(text, { port: 25 }).rules), ['drop out tcp @ ufw', 'drop out tcp @ ufw (IPv6)']);
  });
});

describe('firewall: real firewalld 1.3.3 --list-all-zones', () => {
  const text = fx('firewalld-1.3.3-list-all-zones.txt');

  it('reads the default zone, which the runtime listing does not mark, besides the active ones', () => {
    const parsed = parseFirewalldZones(text, { port: 3000, protocol: 'tcp' }, { defaultZone: 'public' });
    assert.deepEqual(brief(parsed.rules), ['accept in tcp @ zone public', 'other in tcp @ zone public, forward-port', 'other in tcp @ zone public, rich rule']);
    assert.deepEqual(
      parsed.policies.map((p) => `${p.location} ${p.verdict}`),
      ['zone public reject', 'zone trusted accept'],
    );
    // Only `trusted (active)` is marked: without the default zone, public's rules would be missed.
    assert.deepEqual(parseFirewalldZones(text, { port: 3000, protocol: 'tcp' }).rules, []);
    // `internal` is neither active nor the default: its 4000/tcp filters nothing.
    assert.deepEqual(parseFirewalldZones(text, { port: 4000, protocol: 'tcp' }, { defaultZone: 'public' }).rules, []);
  });

  it('reads rich rules with a source, a service, a log-only action, and forward-ports with an empty toaddr', () => {
    const rules = (port: number): string[] => brief(parseFirewalldZones(text, { port, protocol: 'tcp' }, { defaultZone: 'public' }).rules);
    assert.deepEqual(rules(5432), ['reject in tcp @ zone public, rich rule']);
    assert.deepEqual(rules(443), ['accept in tcp @ zone public, rich rule']);
    assert.deepEqual(rules(7000), ['other in tcp @ zone public, rich rule']);
    assert.deepEqual(rules(80), ['accept in tcp @ zone public, service http']);
    const forward = parseFirewalldZones(text, { port: 8080, protocol: 'tcp' }, { defaultZone: 'public' }).rules;
    assert.match(forward[0].summary, /^Matches incoming TCP to port 8080 and does "forward to this machine port 3000"/);
  });
});
