// Parses the one `ps` call that completes the owners: full command lines, users, parents, start times.
import { decodeVisText } from './textEscapes';

/** The `ps` fields we ask for, in this order; each given as its own `-o` so that no header is printed
 *  and no keyword is mistaken for header text. */
export const PS_FIELDS = ['pid', 'ppid', 'uid', 'user', 'lstart', 'command'] as const;

/** What `ps` says about one process. */
export interface PsProcess {
  pid: number;
  ppid: number;
  uid: number;
  user: string;
  /** Milliseconds since the epoch (local time as printed by `lstart`), undefined if unreadable. */
  startTime?: number;
  /** Full command line; `(name)` when ps may not read another user's arguments. Untrusted text. */
  command: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LSTART = String.raw`[A-Z][a-z]{2}\s+([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})`;
const WITH_LSTART = new RegExp(String.raw`^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(${LSTART})(?:\s(.*))?$`);
const WITHOUT_LSTART = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)(?:\s+(.*))?$/;

/** Parses `ps -o pid= -o ppid= -o uid= -o user= -o lstart= -o command=` output (LC_ALL=C), keyed by
 *  pid. Lines that do not start with three numbers and a user are skipped. */
export function parsePsProcesses(output: string): Map<number, PsProcess> {
  const result = new Map<number, PsProcess>();
  for (const line of output.split(/\r?\n/)) {
    const full = WITH_LSTART.exec(line);
    const m = full ?? WITHOUT_LSTART.exec(line);
    if (!m) {
      continue;
    }
    const proc: PsProcess = {
      pid: Number(m[1]),
      ppid: Number(m[2]),
      uid: Number(m[3]),
      user: m[4],
      command: decodeVisText(((full ? m[12] : m[5]) ?? '').trim()),
    };
    const start = full ? parseLstart(m[5]) : undefined;
    if (start !== undefined) {
      proc.startTime = start;
    }
    result.set(proc.pid, proc);
  }
  return result;
}

/** Parses a C-locale `lstart` (`Tue Nov 24 14:24:47 2026`, strftime `%c`) as local time. */
export function parseLstart(text: string): number | undefined {
  const m = new RegExp(`^${LSTART}$`).exec(text.trim());
  if (!m) {
    return undefined;
  }
  const month = MONTHS.indexOf(m[1]);
  if (month < 0) {
    return undefined;
  }
  const [day, hour, minute, second, year] = [m[2], m[3], m[4], m[5], m[6]].map(Number);
  const date = new Date(year, month, day, hour, minute, second);
  return date.getDate() === day ? date.getTime() : undefined;
}
