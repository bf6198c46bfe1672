// What the host sent: the rows, the summary, whether scanning works, the activity log, and the answers to
// this page's requests. Held in memory only: never saved, a restored page asks the host again.
import { mergeActivity } from '../src/shared/dashboardActivity';
import type { TableEntry } from '../src/shared/dashboardTable';
import { RowStore, sortEntries } from '../src/shared/dashboardTable';
import type { DashboardActivityEntry, DashboardSummary, DashboardUiState, HostMessage } from '../src/shared/protocol';
import type { ConnectionState } from './grid';

export type InitMessage = Extract<HostMessage, { type: 'init' }>;
export type UpdateMessage = Extract<HostMessage, { type: 'update' }>;
export type ActivityMessage = Extract<HostMessage, { type: 'activity' }>;

export class DashboardData {
  readonly rows = new RowStore();
  /** Connection test results by row key; the grid reads this map while drawing. */
  readonly results = new Map<string, ConnectionState>();
  /** Whole command lines fetched for the details pane (rows carry them cut short), by row key. */
  readonly fullCommands = new Map<string, string>();
  summary: DashboardSummary | undefined;
  scanError: string | undefined;
  /** No snapshot yet: the first scan is still running. */
  loading = true;
  /** Recorded port activity, oldest first (at most ACTIVITY_HELD_MAX), and the log's size. */
  activity: DashboardActivityEntry[] = [];
  activityTotal = 0;
  private sorted: { revision: number; sort: DashboardUiState['sort']; entries: TableEntry[] } | undefined;

  /** Everything anew, from `init`. */
  reset(message: InitMessage): void {
    this.loading = message.loading;
    this.scanError = message.scanError;
    this.rows.reset(message.rows);
    this.fullCommands.clear();
    this.results.clear();
    this.summary = message.summary;
    this.activity = message.activity;
    this.activityTotal = message.activityTotal;
  }

  /** Only the rows that changed. A changed row's full command line may be stale: it is fetched again. */
  apply(message: UpdateMessage): void {
    this.loading = false;
    this.rows.apply(message, Date.now());
    message.changed.forEach((r) => this.fullCommands.delete(r.key));
    message.removed.forEach((k) => {
      this.fullCommands.delete(k);
      this.results.delete(k);
    });
    this.summary = message.summary;
  }

  addActivity(message: ActivityMessage): void {
    this.activity = mergeActivity(this.activity, message);
    this.activityTotal = message.total;
  }

  /** All rows in `sort` order. Sorting 5,000 rows on every keystroke shows, so the order is kept until
   *  the rows or the sort change. */
  sortedRows(sort: DashboardUiState['sort']): TableEntry[] {
    let s = this.sorted;
    if (!s || s.revision !== this.rows.revision || s.sort.column !== sort.column || s.sort.direction !== sort.direction) {
      s = this.sorted = { revision: this.rows.revision, sort: { ...sort }, entries: sortEntries(this.rows.all(), sort) };
    }
    return s.entries;
  }
}
