// Records who held which port when: every change between consecutive snapshots of the one inspector
// service goes into a bounded activity log, kept in global state (ports belong to the machine, not to a
// workspace) so it survives window reloads. Unusual activity is written to the log channel as a warning.
// The dashboard follows the log through `onDidChange`.
import * as vscode from 'vscode';
import type { Snapshot } from '../core/types';
import type { ActivityEvent } from '../model/activity';
import { ActivityLog, describeEvent, unusualKinds } from '../model/activity';
import type { InspectorService } from './inspectorService';
import { log } from './logger';

export const ACTIVITY_STATE_KEY = 'portInspector.activityLog';
/** At most one write per this time: a busy machine changes ports every refresh. The first change after a
 *  quiet spell is written at once, so a window reloaded right after it does not lose it (in code-server
 *  the extension host can stop without deactivate, and a pending write is lost). */
const SAVE_DELAY_MS = 10_000;
/** Log lines per scan: each line is a message to the workbench, and a test fleet or a crashed server
 *  farm can open or close thousands of ports at once. The rest is counted; Port Activity lists all. */
const LOG_LINES_PER_SCAN = 10;

/** What changed in the log: events appended (oldest first), or the whole log replaced (cleared, or
 *  read back from storage), so a reader starts over. */
export type ActivityChange = { kind: 'added'; events: readonly ActivityEvent[] } | { kind: 'replaced' };

export class ActivityRecorder implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ActivityChange>();
  /** Fires after events are recorded, and after the log is cleared or reloaded. */
  readonly onDidChange = this.changeEmitter.event;
  private current: ActivityLog;
  private previous: Snapshot | undefined;
  /** Running after each write; changes made meanwhile are written when it ends. */
  private cooldown: NodeJS.Timeout | undefined;
  private unsaved = false;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly memento: vscode.Memento,
    service: InspectorService,
  ) {
    this.current = ActivityRecorder.load(memento);
    this.subscription = service.onDidChange((snapshot) => this.onSnapshot(snapshot));
  }

  get log(): ActivityLog {
    return this.current;
  }

  /** Reads the stored log; invalid entries (corrupt or hostile storage) are dropped one by one. */
  static load(memento: vscode.Memento): ActivityLog {
    const { log: restored, loaded } = ActivityLog.fromJSON(memento.get(ACTIVITY_STATE_KEY));
    if (loaded.problem || loaded.dropped > 0) {
      log.warn(`Port activity: kept ${loaded.events.length} stored event(s), dropped ${loaded.dropped}${loaded.problem ? ` (${loaded.problem})` : ''}.`);
    }
    return restored;
  }

  /** Saves now (also done on dispose and shortly after each change). */
  save(): Thenable<void> {
    this.unsaved = false;
    clearTimeout(this.cooldown);
    this.cooldown = setTimeout(() => {
      this.cooldown = undefined;
      if (this.unsaved) {
        void this.save();
      }
    }, SAVE_DELAY_MS);
    return this.memento.update(ACTIVITY_STATE_KEY, this.current.toJSON());
  }

  /** Replaces the in-memory log with what storage holds: what a window reload would see. */
  reload(): ActivityLog {
    this.current = ActivityRecorder.load(this.memento);
    this.changeEmitter.fire({ kind: 'replaced' });
    return this.current;
  }

  /** Forgets every recorded event, in memory and in storage. Returns how many there were. */
  async clear(): Promise<number> {
    const count = this.current.size;
    this.current.clear();
    await this.save();
    log.info(`Port activity: cleared ${count} recorded event(s).`);
    this.changeEmitter.fire({ kind: 'replaced' });
    return count;
  }

  private onSnapshot(snapshot: Snapshot): void {
    // The first snapshot after activation has nothing to compare with: it records nothing, rather than
    // reporting every port as newly opened.
    if (this.previous) {
      const events = this.current.record(this.previous, snapshot);
      // Unusual events first, so a cap never hides one behind ordinary ones.
      const flagged = events.map((e) => ({ e, unusual: unusualKinds(e) })).sort((a, b) => b.unusual.length - a.unusual.length);
      for (const { e, unusual } of flagged.slice(0, LOG_LINES_PER_SCAN)) {
        if (unusual.length > 0) {
          log.warn(`Port activity (unusual: ${unusual.join(', ')}): ${describeEvent(e)}`);
        } else {
          log.info(`Port activity: ${describeEvent(e)}`);
        }
      }
      const rest = flagged.slice(LOG_LINES_PER_SCAN);
      if (rest.length > 0) {
        const unusualRest = rest.filter((x) => x.unusual.length > 0).length;
        const line = `Port activity: ${rest.length} more change(s) in this scan${unusualRest > 0 ? `, ${unusualRest} of them unusual` : ''} (Port Activity lists them).`;
        (unusualRest > 0 ? log.warn : log.info)(line);
      }
      if (events.length > 0) {
        this.unsaved = true;
        if (!this.cooldown) {
          void this.save();
        }
      }
      if (events.length > 0) {
        this.changeEmitter.fire({ kind: 'added', events });
      }
    }
    this.previous = snapshot;
  }

  /** Saves now if a save is pending. */
  flush(): Thenable<void> {
    return this.unsaved ? this.save() : Promise.resolve();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
    void this.flush();
    clearTimeout(this.cooldown);
  }
}
