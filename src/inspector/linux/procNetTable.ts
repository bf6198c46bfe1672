// Parses the socket tables /proc/net/{tcp,tcp6,udp,udp6}. Columns (see the kernel's
// net/ipv4/tcp_ipv4.c get_tcp4_sock): sl local rem st tx:rx tr:when retrnsmt uid timeout inode …
import type { Family, Protocol } from '../../core/types';
import { decodeProcAddress } from './procNetAddress';

/** Kernel TCP states by their hex code in /proc/net/tcp (include/net/tcp_states.h). */
export const TCP_STATES: Readonly<Record<string, string>> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
  '0C': 'NEW_SYN_RECV',
};

const TCP_LISTEN = '0A';
const TCP_ESTABLISHED = '01';
/** A bound, unconnected UDP socket sits in TCP_CLOSE (07): what `ss -lu` shows as UNCONN. */
const UDP_UNCONNECTED = '07';

/** One row of a /proc/net socket table. */
export interface ProcNetEntry {
  protocol: Protocol;
  family: Family;
  address: string;
  port: number;
  /** Hex state code as printed by the kernel (upper case). */
  stateCode: string;
  /** True for TCP LISTEN and unconnected UDP: the sockets a port inspector lists. */
  listening: boolean;
  uid: number;
  inode: number;
}

/** Per-state counts and the local ports of non-listening TCP sockets, gathered while scanning. */
export interface TableTally {
  tcpStates: Map<string, number>;
  /** Local ports of TCP sockets that are not listening (outgoing connections, TIME_WAIT …). */
  activeTcpPorts: Set<number>;
  udpSockets: number;
  /** Established TCP sockets per local port: a listener's accepted connections share its port. */
  establishedByPort: Map<number, number>;
  /** Other non-listening TCP sockets per local port (TIME_WAIT, CLOSE_WAIT, …): recently ended ones. */
  closingByPort: Map<number, number>;
}

export function newTally(): TableTally {
  return { tcpStates: new Map(), activeTcpPorts: new Set(), udpSockets: 0, establishedByPort: new Map(), closingByPort: new Map() };
}

/** Parses one table's text and returns its listening sockets; every other row is only counted in
 *  `tally`. Hand-scanned rather than split by regex: a busy server's tables are megabytes, read on every
 *  refresh. Malformed lines are skipped: a line can be cut when a socket disappears mid-read. */
export function scanProcNetTable(text: string, protocol: Protocol, tally?: TableTally): ProcNetEntry[] {
  const out: ProcNetEntry[] = [];
  let pos = text.indexOf('\n') + 1; // skip the header
  if (pos === 0) {
    return out;
  }
  const fields: string[] = new Array(10);
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) {
      end = text.length;
    }
    // Tokenize the first 10 space-separated fields of [pos, end).
    let n = 0;
    let i = pos;
    while (n < 10 && i < end) {
      while (i < end && text.charCodeAt(i) === 32) {
        i++;
      }
      const startTok = i;
      while (i < end && text.charCodeAt(i) !== 32) {
        i++;
      }
      if (i > startTok) {
        fields[n++] = text.slice(startTok, i);
      }
    }
    pos = end + 1;
    if (n < 10) {
      continue;
    }
    const stateCode = fields[3].toUpperCase();
    const listening = protocol === 'tcp' ? stateCode === TCP_LISTEN : stateCode === UDP_UNCONNECTED;
    if (tally) {
      if (protocol === 'udp') {
        tally.udpSockets++;
      } else {
        tally.tcpStates.set(stateCode, (tally.tcpStates.get(stateCode) ?? 0) + 1);
        if (!listening) {
          const colon = fields[1].indexOf(':');
          const port = parseInt(fields[1].slice(colon + 1), 16);
          if (colon > 0 && port >= 0) {
            tally.activeTcpPorts.add(port);
            const byPort = stateCode === TCP_ESTABLISHED ? tally.establishedByPort : tally.closingByPort;
            byPort.set(port, (byPort.get(port) ?? 0) + 1);
          }
        }
      }
    }
    if (!listening) {
      continue;
    }
    const entry = entryFrom(fields, protocol, stateCode, listening);
    if (entry) {
      out.push(entry);
    }
  }
  return out;
}

function entryFrom(f: readonly string[], protocol: Protocol, stateCode: string, listening: boolean): ProcNetEntry | undefined {
  if (!f[0].endsWith(':')) {
    return undefined;
  }
  const local = decodeProcAddress(f[1]);
  const uid = Number(f[7]);
  const inode = Number(f[9]);
  if (!local || !/^[0-9A-F]{2}$/.test(stateCode) || !Number.isInteger(uid) || !Number.isInteger(inode)) {
    return undefined;
  }
  return { protocol, family: local.family, address: local.address, port: local.port, stateCode, listening, uid, inode };
}

/** Parses every row of a table (listening or not). For tests and tools; scans use scanProcNetTable. */
export function parseProcNetTable(text: string, protocol: Protocol): ProcNetEntry[] {
  const out: ProcNetEntry[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const entry = parseProcNetLine(lines[i], protocol);
    if (entry) {
      out.push(entry);
    }
  }
  return out;
}

/** Parses one data line, or returns undefined for the header, a blank or a malformed line. */
export function parseProcNetLine(line: string, protocol: Protocol): ProcNetEntry | undefined {
  const f = line.trim().split(/\s+/);
  if (f.length < 10) {
    return undefined;
  }
  const stateCode = f[3].toUpperCase();
  const listening = protocol === 'tcp' ? stateCode === TCP_LISTEN : stateCode === UDP_UNCONNECTED;
  return entryFrom(f, protocol, stateCode, listening);
}
