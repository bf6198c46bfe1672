// The Activity section below the table: ports that opened and closed, newest first, with the reasons an
// event is unusual. A bounded list (ACTIVITY_SHOWN_MAX items; older matches are counted), redrawn only
// when what it shows changes. Every process-supplied string goes in as text (see dom.ts).
import type { ActivityContext, ActivityView } from '../src/shared/dashboardActivity';
import { UNUSUAL_LABELS, absoluteTime, activityLabel, clockText, endpointText, filterActivity, relativeTime } from '../src/shared/dashboardActivity';
import type { ActivityScope, ActivityUiState, DashboardActivityEntry } from '../src/shared/protocol';
import { h, plural, replaceChildren } from './dom';
import { icon } from './icons';

export interface ActivityCallbacks {
  /** Selects the event's port in the table, when it is still listening. */
  reveal(entry: DashboardActivityEntry): void;
  /** Runs Troubleshoot Port for the event's port. */
  troubleshoot(entry: DashboardActivityEntry): void;
  /** Asks the host to clear the log (it confirms first). */
  clear(): void;
  /** The section's state changed (fold, scope, unusual only): save it. */
  stateChanged(state: ActivityUiState): void;
}

/** How often relative times ("3 min ago") are brought up to date while the list is shown. */
const TICK_MS = 30_000;

export class ActivityPane {
  readonly element: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly count: HTMLElement;
  private readonly controls: HTMLElement;
  private readonly scopeSelect: HTMLSelectElement;
  private readonly unusualBox: HTMLInputElement;
  private readonly clearButton: HTMLButtonElement;
  private readonly body: HTMLElement;
  private entries: readonly DashboardActivityEntry[] = [];
  private total = 0;
  private state: ActivityUiState = { collapsed: false, scope: 'all', unusualOnly: false };
  private context: ActivityContext = { filter: '' };
  /** What the list was last drawn from: unchanged, nothing is redrawn (focus stays where it is). */
  private drawn = '';
  private tick: ReturnType<typeof setInterval> | undefined;
  /** The entries drawn, by id: what a click on an item points at. */
  private byId = new Map<number, DashboardActivityEntry>();

  constructor(private readonly callbacks: ActivityCallbacks) {
    this.toggle = h(
      'button',
      { class: 'activity-toggle', attrs: { type: 'button', id: 'toggle-activity', 'aria-controls': 'activity-body' } },
      h('span', { class: 'twisty' }),
      h('h2', { text: 'Activity', attrs: { id: 'activity-title' } }),
    );
    this.count = h('span', { class: 'badge', attrs: { id: 'activity-count' } });
    this.toggle.append(this.count);
    this.scopeSelect = h(
      'select',
      { attrs: { id: 'activity-scope', 'aria-label': 'Which ports', title: 'Which ports' } },
      h('option', { text: 'All ports', attrs: { value: 'all' } }),
      h('option', { text: 'Selected port only', attrs: { value: 'selected' } }),
      h('option', { text: 'Ports matching the filter', attrs: { value: 'filter' } }),
    );
    this.unusualBox = h('input', { attrs: { type: 'checkbox', id: 'activity-unusual' } });
    this.clearButton = h('button', { class: 'text-button', text: 'Clear…', title: 'Clear the activity log (asks first)', attrs: { type: 'button', id: 'clear-activity' } });
    this.controls = h(
      'div',
      { class: 'activity-controls' },
      this.scopeSelect,
      h('label', { class: 'check', attrs: { for: 'activity-unusual' } }, this.unusualBox, h('span', { text: 'Unusual only' })),
      this.clearButton,
    );
    this.body = h('div', { class: 'activity-body', attrs: { id: 'activity-body' } });
    this.element = h(
      'section',
      { class: 'activity', attrs: { id: 'activity', 'aria-labelledby': 'activity-title' } },
      h('header', { class: 'activity-head' }, this.toggle, this.controls),
      this.body,
    );

    this.toggle.addEventListener('click', () => this.changeState({ collapsed: !this.state.collapsed }));
    this.scopeSelect.addEventListener('change', () => this.changeState({ scope: this.scopeSelect.value as ActivityScope }));
    this.unusualBox.addEventListener('change', () => this.changeState({ unusualOnly: this.unusualBox.checked }));
    this.clearButton.addEventListener('click', () => this.callbacks.clear());
    this.body.addEventListener('click', (e) => this.onClick(e));
  }

  // --- state in

  /** The events held (oldest first) and how many the log has in all. */
  setEntries(entries: readonly DashboardActivityEntry[], total: number): void {
    this.entries = entries;
    this.total = total;
    this.render();
  }

  setState(state: ActivityUiState): void {
    this.state = { ...state };
    this.render();
  }

  /** The selected row and the filter text (only what the scope uses makes a redraw). */
  setContext(context: ActivityContext): void {
    this.context = context;
    this.render();
  }

  private changeState(change: Partial<ActivityUiState>): void {
    this.state = { ...this.state, ...change };
    this.render();
    this.callbacks.stateChanged({ ...this.state });
  }

  // --- rendering

  private render(): void {
    const { collapsed, scope, unusualOnly } = this.state;
    this.toggle.setAttribute('aria-expanded', String(!collapsed));
    replaceChildren(this.toggle.querySelector('.twisty') as HTMLElement, icon(collapsed ? 'chevronRight' : 'chevronDown'));
    this.scopeSelect.value = scope;
    this.unusualBox.checked = unusualOnly;
    this.controls.hidden = collapsed;
    this.body.hidden = collapsed;
    this.element.classList.toggle('is-collapsed', collapsed);
    this.clearButton.disabled = this.total === 0;
    this.count.textContent = this.total.toLocaleString();
    this.count.title = `${plural(this.total, 'event', 'events')} recorded`;
    if (collapsed) {
      this.stopTick();
      this.drawn = '';
      return;
    }
    const now = Date.now();
    // Redrawn when the events, the filters or the minute change; not on every table update.
    const selected = scope === 'selected' && this.context.selected ? `${this.context.selected.port}/${this.context.selected.protocol}` : '';
    const key = [
      this.entries.length,
      this.entries.at(-1)?.id ?? 0,
      this.entries[0]?.id ?? 0,
      this.total,
      scope,
      unusualOnly,
      selected,
      scope === 'filter' ? this.context.filter : '',
      Math.floor(now / TICK_MS),
    ].join('|');
    if (key === this.drawn) {
      return;
    }
    this.drawn = key;
    this.draw(filterActivity(this.entries, this.state, this.context), now);
    if (this.entries.length > 0) {
      this.startTick();
    } else {
      this.stopTick();
    }
  }

  private draw(view: ActivityView, now: number): void {
    this.byId = new Map(view.shown.map((e) => [e.id, e]));
    const empty = (text: string): HTMLElement => h('p', { class: 'activity-empty muted', text });
    if (this.entries.length === 0) {
      replaceChildren(
        this.body,
        empty('No port has opened or closed since recording began. Port Inspector records activity while it scans (while a view or this dashboard is visible, or ports are watched).'),
      );
      return;
    }
    if (view.needsSelection) {
      replaceChildren(this.body, empty('Select a row in the table to see the activity of its port.'));
      return;
    }
    if (view.filterError) {
      replaceChildren(this.body, empty(view.filterError));
      return;
    }
    if (view.shown.length === 0) {
      replaceChildren(this.body, empty(this.state.unusualOnly ? 'No unusual activity matches.' : 'No activity matches.'));
      return;
    }
    const list = h('ol', { class: 'activity-list', attrs: { 'aria-label': 'Port activity, newest first' } }, ...view.shown.map((e) => this.item(e, now)));
    const older = view.matching - view.shown.length;
    const notHeld = this.total - this.entries.length;
    replaceChildren(
      this.body,
      list,
      older > 0 && h('p', { class: 'activity-more muted', text: `${plural(older, 'older event', 'older events')} not shown: narrow the list with the filters above.` }),
      notHeld > 0 && h('p', { class: 'activity-more muted', text: `${plural(notHeld, 'older event is', 'older events are')} in the log but not loaded here (Port Activity shows them).` }),
    );
  }

  private item(e: DashboardActivityEntry, now: number): HTMLElement {
    const label = activityLabel(e);
    const portButton = h('button', {
      class: 'link-button activity-port',
      text: String(e.port),
      title: `Troubleshoot port ${e.port}/${e.protocol}`,
      attrs: { type: 'button', 'data-troubleshoot': e.id, 'aria-label': `Troubleshoot port ${e.port}/${e.protocol}` },
    });
    const endpoint = endpointText(e.address, e.port);
    const holder = e.holders[0];
    const more = e.holders.length - 1 + (e.moreHolders ?? 0);
    const forwarders = e.holders.map((x) => `${x.name} (pid ${x.pid})`).join('\n') + (e.moreHolders ? `\nand ${e.moreHolders} more` : '');
    const all = e.container !== undefined ? `Container ${e.container}${forwarders ? `\nforwarded by ${forwarders}` : ''}` : forwarders;
    return h(
      'li',
      { class: `activity-item kind-${e.kind}${e.unusual.length > 0 ? ' is-unusual' : ''}`, attrs: { 'data-id': e.id } },
      h(
        'time',
        { class: 'activity-time', title: `${absoluteTime(e.at)} (${relativeTime(e.at, now)})`, attrs: { datetime: new Date(e.at).toISOString() } },
        h('span', { class: 'activity-clock', text: clockText(e.at, now) }),
        h('span', { class: 'activity-ago muted', text: relativeTime(e.at, now) }),
      ),
      h('span', { class: 'activity-kind' }, h('span', { class: 'activity-dot', attrs: { 'aria-hidden': 'true' } }), h('span', { text: e.kind })),
      h(
        'span',
        { class: 'activity-endpoint', title: `${e.protocol.toUpperCase()} ${endpoint}` },
        h('span', { class: 'activity-proto', text: e.protocol.toUpperCase() }),
        h('span', { class: 'activity-address', text: endpoint.slice(0, endpoint.length - String(e.port).length) }),
        portButton,
        e.sockets && e.sockets > 1 ? h('span', { class: 'muted', text: ` ×${e.sockets}`, title: `${e.sockets} sockets` }) : undefined,
      ),
      h(
        'span',
        { class: `activity-holder${holder || e.container !== undefined ? '' : ' muted'}`, title: all || 'The owner belongs to another user or container.' },
        // A container's holders are its forwarders: the container is what held the port.
        e.container !== undefined
          ? h('span', { class: 'activity-name', text: e.container })
          : h('span', { class: 'activity-name', text: holder ? holder.name : 'owner not visible' }),
        e.container === undefined && holder && h('span', { class: 'activity-pid muted', text: `pid ${holder.pid}` }),
        e.container === undefined && holder && more > 0 && h('span', { class: 'muted', text: `+${more}` }),
      ),
      h(
        'span',
        { class: 'activity-badges', title: e.unusual.map((u) => u.reason).join('\n') || undefined },
        ...e.unusual.map((u) =>
          h('span', { class: `activity-badge unusual-${u.kind}`, title: u.reason, attrs: { 'data-unusual': u.kind } }, icon('warning'), h('span', { text: UNUSUAL_LABELS[u.kind] })),
        ),
        // The first reason in words, as far as the width allows (every reason is in the tooltip).
        e.unusual.length > 0 && h('span', { class: 'activity-reason muted', text: e.unusual[0].reason }),
      ),
      h('button', { class: 'icon-button activity-reveal', title: 'Show in the table', attrs: { type: 'button', 'data-reveal': e.id, 'aria-label': `Show in the table: ${label}` } }, icon('reveal')),
    );
  }

  // --- interaction

  private onClick(event: MouseEvent): void {
    const target = event.target as Element;
    const port = target.closest('[data-troubleshoot]');
    if (port) {
      const entry = this.byId.get(Number(port.getAttribute('data-troubleshoot')));
      if (entry) {
        this.callbacks.troubleshoot(entry);
      }
      return;
    }
    // Anywhere else on an item (or its reveal button) selects the port's row.
    const item = target.closest('.activity-item');
    const entry = item ? this.byId.get(Number(item.getAttribute('data-id'))) : undefined;
    if (entry) {
      this.callbacks.reveal(entry);
    }
  }

  private startTick(): void {
    if (!this.tick) {
      this.tick = setInterval(() => this.render(), TICK_MS);
    }
  }

  private stopTick(): void {
    clearInterval(this.tick);
    this.tick = undefined;
  }
}
