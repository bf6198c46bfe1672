// Command lines on Windows come from WMI/CIM through PowerShell: about half a second to start, so they
// are fetched one process at a time when the user asks, never during a scan.
import { run } from '../exec';
import type { RunResult } from '../exec';
import { InspectorError } from '../../core/types';

/** Runs a program; {@link run} in production, a fake returning captured output in tests. */
export type Runner = typeof run;

/** The PowerShell script that prints one process's command line as JSON (nothing if it is gone).
 *  UTF-8 output so that non-ASCII paths survive; no progress records on stderr. */
export function commandLineScript(pid: number): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    "$ProgressPreference = 'SilentlyContinue'",
    '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
    `$p = Get-CimInstance -ClassName Win32_Process -Filter 'ProcessId = ${pid}'`,
    'if ($p) { [pscustomobject]@{ pid = [int]$p.ProcessId; commandLine = $p.CommandLine; path = $p.ExecutablePath } | ConvertTo-Json -Compress }',
  ].join('; ');
}

/** PowerShell arguments: no profile (fast, no user script output), non-interactive, and the script
 *  passed base64-encoded (UTF-16LE) so that no quoting can go wrong between Node and PowerShell. */
export function powerShellArgs(script: string): string[] {
  return ['-NoProfile', '-NonInteractive', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')];
}

/**
 * Runs a PowerShell script: Windows PowerShell (`powershell.exe`) first, then PowerShell 7 (`pwsh`).
 * Rejects with an {@link InspectorError}: TOOL_MISSING (in plain words) when neither is installed.
 */
export async function runPowerShell(
  script: string,
  runner: Runner = run,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<RunResult> {
  const args = powerShellArgs(script);
  const runOptions = { timeoutMs: options.timeoutMs ?? 20_000, encoding: 'utf8' as const, signal: options.signal };
  try {
    return await runner('powershell.exe', args, runOptions);
  } catch (error) {
    if (!(error instanceof InspectorError && error.code === 'TOOL_MISSING')) {
      throw error;
    }
  }
  try {
    return await runner('pwsh', args, runOptions);
  } catch (again) {
    if (again instanceof InspectorError && again.code === 'TOOL_MISSING') {
      throw new InspectorError('PowerShell is not available, so command lines and parent processes cannot be read.', 'TOOL_MISSING', again.detail);
    }
    throw again;
  }
}

/**
 * The full command line of process `pid`, or undefined when there is no such process. '' when the
 * process exists but its command line cannot be read (System, another user's elevated process).
 * Rejects with an {@link InspectorError}: TOOL_MISSING without PowerShell, PARSE for unreadable output.
 */
export async function windowsCommandLine(pid: number, runner: Runner = run): Promise<string | undefined> {
  if (!Number.isSafeInteger(pid) || pid < 0) {
    throw new InspectorError(`Not a process id: ${String(pid)}.`, 'FAILED');
  }
  if (pid === 0) {
    return undefined; // System Idle Process: not a real process, WMI has no command line for it.
  }
  const result = await runPowerShell(commandLineScript(pid), runner);
  return parseCommandLineJson(result.stdout, pid);
}

/** Reads the script's output: undefined for no output (no such process), the command line otherwise. */
export function parseCommandLineJson(stdout: string, pid: number): string | undefined {
  const text = stdout.replace(/^\uFEFF/, '').trim();
  if (text === '') {
    return undefined;
  }
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  let value: unknown;
  try {
    value = start >= 0 && end > start ? JSON.parse(text.slice(start, end + 1)) : undefined;
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null) {
    throw new InspectorError(`Could not read the command line of process ${pid}.`, 'PARSE', text.slice(0, 200));
  }
  const record = value as Record<string, unknown>;
  if (record.pid !== pid) {
    throw new InspectorError(`Could not read the command line of process ${pid}.`, 'PARSE', text.slice(0, 200));
  }
  return typeof record.commandLine === 'string' ? record.commandLine : '';
}
