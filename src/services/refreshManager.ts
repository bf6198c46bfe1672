// Owns every refresh of the shared snapshot. Surfaces say whether they are visible; the manager polls only
// while at least one visible surface needs live data. The interval adapts: never shorter than the
// setting, at least 20× the last scan's duration (so an expensive machine is scanned less often), and
// backing off exponentially while scans fail. A manual refresh is immediate; other reasons are debounced.
// A need may carry a floor: watched ports keep a slow poll (≥ 5 s) going while every view is hidden, and
// the interval is then the smallest floor among the current needs (a visible view's floor is 0).
import type * as vscode from 'vscode';
import type { Snapshot } from '../core/types';
import type { InspectorService } from './inspectorService';
import { log } from './logger';

export type RefreshReason = 'manual' | 'interval' | 'config' | 'visibility' | 'action' | 'startup';

const MAX_BACKOFF_MS = 60_000;
const DEBOUNCE_MS = 250;
/** A snapshot younger than this is shown as is to a surface that just became visible. */
const FRESH_MS = 1000;

export class RefreshManager implements vscode.Disposable {
  /** surface → its floor on the interval, in ms. */
  private readonly needs = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private waiting: Array<() => void> = [];
  private disposed = false;

  constructor(
    private readonly service: InspectorService,
    private readonly minIntervalMs: () => number,
    /** Resolves once every surface has taken in the latest snapshot (the derived state's queue). */
    private readonly settled: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** A surface (`ports-view`, `dashboard`, `watched-ports`) says whether it currently needs live data,
   *  and how often at most (`floorMs`: never poll faster than this for its sake). */
  setNeed(surface: string, needed: boolean, floorMs = 0): void {
    const before = this.needs.size > 0;
    const hadFloor = this.needs.get(surface);
    if (needed) {
      this.needs.set(surface, floorMs);
    } else {
      this.needs.delete(surface);
    }
    const after = this.needs.size > 0;
    const age = Date.now() - (this.service.snapshot?.takenAt ?? 0);
    if (needed && hadFloor === undefined && (!before || age > FRESH_MS)) {
      // A surface that just became visible gets fresh data, not the slow poll's last picture.
      void this.request('visibility');
    } else if (!after && before) {
      this.clearTimer();
    } else if (after && hadFloor !== (needed ? floorMs : undefined)) {
      this.schedule();
    }
  }

  get active(): boolean {
    return this.needs.size > 0;
  }

  /** The surfaces that currently need live data (for the log and tests). */
  get surfaces(): string[] {
    return [...this.needs.keys()];
  }

  /** Scans now for someone who will act on the result (a user's refresh, an action, the API) and resolves
   *  with the snapshot once every surface shows it; rejects with the scan's error. The polling cadence
   *  restarts from here, so an action never runs beside a poll of its own. */
  async scanNow(reason: 'manual' | 'action'): Promise<Snapshot> {
    this.clearTimer();
    try {
      const snapshot = await this.service.refresh();
      await this.settled();
      return snapshot;
    } finally {
      log.trace(`refresh (${reason})`);
      this.schedule();
    }
  }

  /** {@link scanNow} for callers that go on without a picture when scanning fails (the service has logged
   *  and shown the error): undefined then, never a stale snapshot. */
  async freshSnapshot(reason: 'manual' | 'action' = 'action'): Promise<Snapshot | undefined> {
    try {
      return await this.scanNow(reason);
    } catch {
      return undefined;
    }
  }

  /** Refreshes now (manual, action) or soon (others), then resumes the polling cadence. */
  request(reason: RefreshReason): Promise<void> {
    if (reason === 'manual' || reason === 'action') {
      return this.runNow(reason);
    }
    clearTimeout(this.debounce);
    // Every caller folded into the debounced scan is told when it is done, not only the last one.
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.debounce = setTimeout(() => {
        const waiting = this.waiting.splice(0);
        void this.runNow(reason).then(() => waiting.forEach((r) => r()));
      }, DEBOUNCE_MS);
    });
  }

  /** The shortest delay between automatic scans (from the setting); the adaptive delay is never shorter. */
  get minimumIntervalMs(): number {
    return Math.max(500, this.minIntervalMs());
  }

  /** The delay before the next automatic scan. */
  nextDelayMs(): number {
    const floor = this.needs.size > 0 ? Math.min(...this.needs.values()) : 0;
    const base = Math.max(this.minimumIntervalMs, floor);
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
    this.waiting.splice(0).forEach((r) => r());
  }
}
