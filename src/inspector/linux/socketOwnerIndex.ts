// Maps socket inodes to the processes holding them, by walking /proc/<pid>/fd like `ss -p` and `lsof` do.
//
// A full walk is the expensive part of a scan (one readlink per open fd of every process), so the index
// is kept between scans and updated incrementally:
//  - processes that appeared since the last scan have their fds walked (a fork that inherits a listening
//    socket is a new pid, so inherited sockets are found), and are walked again while they are young:
//    a cluster worker or a supervised child often receives its listening fd over IPC just after it starts;
//  - a socket that is still listening and has ONE known owner is still held by it (if that owner had
//    closed it, the socket would be gone, or held by a process that is new to us and walked anyway);
//    a socket with several known owners has each (pid, fd) verified with one readlink, since one of
//    them may have closed its copy;
//  - only when a listening inode has no known owner are the other processes walked again; inodes that a
//    walk could not attribute (another user's process, another pid namespace) are not searched again on
//    every scan, only on the next periodic full walk.
// The periodic full walk also catches the rare case of an existing process gaining a listening fd for a
// socket that already had an owner (fd passing over a unix socket, dup of a received fd).
import * as fs from 'node:fs';

/** One process's sockets of interest: inode → fd numbers holding it. */
interface PidEntry {
  sockets: Map<number, number[]>;
  /** When this pid was first seen (ms), to re-walk young processes. */
  firstSeen: number;
  /** Its fd directory could not be read (EACCES): we cannot attribute its sockets. */
  unreadable: boolean;
  /** Where its fds were read, when not `<pid>/fd`: a zombie thread-group leader has an empty fd table
   *  while a live thread still holds the process's files (`<pid>/task/<tid>/fd`). */
  fdDir?: string;
}

/** Statistics of the last update, for the benchmark and the log. */
export interface IndexStats {
  pids: number;
  walkedPids: number;
  verifiedFds: number;
  fullWalk: boolean;
}

export class SocketOwnerIndex {
  private readonly byPid = new Map<number, PidEntry>();
  /** Inodes a walk of every readable process did not find; not searched again until the next full walk. */
  private unattributed = new Set<number>();
  private lastFullWalk = 0;
  stats: IndexStats = { pids: 0, walkedPids: 0, verifiedFds: 0, fullWalk: false };

  constructor(
    private readonly procRoot = '/proc',
    /** How often every process is walked again even if nothing looks new. */
    private readonly fullWalkIntervalMs = 30_000,
    private readonly now: () => number = Date.now,
    /** Processes younger than this (since first seen) are walked on every update. */
    private readonly youngWindowMs = 10_000,
  ) {}

  /** Brings the index up to date for the given listening inodes and returns inode → owner pids. */
  update(wanted: ReadonlySet<number>): Map<number, number[]> {
    const pids = this.listPids();
    const stats: IndexStats = { pids: pids.length, walkedPids: 0, verifiedFds: 0, fullWalk: false };
    const alive = new Set(pids);
    // Counted before vanished pids are dropped: a socket whose other holder just exited must still have
    // its remaining holder verified.
    const holderCounts = this.holderCounts();
    for (const pid of this.byPid.keys()) {
      if (!alive.has(pid)) {
        this.byPid.delete(pid);
      }
    }

    const now = this.now();
    const full = this.lastFullWalk === 0 || now - this.lastFullWalk >= this.fullWalkIntervalMs;
    const walkedNow = new Set<number>();
    // Processes present at the very first walk are of unknown age: treat them as old.
    const firstSeenDefault = this.lastFullWalk === 0 ? -Infinity : now;
    const walk = (pid: number): void => {
      this.byPid.set(pid, this.walkPid(pid, wanted, this.byPid.get(pid)?.firstSeen ?? firstSeenDefault));
      walkedNow.add(pid);
      stats.walkedPids++;
    };

    if (full) {
      this.unattributed.clear();
      for (const pid of pids) {
        walk(pid);
      }
      this.lastFullWalk = now;
      stats.fullWalk = true;
    } else {
      for (const pid of pids) {
        const entry = this.byPid.get(pid);
        if (!entry || now - entry.firstSeen < this.youngWindowMs) {
          walk(pid);
        }
      }
      stats.verifiedFds += this.verify(wanted, walkedNow, holderCounts);
    }

    let owners = this.collect(wanted);
    const missing = [...wanted].filter((inode) => !owners.has(inode) && !this.unattributed.has(inode));
    if (missing.length > 0 && !full) {
      // Something new is listening in a process we already knew: walk the others once.
      for (const pid of pids) {
        const entry = this.byPid.get(pid);
        if (!walkedNow.has(pid) && entry && !entry.unreadable) {
          walk(pid);
        }
      }
      owners = this.collect(wanted);
    }
    for (const inode of wanted) {
      if (!owners.has(inode)) {
        this.unattributed.add(inode);
      }
    }
    // Inodes that stopped listening must not stay in the set forever.
    for (const inode of this.unattributed) {
      if (!wanted.has(inode)) {
        this.unattributed.delete(inode);
      }
    }
    this.stats = stats;
    return owners;
  }

  /** Forgets everything: the next update walks every process. */
  reset(): void {
    this.byPid.clear();
    this.unattributed.clear();
    this.lastFullWalk = 0;
  }

  private listPids(): number[] {
    const pids: number[] = [];
    for (const name of fs.readdirSync(this.procRoot)) {
      const c = name.charCodeAt(0);
      if (c >= 48 && c <= 57) {
        const pid = Number(name);
        if (Number.isInteger(pid)) {
          pids.push(pid);
        }
      }
    }
    return pids;
  }

  /** Reads every fd of `pid` and keeps the ones that are sockets in `wanted`. */
  private walkPid(pid: number, wanted: ReadonlySet<number>, firstSeen: number): PidEntry {
    const entry: PidEntry = { sockets: new Map(), firstSeen, unreadable: false };
    const dir = `${this.procRoot}/${pid}/fd`;
    let fds: string[];
    try {
      fds = fs.readdirSync(dir);
    } catch (err) {
      // EACCES: another user's process. ENOENT/ESRCH: it exited while we looked. Both are normal.
      entry.unreadable = (err as NodeJS.ErrnoException).code === 'EACCES';
      return entry;
    }
    let fdDir = dir;
    if (fds.length === 0) {
      // An exited leader whose threads live on: the table is in one of its threads.
      const found = this.threadFdTable(pid);
      if (found) {
        [fdDir, fds] = found;
        entry.fdDir = fdDir;
      }
    }
    for (const fd of fds) {
      const inode = this.socketInode(`${fdDir}/${fd}`);
      if (inode !== undefined && wanted.has(inode)) {
        const list = entry.sockets.get(inode);
        if (list) {
          list.push(Number(fd));
        } else {
          entry.sockets.set(inode, [Number(fd)]);
        }
      }
    }
    return entry;
  }

  /** The first non-empty fd table among `pid`'s threads, or undefined. */
  private threadFdTable(pid: number): [string, string[]] | undefined {
    let tids: string[];
    try {
      tids = fs.readdirSync(`${this.procRoot}/${pid}/task`);
    } catch {
      return undefined;
    }
    for (const tid of tids) {
      if (tid === String(pid)) {
        continue;
      }
      const dir = `${this.procRoot}/${pid}/task/${tid}/fd`;
      try {
        const fds = fs.readdirSync(dir);
        if (fds.length > 0) {
          return [dir, fds];
        }
      } catch {
        // That thread exited meanwhile.
      }
    }
    return undefined;
  }

  /** `socket:[12345]` → 12345; anything else (a file, a pipe, a vanished fd) → undefined. */
  private socketInode(link: string): number | undefined {
    let target: string;
    try {
      target = fs.readlinkSync(link);
    } catch {
      return undefined;
    }
    if (!target.startsWith('socket:[')) {
      return undefined;
    }
    return Number(target.slice(8, -1));
  }

  /** Re-reads the known (pid, fd) pairs of wanted inodes held by several processes; drops the ones that
   *  changed. Returns the number of readlinks. */
  private verify(wanted: ReadonlySet<number>, skip: ReadonlySet<number>, holders: ReadonlyMap<number, number>): number {
    let count = 0;
    for (const [pid, entry] of this.byPid) {
      if (skip.has(pid)) {
        continue;
      }
      for (const [inode, fds] of entry.sockets) {
        if (!wanted.has(inode)) {
          // Closed or no longer listening: forget it (a new socket gets a new inode).
          entry.sockets.delete(inode);
          continue;
        }
        if ((holders.get(inode) ?? 0) < 2) {
          continue;
        }
        const kept = fds.filter((fd) => {
          count++;
          return this.socketInode(`${entry.fdDir ?? `${this.procRoot}/${pid}/fd`}/${fd}`) === inode;
        });
        if (kept.length === 0) {
          entry.sockets.delete(inode);
        } else if (kept.length !== fds.length) {
          entry.sockets.set(inode, kept);
        }
      }
    }
    return count;
  }

  /** inode → number of processes known to hold it. */
  private holderCounts(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const entry of this.byPid.values()) {
      for (const inode of entry.sockets.keys()) {
        counts.set(inode, (counts.get(inode) ?? 0) + 1);
      }
    }
    return counts;
  }

  private collect(wanted: ReadonlySet<number>): Map<number, number[]> {
    const owners = new Map<number, number[]>();
    for (const [pid, entry] of this.byPid) {
      for (const inode of entry.sockets.keys()) {
        if (!wanted.has(inode)) {
          continue;
        }
        const list = owners.get(inode);
        if (list) {
          list.push(pid);
        } else {
          owners.set(inode, [pid]);
        }
      }
    }
    return owners;
  }
}
