// Which integrated terminal started a process: walk the parent chain from the process up until a pid that
// is the shell of one of VS Code's terminals. `npm run dev` in a terminal gives node → sh → npm → bash;
// the walk finds bash. Processes re-parented to init (their parent exited) are, truthfully, no longer
// "in" that terminal.

/** Longest chain walked; real chains are a handful deep, the cap guards against a corrupt table. */
export const MAX_CHAIN_DEPTH = 64;

/**
 * The pids from `pid` upwards: `pid` itself, its parent, and so on, until a pid in `stopAt`, pid 1 or 0,
 * an unknown parent, a loop, or {@link MAX_CHAIN_DEPTH}. A stop pid that is reached is included.
 */
export function parentChain(
  pid: number,
  parentOf: (pid: number) => number | undefined,
  stopAt: ReadonlySet<number> = new Set(),
  maxDepth = MAX_CHAIN_DEPTH,
): number[] {
  const chain: number[] = [];
  const seen = new Set<number>();
  let current: number | undefined = pid;
  while (current !== undefined && current > 1 && !seen.has(current) && chain.length < maxDepth) {
    chain.push(current);
    seen.add(current);
    if (stopAt.has(current)) {
      break;
    }
    current = parentOf(current);
  }
  return chain;
}

/** A shell found above a process. */
export interface ShellMatch<T> {
  /** The terminal's shell pid. */
  shellPid: number;
  /** What `shells` maps it to (a terminal). */
  value: T;
  /** Processes between the shell and the process, nearest the process first (excluding both ends). */
  depth: number;
}

/**
 * The nearest ancestor of `pid` (or `pid` itself: a shell that `exec`ed a server keeps its pid) that is a
 * key of `shells`. Undefined when the chain ends without one.
 */
export function findShellAncestor<T>(
  pid: number,
  parentOf: (pid: number) => number | undefined,
  shells: ReadonlyMap<number, T>,
  maxDepth = MAX_CHAIN_DEPTH,
): ShellMatch<T> | undefined {
  if (shells.size === 0) {
    return undefined;
  }
  const chain = parentChain(pid, parentOf, new Set(shells.keys()), maxDepth);
  const last = chain[chain.length - 1];
  const value = last !== undefined ? shells.get(last) : undefined;
  return last !== undefined && value !== undefined ? { shellPid: last, value, depth: Math.max(0, chain.length - 2) } : undefined;
}

/**
 * For every pid in `pids`, the terminal shell above it, if any. `parents` maps pid → parent pid for every
 * process on the chains (see src/inspector/processAncestry.ts, which reads them).
 */
export function terminalsOfProcesses<T>(
  pids: Iterable<number>,
  parents: ReadonlyMap<number, number>,
  shells: ReadonlyMap<number, T>,
): Map<number, ShellMatch<T>> {
  const result = new Map<number, ShellMatch<T>>();
  const parentOf = (p: number): number | undefined => parents.get(p);
  for (const pid of pids) {
    const match = findShellAncestor(pid, parentOf, shells);
    if (match) {
      result.set(pid, match);
    }
  }
  return result;
}
