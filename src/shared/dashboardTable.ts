// The dashboard table as data: which rows pass the filters, in which order, under which process groups,
// and which rows are new or closing. Pure and DOM-free, so the webview and the unit tests run the same
// code. Built for 5,000+ rows: search text is computed once per row, filtering is one pass of
// `includes`, and sorting compares precomputed keys.
import type { ColumnId, DashboardRow, DashboardUiState, HostMessage, SortDirection } from './protocol';
import { formatDuration } from '../core/format';

/** How long a new row is highlighted, and how long a closed row stays (fading) before it goes. */
export const NEW_ROW_MS = 2500;
export const CLOSING_ROW_MS = 1500;

// --- filter text

/** A parsed filter. Same rules as the Ports view's filter (src/model/portsTree.ts `parseFilter`),
 *  re-stated here because that module pulls in Node-only code the webview cannot load. */
export type TableFilter =
  | { kind: 'none' }
  | { kind: 'number'; value: number; text: string }
  | { kind: 'range'; low: number; high: number }
  | { kind: 'text'; terms: string[] }
  | { kind: 'invalid'; error: string };

/**
 * Parses filter text. Empty → no filter. Digits (`3000`, `:3000`) → that port or pid, or those digits in
 * a process name or command line. A range (`3000-3010`) → ports in it. Anything else → words that must
 * all appear (case-insensitive) somewhere in the row: port/protocol, address, service, process, user,
 * terminal, command line, container (name, engine, compose service and project, image).
 */
export function parseTableFilter(text: string): TableFilter {
  const trimmed = text.trim();
  if (trimmed === '') {
    return { kind: 'none' };
  }
  const digits = /^:?(\d{1,10})$/.exec(trimmed);
  if (digits) {
    return { kind: 'number', value: Number(digits[1]), text: digits[1] };
  }
  const range = /^(\d{1,5})\s*[-–]\s*(\d{1,5})$/.exec(trimmed);
  if (range) {
    const low = Number(range[1]);
    const high = Number(range[2]);
    if (low > 65535 || high > 65535) {
      return { kind: 'invalid', error: 'Ports are whole numbers from 1 to 65535.' };
    }
    if (low > high) {
      return { kind: 'invalid', error: `The range ${low}–${high} is backwards: write ${high}-${low}.` };
    }
    return { kind: 'range', low, high };
  }
  return { kind: 'text', terms: trimmed.toLowerCase().split(/\s+/) };
}

// --- rows with their precomputed search and sort keys

/** A row plus what the table derives from it once, and its life-cycle times. */
export interface TableEntry {
  row: DashboardRow;
  /** Lower-case text the free-text filter searches. */
  search: string;
  /** Lower-case process name and command line, for digit filters. */
  ownerText: string;
  /** Sort key of the address (family, then numeric order for IPv4). */
  addressKey: string;
  /** When the row appeared after the first snapshot (it is highlighted for {@link NEW_ROW_MS}). */
  addedAt?: number;
  /** When its socket closed (it fades for {@link CLOSING_ROW_MS}, then goes). */
  removedAt?: number;
}

/** Builds an entry: the search text is built here once, not on every keystroke. */
export function tableEntry(row: DashboardRow, addedAt?: number): TableEntry {
  const search = [
    `${row.port}/${row.protocol}`,
    row.address,
    row.exposureLabel,
    row.service,
    row.serviceDetail,
    row.range,
    row.process,
    row.project,
    row.pids.join(' '),
    row.user,
    row.terminal,
    row.command,
    row.container ?? '',
    row.containerDetail ?? '',
  ]
    .join('\n')
    .toLowerCase();
  const entry: TableEntry = { row, search, ownerText: `${row.process}\n${row.command}`.toLowerCase(), addressKey: addressKey(row) };
  if (addedAt !== undefined) {
    entry.addedAt = addedAt;
  }
  return entry;
}

function matchesFilter(e: TableEntry, filter: TableFilter): boolean {
  switch (filter.kind) {
    case 'none':
      return true;
    case 'invalid':
      return false;
    case 'number':
      return e.row.port === filter.value || e.row.pids.includes(filter.value) || e.ownerText.includes(filter.text);
    case 'range':
      return e.row.port >= filter.low && e.row.port <= filter.high;
    case 'text':
      return filter.terms.every((t) => e.search.includes(t));
  }
}

/** Rows that pass the quick filters and the filter text, in their current order. */
export function filterEntries(entries: readonly TableEntry[], ui: Pick<DashboardUiState, 'filter' | 'quick'>): TableEntry[] {
  const filter = parseTableFilter(ui.filter);
  const { protocol, range, exposure, mineOnly, workspaceOnly, containersOnly, forgottenOnly } = ui.quick;
  return entries.filter(
    (e) =>
      (protocol === 'any' || e.row.protocol === protocol) &&
      (range === 'any' || e.row.range === range) &&
      (exposure === 'any' || e.row.exposure === exposure) &&
      (!mineOnly || e.row.mine) &&
      (!workspaceOnly || e.row.inWorkspace) &&
      (!containersOnly || e.row.container !== undefined) &&
      (!forgottenOnly || e.row.forgotten) &&
      matchesFilter(e, filter),
  );
}

// --- uptime and idleness (rows carry times; durations are read at the snapshot's time)

/** How long the row's owner has run at `now` (ms); undefined when its start time is unknown. */
export function rowUptimeMs(row: Pick<DashboardRow, 'startedAt'>, now: number): number | undefined {
  return row.startedAt === undefined ? undefined : Math.max(0, now - row.startedAt);
}

/** How long the port has gone without a connection at `now`: 0 while connected, since the last
 *  connection seen otherwise; undefined when none was seen (unknown, never guessed). */
export function rowIdleMs(row: Pick<DashboardRow, 'connections' | 'lastConnectionAt'>, now: number): number | undefined {
  if (row.connections !== undefined && row.connections > 0) {
    return 0;
  }
  return row.lastConnectionAt === undefined ? undefined : Math.max(0, now - row.lastConnectionAt);
}

/** A duration in the webview's words: the same as the CLI's and the quick picks' (core/format.ts). */
export const durationText = formatDuration;

/** Sort key of idleness that does not move with time: a connection now is the most recent. */
function lastActive(row: DashboardRow): number {
  return row.connections !== undefined && row.connections > 0 ? Number.MAX_SAFE_INTEGER : (row.lastConnectionAt ?? 0);
}

// --- sorting

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Addresses sort by family, then numerically: 10.0.0.2 before 10.0.0.10. */
function addressKey(row: DashboardRow): string {
  if (row.family === 4) {
    const parts = row.address.split('.');
    if (parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p))) {
      return `4:${parts.map((p) => p.padStart(3, '0')).join('.')}`;
    }
  }
  return `${row.family}:${row.address.toLowerCase()}`;
}

const EXPOSURE_ORDER: Record<DashboardRow['exposure'], number> = { loopback: 0, interface: 1, all: 2 };
const RANGE_ORDER: Record<DashboardRow['range'], number> = { 'well-known': 0, registered: 1, dynamic: 2 };

type Compare = (a: TableEntry, b: TableEntry) => number;

function textCompare(pick: (r: DashboardRow) => string): Compare {
  return (a, b) => collator.compare(pick(a.row), pick(b.row));
}

function stringCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const COMPARE: Record<ColumnId, Compare> = {
  port: (a, b) => a.row.port - b.row.port,
  protocol: (a, b) => stringCompare(a.row.protocol, b.row.protocol),
  address: (a, b) => stringCompare(a.addressKey, b.addressKey),
  exposure: (a, b) => EXPOSURE_ORDER[a.row.exposure] - EXPOSURE_ORDER[b.row.exposure] || (a.row.risk ? 1 : 0) - (b.row.risk ? 1 : 0),
  service: textCompare((r) => r.service),
  range: (a, b) => RANGE_ORDER[a.row.range] - RANGE_ORDER[b.row.range],
  process: textCompare((r) => r.process),
  container: textCompare((r) => r.container ?? ''),
  project: textCompare((r) => r.project),
  pid: (a, b) => (a.row.pids[0] ?? 0) - (b.row.pids[0] ?? 0),
  user: textCompare((r) => r.user),
  terminal: textCompare((r) => r.terminal),
  command: textCompare((r) => r.command),
  // Shortest uptime / idle time first when ascending: the later start, the later connection.
  uptime: (a, b) => (b.row.startedAt ?? 0) - (a.row.startedAt ?? 0),
  idle: (a, b) => lastActive(b.row) - lastActive(a.row),
};

/** Columns whose cell may be blank: blank cells sort last in both directions (a hidden owner is not
 *  "smaller" than a name). */
const BLANK: Partial<Record<ColumnId, (r: DashboardRow) => boolean>> = {
  service: (r) => r.service === '',
  process: (r) => r.process === '',
  container: (r) => r.container === undefined,
  project: (r) => r.project === '',
  pid: (r) => r.pids.length === 0,
  user: (r) => r.user === '',
  terminal: (r) => r.terminal === '',
  command: (r) => r.command === '',
  uptime: (r) => r.startedAt === undefined,
  idle: (r) => rowIdleMs(r, 0) === undefined,
};

/** The tie-breaker for every column: port, protocol, address, key — so equal cells never shuffle. */
function baseCompare(a: TableEntry, b: TableEntry): number {
  return COMPARE.port(a, b) || COMPARE.protocol(a, b) || COMPARE.address(a, b) || stringCompare(a.row.key, b.row.key);
}

/** A comparator for `column` in `direction`; blank cells last, ties broken by port/protocol/address. */
export function rowComparator(column: ColumnId, direction: SortDirection): (a: TableEntry, b: TableEntry) => number {
  const compare = COMPARE[column];
  const blank = BLANK[column];
  const sign = direction === 'asc' ? 1 : -1;
  return (a, b) => {
    if (blank) {
      const ba = blank(a.row);
      const bb = blank(b.row);
      if (ba !== bb) {
        return ba ? 1 : -1;
      }
    }
    return sign * compare(a, b) || baseCompare(a, b);
  };
}

/** A sorted copy. */
export function sortEntries(entries: readonly TableEntry[], sort: DashboardUiState['sort']): TableEntry[] {
  return [...entries].sort(rowComparator(sort.column, sort.direction));
}

// --- the view: filtered, sorted, grouped

/** One line of the table: a process group header or a socket row. */
export type ViewItem =
  | { kind: 'group'; id: string; name: string; pid?: number; count: number; collapsed: boolean }
  | { kind: 'row'; entry: TableEntry; groupId?: string };

/** What the table shows, and the counts for its status line. */
export interface TableView {
  items: ViewItem[];
  /** Rows passing the filters (closing rows included). */
  shown: number;
  /** Every row held (closing rows included). */
  total: number;
  /** Set when the filter text is malformed. */
  filterError?: string;
}

/** The group id of a row under "group by process": its first owner's pid, or one group for hidden owners. */
export function groupIdOf(row: DashboardRow): string {
  return row.ownerVisible && row.pids.length > 0 ? `pid:${row.pids[0]}` : 'hidden';
}

/**
 * Groups rows that are already filtered and sorted (or lists them, when not grouping by process). Groups
 * appear in the order of their first row, so sorting by port shows the process holding the lowest port
 * first, and rows keep the sort within their group. A collapsed group shows its header only.
 * `total` is the number of rows before filtering.
 */
export function groupTableView(sorted: readonly TableEntry[], ui: DashboardUiState, collapsed: ReadonlySet<string>, total: number): TableView {
  const filter = parseTableFilter(ui.filter);
  const base = { shown: sorted.length, total, ...(filter.kind === 'invalid' && { filterError: filter.error }) };
  if (!ui.groupByProcess) {
    return { items: sorted.map((entry): ViewItem => ({ kind: 'row', entry })), ...base };
  }
  const groups = new Map<string, TableEntry[]>();
  for (const e of sorted) {
    const id = groupIdOf(e.row);
    const list = groups.get(id);
    if (list) {
      list.push(e);
    } else {
      groups.set(id, [e]);
    }
  }
  const items: ViewItem[] = [];
  for (const [id, list] of groups) {
    const first = list[0].row;
    const hidden = id === 'hidden';
    const isCollapsed = collapsed.has(id);
    items.push({
      kind: 'group',
      id,
      name: hidden ? '' : first.process,
      ...(!hidden && { pid: first.pids[0] }),
      count: list.length,
      collapsed: isCollapsed,
    });
    if (!isCollapsed) {
      for (const entry of list) {
        items.push({ kind: 'row', entry, groupId: id });
      }
    }
  }
  return { items, ...base };
}

/** Filters, sorts and groups `entries` in one call (the webview caches the sort across keystrokes and
 *  calls the steps itself; the result is the same). */
export function buildTableView(entries: readonly TableEntry[], ui: DashboardUiState, collapsed: ReadonlySet<string> = new Set()): TableView {
  return groupTableView(sortEntries(filterEntries(entries, ui), ui.sort), ui, collapsed, entries.length);
}

// --- the rows held, with their life cycle

/**
 * The webview's rows, updated by `init` and `update` messages. New rows (after the first snapshot) are
 * marked for {@link NEW_ROW_MS}; closed rows stay, marked, for {@link CLOSING_ROW_MS} so they can fade
 * out, then go. A socket that comes back while fading is simply live again. Time is passed in.
 */
export class RowStore {
  private readonly entries = new Map<string, TableEntry>();
  private version = 0;

  /** Bumped on every change: the view is rebuilt only when this moves (or the UI state does). */
  get revision(): number {
    return this.version;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Every entry, closing ones included. */
  all(): TableEntry[] {
    return [...this.entries.values()];
  }

  get(key: string): TableEntry | undefined {
    return this.entries.get(key);
  }

  /** Replaces everything (the first snapshot, or a webview that was re-created): nothing is "new". */
  reset(rows: readonly DashboardRow[]): void {
    this.entries.clear();
    for (const row of rows) {
      this.entries.set(row.key, tableEntry(row));
    }
    this.version++;
  }

  /** Applies an update. */
  apply(update: Pick<Extract<HostMessage, { type: 'update' }>, 'added' | 'changed' | 'removed'>, now: number): void {
    for (const row of update.added) {
      this.entries.set(row.key, tableEntry(row, now));
    }
    for (const row of update.changed) {
      const old = this.entries.get(row.key);
      const entry = tableEntry(row, old?.addedAt);
      this.entries.set(row.key, entry);
    }
    for (const key of update.removed) {
      const old = this.entries.get(key);
      if (old && old.removedAt === undefined) {
        old.removedAt = now;
      }
    }
    this.version++;
  }

  /** Drops rows that finished fading and un-marks rows no longer new. True when anything changed. */
  expire(now: number): boolean {
    let changed = false;
    for (const [key, e] of this.entries) {
      if (e.removedAt !== undefined && now - e.removedAt >= CLOSING_ROW_MS) {
        this.entries.delete(key);
        changed = true;
      } else if (e.addedAt !== undefined && now - e.addedAt >= NEW_ROW_MS) {
        delete e.addedAt;
        changed = true;
      }
    }
    if (changed) {
      this.version++;
    }
    return changed;
  }

  /** Milliseconds until the next row stops being new or finishes fading; undefined when none will. */
  nextExpiryIn(now: number): number | undefined {
    let soonest: number | undefined;
    for (const e of this.entries.values()) {
      const at = e.removedAt !== undefined ? e.removedAt + CLOSING_ROW_MS : e.addedAt !== undefined ? e.addedAt + NEW_ROW_MS : undefined;
      if (at !== undefined) {
        const left = Math.max(0, at - now);
        soonest = soonest === undefined ? left : Math.min(soonest, left);
      }
    }
    return soonest;
  }
}
