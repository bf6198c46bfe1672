// Which traffic a user-defined chain sees: the hooks of the base chains that jump to it, followed through
// any number of jumps. A rule in ufw's `ufw-user-input` or Docker's `DOCKER-USER` filters incoming or
// forwarded traffic only because a built-in chain sends it there.
import type { RuleDirection } from './types';

/** Directions per chain, from the base chains' own directions and the jump/goto edges between chains. */
export function chainDirections(
  bases: ReadonlyMap<string, RuleDirection>,
  edges: ReadonlyMap<string, ReadonlySet<string>>,
): Map<string, RuleDirection> {
  const seen = new Map<string, Set<RuleDirection>>();
  const queue: Array<[string, RuleDirection]> = [...bases];
  // Each (chain, direction) pair is visited once, so a jump loop cannot make this run forever.
  while (queue.length > 0) {
    const [chain, direction] = queue.shift()!;
    let set = seen.get(chain);
    if (!set) {
      set = new Set();
      seen.set(chain, set);
    }
    if (set.has(direction)) {
      continue;
    }
    set.add(direction);
    for (const next of edges.get(chain) ?? []) {
      queue.push([next, direction]);
    }
  }
  const result = new Map<string, RuleDirection>();
  for (const [chain, set] of seen) {
    result.set(chain, set.size === 1 ? [...set][0] : 'any');
  }
  return result;
}

/** Adds the edge `from → to` to `edges`. */
export function addEdge(edges: Map<string, Set<string>>, from: string, to: string): void {
  let set = edges.get(from);
  if (!set) {
    set = new Set();
    edges.set(from, set);
  }
  set.add(to);
}
