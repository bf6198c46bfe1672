// Parses Windows `netstat -ano`. Its title, headers and TCP state words are translated into the display
// language (German ABHÖREN, French ÉCOUTE, Italian IN ASCOLTO …), so nothing here depends on them:
// rows start with the ASCII protocol name and end with the pid, and a TCP listener is recognised by
// its foreign address `0.0.0.0:0` / `[::]:0`.
import { isIPv4 } from 'node:net';
import { normaliseHost } from '../../core/hostAddress';
import type { ConnectionSummary, Family, ListeningSocket } from '../../core/types';

/** One row of `netstat -ano`. */
export interface WindowsNetstatRow {
  protocol: 'tcp' | 'udp';
  family: Family;
  address: string;
  port: number;
  /** Foreign address as printed (`0.0.0.0:0`, `[::]:0`, `*:*`, `1.2.3.4:443`). */
  foreign: string;
  /** TCP state as printed, possibly translated and of several words; '' for UDP. */
  state: string;
  pid: number;
}

/** Parses every TCP and UDP row (IPv4 and IPv6; CRLF or LF). Header lines in any language and rows
 *  that do not fit are skipped. */
export function parseWindowsNetstat(output: string): WindowsNetstatRow[] {
  const rows: WindowsNetstatRow[] = [];
  for (const line of output.split(/\r?\n|\r/)) {
    const tokens = line.trim().split(/\s+/);
    const proto = (tokens[0] ?? '').toUpperCase();
    if ((proto !== 'TCP' && proto !== 'UDP') || tokens.length < 4) {
      continue;
    }
    const local = parseWindowsEndpoint(tokens[1]);
    const foreign = tokens[2];
    const stateWords = tokens.slice(3, -1);
    let pidText = tokens[tokens.length - 1];
    // The state column is 16 characters wide; a longer translated word runs straight into the pid
    // ("SCHLIESSEN_WARTEN4100"). Split it only for listeners, whose state words never end in a digit.
    const glued = /^(.*\D)(\d+)$/.exec(pidText);
    if (proto === 'TCP' && glued && isZeroAddress(foreign)) {
      stateWords.push(glued[1]);
      pidText = glued[2];
    }
    if (!/^\d+$/.test(pidText) || !local) {
      continue;
    }
    rows.push({
      protocol: proto === 'TCP' ? 'tcp' : 'udp',
      ...local,
      foreign,
      state: proto === 'TCP' ? stateWords.join(' ') : '',
      pid: Number(pidText),
    });
  }
  return rows;
}

/** Parses a netstat address: `0.0.0.0:135`, `127.0.0.1:5432`, `[::]:445`, `[fe80::1%7]:1900`.
 *  v4-mapped IPv6 becomes family 4. Undefined for `*:*` and anything else. */
export function parseWindowsEndpoint(text: string): { family: Family; address: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([\d.]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    return undefined;
  }
  if (m[2] !== undefined && !isIPv4(m[2])) {
    return undefined;
  }
  const host = normaliseHost(m[2] ?? m[1], m[2] !== undefined ? 4 : 6);
  return host && { ...host, port };
}

/** True for a TCP row that is listening, in any display language. */
export function isListeningRow(row: WindowsNetstatRow): boolean {
  if (row.protocol !== 'tcp') {
    return false;
  }
  const state = row.state.toUpperCase();
  // BOUND rows (netstat -q) also have no foreign address but are not listening.
  if (state === 'BOUND') {
    return false;
  }
  return state === 'LISTENING' || isZeroAddress(row.foreign);
}

function isZeroAddress(foreign: string): boolean {
  return foreign === '0.0.0.0:0' || foreign === '[::]:0';
}

/** True for a UDP row that is bound but not connected: foreign address `*:*`. A connected UDP socket
 *  (real capture, Windows 11: `UDP 127.0.0.1:52088 127.0.0.1:52088 2664`) names its peer there. */
export function isUnconnectedUdpRow(row: WindowsNetstatRow): boolean {
  return row.protocol === 'udp' && row.foreign === '*:*';
}

/** Listening TCP sockets and unconnected UDP sockets (foreign address `*:*`, as the macOS and Linux
 *  back-ends keep), one owner each. Pid 0 is netstat's "no process" and gives a socket without a visible
 *  owner; names come later. Rows that repeat protocol, address, port and pid become one socket: netstat
 *  prints each of a process's sockets on a port (a browser's 20 mDNS sockets on 5353) and gives nothing
 *  to tell them apart, so they would be identical rows the user cannot act on separately. */
export function listenersFromWindowsNetstat(rows: readonly WindowsNetstatRow[]): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (r.protocol === 'tcp' ? !isListeningRow(r) : !isUnconnectedUdpRow(r)) {
      continue;
    }
    const key = `${r.protocol}|${r.family}|${r.address}|${r.port}|${r.pid}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    sockets.push({
      protocol: r.protocol,
      family: r.family,
      address: r.address,
      port: r.port,
      state: r.protocol === 'tcp' ? 'LISTEN' : 'UNCONN',
      owners: r.pid > 0 ? [{ pid: r.pid, name: '', command: '' }] : [],
      ownerVisible: r.pid > 0,
    });
  }
  return sockets;
}

// English state words as netstat.exe prints them, mapped to the names the Linux back-end uses.
const ENGLISH_STATES: Record<string, string> = {
  LISTENING: 'LISTEN',
  ESTABLISHED: 'ESTABLISHED',
  SYN_SENT: 'SYN_SENT',
  SYN_RECEIVED: 'SYN_RECV',
  FIN_WAIT_1: 'FIN_WAIT1',
  FIN_WAIT_2: 'FIN_WAIT2',
  CLOSE_WAIT: 'CLOSE_WAIT',
  CLOSING: 'CLOSING',
  LAST_ACK: 'LAST_ACK',
  TIME_WAIT: 'TIME_WAIT',
  CLOSED: 'CLOSE',
  DELETE_TCB: 'DELETE_TCB',
  BOUND: 'BOUND',
};

/** Counts TCP states and unconnected UDP sockets. Undefined when a state word is not English: counting translated
 *  words under their own names would silently report, say, no TIME_WAIT on a German Windows. */
export function summaryFromWindowsNetstat(rows: readonly WindowsNetstatRow[]): ConnectionSummary | undefined {
  const tcpStates: Record<string, number> = {};
  let udpSockets = 0;
  for (const r of rows) {
    if (r.protocol === 'udp') {
      udpSockets += isUnconnectedUdpRow(r) ? 1 : 0;
      continue;
    }
    const state = ENGLISH_STATES[r.state.toUpperCase()];
    if (!state) {
      return undefined;
    }
    tcpStates[state] = (tcpStates[state] ?? 0) + 1;
  }
  return { tcpStates, timeWait: tcpStates.TIME_WAIT ?? 0, udpSockets };
}
