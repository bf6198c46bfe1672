// Owns every refresh of the shared snapshot. Surfaces say whether they are visible; the manager polls only
// while at least one visible surface needs live data. The interval adapts: never shorter than the
// setting, at least 20× the last scan's duration (so an expensive machine is scanned less often), and
// backing off exponentially while scans fail. A manual refresh is immediate; other reasons are debounced.
import type * as vscode from 'vscode';
import type { InspectorService } from './inspectorService';
import { log } from './logger';

export type RefreshReason = 'manual' | 'interval' | 'config' | 'visibility' | 'action';

const MAX_BACKOFF_MS = 60_000;
const DEBOUNCE_MS = 250;

export class RefreshManager implements vscode.Disposable {
  private readonly needs = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly service: InspectorService,
    private readonly minIntervalMs: () => number,
  ) {}

  /** A surface (`ports-view`, `dashboard`, `watched-ports`) says whether it currently needs live data. */
  setNeed(surface: string, needed: boolean): void {
    const before = this.needs.size > 0;
    if (needed) {
      this.needs.add(surface);
    } else {
      this.needs.delete(surface);
    }
    const after = this.needs.size > 0;
    if (after && !before) {
      this.request('visibility');
    } else if (!after && before) {
      this.clearTimer();
    }
  }

  get active(): boolean {
    return this.needs.size > 0;
  }

  /** Refreshes now (manual, action) or soon (others), then resumes the polling cadence. */
  request(reason: RefreshReason): Promise<void> {
    if (reason === 'manual' || reason === 'action') {
      return this.runNow(reason);
    }
    clearTimeout(this.debounce);
    return new Promise((resolve) => {
      this.debounce = setTimeout(() => void this.runNow(reason).then(resolve), DEBOUNCE_MS);
    });
  }

  /** The delay before the next automatic scan. */
  nextDelayMs(): number {
    const base = Math.max(500, this.minIntervalMs());
    const failures = this.service.failures;
    if (failures > 0) {
      return Math.min(MAX_BACKOFF_MS, base * 2 ** Math.min(failures, 10));
    }
    const last = this.service.snapshot?.durationMs ?? 0;
    return Math.min(MAX_BACKOFF_MS, Math.max(base, last * 20));
  }

  private async runNow(reason: RefreshReason): Promise<void> {
    this.clearTimer();
    try {
      await this.service.refresh();
    } catch {
      // The service logs and publishes the error; the cadence below backs off.
    }
    log.trace(`refresh (${reason})`);
    this.schedule();
  }

  private schedule(): void {
    this.clearTimer();
    if (this.disposed || this.needs.size === 0) {
      return;
    }
    this.timer = setTimeout(() => void this.runNow('interval'), this.nextDelayMs());
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    clearTimeout(this.debounce);
  }
}
