// The three IANA port ranges (RFC 6335 §6): who may assign a port decides what to expect there.

/** IANA range of a port: System (well-known), User (registered), Dynamic/private (ephemeral). */
export type PortRange = 'well-known' | 'registered' | 'dynamic';

/** Highest port of the well-known (system) range. */
export const WELL_KNOWN_MAX = 1023;
/** Highest port of the registered (user) range; the dynamic range starts right after it. */
export const REGISTERED_MAX = 49151;
/** Highest valid port number. */
export const PORT_MAX = 65535;

const LABELS: Readonly<Record<PortRange, string>> = {
  'well-known': 'Well-known port (0–1023)',
  registered: 'Registered port (1024–49151)',
  dynamic: 'Dynamic/private port (49152–65535)',
};

/** Throws a RangeError unless `port` is an integer in 0–65535. Returns the port for chaining. */
export function checkPort(port: number): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > PORT_MAX) {
    throw new RangeError(`Invalid port ${String(port)}: a port is a whole number from 0 to ${PORT_MAX}.`);
  }
  return port;
}

/** The IANA range `port` falls in. Throws a RangeError for a non-integer or a port outside 0–65535. */
export function portRange(port: number): PortRange {
  checkPort(port);
  if (port <= WELL_KNOWN_MAX) {
    return 'well-known';
  }
  return port <= REGISTERED_MAX ? 'registered' : 'dynamic';
}

/** A short human label for a range, with its bounds, e.g. `Registered port (1024–49151)`. */
export function portRangeLabel(range: PortRange): string {
  return LABELS[range];
}
