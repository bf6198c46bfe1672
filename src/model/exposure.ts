// Who can reach a socket, judged from the local address it is bound to.

/** How far a bound address reaches:
 *  - `loopback`: this machine only (127.0.0.0/8, ::1, v4-mapped loopback);
 *  - `all`: a wildcard (`0.0.0.0`, `::`, `*`), reachable through every interface, so from the network;
 *  - `interface`: one specific address, reachable by whoever can reach that interface. */
export type ExposureScope = 'loopback' | 'all' | 'interface';

/** For a specific interface address: which network can reach it. `unknown` when the text is not an IP
 *  address (a host name from a tool that resolved names, garbage). */
export type InterfaceNetwork = 'private' | 'link-local' | 'public' | 'multicast' | 'unknown';

/** Reachability of one bound address. */
export interface Exposure {
  readonly scope: ExposureScope;
  /** Set only when `scope` is `interface`. */
  readonly network?: InterfaceNetwork;
  /** Plain words, e.g. `All interfaces (reachable from the network)`. */
  readonly label: string;
}

const LOOPBACK: Exposure = Object.freeze({ scope: 'loopback', label: 'Loopback only (this machine)' });
const ALL: Exposure = Object.freeze({ scope: 'all', label: 'All interfaces (reachable from the network)' });

const INTERFACE_LABELS: Readonly<Record<InterfaceNetwork, string>> = {
  private: 'Private network address',
  'link-local': 'Link-local address (this network segment)',
  public: 'Public address',
  multicast: 'Multicast group',
  unknown: 'Specific address',
};

const INTERFACES = Object.fromEntries(
  (Object.keys(INTERFACE_LABELS) as InterfaceNetwork[]).map((network) => [
    network,
    Object.freeze({ scope: 'interface', network, label: INTERFACE_LABELS[network] }),
  ]),
) as Readonly<Record<InterfaceNetwork, Exposure>>;

function onInterface(network: InterfaceNetwork): Exposure {
  return INTERFACES[network];
}

/** Parses dotted-quad IPv4 text into four octets, or undefined. */
function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return undefined;
  }
  const octets: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) {
      return undefined;
    }
    octets.push(Number(part));
  }
  return octets;
}

/** Parses IPv6 text (with `::` compression and an optional dotted-quad tail) into eight 16-bit groups. */
function parseIpv6(text: string): number[] | undefined {
  if (!text.includes(':')) {
    return undefined;
  }
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    // ::ffff:1.2.3.4 — rewrite the dotted tail as two hex groups and parse the rest as usual.
    const v4 = parseIpv4(last);
    if (!v4) {
      return undefined;
    }
    const hi = ((v4[0] << 8) | v4[1]).toString(16);
    const lo = ((v4[2] << 8) | v4[3]).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hi}:${lo}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const groups = (s: string): number[] | undefined => {
    if (s === '') {
      return [];
    }
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-f]{1,4}$/i.test(g)) {
        return undefined;
      }
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  if (!left || !right) {
    return undefined;
  }
  const given = left.length + right.length;
  if (halves.length === 2 ? given > 7 : given !== 8) {
    return undefined;
  }
  return [...left, ...new Array<number>(8 - given).fill(0), ...right];
}

function classifyIpv4(o: number[]): Exposure {
  const [a, b] = o;
  if (a === 127) {
    return LOOPBACK;
  }
  if (a === 0 && b === 0 && o[2] === 0 && o[3] === 0) {
    return ALL;
  }
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) {
    // 100.64.0.0/10 is carrier-grade NAT / Tailscale space: not the open internet.
    return onInterface('private');
  }
  if (a === 169 && b === 254) {
    return onInterface('link-local');
  }
  if (a >= 224 && a <= 239) {
    return onInterface('multicast');
  }
  return onInterface('public');
}

function classifyIpv6(g: number[]): Exposure {
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    // v4-mapped (::ffff:a.b.c.d): a dual-stack socket bound to an IPv4 address.
    return classifyIpv4([g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff]);
  }
  if (g.slice(0, 7).every((x) => x === 0)) {
    if (g[7] === 0) {
      return ALL;
    }
    if (g[7] === 1) {
      return LOOPBACK;
    }
  }
  if ((g[0] & 0xffc0) === 0xfe80) {
    return onInterface('link-local');
  }
  if ((g[0] & 0xfe00) === 0xfc00) {
    return onInterface('private'); // unique local addresses, fc00::/7
  }
  if ((g[0] & 0xff00) === 0xff00) {
    return onInterface('multicast');
  }
  return onInterface('public');
}

/**
 * How far a socket bound to `address` reaches. Accepts the forms back-ends print: `127.0.0.1`, `::1`,
 * `0.0.0.0`, `::`, `*`, `[::]`, `::ffff:127.0.0.1`, `fe80::1%eth0`. Never throws: text that is not an IP
 * address counts as a specific interface of unknown reach, never as loopback, so nothing is hidden.
 */
export function addressExposure(address: string): Exposure {
  let text = String(address).trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    text = text.slice(1, -1);
  }
  // The zone (%eth0) names the interface of a link-local address; it does not change the reach.
  const zone = text.indexOf('%');
  if (zone >= 0) {
    text = text.slice(0, zone);
  }
  if (text === '*' || text === '') {
    // lsof and netstat print `*` for a wildcard; an empty address from a tool means the same.
    return ALL;
  }
  if (text.toLowerCase() === 'localhost') {
    return LOOPBACK;
  }
  const v4 = parseIpv4(text);
  if (v4) {
    return classifyIpv4(v4);
  }
  const v6 = parseIpv6(text);
  return v6 ? classifyIpv6(v6) : onInterface('unknown');
}
