// What the Ports surfaces show, derived once per snapshot from the one inspector service: the snapshot,
// which terminal each owner was started from, which sockets are new, and the watched ports' states. The
// tree, the status bar, the quick picks and the watched-port notifications all read this and subscribe
// to its one change event, so they never disagree and nothing is computed twice.
import * as vscode from 'vscode';
import type { Snapshot } from '../core/types';
import { RecentSockets, sameSockets } from '../model/snapshotDiff';
import { ConnectionTracker } from '../model/serverActivity';
import type { WatchedPort, WatchedPortChange, WatchedPortState } from '../model/watchedPorts';
import { diffWatchedStates, watchedPortStates } from '../model/watchedPorts';
import type { InspectorService } from './inspectorService';
import { log } from './logger';
import type { TerminalTracker } from './terminalTracker';

/** Sockets count as new only against a snapshot at most this old (see RecentSockets.update). */
const NEW_BASELINE_MAX_MS = 30_000;

function sameTerminals(a: ReadonlyMap<number, vscode.Terminal>, b: ReadonlyMap<number, vscode.Terminal>): boolean {
  return a.size === b.size && [...a].every(([pid, t]) => b.get(pid) === t);
}

export class PortsState implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly watchedEmitter = new vscode.EventEmitter<WatchedPortChange[]>();
  /** Fires after the derived state is updated (new snapshot, terminals, watched ports). */
  readonly onDidChange = this.changeEmitter.event;
  /** Fires when watched ports become taken or free between two snapshots. */
  readonly onDidChangeWatched = this.watchedEmitter.event;
  readonly recent = new RecentSockets();
  /** Connections seen per listener across scans (and reloads): idleness for the forgotten servers. */
  readonly connections: ConnectionTracker;
  private savedAt = 0;

  private current: Snapshot | undefined;
  private terminalMap: ReadonlyMap<number, vscode.Terminal> = new Map();
  private watchedStates: WatchedPortState[] = [];
  private watchList: WatchedPort[];
  private queue: Promise<void> = Promise.resolve();
  private latest: Snapshot | undefined;
  private dirty = false;
  private revisionCount = 0;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly service: InspectorService,
    private readonly terminals: TerminalTracker,
    watched: WatchedPort[],
    /** Where the connection tracker is kept between sessions (the extension's global state). */
    private readonly store?: { get(): unknown; set(value: unknown): Thenable<void> },
  ) {
    this.connections = ConnectionTracker.fromJSON(store?.get());
    this.watchList = watched;
    this.subscriptions.push(
      service.onDidChange((snap) => this.enqueue(snap)),
      terminals.onDidChangeShells(() => this.enqueue()),
      // A failing scan publishes no snapshot; the surfaces still need to show (or clear) the error.
      service.onDidChangeError(() => this.changeEmitter.fire()),
    );
    if (service.snapshot) {
      this.enqueue(service.snapshot);
    }
  }

  get snapshot(): Snapshot | undefined {
    return this.current;
  }

  get error(): Error | undefined {
    return this.service.error;
  }

  get watched(): readonly WatchedPortState[] {
    return this.watchedStates;
  }

  get watchedPorts(): readonly WatchedPort[] {
    return this.watchList;
  }

  /** Changes only when what a row shows changed (sockets, owners, terminals, watched ports), not on every
   *  scan: the tree re-renders only then. */
  get revision(): number {
    return this.revisionCount;
  }

  /** The terminal an owner pid was started from. */
  terminalOf(pid: number): vscode.Terminal | undefined {
    return this.terminalMap.get(pid);
  }

  /** Resolves once every snapshot received so far is reflected in the state. */
  whenIdle(): Promise<void> {
    return this.queue;
  }

  /** A new watched-port list: states are recomputed from the current snapshot without notifications. */
  setWatchedPorts(watched: WatchedPort[]): void {
    this.watchList = watched;
    this.revisionCount++;
    if (this.current) {
      this.watchedStates = watchedPortStates(this.current, watched);
    }
    this.changeEmitter.fire();
  }

  private enqueue(snapshot?: Snapshot): void {
    if (snapshot) {
      this.latest = snapshot;
    }
    this.dirty = true;
    // Updates run one at a time; a burst of snapshots collapses into the newest.
    this.queue = this.queue
      .then(async () => {
        const next = this.latest;
        if (!this.dirty || !next) {
          return;
        }
        this.dirty = false;
        await this.apply(next);
      })
      .catch((err: unknown) => log.error('Updating the Ports view failed', err));
  }

  private async apply(snapshot: Snapshot): Promise<void> {
    const terminals = await this.terminals.resolve(snapshot);
    let changes: WatchedPortChange[] = [];
    if (!this.current || !sameSockets(this.current, snapshot) || !sameTerminals(this.terminalMap, terminals)) {
      this.revisionCount++;
    }
    if (snapshot !== this.current) {
      this.connections.observe(snapshot);
      // Kept at most once a minute: what a reload (or tomorrow's window) needs to say "idle for 9 h".
      if (this.store && snapshot.takenAt - this.savedAt >= 60_000) {
        this.savedAt = snapshot.takenAt;
        void Promise.resolve(this.store.set(this.connections.toJSON())).catch((err: unknown) => log.warn(`Could not keep the connection history: ${String(err)}`));
      }
      const gap = this.current ? snapshot.takenAt - this.current.takenAt : Infinity;
      this.recent.update(snapshot, Date.now(), gap <= NEW_BASELINE_MAX_MS);
      const states = watchedPortStates(snapshot, this.watchList);
      changes = diffWatchedStates(this.current ? this.watchedStates : undefined, states);
      this.watchedStates = states;
    }
    this.current = snapshot;
    this.terminalMap = terminals;
    this.changeEmitter.fire();
    if (changes.length > 0) {
      this.watchedEmitter.fire(changes);
    }
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.changeEmitter.dispose();
    this.watchedEmitter.dispose();
  }
}
