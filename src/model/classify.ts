// One call that says everything the model knows about a port or a socket. Called for every socket on
// every refresh (thousands on a busy server), so results are cached per port/protocol and per address.
import type { ListeningSocket, Protocol } from '../core/types';
import type { DevPortEntry } from './devPorts';
import { devPortInfo } from './devPorts';
import type { Exposure } from './exposure';
import { addressExposure } from './exposure';
import type { IanaService } from './ianaService';
import { ianaService } from './ianaService';
import type { PortRange } from './portRange';
import { portRange, portRangeLabel } from './portRange';
import type { Risk } from './risk';
import { exposureRisk } from './risk';

/** What is known about a port over one protocol. Shared and frozen: do not mutate. */
export interface PortClassification {
  readonly port: number;
  readonly protocol: Protocol;
  readonly range: PortRange;
  readonly rangeLabel: string;
  /** IANA's assignment, when there is one. */
  readonly iana?: IanaService;
  /** What developers commonly run there, when it is a known default. */
  readonly dev?: DevPortEntry;
  /** Scheme for "Open in Browser": set only for TCP ports that usually serve HTTP(S). */
  readonly httpScheme?: 'http' | 'https';
}

/** A port classification plus who can reach this socket, and a warning when that is risky. */
export interface SocketClassification extends PortClassification {
  readonly exposure: Exposure;
  readonly risk?: Risk;
}

const byPort = new Map<number, PortClassification>();
const byAddress = new Map<string, Exposure>();
/** Addresses are few on a real machine; the cap only guards against a pathological source. */
const ADDRESS_CACHE_MAX = 4096;

/**
 * Classifies `port` over `protocol`: IANA range, IANA service, common developer use, browser scheme.
 * Throws a RangeError for an invalid port and a TypeError for a protocol other than tcp/udp.
 */
export function classifyPort(port: number, protocol: Protocol): PortClassification {
  if (protocol !== 'tcp' && protocol !== 'udp') {
    throw new TypeError(`Invalid protocol ${String(protocol)}: expected "tcp" or "udp".`);
  }
  // Numeric key: cheaper than a string per lookup. Invalid ports never reach the cache (portRange throws).
  const cacheKey = protocol === 'tcp' ? port : -1 - port;
  const cached = byPort.get(cacheKey);
  if (cached) {
    return cached;
  }
  const range = portRange(port);
  const iana = ianaService(port, protocol);
  const dev = devPortInfo(port, protocol);
  const httpScheme = protocol === 'tcp' ? dev?.http : undefined;
  const result: PortClassification = Object.freeze({
    port,
    protocol,
    range,
    rangeLabel: portRangeLabel(range),
    ...(iana && { iana: Object.freeze(iana) }),
    ...(dev && { dev }),
    ...(httpScheme && { httpScheme }),
  });
  byPort.set(cacheKey, result);
  return result;
}

function exposureOf(address: string): Exposure {
  let exposure = byAddress.get(address);
  if (!exposure) {
    exposure = addressExposure(address);
    if (byAddress.size >= ADDRESS_CACHE_MAX) {
      byAddress.clear();
    }
    byAddress.set(address, exposure);
  }
  return exposure;
}

/** Classifies a socket: its port classification, who can reach it, and the risk of that, if any. */
export function classifySocket(socket: ListeningSocket): SocketClassification {
  const port = classifyPort(socket.port, socket.protocol);
  const exposure = exposureOf(socket.address);
  const risk = exposureRisk(port.dev, exposure, socket.address);
  return risk ? { ...port, exposure, risk } : { ...port, exposure };
}
