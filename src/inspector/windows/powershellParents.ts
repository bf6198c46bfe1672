// Every process's parent on Windows, for walking from a listener up to the terminal shell that started it
// (`npm run dev` in an integrated terminal gives node.exe → cmd.exe → node.exe → pwsh.exe). tasklist does
// not know parents; WMI/CIM does, through one PowerShell call for the whole table (about half a second),
// made only when a new process needs its chain.
//
// Windows never re-parents: a process keeps its parent's pid after the parent exits, and that pid may
// since have been given to a newer process. A parent created after its child is such a stranger, and the
// chain is cut there.
import { run } from '../exec';
import { InspectorError } from '../../core/types';
import { runPowerShell } from './commandLine';
import type { Runner } from './commandLine';

/** One process as the table script prints it. */
export interface WindowsProcessLink {
  ppid: number;
  /** Creation time, ms since the epoch; undefined when WMI has none (System Idle Process). */
  created?: number;
  /** The image name (`node.exe`), to name each process a tree stop would end. Untrusted text. */
  name?: string;
}

/** The PowerShell script printing `pid ppid created name` a line, `created` in ms since the epoch or `-`,
 *  the name last (it may hold spaces). Plain lines rather than JSON: ConvertTo-Json gives an object for
 *  one process and an array for more. */
export function processTableScript(): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    "$ProgressPreference = 'SilentlyContinue'",
    'Get-CimInstance -ClassName Win32_Process -Property ProcessId,ParentProcessId,CreationDate,Name | ForEach-Object { ' +
      "$c = if ($_.CreationDate) { ([DateTimeOffset]$_.CreationDate).ToUnixTimeMilliseconds() } else { '-' }; " +
      '"$($_.ProcessId) $($_.ParentProcessId) $c $($_.Name)" }',
  ].join('; ');
}

/** Parses the table script's output; lines that are not `pid ppid created [name]` are skipped. */
export function parseProcessTable(stdout: string): Map<number, WindowsProcessLink> {
  const table = new Map<number, WindowsProcessLink>();
  for (const line of stdout.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+|-)(?:[ \t]+(\S.*?))?\s*$/.exec(line);
    if (m) {
      const link: WindowsProcessLink = { ppid: Number(m[2]) };
      if (m[3] !== '-') {
        link.created = Number(m[3]);
      }
      if (m[4] !== undefined) {
        link.name = m[4];
      }
      table.set(Number(m[1]), link);
    }
  }
  return table;
}

/**
 * pid → parent pid, leaving out links to a parent that cannot be the real one: a process created after
 * its "child" (the real parent exited and its pid was reused) and a process naming itself. A parent that
 * is no longer in the table keeps its link: the chain simply ends there.
 */
export function parentLinks(table: ReadonlyMap<number, WindowsProcessLink>): Map<number, number> {
  const parents = new Map<number, number>();
  for (const [pid, link] of table) {
    if (link.ppid === pid) {
      continue;
    }
    const parent = table.get(link.ppid);
    if (parent?.created !== undefined && link.created !== undefined && parent.created > link.created) {
      continue;
    }
    parents.set(pid, link.ppid);
  }
  return parents;
}

/**
 * Reads every process's parent (see {@link parentLinks}).
 * @throws InspectorError TOOL_MISSING without PowerShell, PARSE when the output holds no process.
 */
export async function readWindowsParents(runner: Runner = run, signal?: AbortSignal): Promise<Map<number, number>> {
  return parentLinks(await readWindowsProcessTable(runner, signal));
}

/**
 * Every process with its parent, creation time and name, as WMI lists them (unfiltered: see
 * {@link parentLinks} for the links to trust).
 * @throws InspectorError TOOL_MISSING without PowerShell, PARSE when the output holds no process.
 */
export async function readWindowsProcessTable(runner: Runner = run, signal?: AbortSignal): Promise<Map<number, WindowsProcessLink>> {
  const result = await runPowerShell(processTableScript(), runner, { timeoutMs: 20_000, signal });
  const table = parseProcessTable(result.stdout);
  if (table.size === 0) {
    throw new InspectorError('Could not read the process table from WMI.', 'PARSE', result.stdout.slice(0, 200));
  }
  return table;
}
