// ufw rules that mention a port, from `ufw status verbose` (run with LC_ALL=C: ufw translates its output):
//   Status: active
//   Logging: on (low)
//   Default: deny (incoming), allow (outgoing), disabled (routed)
//   New profiles: skip
//
//   To                         Action      From
//   --                         ------      ----
//   22/tcp                     ALLOW IN    Anywhere
//   80,443/tcp                 ALLOW IN    Anywhere                   # web
//   3000/tcp on eth0           DENY IN     192.168.1.0/24
//   8000:8100/udp              REJECT IN   Anywhere
//   Nginx Full                 ALLOW IN    Anywhere
//   192.168.1.5 5432/tcp       ALLOW IN    10.0.0.0/8
//   80,443/tcp (Nginx Full)    ALLOW IN    Anywhere
//   22/tcp (v6)                LIMIT IN    Anywhere (v6)
//   80/tcp (WWW (v6))          ALLOW IN    Anywhere (v6)
//   4000/tcp (v6) on lo        ALLOW IN    Anywhere (v6)              # comment
// The To column is padded to 26 characters; a longer To is followed by a single space, so columns are
// found by the action keyword, not by position. In verbose mode ufw 0.36 writes an application rule as
// its ports with the profile in brackets; plain `ufw status` writes the profile name alone.
import type { Protocol } from '../../core/types';
import { makePolicy, makeRule, parseSpan, protocolApplies, spansInclude } from './ruleText';
import { ufwAppPorts } from './serviceNames';
import type { FirewallPolicy, FirewallQuery, FirewallRule, ParsedFirewall, PortSpan, RuleDirection, RuleVerdict } from './types';

/** `ufw status` says the firewall is off. */
export function ufwInactive(text: string): boolean {
  return /^Status:\s*inactive\b/m.test(text);
}

const ACTION = /\s(ALLOW|DENY|REJECT|LIMIT)(?:\s(IN|OUT|FWD))?(?=\s|$)/;

const VERDICTS: Readonly<Record<string, RuleVerdict>> = { ALLOW: 'accept', LIMIT: 'accept', DENY: 'drop', REJECT: 'reject' };
const DIRECTIONS: Readonly<Record<string, RuleDirection>> = { IN: 'in', OUT: 'out', FWD: 'forward' };

const DEFAULT_VERDICTS: Readonly<Record<string, RuleVerdict>> = { allow: 'accept', deny: 'drop', reject: 'reject' };
const DEFAULT_DIRECTIONS: Readonly<Record<string, RuleDirection>> = { incoming: 'in', outgoing: 'out', routed: 'forward' };

interface ToColumn {
  spans: PortSpan[];
  protocols: Protocol[];
  app?: string;
  iface?: string;
  v6: boolean;
}

const IPISH = /^(?:Anywhere|[0-9a-f.:]+(?:\/\d+)?)$/i;

/** `[address ]ports[/proto][ (profile[ (v6)])][ (v6)][ on iface]`, as ufw's get_status builds it. */
function parseTo(text: string, notes: string[]): ToColumn | undefined {
  let t = text.trim();
  const on = / on (\S+)$/.exec(t);
  const iface = on?.[1];
  if (on) {
    t = t.slice(0, on.index);
  }
  let v6 = / \(v6\)$/.test(t);
  t = t.replace(/ \(v6\)$/, '');
  const profile = / \(([^()]+?)( \(v6\))?\)$/.exec(t);
  if (profile) {
    v6 ||= profile[2] !== undefined;
    t = t.slice(0, profile.index);
  }
  const words = t.split(' ');
  const last = words[words.length - 1] ?? '';
  const portForm = /^([\d,:]+)(?:\/(tcp|udp))?$/.exec(last);
  if (portForm) {
    const spans = portForm[1]
      .split(',')
      .map((s) => parseSpan(s, ':'))
      .filter((s): s is PortSpan => s !== undefined);
    return spans.length > 0 ? { spans, protocols: portForm[2] ? [portForm[2] as Protocol] : [], app: profile?.[1], iface, v6 } : undefined;
  }
  if (words.every((w) => IPISH.test(w.replace(/\/(tcp|udp)$/, '')))) {
    return undefined; // an address only: every port (not reported)
  }
  // An application profile, possibly after an address: `Nginx Full`, `192.168.1.5 Apache`.
  const app = (IPISH.test(words[0]) && words.length > 1 ? words.slice(1) : words).join(' ');
  const ports = ufwAppPorts(app);
  if (!ports) {
    notes.push(`A ufw rule uses the application profile "${app}", whose ports are not known here: run \`sudo ufw app info "${app}"\`.`);
    return undefined;
  }
  return { spans: ports.spans, protocols: ports.protocols, app, iface, v6 };
}

/**
 * The ufw rules (from `ufw status verbose`) that mention `query.port`, and ufw's default policies.
 * An inactive ufw yields nothing (check {@link ufwInactive} first).
 * @throws Error (one line) when the text is not `ufw status` output.
 */
export function parseUfwStatus(text: string, query: FirewallQuery): ParsedFirewall {
  if (!/^Status:/m.test(text)) {
    throw new Error('The ufw output has no "Status:" line (was it run with LC_ALL=C?).');
  }
  const notes: string[] = [];
  const policies: FirewallPolicy[] = [];
  const defaults = /^Default:\s*(.*)$/m.exec(text);
  if (defaults) {
    for (const m of defaults[1].matchAll(/(\w+) \((\w+)\)/g)) {
      const verdict = DEFAULT_VERDICTS[m[1]];
      const direction = DEFAULT_DIRECTIONS[m[2]];
      if (verdict && direction) {
        policies.push(makePolicy('ufw', 'ufw defaults', direction, verdict, `${m[1]} (${m[2]})`));
      }
    }
  }

  const rules: FirewallRule[] = [];
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^--\s+------\s+----/.test(l.trim()));
  for (const line of start >= 0 ? lines.slice(start + 1) : []) {
    if (line.trim() === '') {
      continue;
    }
    const action = ACTION.exec(` ${line}`);
    if (!action) {
      continue;
    }
    const to = parseTo(` ${line}`.slice(0, action.index), notes);
    if (!to || !protocolApplies(to.protocols, query.protocol) || !spansInclude(to.spans, query.port)) {
      continue;
    }
    const actionText = action[2] ? `${action[1]} ${action[2]}` : action[1];
    const location = `ufw${to.iface ? ` on ${to.iface}` : ''}${to.v6 ? ' (IPv6)' : ''}`;
    const rule = makeRule(
      {
        source: 'ufw',
        location,
        direction: action[2] ? DIRECTIONS[action[2]] : 'in',
        verdict: VERDICTS[action[1]],
        action: actionText,
        protocols: to.protocols,
        ports: to.spans,
        negated: false,
        text: line.trim().replace(/\s{2,}/g, '  '),
      },
      query,
    );
    if (action[1] === 'LIMIT') {
      // ufw's LIMIT denies an address that opens 6 or more connections within 30 seconds.
      rule.summary = rule.summary.replace(/^Allows/, 'Allows (rate-limited)');
    }
    rules.push(rule);
  }
  return { rules, policies, notes: [...new Set(notes)] };
}
