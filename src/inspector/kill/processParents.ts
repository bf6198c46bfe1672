// The process table's links: pid → parent pid and process group, read once per action. Tree kills and
// the protected-process rule are computed from it.
import * as fs from 'node:fs';
import { run } from '../exec';
import { readProcStat } from '../linux/procProcess';
import type { Runner } from '../windows/commandLine';
import { parentLinks, readWindowsProcessTable } from '../windows/powershellParents';

export interface ProcessTable {
  parents: Map<number, number>;
  /** pid → process group id (absent on Windows). */
  groups: Map<number, number>;
  /** pid → start time in clock ticks (Linux only): a job member is signalled only while it is still the
   *  process this table saw. */
  startTicks?: Map<number, number>;
  /** pid → short process name (comm), to name each process a tree stop would signal. */
  names?: Map<number, string>;
  /** Why the parents could not be read (Windows without PowerShell or WMI): a tree stop then cannot name
   *  the processes it would end, and VS Code's own processes are known only by this process's pid. */
  parentsUnknown?: string;
}

/** Reads every visible process's parent and group. Linux reads /proc; macOS/BSD ask `ps` once; Windows
 *  asks WMI once (about half a second; no process groups there). */
export async function readProcessTable(platform: NodeJS.Platform = process.platform, procRoot = '/proc', runner?: Runner): Promise<ProcessTable> {
  const table: ProcessTable = { parents: new Map(), groups: new Map() };
  if (platform === 'linux' || platform === 'android') {
    table.startTicks = new Map();
    table.names = new Map();
    for (const name of fs.readdirSync(procRoot)) {
      if (!/^\d+$/.test(name)) {
        continue;
      }
      const stat = readProcStat(procRoot, Number(name));
      if (stat) {
        table.parents.set(Number(name), stat.ppid);
        table.groups.set(Number(name), stat.pgrp);
        table.startTicks.set(Number(name), stat.startTicks);
        table.names.set(Number(name), stat.name);
      }
    }
    return table;
  }
  if (platform === 'win32') {
    try {
      const processes = await readWindowsProcessTable(runner);
      table.parents = parentLinks(processes);
      table.names = new Map();
      for (const [pid, p] of processes) {
        if (p.name !== undefined) {
          table.names.set(pid, p.name);
        }
      }
    } catch (err) {
      table.parentsUnknown = (err as Error).message;
    }
    return table;
  }
  // comm last: it may contain spaces.
  const { stdout } = await run('ps', ['-A', '-o', 'pid=,ppid=,pgid=,comm='], { timeoutMs: 5000 });
  table.names = new Map();
  for (const line of stdout.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s?(.*)$/.exec(line);
    if (!m) {
      continue;
    }
    const [pid, ppid, pgid] = [Number(m[1]), Number(m[2]), Number(m[3])];
    table.parents.set(pid, ppid);
    table.groups.set(pid, pgid);
    table.names.set(pid, m[4].replace(/^.*\//, ''));
  }
  return table;
}

/** The chain of ancestors of `pid`, nearest first (stops at a loop or an unknown parent). */
export function ancestorsOf(pid: number, parents: ReadonlyMap<number, number>): number[] {
  const chain: number[] = [];
  const seen = new Set<number>([pid]);
  let current = parents.get(pid);
  while (current !== undefined && current > 0 && !seen.has(current)) {
    chain.push(current);
    seen.add(current);
    current = parents.get(current);
  }
  return chain;
}

/** Every descendant of `pid`, nearest first. */
export function descendantsOf(pid: number, parents: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [child, parent] of parents) {
    const list = children.get(parent);
    if (list) {
      list.push(child);
    } else {
      children.set(parent, [child]);
    }
  }
  const out: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  const seen = new Set<number>([pid]);
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (!seen.has(next)) {
      seen.add(next);
      out.push(next);
      queue.push(...(children.get(next) ?? []));
    }
  }
  return out;
}

/** The members of `pid`'s job: its process group when that group is a job of its own — not this
 *  process's group, and not led by a protected process (a login shell's group is the whole terminal) —
 *  plus its descendants. Protected pids are never included. */
export function jobOf(pid: number, table: ProcessTable, protect: ReadonlyMap<number, string>, selfPid = process.pid): number[] {
  const members = new Set<number>([pid, ...descendantsOf(pid, table.parents)]);
  const pgid = table.groups.get(pid);
  if (pgid !== undefined && pgid > 1 && pgid !== table.groups.get(selfPid) && !protect.has(pgid)) {
    for (const [p, g] of table.groups) {
      if (g === pgid) {
        members.add(p);
      }
    }
  }
  return [...members].filter((p) => !protect.has(p));
}

/** One process a tree stop would signal besides the owner itself, and why. */
export interface JobMember {
  pid: number;
  name: string;
  /** Linux: start ticks as read now; the stop signals it only while it is still this process. */
  startTicks?: number;
  /** `child`: a descendant of the owner; `group`: another member of the owner's process group. */
  relation: 'child' | 'group';
}

/** Every process a tree stop of `pids` would signal besides them, named, so the user confirms a list
 *  rather than "and its job". */
export function jobMembers(pids: readonly number[], table: ProcessTable, protect: ReadonlyMap<number, string>, selfPid = process.pid): JobMember[] {
  const owners = new Set(pids);
  const out = new Map<number, JobMember>();
  for (const pid of pids) {
    const descendants = new Set(descendantsOf(pid, table.parents));
    for (const member of jobOf(pid, table, protect, selfPid)) {
      if (!owners.has(member) && !out.has(member)) {
        out.set(member, {
          pid: member,
          name: table.names?.get(member) ?? '?',
          startTicks: table.startTicks?.get(member),
          relation: descendants.has(member) ? 'child' : 'group',
        });
      }
    }
  }
  return [...out.values()].sort((a, b) => a.pid - b.pid);
}
