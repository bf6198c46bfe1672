// Maps what the systeminformation package reports into the model. Its networkConnections() splits the
// addresses of whichever tool it ran (Linux netstat/ss `127.0.0.1:5432`, `:::3000`,
// `::ffff:127.0.0.1:80`; BSD netstat `127.0.0.1.5432`, `*.22`, `::1.8080`) at the last colon, so a
// BSD address may arrive cut in the wrong place: the two halves are joined again and re-read.
import { normaliseHost } from '../../core/hostAddress';
import type { Family, ListeningSocket, ProcessInfo } from '../../core/types';

/** One entry of systeminformation's networkConnections(), as loosely as it really comes (pid null
 *  when the owner is not visible, ports as text). */
export interface SiConnection {
  protocol: string;
  localAddress: string;
  localPort: string | number;
  peerAddress?: string;
  peerPort?: string | number;
  state: string;
  pid: number | null;
  process?: string;
}

/** One entry of systeminformation's processes().list. */
export interface SiProcess {
  pid: number;
  parentPid?: number;
  name?: string;
  command?: string;
  params?: string;
  user?: string;
  /** Local time `YYYY-MM-DD hh:mm:ss`. */
  started?: string;
}

/** Turns systeminformation's connections into listening sockets (TCP LISTEN, UDP not connected),
 *  owners completed from its process list. Malformed entries are skipped. */
export function listenersFromSystemInformation(
  connections: readonly SiConnection[],
  processes: readonly SiProcess[],
): ListeningSocket[] {
  const byPid = new Map<number, SiProcess>();
  for (const p of processes) {
    if (p && Number.isSafeInteger(p.pid)) {
      byPid.set(p.pid, p);
    }
  }
  const seen = new Set<string>();
  const sockets: ListeningSocket[] = [];
  for (const c of connections) {
    if (!c || typeof c.protocol !== 'string' || typeof c.state !== 'string') {
      continue;
    }
    const protocol = /^tcp/i.test(c.protocol) ? 'tcp' : /^udp/i.test(c.protocol) ? 'udp' : undefined;
    if (!protocol || !isListening(protocol, c)) {
      continue;
    }
    const endpoint = siEndpoint(String(c.localAddress ?? ''), String(c.localPort ?? ''), /(6|46)$/.test(c.protocol) ? 6 : 4);
    if (!endpoint) {
      continue;
    }
    const pid = typeof c.pid === 'number' && Number.isSafeInteger(c.pid) && c.pid > 0 ? c.pid : undefined;
    const key = `${protocol}|${endpoint.family}|${endpoint.address}|${endpoint.port}|${pid ?? '-'}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    sockets.push({
      protocol,
      ...endpoint,
      state: protocol === 'tcp' ? 'LISTEN' : 'UNCONN',
      owners: pid !== undefined ? [ownerOf(pid, c, byPid.get(pid))] : [],
      ownerVisible: pid !== undefined,
    });
  }
  return sockets;
}

function isListening(protocol: 'tcp' | 'udp', c: SiConnection): boolean {
  const state = c.state.toUpperCase();
  if (protocol === 'tcp') {
    return state === 'LISTEN' || state === 'LISTENING';
  }
  // A connected UDP socket is a client's; a bound one has no peer (or a wildcard one).
  if (state === 'ESTABLISHED' || state === 'ESTAB') {
    return false;
  }
  const peer = String(c.peerAddress ?? '');
  return peer === '' || peer === '*' || peer === '0.0.0.0' || peer === '::' || peer === '*.*';
}

/** Reads a local address and port as systeminformation gives them, repairing BSD-style `host.port`
 *  text that it split at a colon. `*` and empty hosts are the wildcard of `familyHint`. */
export function siEndpoint(
  address: string,
  port: string,
  familyHint: Family,
): { family: Family; address: string; port: number } | undefined {
  if (/^\d+$/.test(port)) {
    const host = normaliseHost(address, familyHint);
    if (host) {
      return withPort(host, port);
    }
  }
  const raw = port === '' ? address : `${address}:${port}`;
  for (const m of [/^(.*)\.(\d+)$/.exec(raw), /^(.*):(\d+)$/.exec(raw)]) {
    const host = m ? normaliseHost(m[1], familyHint) : undefined;
    if (m && host) {
      return withPort(host, m[2]);
    }
  }
  return undefined;
}

function withPort(host: { family: Family; address: string }, portText: string): { family: Family; address: string; port: number } | undefined {
  const port = Number(portText);
  return port >= 1 && port <= 65535 ? { ...host, port } : undefined;
}

function ownerOf(pid: number, c: SiConnection, p: SiProcess | undefined): ProcessInfo {
  const owner: ProcessInfo = { pid, name: p?.name || (typeof c.process === 'string' ? c.process : ''), command: '' };
  if (!p) {
    return owner;
  }
  const command = (p.command ?? '').trim();
  const params = (p.params ?? '').trim();
  owner.command = params && !command.endsWith(params) ? `${command} ${params}`.trim() : command;
  if (p.user) {
    owner.user = p.user;
  }
  if (typeof p.parentPid === 'number') {
    owner.ppid = p.parentPid;
  }
  const started = parseStarted(p.started);
  if (started !== undefined) {
    owner.startTime = started;
  }
  return owner;
}

/** Parses systeminformation's `started` (`2026-11-24 14:33:49`, local time). */
export function parseStarted(text: string | undefined): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(text ?? '');
  if (!m) {
    return undefined;
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(y, mo - 1, d, h, mi, s);
  return date.getMonth() === mo - 1 && date.getDate() === d ? date.getTime() : undefined;
}
