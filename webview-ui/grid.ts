// The sockets table: an ARIA grid (a treegrid when grouped by process) that renders only the rows in
// view, so 5,000 sockets cost the DOM of ~60. Rows have one fixed height; the body is as tall as all of
// them and rows are positioned with transforms. Rows that stay in view keep their elements; a row is
// rebuilt only when its data, its test result or its state (active, new, closing) changes.
import type { TableEntry, ViewItem } from '../src/shared/dashboardTable';
import { CLOSING_ROW_MS, NEW_ROW_MS, durationText, rowIdleMs, rowUptimeMs } from '../src/shared/dashboardTable';
import type { ColumnId, DashboardRow, DashboardUiState, RowAction } from '../src/shared/protocol';
import { h, replaceChildren } from './dom';
import type { IconName } from './icons';
import { icon } from './icons';

/** Must match `--row-height` in media/dashboard.css. */
export const ROW_HEIGHT = 24;
const OVERSCAN = 8;

/** The latest connection test of a row, shown in its Connection cell. */
export interface ConnectionState {
  status: 'pending' | 'open' | 'closed' | 'unknown' | 'done' | 'cancelled' | 'failed';
  text: string;
}

export interface GridCallbacks {
  action(action: RowAction, row: DashboardRow): void;
  toggleGroup(id: string, expand?: boolean): void;
  sort(column: ColumnId): void;
  activeChanged(entry: TableEntry | undefined): void;
}

interface ColumnDef {
  id: ColumnId | 'connection' | 'actions';
  title: string;
}

/** Display order: what holds the port comes right after the port, so a narrow editor still shows it. */
const COLUMNS: readonly ColumnDef[] = [
  { id: 'port', title: 'Port' },
  { id: 'protocol', title: 'Proto' },
  { id: 'address', title: 'Address' },
  { id: 'process', title: 'Process' },
  { id: 'container', title: 'Container' },
  { id: 'project', title: 'Project' },
  { id: 'pid', title: 'PID' },
  { id: 'service', title: 'Service' },
  { id: 'uptime', title: 'Up' },
  { id: 'idle', title: 'Idle' },
  { id: 'exposure', title: 'Exposure' },
  { id: 'connection', title: 'Connection' },
  { id: 'range', title: 'Range' },
  { id: 'user', title: 'User' },
  { id: 'terminal', title: 'Terminal' },
  { id: 'command', title: 'Command line' },
  { id: 'actions', title: 'Actions' },
];

const RANGE_TEXT: Record<DashboardRow['range'], string> = { 'well-known': 'Well-known', registered: 'Registered', dynamic: 'Dynamic' };
const EXPOSURE_TEXT: Record<DashboardRow['exposure'], string> = { loopback: 'Local only', all: 'All interfaces', interface: 'One interface' };
const STATUS_ICON: Record<ConnectionState['status'], IconName> = {
  pending: 'pulse',
  open: 'check',
  closed: 'close',
  unknown: 'question',
  done: 'check',
  cancelled: 'dash',
  failed: 'close',
};

/** The actions offered on a row, in order: [action, label, icon]. */
function rowActions(row: DashboardRow): Array<[RowAction, string, IconName]> {
  const list: Array<[RowAction, string, IconName]> = [['test', 'Test connection (Enter)', 'pulse']];
  if (row.web) {
    list.push(['open', 'Open in browser', 'globe']);
  }
  list.push([
    'free',
    row.container !== undefined
      ? 'Free port: stop the container (Delete; asks first)'
      : row.ownerVisible
        ? 'Free port: stop the process (Delete; asks first)'
        : 'Why is the owner hidden? (Delete)',
    row.ownerVisible || row.container !== undefined ? 'stop' : 'question',
  ]);
  list.push(['copyAddress', 'Copy address', 'copy']);
  if (row.ownerVisible) {
    list.push(['copyPid', 'Copy PID', 'pid'], ['copyCommandLine', 'Copy command line', 'commandLine']);
  }
  if (row.terminal) {
    list.push(['showTerminal', 'Show terminal', 'terminal']);
  }
  list.push(['reveal', 'Reveal in Ports view', 'reveal']);
  list.push(['troubleshoot', 'Troubleshoot this port', 'checklist'], ['activity', 'Port activity: who held it when', 'history']);
  return list;
}

/** What a screen reader says for a row. */
export function rowLabel(row: DashboardRow): string {
  const owner = row.container !== undefined ? `container ${row.container}` : row.ownerVisible ? `${row.process}, pid ${row.pids.join(' ')}` : 'owner not visible';
  const parts = [`${row.port}/${row.protocol} on ${row.address}`, row.service, owner, row.exposureLabel];
  if (row.risk) {
    parts.push(`${row.risk.level === 'high' ? 'High risk' : 'Risk'}: ${row.risk.reason}`);
  }
  return parts.filter(Boolean).join(', ');
}

interface Rendered {
  el: HTMLElement;
  item: ViewItem;
  /** Data and state the element was built from: a change means a rebuild. */
  sig: string;
  result: ConnectionState | undefined;
}

/** The Up and Idle cells' text and tooltips at `now` (the snapshot's time). */
export function activityCells(row: DashboardRow, now: number): { up: string; upTitle: string; idle: string; idleTitle: string } {
  const uptime = rowUptimeMs(row, now);
  const idle = rowIdleMs(row, now);
  const up = uptime === undefined ? '' : durationText(uptime);
  let idleText = '';
  let idleTitle = '';
  if (idle === 0) {
    idleText = 'connected';
    idleTitle = `${row.connections ?? 0} established ${row.connections === 1 ? 'connection' : 'connections'} now`;
  } else if (idle !== undefined) {
    idleText = durationText(idle);
    idleTitle = `Last connection seen ${durationText(idle)} ago`;
  } else if (row.connections !== undefined) {
    // Unknown stays unknown: how long it was watched is said, not passed off as idle time.
    idleText = 'unknown';
    idleTitle = row.watchedSince !== undefined ? `No connection seen in the ${durationText(Math.max(0, now - row.watchedSince))} it has been watched` : 'No connection seen yet';
  }
  const forgotten = row.forgotten ? '\nForgotten: a development server up long and idle long (Show Forgotten Servers lists it)' : '';
  return { up, upTitle: up ? `Up ${up}${forgotten}` : '', idle: idleText, idleTitle: idleTitle ? idleTitle + forgotten : '' };
}

function itemId(item: ViewItem): string {
  return item.kind === 'group' ? `g:${item.id}` : `r:${item.entry.row.key}`;
}

export class PortsGrid {
  /** The scroll container and ARIA grid. */
  readonly element: HTMLElement;
  private readonly header: HTMLElement;
  private readonly body: HTMLElement;
  private items: ViewItem[] = [];
  private grouped = false;
  private sort: DashboardUiState['sort'] = { column: 'port', direction: 'asc' };
  private rendered = new Map<string, Rendered>();
  private activeId: string | undefined;
  private activeIndex = -1;
  private frame = 0;
  private empty = '';
  /** When the data was taken: uptime and idle time are read at this time. */
  private takenAt = Date.now();

  constructor(
    private readonly callbacks: GridCallbacks,
    private readonly results: ReadonlyMap<string, ConnectionState>,
  ) {
    this.header = h('div', { class: 'grid-header', attrs: { role: 'row', 'aria-rowindex': 1 } });
    this.body = h('div', { class: 'grid-body', attrs: { role: 'rowgroup' } });
    this.element = h(
      'div',
      {
        class: 'grid',
        attrs: {
          role: 'grid',
          tabindex: 0,
          'aria-label': 'Listening sockets',
          'aria-colcount': COLUMNS.length,
          'aria-keyshortcuts': 'ArrowUp ArrowDown PageUp PageDown Home End Enter Delete',
          'aria-describedby': 'grid-help',
        },
      },
      h('div', { class: 'grid-head', attrs: { role: 'rowgroup' } }, this.header),
      this.body,
      h('p', { class: 'visually-hidden', text: 'Arrow keys move between rows. Enter tests the connection; Delete frees the port (asks first). Tab reaches the row\u2019s actions.', attrs: { id: 'grid-help' } }),
    );
    this.renderHeader();
    this.element.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    this.element.addEventListener('click', (e) => this.onClick(e));
    this.element.addEventListener('dblclick', (e) => {
      const item = this.itemAt(e.target);
      if (item?.kind === 'row' && !(e.target as Element).closest('button')) {
        this.runDefault(item);
      }
    });
    new ResizeObserver(() => this.schedule()).observe(this.element);
  }

  // --- state in

  setSort(sort: DashboardUiState['sort']): void {
    this.sort = sort;
    this.renderHeader();
  }

  /** New rows to show. The active row is kept by identity when it is still there. */
  setItems(items: ViewItem[], grouped: boolean, emptyText: string, takenAt: number = Date.now()): void {
    this.items = items;
    this.empty = emptyText;
    this.takenAt = takenAt;
    if (grouped !== this.grouped) {
      this.grouped = grouped;
      this.element.setAttribute('role', grouped ? 'treegrid' : 'grid');
      this.rendered.forEach((r) => r.el.remove());
      this.rendered.clear();
    }
    const found = this.activeId === undefined ? -1 : items.findIndex((i) => itemId(i) === this.activeId);
    if (found >= 0) {
      this.activeIndex = found;
    } else if (items.length > 0 && this.activeIndex >= 0) {
      this.activeIndex = Math.min(this.activeIndex, items.length - 1);
      this.activeId = itemId(items[this.activeIndex]);
    } else {
      this.activeIndex = -1;
      this.activeId = undefined;
    }
    this.element.setAttribute('aria-rowcount', String(items.length + 1));
    this.render();
    this.notifyActive();
  }

  /** The row the keyboard is on. */
  get active(): ViewItem | undefined {
    return this.activeIndex >= 0 ? this.items[this.activeIndex] : undefined;
  }

  /** Makes the socket row with `key` the active one and scrolls to it; false when the view lacks it
   *  (filtered out, or in a folded group). */
  reveal(key: string): boolean {
    const index = this.items.findIndex((i) => i.kind === 'row' && i.entry.row.key === key);
    if (index < 0) {
      return false;
    }
    this.setActive(index);
    return true;
  }

  /** Re-renders now (rows whose result changed are rebuilt). */
  refresh(): void {
    this.render();
  }

  // --- rendering

  private renderHeader(): void {
    replaceChildren(
      this.header,
      ...COLUMNS.map((col, i) => {
        const sortable = col.id !== 'connection' && col.id !== 'actions';
        const sorted = sortable && this.sort.column === col.id;
        const cell = h('div', {
          class: `cell col-${col.id}`,
          attrs: {
            role: 'columnheader',
            'aria-colindex': i + 1,
            'aria-sort': sortable ? (sorted ? (this.sort.direction === 'asc' ? 'ascending' : 'descending') : 'none') : undefined,
          },
        });
        if (!sortable) {
          cell.textContent = col.title;
          return cell;
        }
        const button = h(
          'button',
          { class: 'sort-button', title: `Sort by ${col.title}`, attrs: { type: 'button', 'data-sort': col.id } },
          h('span', { text: col.title }),
          sorted && icon(this.sort.direction === 'asc' ? 'arrowUp' : 'arrowDown', 'sort-icon'),
        );
        cell.append(button);
        return cell;
      }),
    );
  }

  private schedule(): void {
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.render();
      });
    }
  }

  private render(): void {
    const n = this.items.length;
    this.body.style.height = `${Math.max(n, 1) * ROW_HEIGHT}px`;
    if (n === 0) {
      this.rendered.forEach((r) => r.el.remove());
      this.rendered.clear();
      if (!this.body.querySelector('.grid-empty')) {
        this.body.replaceChildren(h('div', { class: 'grid-empty', attrs: { role: 'row' } }, h('div', { class: 'cell', text: this.empty, attrs: { role: 'gridcell' } })));
      } else {
        (this.body.querySelector('.grid-empty .cell') as HTMLElement).textContent = this.empty;
      }
      this.element.removeAttribute('aria-activedescendant');
      return;
    }
    this.body.querySelector('.grid-empty')?.remove();
    const headerHeight = this.header.offsetHeight;
    const top = Math.max(0, this.element.scrollTop);
    const height = Math.max(ROW_HEIGHT, this.element.clientHeight - headerHeight);
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(n, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const now = Date.now();
    const next = new Map<string, Rendered>();
    const fresh: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const item = this.items[i];
      const id = itemId(item);
      const sig = this.signature(item, i === this.activeIndex);
      const result = item.kind === 'row' ? this.results.get(item.entry.row.key) : undefined;
      const old = this.rendered.get(id);
      let el: HTMLElement;
      if (old && old.sig === sig && old.result === result && sameData(old.item, item)) {
        el = old.el;
      } else {
        el = item.kind === 'group' ? this.groupRow(item, i === this.activeIndex) : this.socketRow(item.entry, i === this.activeIndex, result, now, this.takenAt);
        if (old) {
          old.el.replaceWith(el);
        } else {
          fresh.push(el);
        }
      }
      el.id = `row-${i}`;
      el.setAttribute('aria-rowindex', String(i + 2));
      el.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
      next.set(id, { el, item, sig, result });
    }
    for (const [id, r] of this.rendered) {
      if (!next.has(id)) {
        r.el.remove();
      }
    }
    this.body.append(...fresh);
    this.rendered = next;
    const active = this.activeIndex >= first && this.activeIndex < last ? `row-${this.activeIndex}` : undefined;
    if (active) {
      this.element.setAttribute('aria-activedescendant', active);
    } else {
      this.element.removeAttribute('aria-activedescendant');
    }
  }

  private signature(item: ViewItem, active: boolean): string {
    if (item.kind === 'group') {
      return `${active}|${item.collapsed}|${item.count}`;
    }
    const e = item.entry;
    // Uptime and idle time move with the clock while the row stays the same: rebuilt when their text does.
    const times = activityCells(e.row, this.takenAt);
    return `${active}|${e.addedAt ?? ''}|${e.removedAt ?? ''}|${item.groupId ?? ''}|${times.up}|${times.idle}|${times.idleTitle}`;
  }

  private groupRow(item: Extract<ViewItem, { kind: 'group' }>, active: boolean): HTMLElement {
    const name = item.pid === undefined ? 'Owner not visible' : item.name || '(unnamed)';
    const label = `${name}${item.pid !== undefined ? `, pid ${item.pid}` : ''}: ${item.count} ${item.count === 1 ? 'socket' : 'sockets'}`;
    return h(
      'div',
      {
        class: `grid-row group-row${active ? ' is-active' : ''}`,
        attrs: { role: 'row', 'aria-level': 1, 'aria-expanded': String(!item.collapsed), 'aria-label': label, 'data-group': item.id },
      },
      h(
        'div',
        { class: 'cell group-cell', attrs: { role: 'gridcell', 'aria-colspan': COLUMNS.length } },
        h('button', { class: 'icon-button twisty', title: item.collapsed ? 'Expand' : 'Collapse', attrs: { type: 'button', tabindex: -1, 'data-toggle': item.id, 'aria-hidden': 'true' } }, icon(item.collapsed ? 'chevronRight' : 'chevronDown')),
        h('span', { class: 'group-name', text: name }),
        item.pid !== undefined && h('span', { class: 'muted', text: `pid ${item.pid}` }),
        h('span', { class: 'badge', text: String(item.count) }),
      ),
    );
  }

  private socketRow(entry: TableEntry, active: boolean, result: ConnectionState | undefined, now: number, takenAt: number): HTMLElement {
    const row = entry.row;
    const closing = entry.removedAt !== undefined;
    const classes = ['grid-row', 'socket-row'];
    if (active) {
      classes.push('is-active');
    }
    if (entry.addedAt !== undefined && !closing) {
      classes.push('is-new');
    }
    if (closing) {
      classes.push('is-closing');
    }
    if (row.risk) {
      classes.push(`risk-${row.risk.level}`);
    }
    if (row.forgotten) {
      classes.push('is-forgotten');
    }
    const el = h('div', {
      class: classes.join(' '),
      attrs: {
        role: 'row',
        'aria-label': closing ? `Closed: ${rowLabel(row)}` : rowLabel(row),
        'aria-selected': String(active),
        'aria-level': this.grouped ? 2 : undefined,
        'data-key': row.key,
      },
    });
    // A row re-created while it flashes or fades (scrolled back into view) continues where it was.
    if (closing) {
      el.style.animationDelay = `${-Math.min(CLOSING_ROW_MS, now - (entry.removedAt ?? now))}ms`;
    } else if (entry.addedAt !== undefined) {
      el.style.animationDelay = `${-Math.min(NEW_ROW_MS, now - entry.addedAt)}ms`;
    }
    const cell = (col: ColumnDef['id'], text: string, title?: string, ...extra: Node[]): HTMLElement => {
      const c = h('div', { class: `cell col-${col}`, title, attrs: { role: 'gridcell', 'aria-colindex': COLUMNS.findIndex((x) => x.id === col) + 1 } }, ...extra);
      if (text) {
        c.append(h('span', { class: 'cell-text', text }));
      }
      return c;
    };
    const exposureExtra: Node[] = [];
    if (row.risk) {
      exposureExtra.push(icon(row.risk.level === 'high' ? 'error' : 'warning', `risk-icon risk-${row.risk.level}`));
    }
    const connection = cell('connection', result?.text ?? '', result?.text, ...(result ? [icon(STATUS_ICON[result.status], `status-icon status-${result.status}`)] : []));
    if (result) {
      connection.classList.add(`status-${result.status}`);
      connection.setAttribute('aria-live', 'polite');
    }
    const actions = h('div', { class: 'cell col-actions', attrs: { role: 'gridcell', 'aria-colindex': COLUMNS.length } });
    if (!closing) {
      for (const [action, label, name] of rowActions(row)) {
        actions.append(
          h('button', { class: 'icon-button', title: label, attrs: { type: 'button', 'data-action': action, 'aria-label': label, tabindex: active ? 0 : -1 } }, icon(name)),
        );
      }
    }
    const pidText = row.pids.length === 0 ? '' : row.pids.length === 1 ? String(row.pids[0]) : `${row.pids[0]} +${row.pids.length - 1}`;
    const times = activityCells(row, takenAt);
    el.append(
      cell('port', String(row.port)),
      cell('protocol', row.protocol.toUpperCase()),
      cell('address', row.address, row.address),
      // A container's port: the process is its forwarder, which is never signalled (Free Port stops the
      // container); the Container column names what the user knows.
      row.container !== undefined
        ? cell('process', row.ownerVisible ? row.process : '', row.ownerVisible ? `${row.process}: forwards the port to container ${row.container} (never signalled)` : undefined)
        : row.ownerVisible
          ? cell('process', row.process, row.process)
          : cell('process', 'not visible', 'The owner belongs to another user or container.'),
      cell('container', row.container ?? '', row.containerDetail ?? row.container),
      cell('project', row.project, row.project ? `${row.project}${row.inWorkspace ? ' (in this workspace)' : ''}` : undefined),
      cell('pid', pidText, row.pids.join(', ') || undefined),
      cell('service', row.service, row.serviceDetail || undefined),
      cell('uptime', times.up, times.upTitle || undefined),
      cell('idle', times.idle, times.idleTitle || undefined),
      cell('exposure', EXPOSURE_TEXT[row.exposure], row.risk ? `${row.exposureLabel}\n${row.risk.reason}` : row.exposureLabel, ...exposureExtra),
      connection,
      cell('range', RANGE_TEXT[row.range]),
      cell('user', row.user, row.user || undefined),
      cell('terminal', row.terminal, row.terminal || undefined),
      cell('command', row.command, row.command || undefined),
      actions,
    );
    if (!row.ownerVisible || row.container !== undefined) {
      el.querySelector('.col-process')?.classList.add('muted');
    }
    if (times.idle === 'unknown') {
      el.querySelector('.col-idle')?.classList.add('muted');
    }
    return el;
  }

  // --- interaction

  private itemAt(target: EventTarget | null): ViewItem | undefined {
    const rowEl = (target as Element | null)?.closest?.('.grid-row');
    const index = rowEl ? Number(rowEl.id.replace('row-', '')) : NaN;
    return Number.isInteger(index) ? this.items[index] : undefined;
  }

  private setActive(index: number, scroll = true): void {
    if (this.items.length === 0) {
      return;
    }
    const i = Math.max(0, Math.min(this.items.length - 1, index));
    this.activeIndex = i;
    this.activeId = itemId(this.items[i]);
    if (scroll) {
      this.scrollToActive();
    }
    this.render();
    this.notifyActive();
  }

  private scrollToActive(): void {
    const headerHeight = this.header.offsetHeight;
    const top = this.activeIndex * ROW_HEIGHT;
    const view = this.element.clientHeight - headerHeight;
    if (top < this.element.scrollTop) {
      this.element.scrollTop = top;
    } else if (top + ROW_HEIGHT > this.element.scrollTop + view) {
      this.element.scrollTop = top + ROW_HEIGHT - view;
    }
  }

  private notifyActive(): void {
    const item = this.active;
    this.callbacks.activeChanged(item?.kind === 'row' ? item.entry : undefined);
  }

  private runDefault(item: ViewItem): void {
    if (item.kind === 'group') {
      this.callbacks.toggleGroup(item.id);
    } else if (item.entry.removedAt === undefined) {
      this.callbacks.action('test', item.entry.row);
    }
  }

  private onClick(e: MouseEvent): void {
    const target = e.target as Element;
    const sort = target.closest('[data-sort]');
    if (sort) {
      this.callbacks.sort(sort.getAttribute('data-sort') as ColumnId);
      return;
    }
    const rowEl = target.closest('.grid-row');
    const index = rowEl ? Number(rowEl.id.replace('row-', '')) : NaN;
    if (!Number.isInteger(index) || !this.items[index]) {
      return;
    }
    const item = this.items[index];
    const toggle = target.closest('[data-toggle]');
    const button = target.closest('[data-action]');
    this.setActive(index, false);
    if (toggle && item.kind === 'group') {
      this.callbacks.toggleGroup(item.id);
    } else if (button && item.kind === 'row' && item.entry.removedAt === undefined) {
      this.callbacks.action(button.getAttribute('data-action') as RowAction, item.entry.row);
    }
    if (!button) {
      this.element.focus({ preventScroll: true });
    }
  }

  private onKey(e: KeyboardEvent): void {
    if (e.target !== this.element) {
      return; // keys on a row's buttons do what buttons do
    }
    const page = Math.max(1, Math.floor((this.element.clientHeight - this.header.offsetHeight) / ROW_HEIGHT) - 1);
    const item = this.active;
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        this.setActive(this.activeIndex + 1);
        break;
      case 'ArrowUp':
        this.setActive(this.activeIndex < 0 ? 0 : this.activeIndex - 1);
        break;
      case 'PageDown':
        this.setActive(this.activeIndex + page);
        break;
      case 'PageUp':
        this.setActive(this.activeIndex - page);
        break;
      case 'Home':
        this.setActive(0);
        break;
      case 'End':
        this.setActive(this.items.length - 1);
        break;
      case 'ArrowRight':
      case 'ArrowLeft':
        if (item?.kind === 'group') {
          this.callbacks.toggleGroup(item.id, e.key === 'ArrowRight');
        } else if (e.key === 'ArrowLeft' && item?.kind === 'row' && item.groupId) {
          const parent = this.items.findIndex((i) => i.kind === 'group' && i.id === item.groupId);
          this.setActive(parent);
        } else {
          handled = false;
        }
        break;
      case 'Enter':
        if (item) {
          this.runDefault(item);
        }
        break;
      case 'Delete':
        if (item?.kind === 'row' && item.entry.removedAt === undefined) {
          this.callbacks.action('free', item.entry.row);
        }
        break;
      default:
        handled = false;
    }
    if (handled) {
      e.preventDefault();
    }
  }

  /** Moves keyboard focus to the table (and onto its first row when none is active). */
  focus(): void {
    if (this.activeIndex < 0 && this.items.length > 0) {
      this.setActive(0);
    }
    this.element.focus();
  }
}

function sameData(a: ViewItem, b: ViewItem): boolean {
  if (a.kind === 'row' && b.kind === 'row') {
    return a.entry.row === b.entry.row;
  }
  if (a.kind === 'group' && b.kind === 'group') {
    return a.name === b.name && a.pid === b.pid;
  }
  return false;
}
