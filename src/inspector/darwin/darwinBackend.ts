// The macOS back-end: lsof for sockets and every process sharing them, netstat for the sockets of
// processes lsof may not look into, one ps call for command lines, users and start times.
import { run, toolError } from '../exec';
import type { RunOptions, RunResult } from '../exec';
import { sortSockets } from '../../core/sockets';
import type { Backend, ListeningSocket, ProcessInfo, ScanOptions, Snapshot } from '../../core/types';
import { InspectorError } from '../../core/types';
import { listenersFromLsof, parseLsofFields } from './lsofParser';
import type { LsofFile } from './lsofParser';
import { socketsLsofMissed, withoutRepeats } from './mergeSockets';
import { listenersFromNetstat, parseDarwinNetstat, summaryFromNetstat } from './netstatParser';
import type { DarwinNetstatRow } from './netstatParser';
import { completeProcessName } from './processName';
import { parsePsProcesses, PS_FIELDS } from './psParser';
import type { PsProcess } from './psParser';

/** Runs a program; {@link run} in production, a fake returning captured output in tests. */
export type Runner = typeof run;

/**
 * lsof arguments. -nP: no DNS or service-name lookups. +c 0: the whole process name. The two -i
 * selections are ORed (no -a, which would AND them into nothing). The state filter -sTCP:LISTEN only
 * touches TCP files in the darwin dialect, so bound UDP sockets still come through (on Linux it would
 * drop them, which is one reason this is the macOS path only). -F: field output, see lsofParser.
 */
export const LSOF_ARGS: readonly string[] = ['-nP', '+c', '0', '-iTCP', '-sTCP:LISTEN', '-iUDP', '-FpcuLRftdPnT'];
/** netstat arguments, once per protocol: all sockets, numeric, verbose (pids), full IPv6 addresses. */
export const NETSTAT_ARGS = (protocol: 'tcp' | 'udp'): string[] => ['-anvl', '-p', protocol];
/** ps arguments for the given pids. */
export const PS_ARGS = (pids: readonly number[]): string[] => [
  '-ww',
  ...PS_FIELDS.flatMap((f) => ['-o', `${f}=`]),
  '-p',
  pids.join(','),
];

// A GUI-launched VS Code may have a PATH without /usr/sbin, where both tools live.
const LSOF = ['lsof', '/usr/sbin/lsof'];
const NETSTAT = ['netstat', '/usr/sbin/netstat'];
const PS = ['ps', '/bin/ps'];

/** Lists listening sockets on macOS. See {@link LSOF_ARGS} for how lsof is asked. */
export class DarwinBackend implements Backend {
  readonly id = 'darwin-lsof';

  constructor(private readonly runner: Runner = run) {}

  async snapshot(options: ScanOptions = {}): Promise<Snapshot> {
    const started = Date.now();
    const signal = options.signal;
    const warnings: string[] = [];

    // lsof exits 1 both when nothing matches and when one selection (say UDP) finds nothing.
    const [lsof, tcp, udp] = await Promise.allSettled([
      this.runFirst(LSOF, LSOF_ARGS, { timeoutMs: 30_000, okExitCodes: [1], signal }),
      this.runFirst(NETSTAT, NETSTAT_ARGS('tcp'), { timeoutMs: 10_000, signal }),
      this.runFirst(NETSTAT, NETSTAT_ARGS('udp'), { timeoutMs: 10_000, signal }),
    ]);
    throwIfAborted(signal);

    const netstatRows: DarwinNetstatRow[] | undefined =
      tcp.status === 'fulfilled' && udp.status === 'fulfilled'
        ? [...parseDarwinNetstat(tcp.value.stdout), ...parseDarwinNetstat(udp.value.stdout)]
        : undefined;
    const netstatError = [tcp, udp].find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;

    let sockets: ListeningSocket[];
    let lsofFiles: LsofFile[] = [];
    if (lsof.status === 'fulfilled') {
      lsofFiles = parseLsofFields(lsof.value.stdout);
      sockets = listenersFromLsof(lsofFiles);
      const stderr = lsof.value.stderr.trim();
      if (stderr) {
        warnings.push(`lsof reported: ${stderr.split('\n')[0]}`);
      }
      if (netstatRows) {
        sockets.push(...socketsLsofMissed(sockets, listenersFromNetstat(netstatRows)));
      } else {
        warnings.push(
          `netstat failed (${messageOf(netstatError)}); listeners of other users' processes may be missing.`,
        );
      }
    } else if (netstatRows) {
      sockets = listenersFromNetstat(netstatRows);
      warnings.push(
        lsofProblem(lsof.reason) +
          ' Showing what netstat reports instead: one process per socket, the last one that used it.',
      );
    } else {
      throw lsofError(lsof.reason);
    }

    sockets = withoutRepeats(sockets);
    // lsof's names (+c 0) are longer than the 16 bytes macOS 26's netstat prints.
    const lsofNames = new Map(lsofFiles.map((f) => [f.pid, f.command]));
    await this.addProcessDetails(sockets, lsofNames, warnings, signal);
    throwIfAborted(signal);

    const snapshot: Snapshot = {
      takenAt: Date.now(),
      backend: this.id,
      durationMs: 0,
      sockets: sortSockets(sockets),
      warnings,
    };
    if (options.connections !== false && netstatRows) {
      snapshot.connections = summaryFromNetstat(netstatRows);
    }
    snapshot.durationMs = snapshot.takenAt - started;
    return snapshot;
  }

  dispose(): void {
    // Nothing is held between scans.
  }

  // One ps call for every owner; a process that exited in between keeps what lsof or netstat said.
  private async addProcessDetails(
    sockets: ListeningSocket[],
    lsofNames: ReadonlyMap<number, string>,
    warnings: string[],
    signal?: AbortSignal,
  ): Promise<void> {
    const pids = [...new Set(sockets.flatMap((s) => s.owners.map((o) => o.pid)))].sort((a, b) => a - b);
    if (pids.length === 0) {
      return;
    }
    let processes = new Map<number, PsProcess>();
    try {
      const result = await this.runFirst(PS, PS_ARGS(pids), { timeoutMs: 10_000, okExitCodes: [1], signal });
      processes = parsePsProcesses(result.stdout);
    } catch (error) {
      throwIfAborted(signal);
      warnings.push(`ps failed (${messageOf(error)}); command lines and start times are missing.`);
    }
    for (const socket of sockets) {
      socket.owners = socket.owners.map((owner) => withPs(owner, processes.get(owner.pid), lsofNames.get(owner.pid)));
      if (socket.uid === undefined && socket.owners[0]?.uid !== undefined) {
        socket.uid = socket.owners[0].uid;
      }
    }
  }

  // Tries each spelling of a program until one is found on this machine.
  private async runFirst(
    files: readonly string[],
    args: readonly string[],
    options: RunOptions,
  ): Promise<RunResult> {
    for (let i = 0; ; i++) {
      try {
        return await this.runner(files[i], args, options);
      } catch (error) {
        if (!(error instanceof InspectorError && error.code === 'TOOL_MISSING') || i === files.length - 1) {
          throw error;
        }
      }
    }
  }
}

function withPs(owner: ProcessInfo, ps: PsProcess | undefined, lsofName: string | undefined): ProcessInfo {
  const name = completeProcessName(owner.name, { lsofName, command: ps?.command });
  if (!ps) {
    return name === owner.name ? owner : { ...owner, name };
  }
  const merged: ProcessInfo = {
    ...owner,
    name,
    command: ps.command,
    user: ps.user,
    uid: ps.uid,
    ppid: ps.ppid,
  };
  if (ps.startTime !== undefined) {
    merged.startTime = ps.startTime;
  }
  return merged;
}

function lsofProblem(error: unknown): string {
  if (error instanceof InspectorError && error.code === 'TOOL_MISSING') {
    return 'lsof is not installed (it ships with macOS as /usr/sbin/lsof; `brew install lsof` also provides it).';
  }
  return `lsof failed: ${messageOf(error)}`;
}

function lsofError(error: unknown): InspectorError {
  return toolError(error, 'lsof', 'lsof is not installed. It ships with macOS as /usr/sbin/lsof; restore it or install it with `brew install lsof`.');
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new InspectorError('The scan was cancelled.', 'FAILED');
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
