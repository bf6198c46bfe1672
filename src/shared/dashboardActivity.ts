// The dashboard's Activity section as data: which events pass its filters (scope, unusual only), newest
// first and bounded; how times and holders read; which table row an event points at. Pure and DOM-free,
// so the webview and the unit tests run the same code.
import type { UnusualKind } from '../model/activity/types';
import type { TableEntry } from './dashboardTable';
import { parseTableFilter } from './dashboardTable';
import type { ActivityUiState, DashboardActivityEntry, HostMessage } from './protocol';
import { ACTIVITY_HELD_MAX, ACTIVITY_SHOWN_MAX } from './protocol';

/** Short badge text for each kind of unusual activity (the reason is the tooltip). */
export const UNUSUAL_LABELS: Readonly<Record<UnusualKind, string>> = {
  'network-exposed': 'Network',
  'well-known-port': 'Well-known port',
  flapping: 'Flapping',
};

// --- the events held

/**
 * The events held after a host message: `init` and `replace` start over, `append` adds at the end.
 * Oldest first; at most `max` (the oldest go first).
 */
export function mergeActivity(
  held: readonly DashboardActivityEntry[],
  message: Pick<Extract<HostMessage, { type: 'activity' }>, 'mode' | 'entries'>,
  max = ACTIVITY_HELD_MAX,
): DashboardActivityEntry[] {
  const all = message.mode === 'replace' ? [...message.entries] : [...held, ...message.entries];
  return all.length > max ? all.slice(all.length - max) : all;
}

// --- filtering

/** What the Activity section filters by, besides its own state. */
export interface ActivityContext {
  /** The row selected in the table (scope `selected`). */
  selected?: { port: number; protocol: 'tcp' | 'udp' };
  /** The table's filter text (scope `filter`). */
  filter: string;
}

/** The events to draw, and what the section says about the rest. */
export interface ActivityView {
  /** Newest first, at most `limit`. */
  shown: DashboardActivityEntry[];
  /** Events passing the filters (drawn or not). */
  matching: number;
  /** Of the events held, how many are unusual. */
  unusual: number;
  /** Scope `selected` with no row selected: nothing to show until one is. */
  needsSelection: boolean;
  /** The table's filter text is malformed (scope `filter`). */
  filterError?: string;
}

/** Lower-case text the table's free-text filter searches in an event. */
function searchText(e: DashboardActivityEntry): string {
  return [
    `${e.port}/${e.protocol}`,
    e.address,
    e.kind,
    ...(e.container !== undefined ? [`container ${e.container}`] : []),
    ...e.holders.map((h) => `${h.name} ${h.pid}`),
    ...e.unusual.map((u) => `${UNUSUAL_LABELS[u.kind]} ${u.kind}`),
  ]
    .join('\n')
    .toLowerCase();
}

/**
 * A predicate for the table's filter text, with the table's rules (see `parseTableFilter`): digits match
 * the port, a holder's pid, or those digits in a holder's name; a range matches ports; words must all
 * appear in the event (port/protocol, address, opened/closed, holders, unusual kinds).
 */
export function activityFilter(text: string): { matches: (e: DashboardActivityEntry) => boolean; error?: string } {
  const filter = parseTableFilter(text);
  switch (filter.kind) {
    case 'none':
      return { matches: () => true };
    case 'invalid':
      return { matches: () => false, error: filter.error };
    case 'number':
      return { matches: (e) => e.port === filter.value || e.holders.some((h) => h.pid === filter.value || h.name.toLowerCase().includes(filter.text)) };
    case 'range':
      return { matches: (e) => e.port >= filter.low && e.port <= filter.high };
    case 'text':
      return { matches: (e) => filter.terms.every((t) => searchText(e).includes(t)) };
  }
}

/** The events the section shows for `state` and `context`, newest first, at most `limit`. */
export function filterActivity(
  entries: readonly DashboardActivityEntry[],
  state: Pick<ActivityUiState, 'scope' | 'unusualOnly'>,
  context: ActivityContext,
  limit = ACTIVITY_SHOWN_MAX,
): ActivityView {
  const unusual = entries.reduce((n, e) => n + (e.unusual.length > 0 ? 1 : 0), 0);
  if (state.scope === 'selected' && !context.selected) {
    return { shown: [], matching: 0, unusual, needsSelection: true };
  }
  let matches: (e: DashboardActivityEntry) => boolean = () => true;
  let filterError: string | undefined;
  if (state.scope === 'selected' && context.selected) {
    const { port, protocol } = context.selected;
    matches = (e) => e.port === port && e.protocol === protocol;
  } else if (state.scope === 'filter') {
    ({ matches, error: filterError } = activityFilter(context.filter));
  }
  const shown: DashboardActivityEntry[] = [];
  let matching = 0;
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if ((state.unusualOnly && e.unusual.length === 0) || !matches(e)) {
      continue;
    }
    matching++;
    if (shown.length < limit) {
      shown.push(e);
    }
  }
  return { shown, matching, unusual, needsSelection: false, ...(filterError !== undefined && { filterError }) };
}

// --- words

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local date and time to the second: `2024-05-01 12:04:31` (the tooltip). */
export function absoluteTime(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local time as the list shows it: `12:04:31` today, `2024-05-01 12:04` on another day. */
export function clockText(at: number, now: number): string {
  const d = new Date(at);
  const today = new Date(now);
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` : absoluteTime(at).slice(0, 16);
}

/** `just now`, `40 s ago`, `5 min ago`, `3 h ago`, `2 days ago`. A time in the future (clock skew)
 *  reads `just now`. */
export function relativeTime(at: number, now: number): string {
  const s = Math.floor((now - at) / 1000);
  if (s < 10) {
    return 'just now';
  }
  if (s < 60) {
    return `${s} s ago`;
  }
  const min = Math.floor(s / 60);
  if (min < 60) {
    return `${min} min ago`;
  }
  const hours = Math.floor(min / 60);
  if (hours < 24) {
    return `${hours} h ago`;
  }
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/** `127.0.0.1:3000`, `[::1]:3000`. */
export function endpointText(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** `node (pid 4242)`, `node (pid 1) and 2 more`, `owner not visible`, or `container web (compose shop) ·
 *  postgres:16 via docker-proxy (pid 4242)`. */
export function holdersText(e: Pick<DashboardActivityEntry, 'holders' | 'moreHolders' | 'container'>): string {
  if (e.container !== undefined) {
    const via = e.holders[0] ? ` via ${holdersText({ holders: e.holders, moreHolders: e.moreHolders })}` : '';
    return `container ${e.container}${via}`;
  }
  const first = e.holders[0];
  if (!first) {
    return 'owner not visible';
  }
  const more = e.holders.length - 1 + (e.moreHolders ?? 0);
  return `${first.name} (pid ${first.pid})${more > 0 ? ` and ${more} more` : ''}`;
}

/** One sentence for screen readers and tooltips: `Opened TCP 127.0.0.1:3000 by node (pid 4242) at
 *  2024-05-01 12:04:31. Unusual: …` */
export function activityLabel(e: DashboardActivityEntry): string {
  const sockets = e.sockets && e.sockets > 1 ? ` (${e.sockets} sockets)` : '';
  const unusual = e.unusual.length > 0 ? ` Unusual: ${e.unusual.map((u) => u.reason).join(' ')}` : '';
  return `${e.kind === 'opened' ? 'Opened' : 'Closed'} ${e.protocol.toUpperCase()} ${endpointText(e.address, e.port)}${sockets} by ${holdersText(e)} at ${absoluteTime(e.at)}.${unusual}`;
}

// --- the table row an event points at

/**
 * The table row for an event's port, if it is listening now: same protocol and port, not closing;
 * preferably on the same address and held by one of the event's pids.
 */
export function rowForActivity(entries: readonly TableEntry[], e: Pick<DashboardActivityEntry, 'port' | 'protocol' | 'address' | 'holders'>): TableEntry | undefined {
  let best: TableEntry | undefined;
  let bestScore = -1;
  for (const t of entries) {
    const r = t.row;
    if (t.removedAt !== undefined || r.port !== e.port || r.protocol !== e.protocol) {
      continue;
    }
    const score = (r.address === e.address ? 2 : 0) + (e.holders.some((h) => r.pids.includes(h.pid)) ? 1 : 0);
    if (score > bestScore) {
      best = t;
      bestScore = score;
    }
  }
  return best;
}
