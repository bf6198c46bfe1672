// The one source of port data for the whole extension: the tree, status bar, dashboard and hovers read
// `snapshot` and subscribe to `onDidChange`. Nothing else scans. Scans never overlap: a refresh asked for
// while one runs is folded into a single follow-up scan.
import * as vscode from 'vscode';
import type { Backend, Snapshot } from '../core/types';
import { log } from './logger';

export class InspectorService implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<Snapshot>();
  private readonly errorEmitter = new vscode.EventEmitter<Error | undefined>();
  /** Fires after every successful scan with the new snapshot. */
  readonly onDidChange = this.changeEmitter.event;
  /** Fires when scanning starts failing (with the error) or recovers (undefined). */
  readonly onDidChangeError = this.errorEmitter.event;

  private current: Snapshot | undefined;
  private currentError: Error | undefined;
  private running: Promise<Snapshot> | undefined;
  private queued: Promise<Snapshot> | undefined;
  private consecutiveFailures = 0;

  /** @param annotate adds what the scan itself does not read (each owner's project) before publishing. */
  constructor(
    private readonly backend: Backend,
    private readonly annotate?: (snapshot: Snapshot) => Promise<void>,
  ) {}

  get snapshot(): Snapshot | undefined {
    return this.current;
  }

  get error(): Error | undefined {
    return this.currentError;
  }

  get failures(): number {
    return this.consecutiveFailures;
  }

  /** Scans now, or after the scan in flight (one follow-up for any number of callers). */
  refresh(): Promise<Snapshot> {
    if (!this.running) {
      this.running = this.scan().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.refresh();
      });
    return this.queued;
  }


  private async scan(): Promise<Snapshot> {
    try {
      const snap = await this.backend.snapshot();
      try {
        await this.annotate?.(snap);
      } catch (err) {
        // A project that cannot be read is left unknown; the scan itself stands.
        log.warn(`Could not resolve projects: ${(err as Error).message}`);
      }
      this.current = snap;
      for (const w of snap.warnings) {
        log.warn(w);
      }
      if (this.currentError) {
        log.info('Port scanning works again.');
        this.currentError = undefined;
        this.errorEmitter.fire(undefined);
      }
      this.consecutiveFailures = 0;
      log.trace(`scan: ${snap.sockets.length} sockets in ${snap.durationMs.toFixed(1)} ms (${snap.backend})`);
      this.changeEmitter.fire(snap);
      return snap;
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      this.consecutiveFailures++;
      // Log the first failure in full, then only every tenth, so a persistent problem does not flood the log.
      if (this.consecutiveFailures === 1 || this.consecutiveFailures % 10 === 0) {
        log.error(`Port scan failed (${this.consecutiveFailures}× in a row): ${e.message}`, e);
      }
      if (this.currentError?.message !== e.message) {
        this.currentError = e;
        this.errorEmitter.fire(e);
      }
      throw e;
    }
  }

  dispose(): void {
    this.backend.dispose();
    this.changeEmitter.dispose();
    this.errorEmitter.dispose();
  }
}
