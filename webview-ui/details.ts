// The details pane below the table: everything known about the selected row, with its whole command line.
import type { TableEntry } from '../src/shared/dashboardTable';
import type { DashboardData } from './data';
import { h, replaceChildren } from './dom';
import { activityCells } from './grid';

export class DetailsPane {
  readonly element = h('section', { class: 'details', attrs: { id: 'details', 'aria-label': 'Selected socket', 'aria-live': 'off' } });

  /** `fetchCommandLine` asks the host for a row's whole command line (it answers into `data`). */
  constructor(
    private readonly data: DashboardData,
    private readonly fetchCommandLine: (key: string) => void,
  ) {}

  render(entry: TableEntry | undefined): void {
    if (!entry) {
      replaceChildren(this.element, h('p', { class: 'muted', text: 'Select a row to see its details here.' }));
      return;
    }
    const r = entry.row;
    const result = this.data.results.get(r.key);
    const fullCommand = this.data.fullCommands.get(r.key);
    const times = activityCells(r, this.data.summary?.takenAt ?? Date.now());
    const field = (name: string, value: string | undefined, cls = ''): Array<HTMLElement | false> =>
      value ? [h('dt', { text: name }), h('dd', { class: cls, text: value })] : [false];
    replaceChildren(
      this.element,
      h('h2', { text: `${r.port}/${r.protocol} on ${r.address}${r.ownerVisible ? ` — ${r.process} (pid ${r.pids.join(', ')})` : ' — owner not visible'}` }),
      h(
        'dl',
        {},
        ...field('Container', r.containerDetail ?? r.container),
        ...field('Service', r.serviceDetail || r.service),
        ...field('Up', times.upTitle),
        ...field('Idle', times.idleTitle ? `${times.idle}: ${times.idleTitle}` : ''),
        ...field('Exposure', r.exposureLabel),
        ...field('Risk', r.risk?.reason, r.risk ? `risk-text risk-${r.risk.level}` : ''),
        ...field('User', r.user),
        ...field('Terminal', r.terminal),
        ...field('Connection', result?.text),
        ...field('Command line', fullCommand ?? r.command, 'command-full'),
      ),
    );
    // Rows carry command lines cut at COMMAND_MAX characters; the pane shows the whole line.
    if (r.command.endsWith('…') && !this.data.fullCommands.has(r.key)) {
      this.fetchCommandLine(r.key);
    }
  }
}
