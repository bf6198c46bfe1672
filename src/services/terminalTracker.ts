// Which integrated terminal started each listener's process. Keeps the shell pid of every open terminal
// (asked once per terminal: `processId` is a round trip to the pty host), walks each owner's parent chain
// up to one of them, and caches the answer per process so a steady state reads nothing from the OS.
import * as vscode from 'vscode';
import { readParents } from '../inspector/processAncestry';
import type { Snapshot } from '../core/types';
import { terminalsOfProcesses } from '../inspector/terminalAncestry';
import { log } from './logger';

/** A process's identity: pids are reused, (pid, start time) is not. */
const processKey = (pid: number, startTime: number | undefined): string => `${pid}@${startTime ?? ''}`;

export class TerminalTracker implements vscode.Disposable {
  private readonly shells = new Map<number, vscode.Terminal>();
  /** processKey → shell pid (0 = not started from a terminal). */
  private readonly cache = new Map<string, number>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when the set of terminal shells changes (a terminal opened, closed, or its pid became known). */
  readonly onDidChangeShells = this.changeEmitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.window.onDidOpenTerminal((t) => this.add(t)),
      vscode.window.onDidCloseTerminal((t) => this.remove(t)),
    );
    vscode.window.terminals.forEach((t) => this.add(t));
  }

  private add(terminal: vscode.Terminal): void {
    terminal.processId.then(
      (pid) => {
        if (pid !== undefined && pid > 0 && vscode.window.terminals.includes(terminal)) {
          this.shells.set(pid, terminal);
          this.forgetNegatives();
          this.changeEmitter.fire();
        }
      },
      (err: unknown) => {
        log.debug(`terminal "${terminal.name}": no process id (${String(err)})`);
      },
    );
  }

  private remove(terminal: vscode.Terminal): void {
    for (const [pid, t] of this.shells) {
      if (t === terminal) {
        this.shells.delete(pid);
        for (const [key, shell] of this.cache) {
          if (shell === pid) {
            this.cache.delete(key);
          }
        }
        this.changeEmitter.fire();
      }
    }
  }

  /** A terminal whose pid arrives late may be the parent of processes already judged "no terminal". */
  private forgetNegatives(): void {
    for (const [key, shell] of this.cache) {
      if (shell === 0) {
        this.cache.delete(key);
      }
    }
  }

  /** The terminals known now, by shell pid. */
  get terminalsByShellPid(): ReadonlyMap<number, vscode.Terminal> {
    return this.shells;
  }

  /**
   * owner pid → the terminal it was started from, for every owner in `snapshot`. Owners already judged
   * are answered from the cache; only new processes have their parent chains read.
   */
  async resolve(snapshot: Snapshot): Promise<Map<number, vscode.Terminal>> {
    const result = new Map<number, vscode.Terminal>();
    if (this.shells.size === 0) {
      this.cache.clear();
      return result;
    }
    const owners = new Map<number, { key: string; ppid?: number }>();
    for (const s of snapshot.sockets) {
      for (const o of s.owners) {
        owners.set(o.pid, { key: processKey(o.pid, o.startTime), ppid: o.ppid });
      }
    }
    const live = new Set([...owners.values()].map((o) => o.key));
    for (const key of this.cache.keys()) {
      if (!live.has(key)) {
        this.cache.delete(key);
      }
    }
    const unknown = [...owners].filter(([, o]) => !this.cache.has(o.key));
    if (unknown.length > 0) {
      const known = new Map<number, number>();
      for (const [pid, o] of unknown) {
        if (o.ppid !== undefined && o.ppid > 0) {
          known.set(pid, o.ppid);
        }
      }
      const shells = new Map(this.shells);
      let parents: Map<number, number>;
      try {
        parents = await readParents(
          unknown.map(([pid]) => pid),
          { known, stopAt: new Set(shells.keys()) },
        );
      } catch (err) {
        // Without parents (ps missing on macOS) the view still works, just without terminal names.
        log.warn(`Cannot read process parents to find terminals: ${(err as Error).message}`);
        parents = known;
      }
      const matches = terminalsOfProcesses(
        unknown.map(([pid]) => pid),
        parents,
        shells,
      );
      for (const [pid, o] of unknown) {
        this.cache.set(o.key, matches.get(pid)?.shellPid ?? 0);
      }
    }
    for (const [pid, o] of owners) {
      const shell = this.cache.get(o.key);
      const terminal = shell ? this.shells.get(shell) : undefined;
      if (terminal) {
        result.set(pid, terminal);
      }
    }
    return result;
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.changeEmitter.dispose();
  }
}
