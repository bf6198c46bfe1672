// A port named by number, protocol and (optionally) address: the argument form of the port commands when
// they are run from a hover link. A `command:` link's arguments arrive as JSON that anything rendering
// Markdown could have written, so they are validated field by field and resolved against the current
// snapshot: the command acts on what is listening now, never on a pid or a process the link claims.
import { socketsOnPort } from '../core/sockets';
import type { ListeningSocket, Protocol, Snapshot } from '../core/types';

/** A port the user pointed at, to be looked up in the current snapshot. */
export interface PortRef {
  port: number;
  protocol: Protocol;
  /** The local address of the socket meant, when the link names one. */
  address?: string;
}

/** Longest address accepted (an IPv6 address with a zone fits easily). */
const ADDRESS_MAX = 64;
const ADDRESS_PATTERN = /^[0-9A-Za-z.:%*_-]+$/;

/** True for a plain object (not null, not an array). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a port reference: an object with an integer `port` in 1–65535, `protocol` `tcp` or `udp`, and
 * optionally `address` (an IP address or `*`, at most 64 characters). Other fields are ignored. Undefined
 * when `value` is not one, so callers can try other argument forms.
 */
export function parsePortRef(value: unknown): PortRef | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const { port, protocol, address } = value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    return undefined;
  }
  if (protocol !== 'tcp' && protocol !== 'udp') {
    return undefined;
  }
  if (address === undefined) {
    return { port, protocol };
  }
  if (typeof address !== 'string' || address.length === 0 || address.length > ADDRESS_MAX || !ADDRESS_PATTERN.test(address)) {
    return undefined;
  }
  return { port, protocol, address };
}

/** True when `value` looks like a port reference (has `port` and `protocol`) but is not a valid one. */
export function isMalformedPortRef(value: unknown): boolean {
  return isRecord(value) && 'port' in value && 'protocol' in value && !('owners' in value) && parsePortRef(value) === undefined;
}

/**
 * The socket a reference means in `snapshot`: the one at its address when it names one, else the first on
 * the port with a visible owner, else the first on the port. Undefined when nothing listens there.
 */
export function resolvePortRef(snapshot: Pick<Snapshot, 'sockets'>, ref: PortRef): ListeningSocket | undefined {
  const onPort = socketsOnPort(snapshot, ref.port, ref.protocol);
  if (ref.address !== undefined) {
    const exact = onPort.find((s) => s.address === ref.address);
    if (exact) {
      return exact;
    }
  }
  return onPort.find((s) => s.ownerVisible && s.owners.length > 0) ?? onPort[0];
}

/** The JSON a hover link carries for `socket`: number, protocol, address; never a pid or a name. */
export function portRefOf(socket: Pick<ListeningSocket, 'port' | 'protocol' | 'address'>): PortRef {
  return { port: socket.port, protocol: socket.protocol, address: socket.address };
}
