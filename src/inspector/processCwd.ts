// The working directory of processes, to tell whether a port's holder was started from this workspace.
// Linux: the /proc/<pid>/cwd link (readable for the user's own processes; another user's gives EACCES and
// stays unknown). macOS and the BSDs: one `lsof -d cwd` for all pids. Windows has no cheap way (another
// process's PEB would have to be read), so every directory is unknown there.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from './exec';

export interface ReadCwdOptions {
  platform?: NodeJS.Platform;
  procRoot?: string;
  timeoutMs?: number;
}

/** At most this many pids are asked about at once (an lsof argument list stays short). */
export const MAX_CWD_PIDS = 256;

/** The kernel appends this to the link of a directory that was removed after the process entered it. */
const DELETED = ' (deleted)';

/**
 * pid → working directory for those of `pids` whose directory can be read. Processes that exited, belong
 * to another user or cannot be asked are simply absent: this never rejects for them.
 * @throws only for an invalid pid argument.
 */
export async function readProcessCwds(pids: Iterable<number>, options: ReadCwdOptions = {}): Promise<Map<number, string>> {
  const list = [...new Set(pids)];
  for (const pid of list) {
    if (!Number.isInteger(pid) || pid <= 0) {
      throw new Error(`readProcessCwds: invalid pid ${String(pid)}`);
    }
  }
  const wanted = list.slice(0, MAX_CWD_PIDS);
  const platform = options.platform ?? process.platform;
  const result = new Map<number, string>();
  if (wanted.length === 0 || platform === 'win32') {
    return result;
  }
  if (platform === 'linux' || platform === 'android') {
    const procRoot = options.procRoot ?? '/proc';
    await Promise.all(
      wanted.map(async (pid) => {
        try {
          let dir = await fs.promises.readlink(path.join(procRoot, String(pid), 'cwd'));
          if (dir.endsWith(DELETED)) {
            dir = dir.slice(0, -DELETED.length);
          }
          if (dir.startsWith('/')) {
            result.set(pid, dir);
          }
        } catch {
          // Exited, another user's, or hidden by hidepid: unknown.
        }
      }),
    );
    return result;
  }
  try {
    // lsof exits 1 when some pid has no match (exited meanwhile); the others are still printed.
    const { stdout } = await run('lsof', ['-a', '-d', 'cwd', '-p', wanted.join(','), '-Fpn'], { timeoutMs: options.timeoutMs ?? 5000, okExitCodes: [1] });
    for (const [pid, dir] of parseLsofCwd(stdout)) {
      result.set(pid, dir);
    }
  } catch {
    // lsof missing or slow: every directory is unknown, which the caller reports as such.
  }
  return result;
}

/**
 * Parses `lsof -a -d cwd -p <pids> -Fpn` output: a `p<pid>` line starts each process, the `n<path>` line
 * of its `cwd` descriptor follows (with `-F`, lsof also prints an `f` line per descriptor when asked for
 * it; other field lines are skipped).
 */
export function parseLsofCwd(stdout: string): Map<number, string> {
  const result = new Map<number, string>();
  let pid: number | undefined;
  for (const line of stdout.split('\n')) {
    const field = line.charAt(0);
    const value = line.slice(1).replace(/\r$/, '');
    if (field === 'p') {
      pid = /^\d+$/.test(value) ? Number(value) : undefined;
    } else if (field === 'n' && pid !== undefined && value.startsWith('/') && !result.has(pid)) {
      result.set(pid, value);
    }
  }
  return result;
}
