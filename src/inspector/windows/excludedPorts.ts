// Port ranges Windows reserves (`netsh interface ipv4 show excludedportrange protocol=tcp`): Hyper-V, WSL,
// Docker and WinNAT take blocks of 100 ports, administrators add their own. Binding a port inside one
// fails with "access denied" (WSAEACCES) although nothing listens on it — the usual cause of EACCES on a
// free port on Windows. The table's title, headers and footnote are translated (German
// "Portausschlussbereiche …", Chinese "协议 tcp 端口排除范围"), so rows are read by their shape only: two
// port numbers, and a `*` for an administered exclusion.
import { run } from '../exec';
import type { Family, Protocol } from '../../core/types';
import { InspectorError } from '../../core/types';
import type { Runner } from './commandLine';
import { decodeConsoleText } from './consoleText';

/** One range of ports Windows keeps from programs. (Shared vocabulary for the troubleshooting report
 *  and Find a Free Port; it lives here, next to the only code that produces it.) */
export interface ReservedPortRange {
  protocol: Protocol;
  family: Family;
  /** First and last reserved port, inclusive. */
  start: number;
  end: number;
  /** Added by an administrator (`netsh … add excludedportrange`), marked `*`; otherwise taken
   *  dynamically by a system component (Hyper-V, WinNAT). */
  administered: boolean;
}

/** netsh's arguments for one family and protocol. */
export function excludedPortRangeArgs(family: Family, protocol: Protocol): string[] {
  return ['interface', family === 4 ? 'ipv4' : 'ipv6', 'show', 'excludedportrange', `protocol=${protocol}`];
}

/** The rows of `netsh … show excludedportrange` in any display language: lines holding two ports (start
 *  not above end) and optionally `*`. Everything else — title, headers, dashes, footnote — is skipped. */
export function parseExcludedPortRanges(output: string): Array<{ start: number; end: number; administered: boolean }> {
  const ranges: Array<{ start: number; end: number; administered: boolean }> = [];
  for (const line of output.split(/\r?\n|\r/)) {
    const m = /^\s*(\d{1,5})\s+(\d{1,5})\s*(\*)?\s*$/.exec(line);
    if (!m) {
      continue;
    }
    const start = Number(m[1]);
    const end = Number(m[2]);
    if (start <= end && end <= 65535) {
      ranges.push({ start, end, administered: m[3] === '*' });
    }
  }
  return ranges;
}

/** What {@link readReservedPortRanges} found. */
export interface ReservedPortRanges {
  ranges: ReservedPortRange[];
  /** Tables that could not be read, in plain words (netsh missing, a timeout). */
  problems: string[];
}

export interface ReadReservedOptions {
  /** Default `process.platform`: only Windows has these ranges; elsewhere nothing runs. */
  platform?: NodeJS.Platform;
  /** Default both. */
  protocols?: readonly Protocol[];
  runner?: Runner;
  signal?: AbortSignal;
}

/**
 * Reads the reserved ranges for IPv4 and IPv6 and each protocol asked for (netsh, in parallel, 10 s
 * each). Undefined when not on Windows. Never rejects: a table that cannot be read becomes a problem.
 */
export async function readReservedPortRanges(options: ReadReservedOptions = {}): Promise<ReservedPortRanges | undefined> {
  if ((options.platform ?? process.platform) !== 'win32') {
    return undefined;
  }
  const runner = options.runner ?? run;
  const tables = (options.protocols ?? ['tcp', 'udp']).flatMap((protocol) => ([4, 6] as const).map((family) => ({ protocol, family })));
  const results = await Promise.allSettled(
    tables.map((t) =>
      runner('netsh', excludedPortRangeArgs(t.family, t.protocol), { timeoutMs: 10_000, encoding: 'latin1', signal: options.signal }),
    ),
  );
  const found: ReservedPortRanges = { ranges: [], problems: [] };
  results.forEach((result, i) => {
    const { protocol, family } = tables[i];
    if (result.status === 'fulfilled') {
      for (const r of parseExcludedPortRanges(decodeConsoleText(result.value.stdout))) {
        found.ranges.push({ protocol, family, ...r });
      }
      return;
    }
    const error: unknown = result.reason;
    const text =
      error instanceof InspectorError && error.code === 'TOOL_MISSING'
        ? 'netsh.exe was not found (it is part of Windows, in C:\\Windows\\System32)'
        : error instanceof Error
          ? error.message
          : String(error);
    const problem = `The ${protocol.toUpperCase()}/IPv${family} reserved port ranges could not be read: ${text}`;
    if (!found.problems.some((p) => p.endsWith(text))) {
      found.problems.push(problem);
    }
  });
  return found;
}

/** The ranges holding `port` (of `protocol`, when given), narrowest first. */
export function rangesContaining(ranges: readonly ReservedPortRange[], port: number, protocol?: Protocol): ReservedPortRange[] {
  return ranges
    .filter((r) => r.start <= port && port <= r.end && (protocol === undefined || r.protocol === protocol))
    .sort((a, b) => a.end - a.start - (b.end - b.start) || a.family - b.family);
}

/** `TCP 50000–50059 (IPv4, IPv6; administered)`: ranges with the same protocol and bounds in one phrase. */
export function describeReservedRanges(ranges: readonly ReservedPortRange[]): string[] {
  const groups = new Map<string, ReservedPortRange[]>();
  for (const r of ranges) {
    const key = `${r.protocol}|${r.start}|${r.end}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((group) => {
    const r = group[0];
    const families = [...new Set(group.map((g) => `IPv${g.family}`))].join(', ');
    const span = r.start === r.end ? `${r.start}` : `${r.start}–${r.end}`;
    return `${r.protocol.toUpperCase()} ${span} (${families}${group.some((g) => g.administered) ? '; administered' : ''})`;
  });
}
