// What hovers and diagnostics read: the shared snapshot (through the Ports state, which also knows each
// owner's terminal), its change event, and a way to ask for one shared scan. They never scan themselves.
import type * as vscode from 'vscode';
import type { Snapshot } from '../core/types';
import type { PortsState } from '../services/portsState';
import type { RefreshManager } from '../services/refreshManager';

export interface PortData {
  readonly snapshot: Snapshot | undefined;
  readonly error: Error | undefined;
  /** Name of the integrated terminal a process was started from. */
  terminalName(pid: number): string | undefined;
  readonly onDidChange: vscode.Event<void>;
  /** Asks the refresh manager for a scan (debounced and shared with every other caller); resolves when
   *  the state reflects it. */
  requestScan(): Promise<void>;
}

export function portDataFrom(state: PortsState, refresh: RefreshManager): PortData {
  return {
    get snapshot() {
      return state.snapshot;
    },
    get error() {
      return state.error;
    },
    terminalName: (pid) => state.terminalOf(pid)?.name,
    onDidChange: state.onDidChange,
    // 'visibility': a surface (an editor showing ports) wants current data; debounced, folded with others.
    requestScan: () => refresh.request('visibility').then(() => state.whenIdle()),
  };
}
