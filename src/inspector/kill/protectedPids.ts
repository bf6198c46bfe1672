// Processes that must never be signalled: the kernel's and init's, this process and its ancestors (the
// extension host and the VS Code server or the shell running the CLI), and — inside VS Code — the
// extension host's siblings, the other children of VS Code's main or server process (renderer, pty host,
// file watcher, shared process). A terminal's shell is a child of the pty host, not a sibling, so dev
// servers started in integrated terminals stay stoppable. Only the direct parent's children count: going
// further up would protect every program started from the same desktop session or from init.
import { ancestorsOf } from './processParents';

export interface ProtectOptions {
  selfPid?: number;
  /** Also protect the other children of this process's parent (VS Code's own helper processes). */
  siblings?: boolean;
}

/** pid → the plain-words reason it may not be signalled. */
export function protectedPids(parents: ReadonlyMap<number, number>, options: ProtectOptions = {}): Map<number, string> {
  const self = options.selfPid ?? process.pid;
  const result = new Map<number, string>([
    [0, 'pid 0 is the kernel scheduler'],
    [1, 'pid 1 is the init process; stopping it would bring the whole system (or container) down'],
    [self, 'it is this process itself (the VS Code extension host or the port-inspector CLI)'],
  ]);
  const ancestors = ancestorsOf(self, parents);
  for (const pid of ancestors) {
    result.set(pid, 'it is a parent of this process (VS Code itself, or the terminal running this command)');
  }
  const parent = ancestors[0];
  if (options.siblings && parent !== undefined && parent > 1) {
    for (const [pid, ppid] of parents) {
      if (ppid === parent && !result.has(pid)) {
        result.set(pid, "it is one of VS Code's own processes");
      }
    }
  }
  return result;
}
