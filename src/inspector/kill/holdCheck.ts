// The last look before a signal (Linux): is `pid` still the process the user confirmed — the same start
// time to the clock tick, not "within a second" — and does it still hold the port? Run immediately before
// each signal, so the window in which a pid can be reused is the few microseconds between this read and
// kill(2), not the time a fresh scan and a process-table read take.
import * as fs from 'node:fs';
import type { Protocol } from '../../core/types';
import { scanProcNetTable } from '../linux/procNetTable';
import { readProcStat } from '../linux/procProcess';

/** What must still be true of a process just before it is signalled. */
export interface HoldExpectation {
  pid: number;
  /** Start time in clock ticks since boot, as the user's snapshot had it (exact). */
  startTicks?: number;
  /** The port it must still hold; absent for a job member that only shares the owner's job. */
  port?: number;
  protocol?: Protocol;
}

/** Listening socket inodes on `port`, from /proc/net (IPv4 and IPv6). */
export function listeningInodes(port: number, protocol: Protocol | undefined, procRoot = '/proc'): Set<number> {
  const inodes = new Set<number>();
  const protocols: Protocol[] = protocol ? [protocol] : ['tcp', 'udp'];
  for (const proto of protocols) {
    for (const file of [proto, `${proto}6`]) {
      let text: string;
      try {
        text = fs.readFileSync(`${procRoot}/net/${file}`, 'latin1');
      } catch {
        continue;
      }
      for (const entry of scanProcNetTable(text, proto)) {
        if (entry.port === port) {
          inodes.add(entry.inode);
        }
      }
    }
  }
  return inodes;
}

/** Whether one of `pid`'s fd tables (the leader's, or a thread's when the leader has exited and its
 *  table is empty) holds one of `inodes`; 'unreadable' when this user may not read them. */
export function holdsInode(pid: number, inodes: ReadonlySet<number>, procRoot = '/proc'): boolean | 'unreadable' {
  const tables = [`${procRoot}/${pid}/fd`];
  try {
    for (const tid of fs.readdirSync(`${procRoot}/${pid}/task`)) {
      if (tid !== String(pid)) {
        tables.push(`${procRoot}/${pid}/task/${tid}/fd`);
      }
    }
  } catch {
    // No task directory: the leader's table is all there is.
  }
  for (const dir of tables) {
    let fds: string[];
    try {
      fds = fs.readdirSync(dir);
    } catch (err) {
      if (dir === tables[0] && (err as NodeJS.ErrnoException).code === 'EACCES') {
        return 'unreadable';
      }
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`${dir}/${fd}`));
        if (m && inodes.has(Number(m[1]))) {
          return true;
        }
      } catch {
        // The fd closed meanwhile.
      }
    }
    if (dir === tables[0] && fds.length > 0) {
      // Threads of a live leader share its fd table: no need to read theirs again.
      return false;
    }
  }
  return false;
}

/** Why `pid` must not be signalled now, or undefined when it is still the confirmed process (and still
 *  holds the port, when one is given). */
export function holdProblem(expect: HoldExpectation, procRoot = '/proc'): string | undefined {
  const stat = readProcStat(procRoot, expect.pid);
  if (!stat) {
    return `pid ${expect.pid} has exited`;
  }
  if (expect.startTicks !== undefined && stat.startTicks !== expect.startTicks) {
    return `pid ${expect.pid} is a different process now (the pid was reused)`;
  }
  if (expect.port === undefined) {
    return undefined;
  }
  const holds = holdsInode(expect.pid, listeningInodes(expect.port, expect.protocol, procRoot), procRoot);
  if (holds === 'unreadable') {
    // Another user's process: the kernel refuses our signal anyway (EPERM), which the caller reports
    // with a hint. A process of our own uid whose table we cannot read (a non-dumpable one) could be
    // signalled without proof that it holds the port: refused.
    let uid: number | undefined;
    try {
      uid = fs.statSync(`${procRoot}/${expect.pid}`).uid;
    } catch {
      return `pid ${expect.pid} has exited`;
    }
    const self = process.geteuid?.();
    return self !== undefined && self !== 0 && uid !== self ? undefined : `cannot check that pid ${expect.pid} still holds port ${expect.port}`;
  }
  return holds ? undefined : `pid ${expect.pid} no longer holds port ${expect.port}`;
}
