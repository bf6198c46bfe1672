// Parses `lsof -F` field output: one field per line, the first character names the field. A `p` line
// starts a process set (followed by c, u, L, R …), an `f` line starts a file set within it (t, P, n,
// T, d …). See lsof(8), "OUTPUT FOR OTHER PROGRAMS".
import type { Family, ListeningSocket, ProcessInfo } from '../../core/types';
import { parseLsofEndpoint } from './endpoint';
import { decodeLsofText } from './textEscapes';

/** One open network file reported by lsof, with the fields of the process holding it. */
export interface LsofFile {
  pid: number;
  ppid?: number;
  /** Process name (`c` field), escapes decoded. Untrusted text. */
  command: string;
  uid?: number;
  login?: string;
  /** File descriptor (`f` field). */
  fd: string;
  /** `IPv4` or `IPv6` (`t` field). */
  type: string;
  /** `TCP` or `UDP` (`P` field). */
  protocol: string;
  /** Name (`n` field): `*:3000`, `127.0.0.1:5432`, `[::1]:8080`, `a:1->b:2`. */
  name: string;
  /** TCP state from the `TST=` entry of the `T` field. */
  tcpState?: string;
  /** Device (`d` field): on macOS the socket's kernel address, the same for every process sharing it. */
  device?: string;
}

interface ProcessFields {
  pid: number;
  ppid?: number;
  command: string;
  uid?: number;
  login?: string;
}

/** Parses lsof field output (newline- or NUL-terminated fields) into its network files. Lines that do
 *  not fit the format are skipped; a process set whose `p` field is not a number is skipped whole. */
export function parseLsofFields(output: string): LsofFile[] {
  const files: LsofFile[] = [];
  let proc: ProcessFields | undefined;
  let file: Partial<LsofFile> | undefined;

  const flush = (): void => {
    if (proc && file?.fd !== undefined) {
      files.push({
        ...proc,
        fd: file.fd,
        type: file.type ?? '',
        protocol: file.protocol ?? '',
        name: file.name ?? '',
        tcpState: file.tcpState,
        device: file.device,
      });
    }
    file = undefined;
  };

  for (const line of output.split(/\r?\n|\0/)) {
    if (line.length === 0) {
      continue;
    }
    const id = line[0];
    const value = line.slice(1);
    if (id === 'p') {
      flush();
      const pid = toInt(value);
      proc = pid !== undefined && pid > 0 ? { pid, command: '' } : undefined;
      continue;
    }
    if (!proc) {
      continue;
    }
    if (id === 'f') {
      flush();
      file = { fd: value };
      continue;
    }
    if (!file) {
      // Process-set fields come before the first file set.
      switch (id) {
        case 'c':
          proc.command = decodeLsofText(value);
          break;
        case 'u':
          proc.uid = toInt(value);
          break;
        case 'L':
          proc.login = decodeLsofText(value);
          break;
        case 'R':
          proc.ppid = toInt(value);
          break;
      }
      continue;
    }
    switch (id) {
      case 't':
        file.type = value;
        break;
      case 'P':
        file.protocol = value;
        break;
      case 'n':
        file.name = value;
        break;
      case 'd':
        file.device = value;
        break;
      case 'T':
        if (value.startsWith('ST=')) {
          file.tcpState = value.slice(3);
        }
        break;
    }
  }
  flush();
  return files;
}

/**
 * Turns lsof's network files into listening sockets: TCP in state LISTEN, UDP bound to a port and
 * not connected. Processes sharing one socket (a forked server, an inherited fd) appear as separate
 * files with the same device; they become one socket with every process as an owner. Without a
 * usable device the socket is identified by protocol, address and port.
 */
export function listenersFromLsof(files: readonly LsofFile[]): ListeningSocket[] {
  const byKey = new Map<string, ListeningSocket>();
  for (const f of files) {
    const protocol = f.protocol.toUpperCase() === 'TCP' ? 'tcp' : f.protocol.toUpperCase() === 'UDP' ? 'udp' : undefined;
    const hint: Family | undefined = f.type === 'IPv4' ? 4 : f.type === 'IPv6' ? 6 : undefined;
    if (!protocol || !hint) {
      continue;
    }
    // lsof's -sTCP:LISTEN already selects listeners; a TCP file with another state only appears when
    // lsof was asked differently, and is not a listener.
    if (protocol === 'tcp' && f.tcpState !== undefined && f.tcpState !== 'LISTEN') {
      continue;
    }
    const endpoint = parseLsofEndpoint(f.name, hint);
    if (!endpoint) {
      continue;
    }
    const device = f.device && !/^0x0*$/i.test(f.device) ? f.device : undefined;
    const key = device
      ? `${protocol}|dev|${device}`
      : `${protocol}|${endpoint.family}|${endpoint.address}|${endpoint.port}`;
    let socket = byKey.get(key);
    if (!socket) {
      socket = {
        protocol,
        family: endpoint.family,
        address: endpoint.address,
        port: endpoint.port,
        state: protocol === 'tcp' ? 'LISTEN' : 'UNCONN',
        owners: [],
        ownerVisible: true,
      };
      byKey.set(key, socket);
    }
    if (!socket.owners.some((o) => o.pid === f.pid)) {
      socket.owners.push(ownerOf(f));
    }
  }
  const sockets = [...byKey.values()];
  for (const s of sockets) {
    s.owners.sort((a, b) => a.pid - b.pid);
    const uid = s.owners[0]?.uid;
    if (uid !== undefined) {
      s.uid = uid;
    }
  }
  return sockets;
}

function ownerOf(f: LsofFile): ProcessInfo {
  const owner: ProcessInfo = { pid: f.pid, name: f.command, command: '' };
  if (f.uid !== undefined) {
    owner.uid = f.uid;
  }
  const user = f.login ?? (f.uid !== undefined ? String(f.uid) : undefined);
  if (user !== undefined) {
    owner.user = user;
  }
  if (f.ppid !== undefined) {
    owner.ppid = f.ppid;
  }
  return owner;
}

function toInt(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}
