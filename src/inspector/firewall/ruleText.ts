// Shared by the firewall parsers: port spans, whether a rule covers the port asked about, and the plain
// one-line summary every rule and policy carries.
import { plainText } from '../../core/displayText';
import type { Protocol } from '../../core/types';
import type {
  FirewallPolicy,
  FirewallQuery,
  FirewallRule,
  FirewallSource,
  PortSpan,
  RuleDirection,
  RuleVerdict,
} from './types';

/** Longest rule text kept: rules can carry long comments and address lists. */
export const RULE_TEXT_MAX = 300;

/** True for an integer 0–65535 (0 appears in ranges such as `0-1023`). */
export function isPortNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535;
}

/** Parses `3000`, `8000:8100` or `8000-8100` (the separator is the caller's), or undefined. With `:`,
 *  open ends of a range (`:1023`, `1024:`) mean 0 and 65535, as iptables reads them. */
export function parseSpan(text: string, separator: ':' | '-'): PortSpan | undefined {
  const t = text.trim();
  const at = t.indexOf(separator);
  if (at < 0) {
    const p = /^\d{1,5}$/.test(t) ? Number(t) : NaN;
    return isPortNumber(p) ? [p, p] : undefined;
  }
  const lowText = t.slice(0, at);
  const highText = t.slice(at + 1);
  // Only iptables (`:`) writes open-ended ranges; `-1` or `80-` elsewhere is junk.
  const open = separator === ':';
  const low = lowText === '' && open ? 0 : /^\d{1,5}$/.test(lowText) ? Number(lowText) : NaN;
  const high = highText === '' && open ? 65535 : /^\d{1,5}$/.test(highText) ? Number(highText) : NaN;
  if (!isPortNumber(low) || !isPortNumber(high) || (lowText === '' && highText === '')) {
    return undefined;
  }
  return low <= high ? [low, high] : [high, low];
}

/** True when one of `spans` contains `port`. */
export function spansInclude(spans: readonly PortSpan[], port: number): boolean {
  return spans.some(([low, high]) => port >= low && port <= high);
}

/** `3000`, `80, 443, 8000-8100` */
export function formatSpans(spans: readonly PortSpan[]): string {
  const shown = spans.slice(0, 12).map(([low, high]) => (low === high ? String(low) : `${low}-${high}`));
  return spans.length > 12 ? `${shown.join(', ')}, …` : shown.join(', ');
}

/** Whether a rule limited to `protocols` (empty: any) can apply to the protocol asked about. */
export function protocolApplies(protocols: readonly Protocol[], wanted: Protocol | undefined): boolean {
  return protocols.length === 0 || wanted === undefined || protocols.includes(wanted);
}

/** One line of the rule as printed, made inert and capped. */
export function ruleText(text: string): string {
  return plainText(text, RULE_TEXT_MAX);
}

const VERBS: Readonly<Record<Exclude<RuleVerdict, 'other'>, string>> = {
  accept: 'Allows',
  drop: 'Drops',
  reject: 'Rejects',
};

const DIRECTIONS: Readonly<Record<RuleDirection, string>> = {
  in: 'incoming ',
  out: 'outgoing ',
  forward: 'forwarded ',
  any: '',
};

function trafficText(protocols: readonly Protocol[], direction: RuleDirection): string {
  const proto = protocols.length === 0 ? 'traffic' : protocols.map((p) => p.toUpperCase()).join('/');
  return `${DIRECTIONS[direction]}${proto}`;
}

/** The facts a rule summary is made from: a rule before `applies` and `summary` are worked out, plus
 *  what only the summary uses. */
export type RuleFacts = Omit<FirewallRule, 'applies' | 'summary'> & {
  /** For a rule that names a program instead of a port (Windows). */
  program?: string;
  /** The local port a redirect sends the matched traffic to (nft `redirect to :3000`, iptables
   *  `REDIRECT --to-ports 3000`, a firewalld forward-port without an address). */
  redirectTo?: number;
};

/**
 * Builds a {@link FirewallRule}: decides whether it applies to `query.port` and writes its summary, e.g.
 * `Drops incoming TCP to port 3000 (inet filter, chain input).` or
 * `Allows incoming TCP to every port except 22, so port 3000 too (filter table, chain INPUT).`
 */
export function makeRule(facts: RuleFacts, query: FirewallQuery): FirewallRule {
  const { port } = query;
  const covered = facts.ports.length === 0 || spansInclude(facts.ports, port);
  const matches = facts.negated ? !covered : covered;
  // A redirect names the port as its destination, not in its match: it applies when traffic for other
  // ports is sent here.
  const redirected = facts.redirectTo === port && !matches;
  const applies = redirected || matches;
  const what = trafficText(facts.protocols, facts.direction);
  let summary: string;
  if (redirected) {
    const single = facts.ports.length === 1 && facts.ports[0][0] === facts.ports[0][1];
    const from = facts.negated ? `every port except ${formatSpans(facts.ports)}` : `port${single ? '' : 's'} ${formatSpans(facts.ports)}`;
    summary = `Redirects ${what} for ${from} to port ${port} on this machine`;
  } else {
    let target: string;
    if (facts.ports.length === 0) {
      target = facts.program ? `for program ${facts.program} on any port` : 'on any port';
    } else if (facts.negated) {
      target = `to every port except ${formatSpans(facts.ports)}${applies ? `, so port ${port} too` : `, so not port ${port}`}`;
    } else if (facts.ports.length === 1 && facts.ports[0][0] === facts.ports[0][1]) {
      target = `to port ${facts.ports[0][0]}`;
    } else {
      target = `to ports ${formatSpans(facts.ports)}${applies ? ` (port ${port} among them)` : ''}`;
    }
    summary = facts.verdict === 'other' ? `Matches ${what} ${target} and does "${plainText(facts.action, 60)}"` : `${VERBS[facts.verdict]} ${what} ${target}`;
  }
  return {
    source: facts.source,
    location: facts.location,
    direction: facts.direction,
    verdict: facts.verdict,
    action: plainText(facts.action, 80),
    protocols: facts.protocols,
    ports: facts.ports,
    negated: facts.negated,
    applies,
    summary: `${summary} (${facts.location}).`,
    text: ruleText(facts.text),
  };
}

/** Builds a {@link FirewallPolicy} with its summary, e.g.
 *  `Drops incoming traffic no rule allowed (inet filter, chain input, policy drop).` */
export function makePolicy(
  source: FirewallSource,
  location: string,
  direction: RuleDirection,
  verdict: RuleVerdict,
  action: string,
): FirewallPolicy {
  const traffic = direction === 'any' ? 'traffic' : `${DIRECTIONS[direction].trim()} traffic`;
  const head = verdict === 'other' ? `Default for ${traffic}: ${plainText(action, 60)}` : `${VERBS[verdict]} ${traffic} that no rule decided`;
  return { source, location, direction, verdict, action: plainText(action, 80), summary: `${head} (${location}, ${plainText(action, 60)}).` };
}

/** Maps a hook or built-in chain name to the traffic it sees. */
export function hookDirection(hook: string | undefined): RuleDirection {
  switch ((hook ?? '').toLowerCase()) {
    case 'input':
    case 'prerouting':
    case 'ingress':
      return 'in';
    case 'output':
    case 'postrouting':
    case 'egress':
      return 'out';
    case 'forward':
      return 'forward';
    default:
      return 'any';
  }
}
