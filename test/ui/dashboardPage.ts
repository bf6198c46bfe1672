// The Ports dashboard as a UI test sees it: the webview's content frame (found afresh after every
// reload, hide or re-open), its table rows as rendered, its controls and its timing figures.
import type { Frame } from 'playwright-core';
import { until } from '../support/poll';
import type { Workbench } from './support/workbench';

export const OPEN_DASHBOARD = 'Port Inspector: Open Dashboard';

/** One rendered table row (the grid renders only the rows in view). */
export interface RenderedRow {
  key: string;
  index: number;
  port: number;
  protocol: string;
  address: string;
  process: string;
  pid: string;
  command: string;
  connection: string;
  active: boolean;
  isNew: boolean;
  closing: boolean;
}

/** One rendered event of the Activity section. */
export interface RenderedActivity {
  id: number;
  kind: string;
  /** `TCP`, `UDP`. */
  protocol: string;
  endpoint: string;
  port: number;
  name: string;
  /** `pid 4242`, or empty when the owner is not visible. */
  pid: string;
  /** The unusual kinds shown as badges, and their reasons (tooltips). */
  unusual: Array<{ kind: string; reason: string }>;
  time: string;
  timeTitle: string;
  /** When it happened (ms since the epoch), from the time element's `datetime`. */
  at: number;
}

/** The figures the webview records on its root element (see webview-ui/figures.ts): `rows`, `shown`,
 *  `updates`, `renders`, and for `init`, `update`, `largestUpdate`: `<kind>Ms` (synchronous work),
 *  `<kind>PaintMs` (until after the next frame), `<kind>Rows`; `filterMs` for the last keystroke. */
export type DashboardFigures = Partial<Record<string, number>> & { rows: number; shown: number };

export class DashboardPage {
  private constructor(
    readonly workbench: Workbench,
    readonly frame: Frame,
  ) {}

  /** The open dashboard's frame, once its first data has arrived. */
  static async find(workbench: Workbench, timeoutMs = 30_000): Promise<DashboardPage> {
    const frame = await workbench.frameWith('#app .grid-header', timeoutMs);
    await frame.locator('#app:not([aria-busy])').waitFor({ timeout: timeoutMs });
    return new DashboardPage(workbench, frame);
  }

  /**
   * Checks that the dashboard keeps its state: runs `check` as it is, after it was hidden behind another
   * editor (the webview is torn down) and shown again, and after a window reload (the serializer
   * restores it). Returns the page after the reload.
   */
  static async checkKeepsState(workbench: Workbench, page: DashboardPage, check: (p: DashboardPage, when: string) => Promise<void>): Promise<DashboardPage> {
    await check(page, 'as set');
    await workbench.openFile('server.js');
    await workbench.page.locator('.tab', { hasText: 'Ports Dashboard' }).click();
    await check(await DashboardPage.find(workbench), 'after hiding');
    await workbench.focusWorkbench();
    await workbench.runCommand('Developer: Reload Window');
    await workbench.waitReady();
    const reloaded = await DashboardPage.find(workbench, 60_000);
    await check(reloaded, 'after the reload');
    return reloaded;
  }

  /** Runs "Port Inspector: Open Dashboard" and waits for the table. */
  static async open(workbench: Workbench): Promise<DashboardPage> {
    // Right after the window loads, the palette may not list the extension's commands yet.
    await until(
      async () => {
        await workbench.runCommand(OPEN_DASHBOARD);
        return true;
      },
      { what: `"${OPEN_DASHBOARD}" in the command palette`, timeoutMs: 30_000 },
    );
    return DashboardPage.find(workbench);
  }

  /** The rows in view, top to bottom. Read in one evaluation: updates re-render rows. */
  async rows(): Promise<RenderedRow[]> {
    return this.frame.evaluate(() => {
      const text = (row: Element, col: string): string => (row.querySelector(`.col-${col}`)?.textContent ?? '').trim();
      return Array.from(document.querySelectorAll('.grid-body .socket-row'))
        .map((r) => ({
          key: r.getAttribute('data-key') ?? '',
          index: Number(r.getAttribute('aria-rowindex')),
          port: Number(text(r, 'port')),
          protocol: text(r, 'protocol'),
          address: text(r, 'address'),
          process: text(r, 'process'),
          pid: text(r, 'pid'),
          command: text(r, 'command'),
          connection: text(r, 'connection'),
          active: r.classList.contains('is-active'),
          isNew: r.classList.contains('is-new'),
          closing: r.classList.contains('is-closing'),
        }))
        .sort((a, b) => a.index - b.index);
    });
  }

  /** Waits for a row matching `match` (or, with `present: false`, for none to match). */
  async waitForRow(what: string, match: (r: RenderedRow) => boolean, present = true, timeoutMs = 20_000): Promise<RenderedRow | undefined> {
    if (present) {
      return until(async () => (await this.rows()).find(match), { what: `${what} to appear in the dashboard`, timeoutMs });
    }
    await until(async () => !(await this.rows()).some(match), { what: `${what} to go in the dashboard`, timeoutMs });
    return undefined;
  }

  /** The Activity section's events as drawn, top (newest) first. */
  async activity(): Promise<RenderedActivity[]> {
    return this.frame.evaluate(() =>
      Array.from(document.querySelectorAll('#activity .activity-item')).map((item) => {
        const text = (selector: string): string => (item.querySelector(selector)?.textContent ?? '').trim();
        return {
          id: Number(item.getAttribute('data-id')),
          kind: text('.activity-kind'),
          protocol: text('.activity-proto'),
          endpoint: text('.activity-endpoint'),
          port: Number(text('.activity-port')),
          name: item.querySelector('.activity-name')?.textContent ?? '',
          pid: text('.activity-pid'),
          unusual: Array.from(item.querySelectorAll('[data-unusual]')).map((b) => ({ kind: b.getAttribute('data-unusual') ?? '', reason: b.getAttribute('title') ?? '' })),
          time: text('.activity-time'),
          timeTitle: item.querySelector('.activity-time')?.getAttribute('title') ?? '',
          at: Date.parse(item.querySelector('.activity-time')?.getAttribute('datetime') ?? ''),
        };
      }),
    );
  }

  /** Waits until the Activity section draws what `match` accepts (the events, newest first). */
  async waitForActivity<T>(what: string, match: (events: RenderedActivity[]) => T | undefined, timeoutMs = 20_000): Promise<T> {
    return until(async () => match(await this.activity()), { what: `${what} in the Activity section`, timeoutMs });
  }

  /** Types into the filter box, replacing what was there. */
  async filter(text: string): Promise<void> {
    await this.frame.locator('#filter').fill(text);
  }

  async figures(): Promise<DashboardFigures> {
    const data = await this.frame.locator('#app').evaluate((el) => ({ ...(el as HTMLElement).dataset }));
    const figures: DashboardFigures = { rows: 0, shown: 0 };
    for (const [key, value] of Object.entries(data)) {
      if (value !== undefined && value !== '' && Number.isFinite(Number(value))) {
        figures[key] = Number(value);
      }
    }
    return figures;
  }

  async status(): Promise<string> {
    return (await this.frame.locator('#status').innerText()).trim();
  }

  async banner(): Promise<string> {
    return (await this.frame.locator('#banners').innerText()).trim();
  }

  /** `aria-sort` of each sortable column header, by its title. */
  async sortState(): Promise<Record<string, string>> {
    return this.frame.evaluate(() =>
      Object.fromEntries(
        Array.from(document.querySelectorAll('.grid-header [role="columnheader"][aria-sort]')).map((h) => [(h.textContent ?? '').trim(), h.getAttribute('aria-sort') ?? '']),
      ),
    );
  }

  async clickHeader(title: string): Promise<void> {
    await this.frame.locator('.grid-header .sort-button', { hasText: new RegExp(`^${title}$`) }).click();
  }

  /** Clicks an action button (by its label) in the row with `key`. */
  async clickAction(key: string, label: RegExp): Promise<void> {
    const buttons = this.frame.locator(`.socket-row[data-key="${key}"] button[data-action]`);
    const labels = await buttons.evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label') ?? ''));
    const index = labels.findIndex((l) => label.test(l));
    if (index < 0) {
      throw new Error(`no action ${label} in row ${key} (has: ${labels.join(' | ')})`);
    }
    await buttons.nth(index).click();
  }

  /** The row element for `key` (rendered only while in view). */
  row(key: string): ReturnType<Frame['locator']> {
    return this.frame.locator(`.socket-row[data-key="${key}"]`);
  }

  /**
   * Posts a message to the extension host exactly as the webview's own script would: through the
   * function VS Code's webview host frame exposes to the content frame (`acquireVsCodeApi` wraps it).
   * The content frame cannot be asked to do it, because the API can be acquired only once.
   */
  async postRaw(message: unknown): Promise<void> {
    const host = this.frame.parentFrame();
    if (!host) {
      throw new Error('the dashboard frame has no parent frame');
    }
    await host.evaluate((m) => {
      const post = (window as unknown as Record<string, unknown>).__vscode_post_message__;
      if (typeof post !== 'function') {
        throw new Error('this VS Code build has no __vscode_post_message__ in the webview host frame');
      }
      (post as (channel: string, data: unknown) => void)('onmessage', { message: m });
    }, message);
  }
}
