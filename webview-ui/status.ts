// The status line under the summary: how many sockets show, a filter that does not parse, when the data
// was taken, and for a few seconds the outcome of an action ("Copied …").
import type { TableView } from '../src/shared/dashboardTable';
import { h, plural } from './dom';

const NOTE_MS = 6000;

export class StatusLine {
  readonly element = h('div', { class: 'status', attrs: { id: 'status', role: 'status', 'aria-live': 'polite' } });
  private note = '';
  private noteTimer: ReturnType<typeof setTimeout> | undefined;

  /** `changed` redraws the line (through `show`) when a note comes or goes. */
  constructor(private readonly changed: () => void) {}

  show(view: TableView, takenAt: number | undefined): void {
    const parts: string[] = [];
    parts.push(view.shown === view.total ? plural(view.total, 'socket', 'sockets') : `${view.shown.toLocaleString()} of ${plural(view.total, 'socket', 'sockets')}`);
    if (view.filterError) {
      parts.push(view.filterError);
    }
    if (takenAt !== undefined) {
      parts.push(`updated ${new Date(takenAt).toLocaleTimeString()}`);
    }
    if (this.note) {
      parts.push(this.note);
    }
    this.element.textContent = parts.join(' · ');
  }

  showNote(text: string): void {
    this.note = text;
    this.changed();
    clearTimeout(this.noteTimer);
    this.noteTimer = setTimeout(() => {
      this.note = '';
      this.changed();
    }, NOTE_MS);
  }
}
