// Which of the sockets on a port could have refused a bind to the address a failure names. A program that
// failed on 127.0.0.1:3000 was refused by a listener on 127.0.0.1, 0.0.0.0 or the dual-stack `::`, not by
// one on ::1 or 192.168.1.5 — and Free Port must not offer to stop a process that did not cause it.
import type { ListeningSocket } from '../../core/types';

const ANY4 = '0.0.0.0';
const ANY6 = '::';

function family(address: string): 4 | 6 | undefined {
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(address)) {
    return 4;
  }
  return address.includes(':') ? 6 : undefined;
}

/** `::ffff:127.0.0.1` → `127.0.0.1`; `[::1]` → `::1`; zone ids dropped. */
function normalize(address: string): string {
  const a = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
  return mapped ? mapped[1] : a;
}

/** True when a listener on `socketAddress` makes a bind to `wanted` fail (`::` counted as dual-stack). */
export function addressesConflict(wanted: string, socketAddress: string): boolean {
  const w = normalize(wanted);
  const s = normalize(socketAddress);
  const fw = family(w);
  const fs = family(s);
  if (fw === undefined || fs === undefined) {
    return true; // a host name (localhost) or something unknown: any socket on the port may be it
  }
  if (w === s || s === ANY6 || w === ANY6) {
    return true;
  }
  if (fw === 4 && fs === 4) {
    return w === ANY4 || s === ANY4;
  }
  return false;
}

/** The sockets on the port that could have refused a bind to `host` (all of them when no host is known). */
export function conflictingSockets<S extends Pick<ListeningSocket, 'address'>>(sockets: readonly S[], host: string | undefined): S[] {
  return host === undefined ? [...sockets] : sockets.filter((s) => addressesConflict(host, s.address));
}
