// Parent pids for the chains above given processes, read as cheaply as the OS allows. On Linux only the
// /proc/<pid>/stat files on the chains are read (a few per listener, not the whole process table); macOS
// and the BSDs ask `ps` once for every process; Windows asks WMI once for the whole table (see
// windows/processParents.ts, which also cuts links to a reused pid).
import { run } from './exec';
import { readProcStat } from './linux/procProcess';
import { readWindowsParents } from './windows/powershellParents';
import { MAX_CHAIN_DEPTH } from './terminalAncestry';

export interface ReadParentsOptions {
  platform?: NodeJS.Platform;
  procRoot?: string;
  /** Parents already known (ProcessInfo.ppid of owners): not read again. */
  known?: ReadonlyMap<number, number>;
  /** Stop walking at these pids (the terminal shells): their own parents are not needed. */
  stopAt?: ReadonlySet<number>;
  /** Runs `ps` or PowerShell; {@link run} by default, a fake in tests. */
  runner?: typeof run;
}

/**
 * pid → parent pid for `pids` and their ancestors, up to pid 1, a pid in `stopAt`, or a process that
 * exited meanwhile (its chain simply ends: a race with a live system, not an error).
 * @throws InspectorError only when `ps` (macOS/BSD) or PowerShell (Windows) fails: missing or timed out.
 */
export async function readParents(pids: Iterable<number>, options: ReadParentsOptions = {}): Promise<Map<number, number>> {
  const platform = options.platform ?? process.platform;
  const parents = new Map<number, number>(options.known ?? []);
  const stopAt = options.stopAt ?? new Set<number>();
  if (platform === 'linux' || platform === 'android') {
    const procRoot = options.procRoot ?? '/proc';
    for (const start of pids) {
      let current = start;
      for (let depth = 0; depth < MAX_CHAIN_DEPTH && current > 1 && !stopAt.has(current); depth++) {
        let parent = parents.get(current);
        if (parent === undefined) {
          parent = readProcStat(procRoot, current)?.ppid;
          if (parent === undefined) {
            break;
          }
          parents.set(current, parent);
        }
        current = parent;
      }
    }
    return parents;
  }
  const runner = options.runner ?? run;
  if (platform === 'win32') {
    for (const [pid, ppid] of await readWindowsParents(runner)) {
      if (!parents.has(pid)) {
        parents.set(pid, ppid);
      }
    }
    return parents;
  }
  const { stdout } = await runner('ps', ['-A', '-o', 'pid=,ppid='], { timeoutMs: 5000 });
  for (const [pid, ppid] of parsePsParents(stdout)) {
    parents.set(pid, ppid);
  }
  return parents;
}

/** Parses `ps -A -o pid=,ppid=` output: two numbers a line, blank padding; other lines are skipped. */
export function parsePsParents(stdout: string): Map<number, number> {
  const parents = new Map<number, number>();
  for (const line of stdout.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    if (m) {
      parents.set(Number(m[1]), Number(m[2]));
    }
  }
  return parents;
}
