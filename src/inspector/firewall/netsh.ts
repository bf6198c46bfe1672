// Windows Defender Firewall rules that mention a port, from
// `netsh advfirewall firewall show rule name=all dir=in verbose`, and the profile policies from
// `netsh advfirewall show allprofiles`. Each rule is a block of `Key:   value` lines:
//   Rule Name:                            Node.js JavaScript Runtime
//   ----------------------------------------------------------------------
//   Enabled:                              Yes
//   Direction:                            In
//   Profiles:                             Public
//   LocalPort:                            Any
//   Program:                              C:\Program Files\nodejs\node.exe
//   Action:                               Block
// netsh prints these words in the language of Windows (German: `Regelname:`, `Aktion:`) and no switch
// makes it print English. Only English output is parsed; other languages are reported as unreadable
// with a PowerShell command whose output the user can read in any language.
import type { Protocol } from '../../core/types';
import { programMatches } from './macAppFirewall';
import { makePolicy, makeRule, parseSpan, protocolApplies, spansInclude } from './ruleText';
import type { FirewallPolicy, FirewallQuery, FirewallRule, ParsedFirewall, PortSpan, RuleVerdict } from './types';

function fields(block: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of block) {
    const m = /^([A-Za-z][A-Za-z ]*?):\s*(.*?)\s*$/.exec(line);
    if (m && !map.has(m[1].toLowerCase())) {
      map.set(m[1].toLowerCase(), m[2]);
    }
  }
  return map;
}

function blocks(text: string, startKey: RegExp): string[][] {
  const out: string[][] = [];
  let current: string[] | undefined;
  for (const raw of text.replace(/\r/g, '').split('\n')) {
    if (startKey.test(raw)) {
      current = [raw];
      out.push(current);
    } else if (current && raw.trim() !== '') {
      current.push(raw);
    }
  }
  return out;
}

const ACTIONS: Readonly<Record<string, RuleVerdict>> = { allow: 'accept', block: 'drop' };

function protocolsOf(text: string): Protocol[] | 'other' {
  const p = text.trim().toLowerCase();
  if (p === 'any' || p === '') {
    return [];
  }
  if (p === 'tcp' || p === '6') {
    return ['tcp'];
  }
  return p === 'udp' || p === '17' ? ['udp'] : 'other';
}

/** LocalPort: `Any`, `3000`, `80,443`, `8000-8100`, or keywords (`RPC`, `RPC-EPMap`, `IPHTTPS`, `Teredo`). */
function portsOf(text: string): PortSpan[] | 'any' | 'keyword' {
  const t = text.trim();
  if (t === '' || /^any$/i.test(t)) {
    return 'any';
  }
  const spans = t
    .split(',')
    .map((s) => parseSpan(s, '-'))
    .filter((s): s is PortSpan => s !== undefined);
  return spans.length > 0 ? spans : 'keyword';
}

/** True when netsh answered in English (the only language parsed). */
export function netshIsEnglish(text: string): boolean {
  return /^Rule Name:/m.test(text) || /^No rules match the specified criteria/m.test(text) || /Profile Settings:/.test(text);
}

/**
 * The inbound Windows firewall rules that mention `query.port` in LocalPort, plus (with `query.programs`)
 * the enabled inbound rules for one of those programs on any port: the "Block" rule Windows creates
 * when someone dismisses its "allow access?" prompt for node.exe is the classic cause of a dev server
 * that is unreachable from a phone. Disabled rules are counted in a note, not listed.
 * @throws Error (one line) when the output is not English netsh output.
 */
export function parseNetshRules(text: string, query: FirewallQuery): ParsedFirewall {
  if (text.trim() !== '' && !netshIsEnglish(text)) {
    throw new Error('The netsh output is not in English, the only language this parser reads.');
  }
  const rules: FirewallRule[] = [];
  let disabled = 0;
  for (const block of blocks(text, /^Rule Name:/)) {
    const f = fields(block);
    const direction = (f.get('direction') ?? '').toLowerCase();
    if (direction !== 'in') {
      continue;
    }
    const protocols = protocolsOf(f.get('protocol') ?? 'Any');
    if (protocols === 'other' || !protocolApplies(protocols, query.protocol)) {
      continue;
    }
    const ports = portsOf(f.get('localport') ?? 'Any');
    const program = f.get('program');
    const forProgram = ports === 'any' && program !== undefined && !/^any$/i.test(program) && programMatches(program, query.programs);
    if (ports === 'keyword' || (ports === 'any' && !forProgram) || (ports !== 'any' && !spansInclude(ports, query.port))) {
      continue;
    }
    if (!/^yes$/i.test(f.get('enabled') ?? '')) {
      disabled++;
      continue;
    }
    const name = f.get('rule name') ?? '';
    const action = f.get('action') ?? '';
    const profiles = f.get('profiles');
    rules.push(
      makeRule(
        {
          source: 'windows',
          location: `rule "${name}"${profiles ? `, profiles ${profiles}` : ''}`,
          direction: 'in',
          verdict: ACTIONS[action.toLowerCase()] ?? 'other',
          action,
          protocols,
          ports: ports === 'any' ? [] : ports,
          negated: false,
          text: `${name}: ${action} in ${f.get('protocol') ?? 'Any'} port ${f.get('localport') ?? 'Any'}${program ? ` program ${program}` : ''}`,
          program: forProgram ? program : undefined,
        },
        query,
      ),
    );
  }
  const notes = disabled > 0 ? [`${disabled} disabled Windows firewall rule${disabled === 1 ? '' : 's'} also mention${disabled === 1 ? 's' : ''} this port.`] : [];
  return { rules, policies: [], notes };
}

/**
 * The inbound policy of each Windows firewall profile (Domain, Private, Public) from
 * `netsh advfirewall show allprofiles`. A profile that is off allows everything.
 * @throws Error (one line) when the output is not English netsh output.
 */
export function parseNetshProfiles(text: string): FirewallPolicy[] {
  if (text.trim() !== '' && !netshIsEnglish(text)) {
    throw new Error('The netsh output is not in English, the only language this parser reads.');
  }
  const policies: FirewallPolicy[] = [];
  for (const block of blocks(text, /^\S.* Profile Settings:/)) {
    const profile = /^(\S.*?) Profile Settings:/.exec(block[0])?.[1] ?? '?';
    const state = /^State\s+(\S+)/m.exec(block.join('\n'))?.[1] ?? '';
    const policy = /^Firewall Policy\s+(\S+)/m.exec(block.join('\n'))?.[1] ?? '';
    const where = `${profile} profile`;
    if (/^off$/i.test(state)) {
      policies.push(makePolicy('windows', where, 'in', 'accept', 'firewall off'));
      continue;
    }
    const inbound = policy.split(',').find((p) => /inbound/i.test(p)) ?? '';
    const verdict: RuleVerdict = /^block/i.test(inbound) ? 'drop' : /^allow/i.test(inbound) ? 'accept' : 'other';
    const p = makePolicy('windows', where, 'in', verdict, inbound || policy || 'unknown');
    if (/^BlockInboundAlways$/i.test(inbound)) {
      p.summary = `Blocks every incoming connection, even ones a rule allows (${where}, BlockInboundAlways).`;
    }
    policies.push(p);
  }
  return policies;
}
