// Parses macOS `netstat -anvl -p tcp|udp`. Unlike lsof it sees every socket of every user without
// privileges, and with -v it names the last process that used each socket. The -v columns changed in
// macOS 26 (network_cmds-726): `… rhiwat shiwat pid epid state options …` became
// `… rhiwat shiwat process:pid state options …`, the process name right-aligned before the colon and
// free to contain spaces. It is the kernel's name, cut to 16 bytes (`Code Helper (Plu`; see
// processName.ts). Both layouts are read by locating the pid column in the header.
import type { ConnectionSummary, Family, ListeningSocket } from '../../core/types';
import { parseNetstatEndpoint } from './endpoint';

/** One row of macOS `netstat -anv`. */
export interface DarwinNetstatRow {
  protocol: 'tcp' | 'udp';
  family: Family;
  address: string;
  port: number;
  /** Foreign address as printed (`*.*` when unconnected). */
  foreign: string;
  /** TCP state (`LISTEN`, `ESTABLISHED`, …); '' for UDP. */
  state: string;
  /** Last process that used the socket; undefined when the column is missing, 0 for none. */
  pid?: number;
  /** Process name from the macOS 26 `process:pid` column, at most 16 bytes (cut by the kernel);
   *  undefined in older layouts. Untrusted text. */
  processName?: string;
}

interface PidColumn {
  /** Index of the pid (or process:pid) column among the columns after (state). */
  index: number;
  /** How many columns follow it. */
  after: number;
  combined: boolean;
}

/** Parses the rows of `netstat -anvl` (TCP and UDP, IPv4 and IPv6). Rows whose address does not parse
 *  (unbound `*.*`, truncated text) and all other lines are skipped. */
export function parseDarwinNetstat(output: string): DarwinNetstatRow[] {
  const rows: DarwinNetstatRow[] = [];
  let column: PidColumn | undefined;
  for (const line of output.split(/\r?\n/)) {
    const spans = [...line.matchAll(/\S+/g)];
    const tokens = spans.map((m) => m[0]);
    if (tokens[0] === 'Proto') {
      column = pidColumnOf(tokens);
      continue;
    }
    const proto = /^(tcp|udp)(46|4|6)?$/.exec(tokens[0] ?? '');
    if (!proto || tokens.length < 5) {
      continue;
    }
    const protocol = proto[1] as 'tcp' | 'udp';
    // tcp46 is a dual-stack socket: its wildcard is printed IPv4-style as `*` but it is `::`.
    const hint: Family = proto[2] === '6' || proto[2] === '46' ? 6 : 4;
    const local = parseNetstatEndpoint(tokens[3], hint);
    if (!local) {
      continue;
    }
    const hasState = protocol === 'tcp';
    const state = hasState ? (tokens[5] ?? '') : '';
    const tailStart = hasState ? 6 : 5;
    const row: DarwinNetstatRow = { protocol, ...local, foreign: tokens[4], state };
    const owner = ownerOf(line, spans.slice(tailStart), column);
    if (owner) {
      row.pid = owner.pid;
      if (owner.name !== undefined) {
        row.processName = owner.name;
      }
    }
    rows.push(row);
  }
  return rows;
}

/** The listening sockets among netstat rows: TCP in LISTEN, UDP not connected. The owner is the last
 *  process that used the socket (pid 0 or missing: not known). Names are filled in later from `ps`. */
export function listenersFromNetstat(rows: readonly DarwinNetstatRow[]): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const r of rows) {
    if (r.protocol === 'tcp' ? r.state !== 'LISTEN' : r.foreign !== '*.*') {
      continue;
    }
    const known = r.pid !== undefined && r.pid > 0;
    sockets.push({
      protocol: r.protocol,
      family: r.family,
      address: r.address,
      port: r.port,
      state: r.protocol === 'tcp' ? 'LISTEN' : 'UNCONN',
      owners: known ? [{ pid: r.pid as number, name: r.processName ?? '', command: '' }] : [],
      ownerVisible: known,
    });
  }
  return sockets;
}

// The BSD spellings of netstat's tcpstates[] that differ from the names the Linux back-end uses.
const LINUX_STATE_NAMES: Record<string, string> = {
  SYN_RECEIVED: 'SYN_RECV',
  FIN_WAIT_1: 'FIN_WAIT1',
  FIN_WAIT_2: 'FIN_WAIT2',
  CLOSED: 'CLOSE',
};

/** Counts TCP states (under the Linux back-end's names) and unconnected UDP sockets. */
export function summaryFromNetstat(rows: readonly DarwinNetstatRow[]): ConnectionSummary {
  const tcpStates: Record<string, number> = {};
  let udpSockets = 0;
  for (const r of rows) {
    if (r.protocol === 'tcp') {
      if (r.state) {
        const state = LINUX_STATE_NAMES[r.state] ?? r.state;
        tcpStates[state] = (tcpStates[state] ?? 0) + 1;
      }
    } else if (r.foreign === '*.*') {
      udpSockets++;
    }
  }
  return { tcpStates, timeWait: tcpStates.TIME_WAIT ?? 0, udpSockets };
}

function pidColumnOf(header: string[]): PidColumn | undefined {
  const start = header.indexOf('(state)');
  if (start < 0) {
    return undefined;
  }
  const tail = header.slice(start + 1);
  const combined = tail.indexOf('process:pid');
  const index = combined >= 0 ? combined : tail.indexOf('pid');
  return index < 0 ? undefined : { index, after: tail.length - index - 1, combined: combined >= 0 };
}

function ownerOf(
  line: string,
  tail: readonly RegExpMatchArray[],
  column: PidColumn | undefined,
): { pid: number; name?: string } | undefined {
  if (!column || tail.length < column.index + column.after + 1) {
    return undefined;
  }
  if (!column.combined) {
    const text = tail[column.index][0];
    return /^\d+$/.test(text) ? { pid: Number(text) } : undefined;
  }
  // The name may hold spaces (and colons): take the raw text between the fixed columns around it.
  const first = tail[column.index];
  const last = tail[tail.length - column.after - 1];
  const text = line.slice(first.index ?? 0, (last.index ?? 0) + last[0].length);
  const m = /^(.*):(\d+)$/.exec(text);
  return m ? { pid: Number(m[2]), name: m[1] } : undefined;
}
