// Activity in plain words, for the log channel, notifications and the troubleshooting report. The text
// holds process names (untrusted): each surface escapes it for its medium.
import { plainText } from '../../core/displayText';
import type { ActivityContainer, ActivityEvent, ActivityHolder } from './types';

/** `12:04` for a time today (relative to `now`), `2024-05-01 12:04` otherwise; local time. */
export function clockTime(ms: number, now: number = Date.now()): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const today = new Date(now);
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? time : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/** `node (pid 4242)`, `node (pid 4242) and 2 more`, or `a process whose owner was not visible (uid 0)`. */
export function describeHolders(holders: readonly ActivityHolder[], more = 0, uid?: number): string {
  if (holders.length === 0) {
    return `a process whose owner was not visible${uid !== undefined ? ` (uid ${uid})` : ''}`;
  }
  const first = holders[0];
  const others = holders.length - 1 + more;
  return `${plainText(first.name, 64)} (pid ${first.pid})${others > 0 ? ` and ${others} more` : ''}`;
}

/** `container shop-web-1 (compose service "web" of project "shop", pi-busybox)`: plain, NOT escaped. */
export function describeContainer(c: ActivityContainer): string {
  const facts = [...(c.compose ? [`compose service "${plainText(c.compose.service, 128)}" of project "${plainText(c.compose.project, 128)}"`] : []), ...(c.image ? [plainText(c.image, 128)] : [])];
  return `container ${plainText(c.name, 128)}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
}

/** Who held the port in an event: its container (through its forwarders) or its processes. */
export function describeEventHolder(event: Pick<ActivityEvent, 'holders' | 'moreHolders' | 'uid' | 'container'>): string {
  if (event.container) {
    return `${describeContainer(event.container)}${event.holders.length > 0 ? ` via ${describeHolders(event.holders, event.moreHolders)}` : ''}`;
  }
  return describeHolders(event.holders, event.moreHolders, event.uid);
}

/** `host:port` with brackets around IPv6 addresses. */
function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** One line, e.g. `12:04 opened TCP 127.0.0.1:3000 by node (pid 4242)`, or `… by container shop-web-1
 *  (compose service "web" of project "shop", pi-busybox) via docker-proxy (pid 4242)`. */
export function describeEvent(event: ActivityEvent, now: number = Date.now()): string {
  const sockets = event.sockets && event.sockets > 1 ? ` (${event.sockets} sockets)` : '';
  return `${clockTime(event.at, now)} ${event.kind} ${event.protocol.toUpperCase()} ${hostPort(event.address, event.port)}${sockets} by ${describeEventHolder(event)}`;
}

/** Who held a port last: the newest `closed` event for it, in words the report can use. */
export interface LastHolder {
  event: ActivityEvent;
  /** Last seen open (the snapshot before the one that saw it closed). */
  lastSeen: number;
  /** Seen closed. */
  goneBy: number;
  /** `port 3000 was held by node (pid 4242) until 12:04` */
  text: string;
}

/** Builds a {@link LastHolder} from a `closed` event. */
export function lastHolderOf(event: ActivityEvent, now: number = Date.now()): LastHolder {
  const lastSeen = event.previousAt ?? event.at;
  const goneBy = event.at;
  const until = clockTime(lastSeen, now);
  const gone = clockTime(goneBy, now);
  const when = until === gone ? `until ${until}` : `until ${until} (gone by ${gone})`;
  return {
    event,
    lastSeen,
    goneBy,
    text: `port ${event.port} was held by ${describeEventHolder(event)} ${when}`,
  };
}
