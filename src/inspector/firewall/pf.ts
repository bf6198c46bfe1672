// macOS (and BSD) pf rules that mention a port, from `pfctl -sr`, and pf's state from `pfctl -si`.
// pfctl prints each loaded rule on one line, lists already expanded (`{ 80 443 }` becomes two rules):
//   block drop in all
//   pass in quick on lo0 all flags S/SA keep state
//   pass in inet proto tcp from any to any port = 3000 flags S/SA keep state
//   pass in proto tcp from any to any port = http flags S/SA keep state
//   block return in proto tcp from any to any port 8000:8100
//   pass in proto udp from any to any port != 53 keep state
//   anchor "com.apple/*" all
// Port operators (pf.conf(5)): = != < <= > >=, `a:b` (inclusive range), `a >< b` (between, exclusive),
// `a <> b` (outside). pfctl prints a service name from /etc/services for = and != when it knows one.
// pf applies the LAST matching rule unless an earlier one says `quick`; a rule's summary names `quick`.
import type { Protocol } from '../../core/types';
import { isPortNumber, makeRule, protocolApplies, spansInclude } from './ruleText';
import { servicePorts } from './serviceNames';
import type { FirewallPolicy, FirewallQuery, FirewallRule, ParsedFirewall, PortSpan, RuleDirection, RuleVerdict } from './types';

/** pf's state from `pfctl -si`: `Status: Enabled for 0 days …` or `Status: Disabled …`. */
export function pfStatus(text: string): 'enabled' | 'disabled' | undefined {
  const m = /^Status:\s*(Enabled|Disabled)/im.exec(text);
  return m ? (m[1].toLowerCase() as 'enabled' | 'disabled') : undefined;
}

/** Splits a rule into words, keeping `"quoted text"` whole and braces as their own words. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"[^"]*"|[{}]|[^\s{}"]+/g;
  for (const m of line.matchAll(re)) {
    out.push(m[0]);
  }
  return out;
}

const OPS = new Set(['=', '!=', '<', '<=', '>', '>=']);
// Words that end a `to … port …` clause.
const STOP = new Set([
  'flags', 'keep', 'modulate', 'synproxy', 'no', 'label', 'tag', 'tagged', 'queue', 'rtable', 'probability', 'user', 'group',
  'icmp-type', 'icmp6-type', 'tos', 'allow-opts', 'fragment', 'route-to', 'reply-to', 'dup-to', 'set', 'max-mss', 'os', 'divert-to',
  'rdr-to', 'nat-to', 'once',
]);

function portValue(text: string, protocol: Protocol | undefined, unresolved: string[]): number | undefined {
  if (/^\d{1,5}$/.test(text) && isPortNumber(Number(text))) {
    return Number(text);
  }
  const named = servicePorts(text);
  if (named && named.spans.length === 1 && named.spans[0][0] === named.spans[0][1] && (!protocol || protocolApplies(named.protocols, protocol))) {
    return named.spans[0][0];
  }
  unresolved.push(text);
  return undefined;
}

interface PortClause {
  spans: PortSpan[];
  negated: boolean;
}

/** Reads the port expression starting at `words[i]` (the word after `port`). */
function portClause(w: string[], i: number, protocol: Protocol | undefined, unresolved: string[]): PortClause | undefined {
  const items: PortClause[] = [];
  const one = (at: number): [PortClause | undefined, number] => {
    const a = w[at];
    if (a === undefined) {
      return [undefined, at];
    }
    if (OPS.has(a)) {
      const v = portValue(w[at + 1] ?? '', protocol, unresolved);
      if (v === undefined) {
        return [undefined, at + 2];
      }
      switch (a) {
        case '=':
          return [{ spans: [[v, v]], negated: false }, at + 2];
        case '!=':
          return [{ spans: [[v, v]], negated: true }, at + 2];
        case '<':
          return [v > 0 ? { spans: [[0, v - 1]], negated: false } : undefined, at + 2];
        case '<=':
          return [{ spans: [[0, v]], negated: false }, at + 2];
        case '>':
          return [v < 65535 ? { spans: [[v + 1, 65535]], negated: false } : undefined, at + 2];
        default:
          return [{ spans: [[v, 65535]], negated: false }, at + 2];
      }
    }
    const range = /^(\d{1,5}):(\d{1,5})$/.exec(a);
    if (range) {
      const low = Number(range[1]);
      const high = Number(range[2]);
      return [isPortNumber(low) && isPortNumber(high) && low <= high ? { spans: [[low, high]], negated: false } : undefined, at + 1];
    }
    const first = portValue(a, protocol, unresolved);
    const op = w[at + 1];
    if (first !== undefined && (op === '><' || op === '<>')) {
      const second = portValue(w[at + 2] ?? '', protocol, unresolved);
      if (second === undefined) {
        return [undefined, at + 3];
      }
      if (op === '><') {
        return [second - first > 1 ? { spans: [[first + 1, second - 1]], negated: false } : undefined, at + 3];
      }
      // Outside the range: everything except first..second.
      return [{ spans: [[first, second]], negated: true }, at + 3];
    }
    return [first !== undefined ? { spans: [[first, first]], negated: false } : undefined, at + 1];
  };
  if (w[i] === '{') {
    let at = i + 1;
    while (at < w.length && w[at] !== '}') {
      const [clause, next] = one(at);
      if (clause) {
        items.push(clause);
      }
      at = next > at ? next : at + 1;
    }
    // A list matches when any item does; negated items in a list are rare enough to read as plain ports.
    return items.length > 0 ? { spans: items.flatMap((c) => c.spans), negated: false } : undefined;
  }
  return one(i)[0];
}

function ruleVerdict(w: string[]): { verdict: RuleVerdict; action: string } | undefined {
  switch (w[0]) {
    case 'pass':
      return { verdict: 'accept', action: 'pass' };
    case 'block': {
      const how = w[1] ?? '';
      if (how.startsWith('return')) {
        return { verdict: 'reject', action: `block ${how}` };
      }
      // Plain `block` follows `set block-policy`, which defaults to drop.
      return { verdict: 'drop', action: how === 'drop' ? 'block drop' : 'block' };
    }
    case 'match':
      return { verdict: 'other', action: 'match' };
    default:
      return undefined;
  }
}

/**
 * The pf rules (from `pfctl -sr`) that mention `query.port` as a destination port. pf has no chain
 * policy: its default is to pass what no rule blocks, so a `block … all` rule plays that part and is
 * reported in `policies`.
 * @throws Error (one line) when the text is not rule lines.
 */
export function parsePfRules(text: string, query: FirewallQuery): ParsedFirewall {
  const rules: FirewallRule[] = [];
  const notes: string[] = [];
  const policies: FirewallPolicy[] = [];
  let recognised = 0;
  let lines = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('No ALTQ') || line.startsWith('ALTQ')) {
      continue;
    }
    lines++;
    const w = words(line);
    if (w[0] === 'anchor' || w[0] === 'scrub' || w[0] === 'antispoof' || w[0] === 'nat-anchor' || w[0] === 'rdr-anchor' || w[0] === 'scrub-anchor') {
      recognised++;
      if (w[0] === 'anchor') {
        const name = (w[1] ?? '').replace(/"/g, '');
        // The name goes into a command the user may copy: only plain anchor names get one.
        notes.push(
          /^[\w./*-]{1,100}$/.test(name)
            ? `pf anchor "${name}" holds rules not listed here: run \`sudo pfctl -a '${name}' -sr\`.`
            : 'A pf anchor holds rules not listed here: run `sudo pfctl -sA` to list anchors.',
        );
      }
      continue;
    }
    const verdict = ruleVerdict(w);
    if (!verdict) {
      continue;
    }
    recognised++;
    const direction: RuleDirection = w.includes('in') ? 'in' : w.includes('out') ? 'out' : 'any';
    const quick = w.includes('quick');
    const onAt = w.indexOf('on');
    const iface = onAt >= 0 ? w[onAt + 1] : undefined;
    let protocols: Protocol[] = [];
    const protoAt = w.indexOf('proto');
    let otherProtocol = false;
    if (protoAt >= 0) {
      const list = w[protoAt + 1] === '{' ? w.slice(protoAt + 2, w.indexOf('}', protoAt)) : [w[protoAt + 1] ?? ''];
      protocols = list.filter((p): p is Protocol => p === 'tcp' || p === 'udp');
      otherProtocol = protocols.length === 0;
    }
    const location = `pf${iface ? ` on ${iface}` : ''}${quick ? ', quick' : ''}`;
    const toAt = w.indexOf('to');
    const allAt = w.indexOf('all');
    if (verdict.verdict !== 'accept' && direction !== 'out' && toAt < 0 && allAt >= 0 && protoAt < 0 && onAt < 0) {
      policies.push({
        source: 'pf',
        location,
        direction,
        verdict: verdict.verdict,
        action: line,
        summary: `${verdict.verdict === 'reject' ? 'Rejects' : 'Drops'} ${direction === 'in' ? 'incoming ' : ''}traffic that no later rule passes (pf rule "${line.slice(0, 60)}").`,
      });
      continue;
    }
    if (toAt < 0 || otherProtocol || !protocolApplies(protocols, query.protocol)) {
      continue;
    }
    let portAt = -1;
    for (let i = toAt + 1; i < w.length && !STOP.has(w[i]); i++) {
      if (w[i] === 'port') {
        portAt = i;
        break;
      }
    }
    if (portAt < 0) {
      continue;
    }
    const unresolved: string[] = [];
    const clause = portClause(w, portAt + 1, protocols.length === 1 ? protocols[0] : query.protocol, unresolved);
    for (const u of unresolved) {
      notes.push(`A pf rule names port "${u}", which could not be resolved to a number.`);
    }
    if (!clause) {
      continue;
    }
    const covers = spansInclude(clause.spans, query.port);
    if (!covers && !clause.negated) {
      continue;
    }
    rules.push(
      makeRule(
        { source: 'pf', location, direction, verdict: verdict.verdict, action: verdict.action, protocols, ports: clause.spans, negated: clause.negated, text: line },
        query,
      ),
    );
  }
  if (lines > 0 && recognised === 0) {
    throw new Error('The pfctl output holds no pf rules.');
  }
  return { rules, policies, notes: [...new Set(notes)] };
}
