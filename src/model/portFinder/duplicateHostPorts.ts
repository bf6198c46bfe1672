// Host ports that one compose file maps twice: the second `docker compose up` would fail with "port is
// already allocated". Ranges overlap port by port; an unspecified or wildcard host address overlaps every
// address (Docker binds it on all interfaces).
//
// It runs on the extension host's thread for every edit of a compose file, so its cost must not depend on
// how many mappings share a port or how wide their ranges are: one sweep over the sorted ends of the
// mappings (O(n log n)), with the answer itself capped. Comparing mappings pairwise, or walking ranges
// port by port, took seconds on 2,000 services mapping one port or 300 mapping one 1,000-port range.
import type { Protocol } from '../../core/types';
import { findPorts } from './findPorts';
import { isWildcardAddress } from './portValues';
import type { DuplicateHostPort, PortMention } from './types';

/** At most this many entries, and this many mentions in all of them together: a file with more clashes
 *  than that needs fixing at its first ones, and the answer must stay small whatever the file holds. */
export const MAX_DUPLICATE_ENTRIES = 500;
export const MAX_DUPLICATE_MENTIONS = 20_000;

function interval(m: PortMention): [number, number] {
  return m.range ?? [m.port, m.port];
}

/** The mappings active on one stretch of ports, with what a clash check needs, kept as the sweep goes. */
class Active {
  readonly members = new Set<PortMention>();
  private wildcards = 0;
  private readonly perAddress = new Map<string, number>();

  add(m: PortMention): void {
    this.members.add(m);
    this.count(m, 1);
  }

  delete(m: PortMention): void {
    if (this.members.delete(m)) {
      this.count(m, -1);
    }
  }

  /** Whether any two members clash (same address, or one of them a wildcard). */
  hasClash(): boolean {
    if (this.members.size < 2) {
      return false;
    }
    if (this.wildcards > 0) {
      return true;
    }
    for (const n of this.perAddress.values()) {
      if (n > 1) {
        return true;
      }
    }
    return false;
  }

  /** The members that clash with another member. */
  clashing(): PortMention[] {
    if (this.wildcards > 0) {
      return [...this.members];
    }
    return [...this.members].filter((m) => (this.perAddress.get(m.hostAddress ?? '') ?? 0) > 1);
  }

  private count(m: PortMention, delta: number): void {
    if (isWildcardAddress(m.hostAddress)) {
      this.wildcards += delta;
    } else {
      const key = m.hostAddress ?? '';
      this.perAddress.set(key, (this.perAddress.get(key) ?? 0) + delta);
    }
  }
}

/** Host ports mapped more than once in one compose file (commented-out mappings are ignored). Takes the
 *  file's text, or the mentions `findPorts(text, 'compose')` already found (so a caller that has them
 *  does not read the text twice). */
export function duplicateHostPorts(source: string | readonly PortMention[]): DuplicateHostPort[] {
  const mentions = typeof source === 'string' ? findPorts(source, 'compose') : source;
  const hosts = mentions.filter((m) => m.role === 'host' && !m.commented);
  const out: DuplicateHostPort[] = [];
  let budget = MAX_DUPLICATE_MENTIONS;
  for (const protocol of ['tcp', 'udp'] as Protocol[]) {
    // --- the ends of every mapping, in port order: a mapping opens at its low port, closes after its high
    const events: Array<{ at: number; open: boolean; m: PortMention }> = [];
    for (const m of hosts) {
      if (m.protocol === protocol) {
        const [lo, hi] = interval(m);
        events.push({ at: lo, open: true, m }, { at: hi + 1, open: false, m });
      }
    }
    events.sort((a, b) => a.at - b.at);
    const active = new Active();
    let last: DuplicateHostPort | undefined;
    for (let i = 0; i < events.length && out.length < MAX_DUPLICATE_ENTRIES && budget > 0; ) {
      const at = events[i].at;
      for (; i < events.length && events[i].at === at; i++) {
        if (events[i].open) {
          active.add(events[i].m);
        } else {
          active.delete(events[i].m);
        }
      }
      if (i >= events.length || !active.hasClash()) {
        last = undefined;
        continue;
      }
      // The same mappings from `at` up to the next end.
      const end = events[i].at - 1;
      const clashing = active.clashing().sort((x, y) => x.start - y.start);
      if (last && sameMentions(last.mentions, clashing) && (last.range?.[1] ?? last.port) + 1 === at) {
        last.range = [last.port, end];
        continue;
      }
      last = { port: at, protocol, mentions: clashing, ...(end > at ? { range: [at, end] as [number, number] } : {}) };
      out.push(last);
      budget -= clashing.length;
    }
  }
  return out.sort((x, y) => x.port - y.port || x.protocol.localeCompare(y.protocol));
}

function sameMentions(a: readonly PortMention[], b: readonly PortMention[]): boolean {
  return a.length === b.length && a.every((m, k) => m === b[k]);
}
