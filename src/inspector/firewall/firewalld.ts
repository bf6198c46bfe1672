// firewalld zones that open, forward or block a port, from `firewall-cmd --list-all-zones` (or
// `--list-all`, one zone). Each zone is a block:
//   public (default, active)
//     target: default
//     interfaces: eth0
//     services: dhcpv6-client ssh
//     ports: 3000/tcp 8000-8100/udp
//     forward-ports:
//   	port=8080:proto=tcp:toport=80:toaddr=
//     rich rules:
//   	rule family="ipv4" source address="10.0.0.0/8" port port="5432" protocol="tcp" accept
// Older firewalld (before 0.9) prints forward-ports on the key's own line, separated by spaces; both are
// read. A zone's services and ports are openings (accept); the zone target decides everything else.
import type { Protocol } from '../../core/types';
import { makePolicy, makeRule, parseSpan, protocolApplies, spansInclude } from './ruleText';
import type { ServicePorts } from './serviceNames';
import { servicePorts } from './serviceNames';
import type { FirewallPolicy, FirewallQuery, FirewallRule, ParsedFirewall, PortSpan, RuleVerdict } from './types';

/** firewall-cmd's answer when the daemon is not running. */
export function firewalldNotRunning(text: string): boolean {
  return /FirewallD is not running|not running/i.test(text) && !/^\S.*\n\s+target:/m.test(text);
}

/** firewall-cmd's answer when there is no D-Bus system bus (exit code 36): firewalld cannot be running
 *  without one. */
export function firewalldNoBus(text: string): boolean {
  return /DBUS_ERROR: Failed to connect to socket \S*system_bus_socket/.test(text);
}

interface Zone {
  name: string;
  flags: string[];
  values: Map<string, string[]>;
}

function parseZones(text: string): Zone[] {
  const zones: Zone[] = [];
  let zone: Zone | undefined;
  let lastKey: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') {
      continue;
    }
    if (!/^\s/.test(line)) {
      const m = /^(\S+)(?:\s+\(([^)]*)\))?\s*$/.exec(line);
      if (m) {
        zone = { name: m[1], flags: (m[2] ?? '').split(',').map((f) => f.trim()).filter(Boolean), values: new Map() };
        zones.push(zone);
        lastKey = undefined;
      }
      continue;
    }
    if (!zone) {
      continue;
    }
    const kv = /^ {1,4}([a-z][a-z -]*):\s?(.*)$/.exec(line);
    if (kv && !line.startsWith('\t')) {
      lastKey = kv[1];
      const value = kv[2].trim();
      // Rich rules hold spaces inside; every other key is a space-separated list.
      const items = value === '' ? [] : lastKey === 'rich rules' ? [value] : value.split(/\s+/);
      zone.values.set(lastKey, items);
    } else if (lastKey) {
      zone.values.get(lastKey)?.push(line.trim());
    }
  }
  return zones;
}

function portItem(text: string): { span: PortSpan; protocol?: Protocol } | undefined {
  const m = /^([\d-]+)\/(tcp|udp|sctp|dccp)$/.exec(text);
  if (!m) {
    return undefined;
  }
  const span = parseSpan(m[1], '-');
  if (!span) {
    return undefined;
  }
  return m[2] === 'tcp' || m[2] === 'udp' ? { span, protocol: m[2] } : undefined;
}

function attribute(rule: string, element: string, name: string): string | undefined {
  // `port port="3000" protocol="tcp"`: the attribute belongs to the element named before it.
  const re = new RegExp(`\\b${element}\\b((?:\\s+[a-z-]+="[^"]*")+)`);
  const m = re.exec(rule);
  if (!m) {
    return undefined;
  }
  return new RegExp(`\\b${name}="([^"]*)"`).exec(m[1])?.[1];
}

const RICH_VERDICT = /(?:^|\s)(accept|reject|drop|mark)(?=\s|$)/;

function targetVerdict(target: string): RuleVerdict {
  switch (target) {
    case 'ACCEPT':
      return 'accept';
    case 'DROP':
      return 'drop';
    case '%%REJECT%%':
    case 'REJECT':
    case 'default':
      // `default` rejects what no rule allowed (and lets ICMP through), like %%REJECT%%.
      return 'reject';
    default:
      return 'other';
  }
}

/** Options: how to find a service's ports (the reader reads firewalld's XML definitions), and the
 *  default zone (`firewall-cmd --get-default-zone`). */
export interface FirewalldParseOptions {
  /** One entry per protocol (a service can open 53/tcp and 67/udp); undefined when unknown. */
  servicePorts?: (name: string) => readonly ServicePorts[] | undefined;
  /** The runtime `--list-all-zones` of firewalld 1.x marks no zone `(default)`, yet the default zone
   *  filters every interface and source no other zone claims. */
  defaultZone?: string;
}

function builtIn(name: string): ServicePorts[] | undefined {
  const ports = servicePorts(name);
  return ports && [ports];
}

/**
 * The openings, forwards and rich rules of the zones that filter traffic — the active ones (bound to an
 * interface or source) and the default zone, which takes everything else — that mention `query.port`,
 * and each zone's target as its policy. Every zone when neither is known.
 * @throws Error (one line) when the text holds no zone.
 */
export function parseFirewalldZones(text: string, query: FirewallQuery, options: FirewalldParseOptions = {}): ParsedFirewall {
  const all = parseZones(text).filter((z) => z.values.has('target') || z.values.has('ports') || z.values.has('services'));
  if (all.length === 0) {
    throw new Error('The firewall-cmd output holds no zone.');
  }
  const filtering = all.filter((z) => z.flags.includes('active') || z.flags.includes('default') || z.name === options.defaultZone);
  const zones = filtering.length > 0 ? filtering : all;
  const lookup = options.servicePorts ?? builtIn;
  const rules: FirewallRule[] = [];
  const policies: FirewallPolicy[] = [];
  const notes: string[] = [];

  for (const zone of zones) {
    const where = `zone ${zone.name}`;
    const target = zone.values.get('target')?.[0];
    if (target) {
      policies.push(makePolicy('firewalld', where, 'in', targetVerdict(target), `target ${target}`));
    }
    const add = (spans: PortSpan[], protocols: Protocol[], verdict: RuleVerdict, action: string, location: string, text: string, redirectTo?: number): void => {
      if (!protocolApplies(protocols, query.protocol) || (!spansInclude(spans, query.port) && redirectTo !== query.port)) {
        return;
      }
      rules.push(makeRule({ source: 'firewalld', location, direction: 'in', verdict, action, protocols, ports: spans, negated: false, text, redirectTo }, query));
    };
    for (const item of zone.values.get('ports') ?? []) {
      const p = portItem(item);
      if (p) {
        add([p.span], p.protocol ? [p.protocol] : [], 'accept', 'port opened', where, `ports: ${item}`);
      }
    }
    for (const name of zone.values.get('services') ?? []) {
      const ports = lookup(name);
      if (!ports) {
        notes.push(`Zone ${zone.name} opens the service "${name}", whose ports are not known here: run \`firewall-cmd --info-service=${name}\`.`);
        continue;
      }
      for (const p of ports) {
        add(p.spans, p.protocols, 'accept', `service ${name}`, `${where}, service ${name}`, `services: ${name}`);
      }
    }
    for (const item of zone.values.get('forward-ports') ?? []) {
      const fields = new Map(item.split(':').map((kv) => kv.split('=') as [string, string]));
      const span = parseSpan(fields.get('port') ?? '', '-');
      const proto = fields.get('proto');
      if (span && (proto === 'tcp' || proto === 'udp')) {
        const toPort = fields.get('toport') || fields.get('port');
        const local = !fields.get('toaddr');
        const to = `${fields.get('toaddr') || 'this machine'} port ${toPort}`;
        const redirectTo = local && toPort && /^\d+$/.test(toPort) ? Number(toPort) : undefined;
        add([span], [proto], 'other', `forward to ${to}`, `${where}, forward-port`, `forward-ports: ${item}`, redirectTo);
      }
    }
    for (const rich of zone.values.get('rich rules') ?? []) {
      if (!rich.startsWith('rule')) {
        continue;
      }
      const verdictWord = RICH_VERDICT.exec(rich.replace(/"[^"]*"/g, '""'))?.[1];
      const forward = attribute(rich, 'forward-port', 'port');
      let spans: PortSpan[] = [];
      let protocols: Protocol[] = [];
      let verdict: RuleVerdict = verdictWord === 'accept' || verdictWord === 'reject' || verdictWord === 'drop' ? verdictWord : 'other';
      let action = verdictWord ?? 'log only';
      let redirectTo: number | undefined;
      if (forward !== undefined) {
        const span = parseSpan(forward, '-');
        spans = span ? [span] : [];
        const proto = attribute(rich, 'forward-port', 'protocol');
        protocols = proto === 'tcp' || proto === 'udp' ? [proto] : [];
        verdict = 'other';
        const toPort = attribute(rich, 'forward-port', 'to-port') ?? forward;
        const toAddr = attribute(rich, 'forward-port', 'to-addr');
        action = `forward to ${toAddr ?? 'this machine'} port ${toPort}`;
        redirectTo = toAddr === undefined && /^\d+$/.test(toPort) ? Number(toPort) : undefined;
      } else if (attribute(rich, 'port', 'port') !== undefined) {
        const span = parseSpan(attribute(rich, 'port', 'port') ?? '', '-');
        spans = span ? [span] : [];
        const proto = attribute(rich, 'port', 'protocol');
        protocols = proto === 'tcp' || proto === 'udp' ? [proto] : [];
      } else if (attribute(rich, 'service', 'name') !== undefined) {
        const name = attribute(rich, 'service', 'name')!;
        const ports = lookup(name);
        if (!ports) {
          notes.push(`A rich rule in zone ${zone.name} names the service "${name}", whose ports are not known here.`);
          continue;
        }
        const fit = ports.find((p) => protocolApplies(p.protocols, query.protocol) && spansInclude(p.spans, query.port)) ?? ports[0];
        spans = fit.spans;
        protocols = fit.protocols;
      }
      if (spans.length > 0) {
        add(spans, protocols, verdict, action, `${where}, rich rule`, rich, redirectTo);
      }
    }
  }
  return { rules, policies, notes: [...new Set(notes)] };
}

/** Ports of a firewalld service from its XML definition (`<port protocol="tcp" port="80"/>`), one entry
 *  per protocol, or undefined when the text names no TCP or UDP port. */
export function parseFirewalldServiceXml(xml: string): ServicePorts[] | undefined {
  const byProtocol = new Map<Protocol, PortSpan[]>();
  for (const m of xml.matchAll(/<port\b([^>]*)>/g)) {
    const port = /\bport="([^"]*)"/.exec(m[1])?.[1];
    const protocol = /\bprotocol="([^"]*)"/.exec(m[1])?.[1];
    const span = port !== undefined ? parseSpan(port, '-') : undefined;
    if (span && (protocol === 'tcp' || protocol === 'udp')) {
      byProtocol.set(protocol, [...(byProtocol.get(protocol) ?? []), span]);
    }
  }
  return byProtocol.size > 0 ? [...byProtocol].map(([protocol, spans]) => ({ spans, protocols: [protocol] })) : undefined;
}
