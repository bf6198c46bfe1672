// The page's layout, and what keeps its parts in step: the toolbar, banners, summary, status line, table,
// details pane and Activity section all draw from one UI state and one copy of the host's data.
import { rowForActivity } from '../src/shared/dashboardActivity';
import { filterEntries, groupTableView } from '../src/shared/dashboardTable';
import type { DashboardActivityEntry, DashboardRow, RowAction } from '../src/shared/protocol';
import { ActivityPane } from './activity';
import { Banners } from './banners';
import { Toolbar } from './controls';
import { DashboardData } from './data';
import { DetailsPane } from './details';
import { replaceChildren } from './dom';
import { Figures } from './figures';
import type { ConnectionState } from './grid';
import { PortsGrid } from './grid';
import type { HostChannel } from './messages';
import type { DashboardState } from './state';
import { StatusLine } from './status';
import { SummaryPane } from './summary';

/** Why the table is redrawn; `filter` is timed as a keystroke. */
export type RedrawReason = 'data' | 'filter' | 'ui' | 'expire';

export class Dashboard {
  readonly data = new DashboardData();
  readonly figures: Figures;
  readonly banners: Banners;
  readonly summary: SummaryPane;
  readonly grid: PortsGrid;
  readonly activityPane: ActivityPane;
  private readonly toolbar: Toolbar;
  private readonly details: DetailsPane;
  private readonly status = new StatusLine(() => this.redrawTable('ui'));
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly app: HTMLElement,
    readonly state: DashboardState,
    private readonly host: HostChannel,
  ) {
    this.figures = new Figures(app.dataset);
    this.toolbar = new Toolbar({
      filter: (text) => {
        state.setFilter(text);
        this.redrawTable('filter');
        state.save();
      },
      quick: (quick, groupByProcess) => {
        state.setQuick(quick, groupByProcess);
        this.redrawTable('ui');
        state.save();
      },
      toggleSummary: () => {
        state.toggleSummary();
        this.showUi();
        state.save();
      },
      refresh: () => host.refresh(),
      focusTable: () => this.grid.focus(),
    });
    this.banners = new Banners(() => host.refresh());
    this.summary = new SummaryPane({
      filterPort: (port) => this.setFilter(String(port)),
      filterPid: (pid) => this.setFilter(String(pid)),
    });
    this.grid = new PortsGrid(
      {
        action: (action, row) => this.runAction(action, row),
        toggleGroup: (id, expand) => {
          if (state.toggleGroup(id, expand)) {
            this.redrawTable('ui');
          }
        },
        sort: (column) => {
          state.sortBy(column);
          this.grid.setSort(state.ui.sort);
          this.redrawTable('ui');
          state.save();
        },
        activeChanged: (entry) => {
          state.active = entry;
          this.showDetails();
          this.updateActivityContext();
        },
      },
      this.data.results,
    );
    this.details = new DetailsPane(this.data, (key) => host.commandLine(key));
    this.activityPane = new ActivityPane({
      reveal: (entry) => this.reveal(entry),
      troubleshoot: (entry) => host.troubleshootPort(entry.port, entry.protocol),
      clear: () => host.clearActivity(),
      stateChanged: (activity) => {
        state.setActivity(activity);
        state.save();
      },
    });

    replaceChildren(app, this.toolbar.element, this.banners.element, this.summary.element, this.status.element, this.grid.element, this.details.element, this.activityPane.element);
    this.grid.element.addEventListener('keydown', (e) => {
      if (e.key === '/' && e.target === this.grid.element) {
        e.preventDefault();
        this.toolbar.focusFilter();
      }
    });
  }

  /** The first draw, before any data: the restored UI state over an empty table. */
  start(): void {
    this.showUi();
    this.showDetails();
    this.redrawTable('ui');
  }

  /** The first data is drawn (the UI tests wait for this). */
  showLoaded(): void {
    this.app.removeAttribute('aria-busy');
  }

  /** Sets every control from the UI state. */
  showUi(): void {
    const { ui } = this.state;
    this.toolbar.show(ui);
    this.grid.setSort(ui.sort);
    this.summary.element.hidden = ui.summaryCollapsed;
    this.activityPane.setState(ui.activity);
  }

  redrawTable(reason: RedrawReason): void {
    const started = performance.now();
    const { ui, collapsed } = this.state;
    const rows = this.data.rows;
    const filtered = filterEntries(this.data.sortedRows(ui.sort), ui);
    const view = groupTableView(filtered, ui, collapsed, rows.size);
    this.grid.setItems(view.items, ui.groupByProcess, this.emptyText(), this.data.summary?.takenAt);
    this.toolbar.setForgottenRule(this.data.summary?.forgotten);
    this.status.show(view, this.data.summary?.takenAt);
    this.toolbar.setFilterInvalid(view.filterError !== undefined);
    const ms = performance.now() - started;
    this.figures.table(view.shown, rows.size, reason === 'filter' ? ms : undefined);
    if (reason === 'filter') {
      this.updateActivityContext();
    }
  }

  private emptyText(): string {
    const { loading, scanError, rows } = this.data;
    if (loading) {
      return 'Waiting for the first scan…';
    }
    if (scanError && rows.size === 0) {
      return 'Ports cannot be listed right now.';
    }
    return rows.size === 0 ? 'No listening sockets.' : 'No socket matches the filters.';
  }

  showDetails(): void {
    this.details.render(this.state.active);
  }

  showTestResult(key: string, result: ConnectionState): void {
    this.data.results.set(key, result);
    this.grid.refresh();
    this.showDetails();
  }

  /** A short outcome ("Copied …") in the status line, for a few seconds. */
  showNote(text: string): void {
    this.status.showNote(text);
  }

  /** Redraws when the next row stops being new or finishes fading out. */
  scheduleExpiry(): void {
    clearTimeout(this.expiryTimer);
    const wait = this.data.rows.nextExpiryIn(Date.now());
    if (wait === undefined) {
      return;
    }
    this.expiryTimer = setTimeout(() => {
      if (this.data.rows.expire(Date.now())) {
        this.redrawTable('expire');
      }
      this.scheduleExpiry();
    }, wait + 20);
  }

  // --- user actions that span parts

  private runAction(action: RowAction, row: DashboardRow): void {
    // The action is the user's request, so it takes its id before "Testing…" redraws the details pane
    // (which may ask for a command line).
    const requestId = this.host.newAction(action, row.key);
    if (action === 'test') {
      this.showTestResult(row.key, { status: 'pending', text: 'Testing…' });
    }
    this.host.sendAction(requestId, action, row);
  }

  private setFilter(text: string): void {
    this.state.setFilter(text);
    this.toolbar.showFilter(this.state.ui.filter);
    this.redrawTable('filter');
    this.state.save();
  }

  /** Selects the row of an event's port (showing it first when filters or a folded group hide it). */
  private reveal(entry: DashboardActivityEntry): void {
    const target = rowForActivity(this.data.rows.all(), entry);
    if (!target) {
      this.showNote(`${entry.port}/${entry.protocol} is not listening now.`);
      return;
    }
    if (!this.grid.reveal(target.row.key)) {
      this.state.showOnly(target, `${entry.port}/${entry.protocol}`);
      this.showUi();
      this.redrawTable('filter');
      this.state.save();
      this.grid.reveal(target.row.key);
    }
    this.grid.focus();
  }

  /** What the Activity section filters by: the selected row and the filter text. */
  private updateActivityContext(): void {
    const row = this.state.active?.row;
    this.activityPane.setContext({ filter: this.state.ui.filter, ...(row && { selected: { port: row.port, protocol: row.protocol } }) });
  }
}
