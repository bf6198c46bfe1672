// Frees a port by stopping its owner, safely: the owner is re-checked against a fresh snapshot (pids are
// reused, so (pid, start time) must still hold the port), then again immediately before each signal
// (start time exact to the clock tick, and the port still in its fd table on Linux), protected processes
// are refused, SIGTERM comes first and SIGKILL only when asked, and the outcome is reported as observed,
// not as hoped.
import { run } from '../exec';
import { forwarderOf } from '../../core/containerProcesses';
import { ownersOnPort, socketsOnPort } from '../../core/sockets';
import type { ProcessInfo, Protocol, Snapshot } from '../../core/types';
import type { ProcessTable } from './processParents';
import { jobOf, readProcessTable } from './processParents';
import { protectedPids } from './protectedPids';
import type { HoldExpectation } from './holdCheck';
import { holdProblem } from './holdCheck';
import { processLabel } from '../../core/whatRuns';

/** A holder as the Ports view and Free Port's confirmation name it: what runs and its pid
 *  (`vite (node) 24400`). Plain text; the caller escapes it for where it is shown. */
function named(h: ProcessInfo): string {
  return `${processLabel(h) || h.name || '?'} ${h.pid}`;
}

/** A process the user confirmed stopping, as it was when they saw it. */
export interface KillTarget {
  pid: number;
  /** From the snapshot the user saw; a different start time now means the pid was reused. */
  startTime?: number;
  /** Linux: the start time in clock ticks from the snapshot the user saw, compared exactly. */
  startTicks?: number;
}

export interface FreePortRequest {
  port: number;
  protocol?: Protocol;
  targets: KillTarget[];
  /** SIGKILL (`taskkill /F`) instead of SIGTERM. */
  force?: boolean;
  /** Stop the owner's whole job: its process group when that is a job of its own (what Ctrl+C in a
   *  terminal reaches: `npm run dev`, the shell it runs and the server), plus every descendant. Without
   *  it, a parent that respawns its child takes the port straight back. */
  tree?: boolean;
  /** With `tree`: the other processes the user confirmed (named in the prompt, `jobMembers`). Only these
   *  are signalled besides the targets, each only while it is still the process that was named. Without
   *  it, the job is computed here (callers that confirm nothing by name). */
  job?: readonly KillTarget[];
  /** How long to watch the port after signalling. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type FreePortOutcome =
  /** Nothing holds the port any more. */
  | 'freed'
  /** The signalled process(es) still hold it after the wait. */
  | 'still-held'
  /** Our targets are gone but another process holds the port now. */
  | 'taken-by-other'
  /** A target is protected, reused, or no longer the owner: nothing was signalled. */
  | 'refused'
  /** The OS refused the signal (another user's process). */
  | 'not-permitted';

export interface FreePortResult {
  outcome: FreePortOutcome;
  /** Plain words, e.g. `Port 3000 is now free (0.4 s).` Process names inside are untrusted text. */
  message: string;
  elapsedMs: number;
  /** pids that were sent a signal. */
  signalled: number[];
  /** Who holds the port at the end (for still-held / taken-by-other). */
  holders: ProcessInfo[];
  /** A command the user may run themselves (typed into a terminal, not run), e.g. `sudo kill 4242`. */
  hint?: string;
}

/** Builds a stop's results, timed from `started` (a process stop here, a container stop in
 *  containers/stopContainer.ts: one result shape for both). */
export function resultsFrom(started: number): (outcome: FreePortOutcome, message: string, extra?: Partial<FreePortResult>) => FreePortResult {
  return (outcome, message, extra = {}) => ({
    outcome,
    message,
    elapsedMs: performance.now() - started,
    signalled: [],
    holders: [],
    ...extra,
  });
}

export interface FreePortDeps {
  /** A fresh snapshot (the shared service's refresh in the extension, a backend scan in the CLI). */
  snapshot(): Promise<Snapshot>;
  /** Sends a signal; throws a Node errno error (EPERM, ESRCH) like process.kill. A negative pid means
   *  a process group, as for kill(2). */
  kill?(pid: number, signal: 'SIGTERM' | 'SIGKILL', tree: boolean): Promise<void>;
  processTable?(): Promise<ProcessTable>;
  /** pid → reason; defaults to protectedPids() for this process. */
  protect?(parents: Map<number, number>): Map<number, string>;
  platform?: NodeJS.Platform;
  /** The last look, immediately before each signal: why `expect.pid` must not be signalled now, or
   *  undefined. Defaults to /proc on Linux (exact start ticks, port still held: holdCheck.ts); elsewhere
   *  the snapshot re-check is all there is. */
  verify?(expect: HoldExpectation): string | undefined;
  pollMs?: number;
  /** How long the port must stay free before it is called free: a supervisor that respawns its child
   *  takes it back within milliseconds. */
  settleMs?: number;
}

/** The command a user could run themselves to stop `pid` with more privileges. */
export function killHint(pid: number, force: boolean, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? `taskkill /PID ${pid}${force ? ' /F' : ''}` : `sudo kill${force ? ' -9' : ''} ${pid}`;
}

/** Whether this process scans as root (Linux, macOS): then a hidden owner is never another user's
 *  process, and "try with sudo" is never the right advice — the owner is in another pid namespace. */
export function scanningAsRoot(platform: NodeJS.Platform = process.platform): boolean {
  return platform !== 'win32' && process.geteuid?.() === 0;
}

/** The command that reveals a hidden owner of `port`. As root on Linux, more privileges would not help:
 *  the owner runs in another pid namespace (a container, a sandbox), which `lsns` lists. */
export function revealOwnerHint(port: number, protocol: Protocol = 'tcp', platform: NodeJS.Platform = process.platform, asRoot = scanningAsRoot(platform)): string {
  if (platform === 'win32') {
    return `netstat -ano -p ${protocol.toUpperCase()} | findstr :${port}`;
  }
  if (platform === 'linux') {
    return asRoot ? 'lsns -t pid' : `sudo ss -${protocol === 'udp' ? 'lunp' : 'ltnp'} 'sport = :${port}'`;
  }
  return `sudo lsof -nP -i ${protocol.toUpperCase()}:${port}`;
}

async function defaultKill(pid: number, signal: 'SIGTERM' | 'SIGKILL', tree: boolean, platform: NodeJS.Platform): Promise<void> {
  if (platform === 'win32') {
    // process.kill on Windows always terminates forcefully; taskkill without /F asks politely.
    const args = ['/PID', String(pid)];
    if (tree) {
      args.push('/T');
    }
    if (signal === 'SIGKILL') {
      args.push('/F');
    }
    try {
      await run('taskkill', args, { timeoutMs: 10_000 });
    } catch (err) {
      const e = new Error((err as Error).message) as NodeJS.ErrnoException;
      e.code = /access is denied/i.test(String((err as { detail?: string }).detail)) ? 'EPERM' : 'ESRCH';
      throw e;
    }
    return;
  }
  process.kill(pid, signal);
}

/** Whether the process on the port now is not the one the user confirmed: start ticks compared exactly
 *  when both are known (Linux), else the start times, exactly (each platform derives them the same way
 *  on every scan). */
function isReused(target: KillTarget, now: ProcessInfo): boolean {
  if (target.startTicks !== undefined && now.startTicks !== undefined) {
    return target.startTicks !== now.startTicks;
  }
  return target.startTime !== undefined && now.startTime !== undefined && target.startTime !== now.startTime;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Stops the confirmed owners of a port and reports what actually happened. Never throws for an
 *  outcome; throws only for invalid arguments. */
export async function freePort(request: FreePortRequest, deps: FreePortDeps): Promise<FreePortResult> {
  const { port, protocol } = request;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`"${port}" is not a port: ports are whole numbers from 1 to 65535.`);
  }
  if (request.targets.length === 0 || request.targets.some((t) => !Number.isInteger(t.pid) || t.pid < 0)) {
    throw new RangeError('No valid process to stop was given.');
  }
  const platform = deps.platform ?? process.platform;
  const started = performance.now();
  const result = resultsFrom(started);

  // --- re-check, just before signalling
  const before = await deps.snapshot();
  const holders = ownersOnPort(before, port, protocol);
  const hidden = socketsOnPort(before, port, protocol).filter((s) => !s.ownerVisible);
  if (hidden.length > 0) {
    // Never call a port free because we cannot see who holds it.
    const why = scanningAsRoot(platform)
      ? `a process in another pid namespace (a container or a sandbox; uid ${hidden[0].uid ?? '?'}). Stop it from there.`
      : `a process this user cannot see (uid ${hidden[0].uid ?? '?'}). Reveal it with more privileges.`;
    return result('not-permitted', `Port ${port} is also held by ${why}`, {
      holders,
      hint: revealOwnerHint(port, protocol ?? hidden[0].protocol, platform),
    });
  }
  const table = await (deps.processTable ?? (() => readProcessTable(platform)))();
  const protect = (deps.protect ?? ((p) => protectedPids(p)))(table.parents);
  for (const target of request.targets) {
    const reason = protect.get(target.pid);
    if (reason) {
      return result('refused', `Refused to stop pid ${target.pid}: ${reason}.`, { holders });
    }
    const now = holders.find((h) => h.pid === target.pid);
    if (!now) {
      const msg =
        socketsOnPort(before, port, protocol).length === 0
          ? `Pid ${target.pid} no longer holds port ${port}, and the port is free now.`
          : `Pid ${target.pid} no longer holds port ${port}; it is held by ${holders.map(named).join(', ')} now. Nothing was stopped.`;
      return result(socketsOnPort(before, port, protocol).length === 0 ? 'freed' : 'refused', msg, { holders });
    }
    if (isReused(target, now)) {
      return result('refused', `Pid ${target.pid} is a different process now (the pid was reused). Nothing was stopped.`, { holders });
    }
    // A container engine's forwarder holds the socket for a container: signalling it breaks the engine's
    // networking and leaves the container running. The container is stopped through its engine instead.
    const forwarder = forwarderOf(now);
    if (forwarder) {
      return result('refused', `Refused to stop ${forwarder.name} (pid ${target.pid}): ${forwarder.why}. Stop the container instead.`, { holders });
    }
  }

  // --- signal
  const signal = request.force ? 'SIGKILL' : 'SIGTERM';
  const toSignal: number[] = [];
  const expectations = new Map<number, HoldExpectation>();
  for (const t of request.targets) {
    toSignal.push(t.pid);
    const ticks = t.startTicks ?? holders.find((h) => h.pid === t.pid)?.startTicks;
    expectations.set(t.pid, { pid: t.pid, startTicks: ticks, port, protocol });
  }
  // Windows without a process table (no PowerShell or WMI): `taskkill /T` walks the tree itself, as the
  // prompt said ("and its child processes"). Everywhere else the confirmed members are signalled one by one.
  const treeByTaskkill = platform === 'win32' && table.parentsUnknown !== undefined;
  if (request.tree && !treeByTaskkill) {
    const confirmed = request.job ? new Map(request.job.map((j) => [j.pid, j])) : undefined;
    for (const t of request.targets) {
      for (const member of jobOf(t.pid, table, protect)) {
        // A member that joined the job after the user confirmed the list is not signalled.
        if (confirmed && !confirmed.has(member) && !expectations.has(member)) {
          continue;
        }
        toSignal.push(member);
        if (!expectations.has(member)) {
          expectations.set(member, { pid: member, startTicks: confirmed?.get(member)?.startTicks ?? table.startTicks?.get(member) });
        }
      }
    }
  }
  const signalled: number[] = [];
  const kill = deps.kill ?? ((pid, sig, tree) => defaultKill(pid, sig, tree, platform));
  const verify = deps.verify ?? (platform === 'linux' ? (e: HoldExpectation) => holdProblem(e) : undefined);
  for (const pid of [...new Set(toSignal)]) {
    // The last look: a target still the confirmed process and still on the port, a job member still
    // the process the table saw. Checked again before EACH signal, not once for the batch.
    const problem = verify?.(expectations.get(pid)!);
    if (problem !== undefined) {
      if (request.targets.some((t) => t.pid === pid)) {
        return result('refused', `Not signalled: ${problem}. ${signalled.length > 0 ? `Already signalled: ${signalled.join(', ')}.` : 'Nothing was stopped.'}`, { signalled, holders });
      }
      continue; // A job member that exited or was replaced is simply not ours to signal any more.
    }
    try {
      await kill(pid, signal, Boolean(request.tree) && treeByTaskkill);
      signalled.push(pid);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ESRCH') {
        continue; // Exited on its own meanwhile: that is what we wanted.
      }
      if (code === 'EPERM') {
        return result('not-permitted', `Not permitted to stop pid ${pid}: it belongs to another user. You can run the command yourself with more privileges.`, {
          signalled,
          holders,
          hint: killHint(pid, Boolean(request.force), platform),
        });
      }
      throw err;
    }
  }

  // --- watch the port
  const timeoutMs = request.timeoutMs ?? 5000;
  const pollMs = deps.pollMs ?? 100;
  const targetPids = new Set(toSignal);
  const targetParents = new Set(holders.filter((h) => targetPids.has(h.pid)).map((h) => h.ppid));
  const settleMs = deps.settleMs ?? 300;
  let freeSince: number | undefined;
  let last = holders;
  for (;;) {
    const snap = await deps.snapshot();
    last = ownersOnPort(snap, port, protocol);
    const remaining = socketsOnPort(snap, port, protocol);
    const ours = last.filter((h) => targetPids.has(h.pid));
    const others = last.filter((h) => !targetPids.has(h.pid));
    // An exiting process loses its fd table a moment before its sockets close, so a socket with no
    // visible owner right after our signal is most likely ours, still going: keep watching.
    const hidden = remaining.some((r) => !r.ownerVisible);
    const elapsed = performance.now() - started;
    if (remaining.length === 0) {
      freeSince ??= elapsed;
      if (elapsed - freeSince >= settleMs) {
        return result('freed', `Port ${port} is now free (${seconds(freeSince)}).`, { signalled, holders: [] });
      }
    } else {
      freeSince = undefined;
    }
    if (ours.length === 0 && others.length > 0) {
      const who = others.map(named).join(', ');
      const respawned = others.some((h) => targetParents.has(h.ppid))
        ? ' Its parent started it again: stop the whole process tree.'
        : '';
      return result('taken-by-other', `The process exited, but another took port ${port}: ${who} (${seconds(elapsed)}).${respawned}`, {
        signalled,
        holders: last,
      });
    }
    if (remaining.length > 0 && (elapsed >= timeoutMs || request.signal?.aborted)) {
      if (ours.length === 0 && hidden) {
        return result(
          'still-held',
          `Port ${port} is still held after ${seconds(elapsed)}, by a process this user cannot see (the stopped process may still be exiting).`,
          { signalled, holders: last, hint: revealOwnerHint(port, protocol ?? remaining[0].protocol, platform) },
        );
      }
      const who = last.map(named).join(', ');
      const advice = request.force ? '' : ' It may be ignoring SIGTERM: force-stop it if you are sure.';
      return result('still-held', `Port ${port} is still held by ${who} after ${seconds(elapsed)}.${advice}`, { signalled, holders: last });
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
