// Where to connect to reach a local listening socket, and the URL to open it in a browser.
import type { ListeningSocket } from '../core/types';

const WILDCARDS_V4 = new Set(['0.0.0.0', '*']);
const WILDCARDS_V6 = new Set(['::', '[::]']);

/**
 * The address to connect to for a local socket: a wildcard bind is reached through loopback of the same
 * family (`0.0.0.0` → `127.0.0.1`, `::` → `::1`), anything else at its own address.
 */
export function connectHost(socket: Pick<ListeningSocket, 'address' | 'family'>): string {
  if (WILDCARDS_V4.has(socket.address)) {
    return '127.0.0.1';
  }
  if (WILDCARDS_V6.has(socket.address)) {
    return '::1';
  }
  return socket.address;
}

/**
 * The URL for "Open in Browser". Loopback and wildcard binds use `localhost` (what dev servers print, and
 * what VS Code's port forwarding recognises in a remote window); a specific address is used as is, IPv6
 * in brackets with its zone escaped as `%25` (RFC 6874).
 */
export function browserUrl(socket: Pick<ListeningSocket, 'address' | 'family' | 'port'>, scheme: 'http' | 'https'): string {
  const host = connectHost(socket);
  const local = host === '127.0.0.1' || host === '::1' || /^127\./.test(host);
  const shown = local ? 'localhost' : host.includes(':') ? `[${host.replace('%', '%25')}]` : host;
  return `${scheme}://${shown}:${socket.port}/`;
}
