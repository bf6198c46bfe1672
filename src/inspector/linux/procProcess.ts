// Reads one process's details from /proc/<pid>. Every read may fail because the process exited meanwhile:
// that is normal on a live system, so failures return undefined rather than throwing.
import * as fs from 'node:fs';
import type { ProcessInfo } from '../../core/types';
import type { UserNames } from './userNames';

/** USER_HZ is 100 on every architecture Linux exports to user space through /proc (the kernel scales
 *  jiffies to it), and Node has no sysconf(_SC_CLK_TCK); so it is a constant rather than a `getconf` spawn. */
const CLOCK_TICKS_PER_SECOND = 100;
/** Command lines can be megabytes long (a process controls its own argv); keep a bounded prefix. */
const MAX_COMMAND_BYTES = 128 * 1024;

/** Fields of /proc/<pid>/stat we use. */
export interface ProcStat {
  name: string;
  ppid: number;
  /** Process group id: a shell job (`npm run dev` and its children) shares one. */
  pgrp: number;
  /** Start time in clock ticks since boot: with the pid, it identifies one process. */
  startTicks: number;
}

/** Parses /proc/<pid>/stat. The name (field 2) is in parentheses and may itself contain spaces and
 *  parentheses, so the fields after it are found from the LAST ')'. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) {
    return undefined;
  }
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); ppid is field 4, pgrp field 5, starttime field 22.
  const ppid = Number(rest[1]);
  const pgrp = Number(rest[2]);
  const startTicks = Number(rest[19]);
  if (!Number.isInteger(ppid) || !Number.isInteger(pgrp) || !Number.isFinite(startTicks)) {
    return undefined;
  }
  return { name: text.slice(open + 1, close), ppid, pgrp, startTicks };
}

/** Reads the boot time (seconds since the epoch) from /proc/stat, for turning start ticks into dates. */
export function readBootTime(procRoot: string): number {
  try {
    const m = /^btime (\d+)$/m.exec(fs.readFileSync(`${procRoot}/stat`, 'latin1'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Converts start ticks into milliseconds since the epoch. */
export function startTimeMs(bootTimeSec: number, startTicks: number): number {
  return bootTimeSec * 1000 + Math.round((startTicks * 1000) / CLOCK_TICKS_PER_SECOND);
}

/** Reads /proc/<pid>/stat, or undefined if the process is gone. */
export function readProcStat(procRoot: string, pid: number): ProcStat | undefined {
  try {
    return parseProcStat(fs.readFileSync(`${procRoot}/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Reads a command line: NUL-separated argv, joined with spaces; bounded in size. Kernel threads and
 *  zombies have none, in which case `[name]` is shown, as ps does. */
export function readCommandLine(procRoot: string, pid: number, name: string): string {
  let buf: Buffer;
  try {
    const fd = fs.openSync(`${procRoot}/${pid}/cmdline`, 'r');
    try {
      buf = Buffer.alloc(MAX_COMMAND_BYTES);
      let len = 0;
      for (;;) {
        const n = fs.readSync(fd, buf, len, buf.length - len, null);
        if (n <= 0) {
          break;
        }
        len += n;
        if (len >= buf.length) {
          break;
        }
      }
      buf = buf.subarray(0, len);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return `[${name}]`;
  }
  let end = buf.length;
  while (end > 0 && buf[end - 1] === 0) {
    end--;
  }
  if (end === 0) {
    return `[${name}]`;
  }
  return buf.toString('utf8', 0, end).replace(/\0/g, ' ');
}

/** Effective uid of a process: the owner of its /proc directory. */
export function readProcessUid(procRoot: string, pid: number): number | undefined {
  try {
    return fs.statSync(`${procRoot}/${pid}`).uid;
  } catch {
    return undefined;
  }
}

/** Caches ProcessInfo per (pid, start time), so a steady-state refresh reads one small file per owner. */
export class ProcessInfoCache {
  private readonly byPid = new Map<number, { startTicks: number; info: ProcessInfo }>();
  private bootTime: number;

  constructor(
    private readonly procRoot: string,
    private readonly users: UserNames,
  ) {
    this.bootTime = readBootTime(procRoot);
  }

  /** Details of `pid`, or undefined when it has exited. */
  get(pid: number): ProcessInfo | undefined {
    const stat = readProcStat(this.procRoot, pid);
    if (!stat) {
      this.byPid.delete(pid);
      return undefined;
    }
    const cached = this.byPid.get(pid);
    if (cached && cached.startTicks === stat.startTicks) {
      // The name can change (prctl PR_SET_NAME); the parent too when the old parent dies.
      cached.info.name = stat.name;
      cached.info.ppid = stat.ppid;
      return cached.info;
    }
    const uid = readProcessUid(this.procRoot, pid);
    const info: ProcessInfo = {
      pid,
      name: stat.name,
      command: readCommandLine(this.procRoot, pid, stat.name),
      uid,
      user: uid === undefined ? undefined : this.users.name(uid),
      ppid: stat.ppid,
      startTime: this.bootTime ? startTimeMs(this.bootTime, stat.startTicks) : undefined,
      startTicks: stat.startTicks,
    };
    this.byPid.set(pid, { startTicks: stat.startTicks, info });
    return info;
  }

  /** Forgets processes that are not in `alive`. */
  prune(alive: ReadonlySet<number>): void {
    for (const pid of this.byPid.keys()) {
      if (!alive.has(pid)) {
        this.byPid.delete(pid);
      }
    }
  }
}
