// The toolbar above the table: the filter box, the quick filters, grouping, the summary fold and Refresh.
// It shows the UI state it is given and reports what the user changes; it keeps no state of its own.
import { durationText } from '../src/shared/dashboardTable';
import type { DashboardSummary, DashboardUiState, QuickFilters } from '../src/shared/protocol';
import { FILTER_MAX_LENGTH } from '../src/shared/protocol';
import { h } from './dom';
import { icon } from './icons';

export interface ControlCallbacks {
  /** The filter text changed: typed, or cleared with Escape. */
  filter(text: string): void;
  quick(quick: QuickFilters, groupByProcess: boolean): void;
  toggleSummary(): void;
  refresh(): void;
  /** ArrowDown in the filter box: on to the table. */
  focusTable(): void;
}

function select(id: string, label: string, options: Array<[string, string]>): HTMLSelectElement {
  return h('select', { attrs: { id, 'aria-label': label, title: label } }, ...options.map(([value, text]) => h('option', { text, attrs: { value } })));
}

function checkbox(id: string, label: string): [HTMLLabelElement, HTMLInputElement] {
  const input = h('input', { attrs: { type: 'checkbox', id } });
  return [h('label', { class: 'check', attrs: { for: id } }, input, h('span', { text: label })), input];
}

export class Toolbar {
  readonly element: HTMLElement;
  private readonly filterInput = h('input', {
    attrs: {
      type: 'search',
      id: 'filter',
      placeholder: 'Filter: port, 3000-3010, pid, process, address, command…',
      'aria-label': 'Filter sockets',
      maxlength: FILTER_MAX_LENGTH,
      spellcheck: 'false',
      autocomplete: 'off',
    },
  });
  private readonly protocolSelect = select('q-protocol', 'Protocol', [
    ['any', 'TCP + UDP'],
    ['tcp', 'TCP'],
    ['udp', 'UDP'],
  ]);
  private readonly rangeSelect = select('q-range', 'Port range', [
    ['any', 'All ranges'],
    ['well-known', 'Well-known (0–1023)'],
    ['registered', 'Registered (1024–49151)'],
    ['dynamic', 'Dynamic (49152–65535)'],
  ]);
  private readonly exposureSelect = select('q-exposure', 'Exposure', [
    ['any', 'Any exposure'],
    ['loopback', 'Local only'],
    ['all', 'All interfaces'],
    ['interface', 'One interface'],
  ]);
  private readonly mineBox: HTMLInputElement;
  private readonly workspaceBox: HTMLInputElement;
  private readonly containersBox: HTMLInputElement;
  private readonly forgottenBox: HTMLInputElement;
  private readonly forgottenLabel: HTMLLabelElement;
  private readonly groupBox: HTMLInputElement;
  private readonly summaryToggle = h('button', { class: 'text-button', attrs: { type: 'button', id: 'toggle-summary', 'aria-controls': 'summary' } });

  constructor(callbacks: ControlCallbacks) {
    const [mineLabel, mineBox] = checkbox('q-mine', 'Mine only');
    const [workspaceLabel, workspaceBox] = checkbox('q-workspace', 'This workspace only');
    this.workspaceBox = workspaceBox;
    const [containersLabel, containersBox] = checkbox('q-containers', 'Containers only');
    containersLabel.title = 'Only ports a container holds (Docker, Podman)';
    this.containersBox = containersBox;
    const [forgottenLabel, forgottenBox] = checkbox('q-forgotten', 'Forgotten');
    this.forgottenBox = forgottenBox;
    this.forgottenLabel = forgottenLabel;
    this.setForgottenRule(undefined);
    const [groupLabel, groupBox] = checkbox('group-by-process', 'Group by process');
    this.mineBox = mineBox;
    this.groupBox = groupBox;
    const refreshButton = h('button', { class: 'icon-button', title: 'Refresh now', attrs: { type: 'button', id: 'refresh', 'aria-label': 'Refresh now' } }, icon('refresh'));
    this.element = h(
      'header',
      { class: 'toolbar', attrs: { role: 'search' } },
      this.filterInput,
      this.protocolSelect,
      this.rangeSelect,
      this.exposureSelect,
      mineLabel,
      workspaceLabel,
      containersLabel,
      forgottenLabel,
      groupLabel,
      h('span', { class: 'spacer' }),
      this.summaryToggle,
      refreshButton,
    );

    this.filterInput.addEventListener('input', () => callbacks.filter(this.filterInput.value));
    this.filterInput.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        callbacks.focusTable();
      } else if (e.key === 'Escape' && this.filterInput.value) {
        e.preventDefault();
        this.filterInput.value = '';
        callbacks.filter('');
      }
    });
    const onQuick = (): void =>
      callbacks.quick(
        {
          protocol: this.protocolSelect.value as QuickFilters['protocol'],
          range: this.rangeSelect.value as QuickFilters['range'],
          exposure: this.exposureSelect.value as QuickFilters['exposure'],
          mineOnly: this.mineBox.checked,
          workspaceOnly: this.workspaceBox.checked,
          containersOnly: this.containersBox.checked,
          forgottenOnly: this.forgottenBox.checked,
        },
        this.groupBox.checked,
      );
    [this.protocolSelect, this.rangeSelect, this.exposureSelect, this.mineBox, this.workspaceBox, this.containersBox, this.forgottenBox, this.groupBox].forEach((c) => c.addEventListener('change', onQuick));
    refreshButton.addEventListener('click', () => callbacks.refresh());
    this.summaryToggle.addEventListener('click', () => callbacks.toggleSummary());
  }

  /** Sets every control from `ui` (after a restore, or a change made elsewhere). */
  show(ui: Readonly<DashboardUiState>): void {
    this.filterInput.value = ui.filter;
    this.protocolSelect.value = ui.quick.protocol;
    this.rangeSelect.value = ui.quick.range;
    this.exposureSelect.value = ui.quick.exposure;
    this.mineBox.checked = ui.quick.mineOnly;
    this.workspaceBox.checked = ui.quick.workspaceOnly;
    this.containersBox.checked = ui.quick.containersOnly;
    this.forgottenBox.checked = ui.quick.forgottenOnly;
    this.groupBox.checked = ui.groupByProcess;
    this.summaryToggle.textContent = ui.summaryCollapsed ? 'Show summary' : 'Hide summary';
    this.summaryToggle.setAttribute('aria-expanded', String(!ui.summaryCollapsed));
  }

  /** Says in the Forgotten filter's tooltip which rule applies (the settings Show Forgotten Servers reads). */
  setForgottenRule(rule: DashboardSummary['forgotten']): void {
    const what = rule
      ? `up for more than ${durationText(rule.olderThanMs)} with no connection for ${durationText(rule.idleMs)}`
      : 'up long with no connection for long';
    const count = rule ? ` — ${rule.count} now` : '';
    this.forgottenLabel.title = `Only development servers (never system services or containers) ${what}${count}. The thresholds are the settings portInspector.forgottenServers.*; Free Port on a row stops it.`;
  }

  showFilter(text: string): void {
    this.filterInput.value = text;
  }

  /** Marks the filter text as one that does not parse. */
  setFilterInvalid(invalid: boolean): void {
    this.filterInput.setAttribute('aria-invalid', String(invalid));
  }

  focusFilter(): void {
    this.filterInput.focus();
  }
}
