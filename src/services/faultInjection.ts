// Test seam around the real back-end: integration tests make the next scans fail the way a broken
// back-end would (a rejected snapshot), so the real error path — the view's message, the refresh
// manager's back-off, the recovery — runs in the real extension host. It also remembers when each scan
// was attempted, which is how tests prove that nothing scans while every surface is hidden.
// Inert unless a test asks: one counter check per scan.
import type { Backend, ScanOptions, Snapshot } from '../core/types';
import { InspectorError } from '../core/types';

export interface ScanAttempt {
  /** 1 for the first scan since activation, then one more per scan. Count scans with this, not with
   *  the length of {@link FaultInjectingBackend.attempts}, which stops growing at its cap. */
  seq: number;
  /** Date.now() when the scan was asked of the back-end. */
  at: number;
  ok: boolean;
}

const KEEP_ATTEMPTS = 200;

export class FaultInjectingBackend implements Backend {
  private pendingFailures = 0;
  private failureMessage = '';
  private readonly recent: ScanAttempt[] = [];
  private count = 0;

  constructor(private readonly inner: Backend) {}

  get id(): string {
    return this.inner.id;
  }

  /** The last scan attempts, oldest first (at most 200: a long test run makes more). */
  get attempts(): readonly ScanAttempt[] {
    return this.recent;
  }

  /** The next `count` scans reject with `message` (an InspectorError, as a failing tool would give). */
  failNext(count: number, message: string): void {
    this.pendingFailures = Math.max(0, Math.floor(count));
    this.failureMessage = message;
  }

  async snapshot(options?: ScanOptions): Promise<Snapshot> {
    const attempt: ScanAttempt = { seq: ++this.count, at: Date.now(), ok: false };
    this.recent.push(attempt);
    if (this.recent.length > KEEP_ATTEMPTS) {
      this.recent.shift();
    }
    if (this.pendingFailures > 0) {
      this.pendingFailures--;
      throw new InspectorError(this.failureMessage, 'FAILED');
    }
    const snap = await this.inner.snapshot(options);
    attempt.ok = true;
    return snap;
  }

  dispose(): void {
    this.inner.dispose();
  }
}
