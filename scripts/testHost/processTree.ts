// Tears down everything the test host started, whatever way the runner ends. code-server forks an
// extension host, a pty host and a file watcher; if the browser goes away first, the extension host
// lingers waiting to reconnect. So we kill the whole process group AND every descendant we can see
// (a child that called setsid() has left the group), and we do it on success, failure, timeout,
// Ctrl+C, SIGTERM and uncaught errors.
import * as fs from 'node:fs';

/** Pids of every descendant of `rootPid` (Linux /proc; empty elsewhere). Snapshot taken before killing,
 *  because orphans are re-parented to init the moment their parent dies. */
export function descendants(rootPid: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const name of entries) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const found: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function signal(target: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(target, sig);
    return true;
  } catch {
    return false; // ESRCH: already gone
  }
}

function alive(target: number): boolean {
  return signal(target, 0);
}

/** Kills process group `pgid` (the leader was spawned `detached`) and all descendants of its leader:
 *  SIGTERM first, SIGKILL whatever is left after `graceMs`. Resolves once nothing is left. */
export async function killTree(pgid: number, graceMs = 3000): Promise<void> {
  const pids = [pgid, ...descendants(pgid)];
  signal(-pgid, 'SIGTERM');
  pids.forEach((pid) => signal(pid, 'SIGTERM'));
  const remaining = (): boolean => alive(-pgid) || pids.some(alive);
  const deadline = Date.now() + graceMs;
  while (remaining() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (remaining()) {
    signal(-pgid, 'SIGKILL');
    pids.forEach((pid) => signal(pid, 'SIGKILL'));
  }
}

/** Synchronous last resort for the 'exit' event, where nothing asynchronous runs any more. */
export function killTreeSync(pgid: number): void {
  const pids = [pgid, ...descendants(pgid)];
  signal(-pgid, 'SIGKILL');
  pids.forEach((pid) => signal(pid, 'SIGKILL'));
}

// --- teardown registry

type Teardown = () => Promise<void>;
const teardowns: Teardown[] = [];
/** Run after the process groups are gone (removing folders they write to). */
const finalSteps: Teardown[] = [];
const groups = new Set<number>();
let installed = false;
let interruptExitCode = 130;
let tearingDown: Promise<void> | undefined;

/** Registers a process group to kill at teardown (and synchronously at exit, should teardown not run). */
export function trackGroup(pgid: number): void {
  groups.add(pgid);
  installHandlers();
}

/** Forgets a group whose work is done (a finished install), so a later teardown cannot hit an
 *  unrelated process that happens to reuse the pid. */
export function untrackGroup(pgid: number): void {
  groups.delete(pgid);
}

/** Registers an async cleanup step; steps run in reverse order of registration, before the tracked
 *  process groups are killed — or after them, with `afterProcesses`. */
export function onTeardown(fn: Teardown, afterProcesses = false): void {
  (afterProcesses ? finalSteps : teardowns).push(fn);
  installHandlers();
}

/** Exit code after Ctrl+C (default 130); 0 for commands that Ctrl+C ends normally (`npm start`). */
export function setInterruptExitCode(code: number): void {
  interruptExitCode = code;
}

/** True once teardown has begun: errors from operations it cut short are expected, not news. */
export function isTearingDown(): boolean {
  return tearingDown !== undefined;
}

/** Runs every cleanup step once (later calls await the first). Never rejects. */
export function teardown(): Promise<void> {
  tearingDown ??= (async () => {
    for (const fn of teardowns.reverse()) {
      await fn().catch((err: unknown) => console.error(`teardown: ${String(err)}`));
    }
    await Promise.all([...groups].map((pgid) => killTree(pgid)));
    groups.clear();
    for (const fn of finalSteps) {
      await fn().catch((err: unknown) => console.error(`teardown: ${String(err)}`));
    }
  })();
  return tearingDown;
}

function installHandlers(): void {
  if (installed) {
    return;
  }
  installed = true;
  const bail = (code: number, why: string): void => {
    if (tearingDown) {
      // A second Ctrl+C: give up waiting. A late error from something teardown closed: expected.
      if (code !== 1) {
        process.exit(code);
      }
      return;
    }
    console.error(`\n${why}: stopping the test host…`);
    void teardown().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => bail(interruptExitCode, 'interrupted'));
  process.on('SIGTERM', () => bail(143, 'terminated'));
  process.on('SIGHUP', () => bail(129, 'hang-up'));
  process.on('uncaughtException', (err) => bail(1, `uncaught error: ${err.stack ?? String(err)}`));
  process.on('unhandledRejection', (err) => bail(1, `unhandled rejection: ${err instanceof Error ? err.stack : String(err)}`));
  process.on('exit', () => groups.forEach(killTreeSync));
}
