// Figures the page writes on #app as data-* attributes: for the UI tests (test/ui/dashboardPage.ts reads
// them) and for people curious about their own machine.

export type RenderKind = 'init' | 'update';

export class Figures {
  private readyAt = 0;

  constructor(private readonly d: DOMStringMap) {}

  /** The page says `ready` now. */
  ready(): void {
    this.readyAt = performance.now();
  }

  /** From `ready` to the data: the host's work plus the trip through VS Code's message channel. */
  initArrived(at: number): void {
    this.d.readyToInitMs = (at - this.readyAt).toFixed(1);
  }

  /** What the table shows after a redraw, and for a keystroke in the filter, how long that took. */
  table(shown: number, rows: number, filterMs?: number): void {
    this.d.shown = String(shown);
    this.d.rows = String(rows);
    if (filterMs !== undefined) {
      this.d.filterMs = filterMs.toFixed(2);
    }
  }

  /** How long a data message took to show, as `data-<kind>-ms` (synchronous work) and
   *  `data-<kind>-paint-ms` (until after the next frame). */
  rendered(kind: RenderKind, started: number, rows: number): void {
    const ms = performance.now() - started;
    const d = this.d;
    // For updates, the largest one so far is kept too: later small updates would hide it.
    const kinds = kind === 'update' && rows >= Number(d.largestUpdateRows ?? '0') ? [kind, 'largestUpdate'] : [kind];
    for (const k of kinds) {
      d[`${k}Ms`] = ms.toFixed(2);
      d[`${k}Rows`] = String(rows);
    }
    requestAnimationFrame(() => {
      setTimeout(() => {
        for (const k of kinds) {
          d[`${k}PaintMs`] = (performance.now() - started).toFixed(2);
        }
        this.count('renders');
      }, 0);
    });
  }

  /** Counts messages (`updates`, `activityMessages`) and renders. */
  count(name: 'updates' | 'activityMessages' | 'renders'): void {
    this.d[name] = String(Number(this.d[name] ?? '0') + 1);
  }
}
