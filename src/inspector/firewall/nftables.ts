// nftables rules that mention a port, from `nft -j list ruleset` (libnftables JSON, schema version 1).
//
// A rule is a list of statements. The ones that matter here:
//   {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 3000}}
//   right: 3000 | "http" | {"set": [80, 443, {"range": [9000, 9100]}]} | {"range": [8000, 8100]} | "@named"
//   op: "==" | "!=" | "in" | "<" | ">" | "<=" | ">="
//   {"match": {"left": {"meta": {"key": "l4proto"}}, "right": "tcp" | {"set": ["tcp", "udp"]}}}
//   {"vmap": {"key": {"payload": …dport}, "data": {"set": [[7100, {"accept": null}], …]}}}
//   verdicts: {"accept": null}, {"drop": null}, {"reject": {…}}, {"jump": {"target": "x"}}, {"goto": …},
//   {"return": null}, {"continue": null}, {"queue": …}, NAT: {"dnat": …}, {"redirect": …}, …
// nft 0.9.0 wrote `"payload": {"name": "tcp", …}` where later versions write `"protocol"`: both are read.
// Not understood (and so not reported): concatenations (`meta l4proto . th dport { tcp . 3000 }`) and
// rules added by iptables-nft through xtables matches (`xt multiport`); iptables-save shows those.
import type { Protocol } from '../../core/types';
import { addEdge, chainDirections } from './chainGraph';
import { hookDirection, isPortNumber, makePolicy, makeRule, protocolApplies, spansInclude } from './ruleText';
import type { Json, Obj } from './nftJson';
import { isObj, soleKey, str } from './nftJson';
import { statementText } from './nftText';
import { servicePorts } from './serviceNames';
import type { FirewallQuery, FirewallRule, ParsedFirewall, PortSpan, RuleDirection, RuleVerdict } from './types';

interface ChainInfo {
  family: string;
  table: string;
  name: string;
  hook?: string;
  type?: string;
  policy?: string;
}

function chainId(family: string, table: string, name: string): string {
  return `${family}\u0000${table}\u0000${name}`;
}

const L4_NUMBERS: Readonly<Record<number, Protocol>> = { 6: 'tcp', 17: 'udp', 136: 'udp' };

/** tcp/udp (and udplite, which the socket table lists as UDP) named by a protocol value; `other` for
 *  sctp, dccp, icmp…, which cannot be the TCP or UDP port asked about. */
function l4Name(v: Json): Protocol | 'other' | undefined {
  if (typeof v === 'number') {
    return L4_NUMBERS[v] ?? 'other';
  }
  const s = str(v)?.toLowerCase();
  if (s === undefined) {
    return undefined;
  }
  if (s === 'tcp' || s === 'udp') {
    return s;
  }
  return s === 'udplite' ? 'udp' : 'other';
}

// --- values

interface Resolved {
  spans: PortSpan[];
  /** Text of values that could not be turned into ports (a service name not built in). */
  unresolved: string[];
}

/** Turns the right side of a dport match (or a set element) into port spans. */
function valueSpans(v: Json, sets: ReadonlyMap<string, Json[]>, family: string, table: string, out: Resolved, depth = 0): void {
  if (depth > 8) {
    return;
  }
  if (isPortNumber(v)) {
    out.spans.push([v, v]);
    return;
  }
  if (typeof v === 'string') {
    if (v.startsWith('@')) {
      const elems = sets.get(chainId(family, table, v.slice(1)));
      if (elems) {
        for (const e of elems) {
          valueSpans(e, sets, family, table, out, depth + 1);
        }
      } else {
        out.unresolved.push(v);
      }
      return;
    }
    if (/^\d{1,5}$/.test(v) && isPortNumber(Number(v))) {
      out.spans.push([Number(v), Number(v)]);
      return;
    }
    const named = servicePorts(v);
    if (named) {
      out.spans.push(...named.spans);
    } else {
      out.unresolved.push(v);
    }
    return;
  }
  if (Array.isArray(v)) {
    // A map element: [key, value]; only the key is a port.
    if (v.length === 2) {
      valueSpans(v[0], sets, family, table, out, depth + 1);
    }
    return;
  }
  if (!isObj(v)) {
    return;
  }
  if (Array.isArray(v.set)) {
    for (const e of v.set) {
      valueSpans(e, sets, family, table, out, depth + 1);
    }
  } else if (Array.isArray(v.range) && v.range.length === 2) {
    const a = emptyResolved();
    valueSpans(v.range[0], sets, family, table, a, depth + 1);
    const b = emptyResolved();
    valueSpans(v.range[1], sets, family, table, b, depth + 1);
    if (a.spans.length === 1 && b.spans.length === 1) {
      const low = Math.min(a.spans[0][0], b.spans[0][0]);
      const high = Math.max(a.spans[0][1], b.spans[0][1]);
      out.spans.push([low, high]);
    }
  } else if (isObj(v.elem)) {
    // An element with per-element state (counters, timeouts): {"elem": {"val": 80, "counter": …}}.
    valueSpans(v.elem.val, sets, family, table, out, depth + 1);
  } else {
    out.unresolved.push(JSON.stringify(v).slice(0, 60));
  }
}

function emptyResolved(): Resolved {
  return { spans: [], unresolved: [] };
}

function relationalSpan(op: string, v: Json): PortSpan | undefined {
  if (!isPortNumber(v)) {
    return undefined;
  }
  switch (op) {
    case '<':
      return v > 0 ? [0, v - 1] : undefined;
    case '<=':
      return [0, v];
    case '>':
      return v < 65535 ? [v + 1, 65535] : undefined;
    case '>=':
      return [v, 65535];
    default:
      return undefined;
  }
}

// --- verdicts

const TERMINAL = new Set(['accept', 'drop', 'reject', 'jump', 'goto', 'return', 'continue', 'queue', 'dnat', 'snat', 'redirect', 'masquerade']);

function verdictOf(key: string): RuleVerdict {
  return key === 'accept' || key === 'drop' || key === 'reject' ? key : 'other';
}

// --- the rule walk

interface PortCondition {
  spans: PortSpan[];
  negated: boolean;
  /** From the payload protocol: tcp → [tcp]; th → [] (any). */
  protocols: Protocol[];
  unresolved: string[];
}

function dportPayload(left: Json): { protocols: Protocol[] } | 'other-protocol' | undefined {
  if (!isObj(left) || !isObj(left.payload)) {
    return undefined;
  }
  const p = left.payload;
  if (str(p.field) !== 'dport') {
    return undefined;
  }
  const proto = (str(p.protocol) ?? str(p.name) ?? '').toLowerCase();
  if (proto === 'th') {
    return { protocols: [] };
  }
  const l4 = l4Name(proto);
  return l4 === 'tcp' || l4 === 'udp' ? { protocols: [l4] } : 'other-protocol';
}

function isL4ProtoSelector(left: Json): boolean {
  if (!isObj(left)) {
    return false;
  }
  if (isObj(left.meta)) {
    return str(left.meta.key) === 'l4proto';
  }
  if (isObj(left.payload)) {
    const p = left.payload;
    const proto = str(p.protocol) ?? str(p.name);
    const field = str(p.field);
    return (proto === 'ip' && field === 'protocol') || (proto === 'ip6' && field === 'nexthdr');
  }
  return false;
}

/** The protocols allowed by an l4proto match, limited to tcp/udp. */
function l4Allowed(op: string, right: Json): Set<Protocol> {
  const named = new Set<Protocol | 'other'>();
  const values = isObj(right) && Array.isArray(right.set) ? right.set : [right];
  for (const v of values) {
    const n = l4Name(v);
    if (n) {
      named.add(n);
    }
  }
  const all: Protocol[] = ['tcp', 'udp'];
  return new Set(op === '!=' ? all.filter((p) => !named.has(p)) : all.filter((p) => named.has(p)));
}

function intersect(a: readonly Protocol[], b: ReadonlySet<Protocol> | undefined): Protocol[] | 'none' {
  if (!b) {
    return [...a];
  }
  const from = a.length === 0 ? (['tcp', 'udp'] as Protocol[]) : a;
  const kept = from.filter((p) => b.has(p));
  if (kept.length === 0) {
    return 'none';
  }
  // An unrestricted dport (`th dport`) narrowed to both tcp and udp still reads best as "any".
  return a.length === 0 && kept.length === 2 ? [] : kept;
}

interface RuleContext {
  family: string;
  table: string;
  chain: string;
  location: string;
  direction: RuleDirection;
  comment?: string;
}

/** Evaluates one rule's statements against the query; undefined when the rule does not mention the port. */
function evaluateRule(
  expr: Json[],
  ctx: RuleContext,
  sets: ReadonlyMap<string, Json[]>,
  query: FirewallQuery,
  notes: string[],
): FirewallRule | undefined {
  const conditions: PortCondition[] = [];
  let l4: Set<Protocol> | undefined;
  let verdictKey: string | undefined;
  let verdictText = '';
  let vmapHit: { span: PortSpan; verdict: string; protocols: Protocol[] } | undefined;
  let otherProtocol = false;
  let redirectTo: number | undefined;
  const parts: string[] = [];

  for (const s of expr) {
    parts.push(statementText(s));
    const key = soleKey(s);
    if (!key || !isObj(s)) {
      continue;
    }
    const body = s[key];
    if (key === 'match' && isObj(body)) {
      const op = str(body.op) ?? '==';
      const payload = dportPayload(body.left);
      if (payload === 'other-protocol') {
        otherProtocol = true;
      } else if (payload) {
        const resolved = emptyResolved();
        const relational = relationalSpan(op, body.right);
        if (relational) {
          resolved.spans.push(relational);
        } else {
          valueSpans(body.right, sets, ctx.family, ctx.table, resolved);
        }
        conditions.push({ spans: resolved.spans, negated: op === '!=', protocols: payload.protocols, unresolved: resolved.unresolved });
      } else if (isL4ProtoSelector(body.left)) {
        const allowed = l4Allowed(op, body.right);
        l4 = l4 ? new Set([...l4].filter((p) => allowed.has(p))) : allowed;
      }
    } else if (key === 'vmap' && isObj(body)) {
      const payload = dportPayload(body.key);
      if (payload && payload !== 'other-protocol') {
        let elements: Json[] = [];
        if (isObj(body.data) && Array.isArray(body.data.set)) {
          elements = body.data.set;
        } else if (typeof body.data === 'string' && body.data.startsWith('@')) {
          elements = sets.get(chainId(ctx.family, ctx.table, body.data.slice(1))) ?? [];
        }
        for (const element of elements) {
          const pair = Array.isArray(element) ? element : isObj(element) && isObj(element.elem) ? [element.elem.val, undefined] : undefined;
          if (!pair || pair.length !== 2) {
            continue;
          }
          const r = emptyResolved();
          valueSpans(pair[0], sets, ctx.family, ctx.table, r);
          const span = r.spans.find(([low, high]) => query.port >= low && query.port <= high);
          const verdict = soleKey(pair[1]);
          if (span && verdict && !vmapHit) {
            vmapHit = { span, verdict, protocols: payload.protocols };
          }
        }
      }
    } else if (TERMINAL.has(key)) {
      verdictKey = key;
      verdictText = statementText(s);
      if (key === 'redirect' && isObj(body) && isPortNumber(body.port)) {
        redirectTo = body.port;
      }
    } else if (key === 'xt' && isObj(body) && body.type === 'target' && typeof body.name === 'string') {
      // An iptables-nft target nft cannot express natively: REJECT, LOG, DNAT, …
      verdictKey = body.name === 'REJECT' ? 'reject' : body.name === 'ACCEPT' ? 'accept' : body.name === 'DROP' ? 'drop' : `xt ${body.name}`;
      verdictText = `xt target ${body.name}`;
    }
  }

  if (otherProtocol && conditions.length === 0 && !vmapHit) {
    return undefined;
  }
  if (vmapHit) {
    const protocols = intersect(vmapHit.protocols, l4);
    if (protocols === 'none' || !protocolApplies(protocols, query.protocol)) {
      return undefined;
    }
    return makeRule(
      {
        source: 'nftables',
        location: ctx.location,
        direction: ctx.direction,
        verdict: verdictOf(vmapHit.verdict),
        action: vmapHit.verdict,
        protocols,
        ports: [vmapHit.span],
        negated: false,
        text: withComment(parts.join(' '), ctx.comment),
      },
      query,
    );
  }
  if (conditions.length === 0) {
    return undefined;
  }
  for (const c of conditions) {
    for (const u of c.unresolved) {
      notes.push(`A rule in ${ctx.location} matches port "${u}", which could not be resolved to a number.`);
    }
  }
  const usable = conditions.filter((c) => c.spans.length > 0);
  if (usable.length === 0) {
    return undefined;
  }
  // Every port condition must hold for the rule to match; a negated one that names the port is still
  // worth showing (it deliberately leaves the port out).
  const covers = (c: PortCondition): boolean => spansInclude(c.spans, query.port);
  const holds = (c: PortCondition): boolean => (c.negated ? !covers(c) : covers(c));
  const mentions = usable.every(holds) || usable.some((c) => c.negated && covers(c)) || redirectTo === query.port;
  if (!mentions) {
    return undefined;
  }
  const main = usable.find((c) => !holds(c)) ?? usable.find((c) => !c.negated) ?? usable[0];
  const payloadProtocols = usable.flatMap((c) => c.protocols);
  const protocols = intersect([...new Set(payloadProtocols)], l4);
  if (protocols === 'none' || !protocolApplies(protocols, query.protocol)) {
    return undefined;
  }
  const action = verdictKey ? verdictText : 'no verdict (counts or logs only)';
  return makeRule(
    {
      source: 'nftables',
      location: ctx.location,
      direction: ctx.direction,
      verdict: verdictKey ? verdictOf(verdictKey) : 'other',
      action,
      protocols,
      ports: main.spans,
      negated: main.negated,
      text: withComment(parts.join(' '), ctx.comment),
      redirectTo,
    },
    query,
  );
}

function withComment(text: string, comment: string | undefined): string {
  return comment ? `${text} comment "${comment}"` : text;
}

function policyVerdict(policy: string): RuleVerdict {
  return policy === 'accept' || policy === 'drop' ? policy : 'other';
}

/**
 * The rules of an nftables ruleset (the JSON of `nft -j list ruleset`) that mention `query.port` as a
 * destination port, and the policy of every base chain.
 * @throws Error (one line) when `json` is not that JSON.
 */
export function parseNftRuleset(json: string, query: FirewallQuery): ParsedFirewall {
  let doc: Json;
  try {
    doc = JSON.parse(json);
  } catch {
    throw new Error('The nft output is not JSON: is this nft older than 0.9 (no -j)?');
  }
  if (!isObj(doc) || !Array.isArray(doc.nftables)) {
    throw new Error('The nft output is not a ruleset: expected {"nftables": [...]}.');
  }
  const chains = new Map<string, ChainInfo>();
  const sets = new Map<string, Json[]>();
  const rules: Obj[] = [];
  for (const item of doc.nftables) {
    const key = soleKey(item);
    if (!key || !isObj(item)) {
      continue;
    }
    const body = item[key];
    if (!isObj(body)) {
      continue;
    }
    const family = str(body.family) ?? '';
    const table = str(body.table) ?? '';
    const name = str(body.name) ?? '';
    if (key === 'chain') {
      chains.set(chainId(family, table, name), { family, table, name, hook: str(body.hook), type: str(body.type), policy: str(body.policy) });
    } else if ((key === 'set' || key === 'map') && Array.isArray(body.elem)) {
      sets.set(chainId(family, table, name), body.elem);
    } else if (key === 'rule' && Array.isArray(body.expr)) {
      rules.push(body);
    }
  }

  // Directions of user chains through jumps from base chains.
  const bases = new Map<string, RuleDirection>();
  for (const [id, c] of chains) {
    if (c.hook) {
      bases.set(id, hookDirection(c.hook));
    }
  }
  const edges = new Map<string, Set<string>>();
  for (const r of rules) {
    const family = str(r.family) ?? '';
    const table = str(r.table) ?? '';
    for (const s of r.expr as Json[]) {
      const key = soleKey(s);
      if ((key === 'jump' || key === 'goto') && isObj(s) && isObj(s[key])) {
        const target = str((s[key] as Obj).target);
        if (target) {
          addEdge(edges, chainId(family, table, str(r.chain) ?? ''), chainId(family, table, target));
        }
      }
    }
  }
  const directions = chainDirections(bases, edges);

  const notes: string[] = [];
  const found: FirewallRule[] = [];
  for (const r of rules) {
    const family = str(r.family) ?? '';
    const table = str(r.table) ?? '';
    const chain = str(r.chain) ?? '';
    const id = chainId(family, table, chain);
    const info = chains.get(id);
    const location = `${family} ${table}, chain ${chain}${info?.hook ? `, hook ${info.hook}` : ''}`;
    const rule = evaluateRule(
      r.expr as Json[],
      { family, table, chain, location, direction: directions.get(id) ?? 'any', comment: str(r.comment) },
      sets,
      query,
      notes,
    );
    if (rule) {
      found.push(rule);
    }
  }

  const policies = [...chains.values()]
    .filter((c) => c.hook && c.policy && (c.type === undefined || c.type === 'filter'))
    .map((c) =>
      makePolicy('nftables', `${c.family} ${c.table}, chain ${c.name}, hook ${c.hook}`, hookDirection(c.hook), policyVerdict(c.policy!), `policy ${c.policy}`),
    );
  return { rules: found, policies, notes: [...new Set(notes)] };
}
