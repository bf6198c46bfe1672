// The Windows back-end: `netstat -ano` for sockets and pids, one `tasklist` for image names.
import { run, toolError } from '../exec';
import { sortSockets } from '../../core/sockets';
import type { Backend, ScanOptions, Snapshot } from '../../core/types';
import { InspectorError } from '../../core/types';
import type { Runner } from './commandLine';
import { decodeConsoleText } from './consoleText';
import { listenersFromWindowsNetstat, parseWindowsNetstat, summaryFromWindowsNetstat } from './netstatParser';
import { parseTasklistCsv } from './tasklistParser';
import type { TasklistProcess } from './tasklistParser';

export type { Runner } from './commandLine';
export { windowsCommandLine } from './commandLine';

/** netstat arguments: all connections and listeners, numeric, with the owning pid. */
export const NETSTAT_ARGS: readonly string[] = ['-ano'];
/** tasklist arguments: every process as CSV without a header. */
export const TASKLIST_ARGS: readonly string[] = ['/FO', 'CSV', '/NH'];

/**
 * Lists listening sockets on Windows. Each socket has the one pid netstat reports and the image name
 * from tasklist as the owner's `name`. The owner's `command` is left '' on purpose: reading command
 * lines needs WMI through PowerShell, far too slow for every scan; call {@link windowsCommandLine} for
 * the process the user looks at. Users and start times are not filled in (tasklist /V, which knows
 * users, takes seconds).
 */
export class WindowsBackend implements Backend {
  readonly id = 'win32-netstat';

  constructor(private readonly runner: Runner = run) {}

  async snapshot(options: ScanOptions = {}): Promise<Snapshot> {
    const started = Date.now();
    const signal = options.signal;
    const warnings: string[] = [];
    // latin1 keeps each byte of the OEM code page intact; see consoleText.
    const [netstat, tasklist] = await Promise.allSettled([
      this.runner('netstat', NETSTAT_ARGS, { timeoutMs: 20_000, encoding: 'latin1', signal }),
      this.runner('tasklist', TASKLIST_ARGS, { timeoutMs: 20_000, encoding: 'latin1', signal }),
    ]);
    if (signal?.aborted) {
      throw new InspectorError('The scan was cancelled.', 'FAILED');
    }
    if (netstat.status === 'rejected') {
      throw netstatError(netstat.reason);
    }
    const rows = parseWindowsNetstat(decodeConsoleText(netstat.value.stdout));
    const sockets = listenersFromWindowsNetstat(rows);

    let processes = new Map<number, TasklistProcess>();
    if (tasklist.status === 'fulfilled') {
      processes = parseTasklistCsv(decodeConsoleText(tasklist.value.stdout));
    } else {
      const reason: unknown = tasklist.reason;
      warnings.push(`tasklist failed (${reason instanceof Error ? reason.message : String(reason)}); process names are missing.`);
    }
    for (const socket of sockets) {
      for (const owner of socket.owners) {
        // A pid tasklist does not know belongs to a process that exited in between: keep the pid.
        owner.name = processes.get(owner.pid)?.name ?? '';
      }
    }

    const snapshot: Snapshot = {
      takenAt: Date.now(),
      backend: this.id,
      durationMs: 0,
      sockets: sortSockets(sockets),
      warnings,
    };
    if (options.connections !== false) {
      const summary = summaryFromWindowsNetstat(rows);
      if (summary) {
        snapshot.connections = summary;
      }
    }
    snapshot.durationMs = snapshot.takenAt - started;
    return snapshot;
  }

  dispose(): void {
    // Nothing is held between scans.
  }
}

function netstatError(error: unknown): InspectorError {
  return toolError(error, 'netstat', 'netstat.exe was not found. It is part of Windows (C:\\Windows\\System32); check that System32 is on the PATH.');
}
