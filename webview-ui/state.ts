// The page's UI state: how the table and the Activity section are shown. Only `ui` is saved, with setState
// for the serializer and sent to the host for the next time the panel is shown; data never is, so a
// restored page shows fresh rows in the old arrangement.
import type { TableEntry } from '../src/shared/dashboardTable';
import { filterEntries, groupIdOf } from '../src/shared/dashboardTable';
import type { ActivityUiState, ColumnId, DashboardUiState, QuickFilters } from '../src/shared/protocol';
import { FILTER_MAX_LENGTH, copyUiState, defaultUiState } from '../src/shared/protocol';
import { parsePersistedState } from '../src/shared/validateMessage';
import { saveState, savedState } from './vscodeApi';

export class DashboardState {
  private current: DashboardUiState;
  /** Folded process groups. Not saved: a group id is a pid, which is data. */
  private readonly folded = new Set<string>();
  /** The row the table's cursor is on. */
  active: TableEntry | undefined;

  /** `tellHost` receives a copy of every saved state. */
  constructor(private readonly tellHost: (ui: DashboardUiState) => void) {
    // Checked like any input: an older version of this page may have saved it.
    const restored = parsePersistedState(savedState());
    this.current = restored.ok ? restored.value : defaultUiState();
  }

  get ui(): Readonly<DashboardUiState> {
    return this.current;
  }

  get collapsed(): ReadonlySet<string> {
    return this.folded;
  }

  /** Saves the UI state (for a reload) and tells the host (for the next time the panel is shown). Both
   *  at once, on every change: a panel hidden right after a keystroke must not lose it. */
  save(): void {
    const state = copyUiState(this.current);
    saveState({ version: 1, ui: state });
    this.tellHost(state);
  }

  /** Saves for a reload only: for a state the host sent, which it knows already. */
  saveForReload(): void {
    saveState({ version: 1, ui: this.current });
  }

  // --- changes (the caller redraws and saves)

  /** The host's copy wins over what setState kept. */
  adopt(ui: DashboardUiState): void {
    this.current = ui;
  }

  setFilter(text: string): void {
    this.current.filter = text.slice(0, FILTER_MAX_LENGTH);
  }

  setQuick(quick: QuickFilters, groupByProcess: boolean): void {
    this.current.quick = quick;
    this.current.groupByProcess = groupByProcess;
  }

  /** A second click on the sorted column turns the order round. */
  sortBy(column: ColumnId): void {
    const { sort } = this.current;
    this.current.sort = sort.column === column ? { column, direction: sort.direction === 'asc' ? 'desc' : 'asc' } : { column, direction: 'asc' };
  }

  toggleSummary(): void {
    this.current.summaryCollapsed = !this.current.summaryCollapsed;
  }

  setActivity(activity: ActivityUiState): void {
    this.current.activity = activity;
  }

  /** Folds or unfolds a process group (`expand` undefined: the other way round). True if it changed. */
  toggleGroup(id: string, expand?: boolean): boolean {
    const wasFolded = this.folded.has(id);
    if (expand === undefined ? wasFolded : expand) {
      this.folded.delete(id);
    } else {
      this.folded.add(id);
    }
    return wasFolded !== this.folded.has(id);
  }

  /** Filters to `filter` and lifts what would still hide `target`: the quick filters, its folded group. */
  showOnly(target: TableEntry, filter: string): void {
    this.current.filter = filter;
    if (filterEntries([target], this.current).length === 0) {
      this.current.quick = { ...defaultUiState().quick };
    }
    this.folded.delete(groupIdOf(target.row));
  }
}
