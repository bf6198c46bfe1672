// Host ports that one compose file maps twice: the second `docker compose up` would fail with "port is
// already allocated". Ranges overlap port by port; an unspecified or wildcard host address overlaps every
// address (Docker binds it on all interfaces).
import type { Protocol } from '../../core/types';
import { findPorts } from './findPorts';
import { isWildcardAddress } from './portValues';
import type { DuplicateHostPort, PortMention } from './types';

/** Ranges wider than this are compared only on their first ports, to keep the answer small. */
const MAX_PORTS_PER_OVERLAP = 1024;

function interval(m: PortMention): [number, number] {
  return m.range ?? [m.port, m.port];
}

function clash(a: PortMention, b: PortMention): boolean {
  return a.protocol === b.protocol && (a.hostAddress === b.hostAddress || isWildcardAddress(a.hostAddress) || isWildcardAddress(b.hostAddress));
}

/** Host ports mapped more than once in one compose file (commented-out mappings are ignored). */
export function duplicateHostPorts(text: string): DuplicateHostPort[] {
  const hosts = findPorts(text, 'compose')
    .filter((m) => m.role === 'host' && !m.commented)
    .sort((a, b) => interval(a)[0] - interval(b)[0]);
  const claims = new Map<string, Set<PortMention>>();
  // Sweep by low end: each mapping is compared only with the earlier ones still open at its low end.
  let open: PortMention[] = [];
  for (const b of hosts) {
    const [blo, bhi] = interval(b);
    open = open.filter((a) => interval(a)[1] >= blo);
    for (const a of open) {
      if (!clash(a, b)) {
        continue;
      }
      const hi = Math.min(interval(a)[1], bhi, blo + MAX_PORTS_PER_OVERLAP - 1);
      for (let port = blo; port <= hi; port++) {
        const key = `${a.protocol}/${port}`;
        const set = claims.get(key) ?? new Set<PortMention>();
        set.add(a).add(b);
        claims.set(key, set);
      }
    }
    open.push(b);
  }
  const entries = [...claims.entries()]
    .map(([key, set]) => ({
      protocol: key.slice(0, key.indexOf('/')) as Protocol,
      port: Number(key.slice(key.indexOf('/') + 1)),
      mentions: [...set].sort((x, y) => x.start - y.start),
    }))
    .sort((x, y) => x.port - y.port || x.protocol.localeCompare(y.protocol));
  // Consecutive ports claimed by the same mentions (overlapping ranges) become one entry.
  const out: DuplicateHostPort[] = [];
  for (const e of entries) {
    const last = out[out.length - 1];
    const lastEnd = last ? (last.range?.[1] ?? last.port) : -1;
    if (
      last &&
      last.protocol === e.protocol &&
      lastEnd + 1 === e.port &&
      last.mentions.length === e.mentions.length &&
      last.mentions.every((m, k) => m === e.mentions[k])
    ) {
      last.range = [last.port, e.port];
    } else {
      out.push({ port: e.port, protocol: e.protocol, mentions: e.mentions });
    }
  }
  return out;
}
