// What connection tests found out about who speaks HTTP: "Open in Browser" offers a port the dev-port
// table does not know once a probe saw it answer HTTP or TLS. Remembered per process, not per port
// number: when another process takes the port, what the old one spoke says nothing about the new one.
import type { Identification } from '../inspector/probe';
import type { ListeningSocket } from '../core/types';

/** `http` / `https` when a probe saw the protocol; `none` when it saw something else answer. */
export type WebScheme = 'http' | 'https' | 'none';

const MAX_ENTRIES = 500;
const schemes = new Map<string, WebScheme>();

function keyOf(socket: Pick<ListeningSocket, 'protocol' | 'port' | 'owners'>): string {
  const owners = socket.owners.map((o) => `${o.pid}@${o.startTime ?? ''}`).join(',');
  return `${socket.protocol}|${socket.port}|${owners}`;
}

/** What an identification says about the web: HTTP (over TLS: https), TLS alone (most likely HTTPS
 *  that did not answer `HEAD /` in time), or neither. */
export function schemeOf(identified: Identification | undefined): WebScheme {
  if (!identified) {
    return 'none';
  }
  if (identified.kind === 'http') {
    return identified.tls ? 'https' : 'http';
  }
  return identified.kind === 'tls' ? 'https' : 'none';
}

/** Remembers what a connection test on `socket` identified (nothing when the test did not connect). */
export function rememberProbe(socket: Pick<ListeningSocket, 'protocol' | 'port' | 'owners'>, ok: boolean | undefined, identified: Identification | undefined): void {
  if (ok !== true || socket.protocol !== 'tcp') {
    return;
  }
  if (schemes.size >= MAX_ENTRIES) {
    schemes.delete(schemes.keys().next().value as string);
  }
  schemes.set(keyOf(socket), schemeOf(identified));
}

/** The scheme a probe saw on this socket's current owner, if one was tested. */
export function probedScheme(socket: Pick<ListeningSocket, 'protocol' | 'port' | 'owners'>): WebScheme | undefined {
  return schemes.get(keyOf(socket));
}
