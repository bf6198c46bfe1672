// The Ports dashboard in the webview: toolbar, summary, table, details pane and the Activity section. It
// says `ready`, then renders what the host sends: a full `init`, then `update`s with only the rows that
// changed and `activity` messages with only the new events. UI state (sort, filter, quick filters,
// grouping, the Activity section's fold and filters) is saved with setState for the serializer and sent
// to the host; data never is.
import { rowForActivity } from '../src/shared/dashboardActivity';
import { filterEntries, groupTableView } from '../src/shared/dashboardTable';
import type { DashboardActivityEntry, DashboardRow, HostMessage, RowAction } from '../src/shared/protocol';
import { ActivityPane } from './activity';
import { Banners } from './banners';
import { Toolbar } from './controls';
import { DashboardData } from './data';
import { DetailsPane } from './details';
import { replaceChildren } from './dom';
import { Figures } from './figures';
import { PortsGrid } from './grid';
import { HostChannel } from './messages';
import { DashboardState } from './state';
import { StatusLine } from './status';
import { SummaryPane } from './summary';

// --- state

const host = new HostChannel();
const state = new DashboardState((ui) => host.uiState(ui));
const data = new DashboardData();
let expiryTimer: ReturnType<typeof setTimeout> | undefined;

// --- layout

const app = document.getElementById('app') as HTMLElement;
const figures = new Figures(app.dataset);

const toolbar = new Toolbar({
  filter: (text) => {
    state.setFilter(text);
    applyView('filter');
    state.save();
  },
  quick: (quick, groupByProcess) => {
    state.setQuick(quick, groupByProcess);
    applyView('ui');
    state.save();
  },
  toggleSummary: () => {
    state.toggleSummary();
    controlsFromUi();
    state.save();
  },
  refresh: () => host.refresh(),
  focusTable: () => grid.focus(),
});
const banners = new Banners(() => host.refresh());
const summary = new SummaryPane({
  filterPort: (port) => setFilter(String(port)),
  filterPid: (pid) => setFilter(String(pid)),
});
const status = new StatusLine(() => applyView('ui'));
const details = new DetailsPane(data, (key) => host.commandLine(key));

const grid = new PortsGrid(
  {
    action: (action, row) => runAction(action, row),
    toggleGroup: (id, expand) => {
      if (state.toggleGroup(id, expand)) {
        applyView('ui');
      }
    },
    sort: (column) => {
      state.sortBy(column);
      grid.setSort(state.ui.sort);
      applyView('ui');
      state.save();
    },
    activeChanged: (entry) => {
      state.active = entry;
      renderDetails();
      updateActivityContext();
    },
  },
  data.results,
);

const activityPane = new ActivityPane({
  reveal: (entry) => revealActivity(entry),
  troubleshoot: (entry) => host.troubleshootPort(entry.port, entry.protocol),
  clear: () => host.clearActivity(),
  stateChanged: (activity) => {
    state.setActivity(activity);
    state.save();
  },
});

replaceChildren(
  app,
  toolbar.element,
  banners.element,
  summary.element,
  status.element,
  grid.element,
  details.element,
  activityPane.element,
);

// --- UI state ↔ controls

function controlsFromUi(): void {
  const { ui } = state;
  toolbar.show(ui);
  grid.setSort(ui.sort);
  summary.element.hidden = ui.summaryCollapsed;
  activityPane.setState(ui.activity);
}

/** What the Activity section filters by: the selected row and the filter text. */
function updateActivityContext(): void {
  const row = state.active?.row;
  activityPane.setContext({ filter: state.ui.filter, ...(row && { selected: { port: row.port, protocol: row.protocol } }) });
}

/** Selects the row of an event's port (showing it first when filters or a folded group hide it). */
function revealActivity(entry: DashboardActivityEntry): void {
  const target = rowForActivity(data.rows.all(), entry);
  if (!target) {
    status.showNote(`${entry.port}/${entry.protocol} is not listening now.`);
    return;
  }
  if (!grid.reveal(target.row.key)) {
    state.showOnly(target, `${entry.port}/${entry.protocol}`);
    controlsFromUi();
    applyView('filter');
    state.save();
    grid.reveal(target.row.key);
  }
  grid.focus();
}

// --- the view

function emptyText(): string {
  const { loading, scanError, rows } = data;
  if (loading) {
    return 'Waiting for the first scan…';
  }
  if (scanError && rows.size === 0) {
    return 'Ports cannot be listed right now.';
  }
  return rows.size === 0 ? 'No listening sockets.' : 'No socket matches the filters.';
}

/** Rebuilds the visible table. `reason` says which timing figure it is. */
function applyView(reason: 'data' | 'filter' | 'ui' | 'expire'): void {
  const started = performance.now();
  const { ui, collapsed } = state;
  const filtered = filterEntries(data.sortedRows(ui.sort), ui);
  const view = groupTableView(filtered, ui, collapsed, data.rows.size);
  grid.setItems(view.items, ui.groupByProcess, emptyText());
  status.show(view, data.summary?.takenAt);
  toolbar.setFilterInvalid(view.filterError !== undefined);
  const ms = performance.now() - started;
  figures.table(view.shown, data.rows.size, reason === 'filter' ? ms : undefined);
  if (reason === 'filter') {
    updateActivityContext();
  }
}

function renderDetails(): void {
  details.render(state.active);
}

function scheduleExpiry(): void {
  clearTimeout(expiryTimer);
  const wait = data.rows.nextExpiryIn(Date.now());
  if (wait === undefined) {
    return;
  }
  expiryTimer = setTimeout(() => {
    if (data.rows.expire(Date.now())) {
      applyView('expire');
    }
    scheduleExpiry();
  }, wait + 20);
}

// --- actions

function runAction(action: RowAction, row: DashboardRow): void {
  // The action is the user's request, so it takes its id before "Testing…" redraws the details pane
  // (which may ask for a command line).
  const requestId = host.newAction(action, row.key);
  if (action === 'test') {
    data.results.set(row.key, { status: 'pending', text: 'Testing…' });
    grid.refresh();
    renderDetails();
  }
  host.sendAction(requestId, action, row);
}

// --- messages from the host

function onMessage(message: HostMessage): void {
  const started = performance.now();
  switch (message.type) {
    case 'init': {
      figures.initArrived(started);
      state.adopt(message.uiState);
      controlsFromUi();
      data.reset(message);
      banners.showScanError(data.scanError);
      summary.show(data.summary);
      applyView('data');
      activityPane.setEntries(data.activity, data.activityTotal);
      figures.rendered('init', started, message.rows.length);
      state.saveForReload();
      app.removeAttribute('aria-busy');
      return;
    }
    case 'update': {
      data.apply(message);
      summary.show(data.summary);
      applyView('data');
      figures.rendered('update', started, message.added.length + message.changed.length + message.removed.length);
      figures.count('updates');
      scheduleExpiry();
      return;
    }
    case 'activity':
      data.addActivity(message);
      activityPane.setEntries(data.activity, data.activityTotal);
      figures.count('activityMessages');
      return;
    case 'scanError':
      data.scanError = message.message;
      banners.showScanError(data.scanError);
      return;
    case 'actionResult': {
      const r = message.result;
      host.settle(r.requestId);
      if (r.action === 'test') {
        data.results.set(r.key, { status: r.status, text: r.text });
        grid.refresh();
        renderDetails();
      } else {
        status.showNote(r.text);
      }
      return;
    }
    case 'commandLine': {
      host.settle(message.requestId);
      data.fullCommands.set(message.key, message.command);
      if (state.active?.row.key === message.key) {
        renderDetails();
      }
      return;
    }
    case 'rejected': {
      const request = host.settle(message.requestId);
      if (request?.action === 'test') {
        data.results.set(request.key, { status: 'failed', text: `Not tested: ${message.reason}` });
        grid.refresh();
      }
      banners.set('rejected', `The extension refused a request from this page: ${message.reason}`, 'warning');
      return;
    }
    default: {
      const unknown: never = message;
      console.warn('Port Inspector dashboard: unknown message', unknown);
    }
  }
}

function setFilter(text: string): void {
  state.setFilter(text);
  toolbar.showFilter(state.ui.filter);
  applyView('filter');
  state.save();
}

// --- keyboard

grid.element.addEventListener('keydown', (e) => {
  if (e.key === '/' && e.target === grid.element) {
    e.preventDefault();
    toolbar.focusFilter();
  }
});

window.addEventListener('message', (event: MessageEvent<HostMessage>) => onMessage(event.data));

// --- start

controlsFromUi();
renderDetails();
applyView('ui');
figures.ready();
host.ready();
