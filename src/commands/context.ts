// What the Ports commands share: the state they read, the tree they reveal in, the refresh they ask for.
import type * as vscode from 'vscode';
import type { Snapshot } from '../core/types';
import type { PortsRow } from '../model/portsTree';
import type { PortsState } from '../services/portsState';
import type { PortsTreeProvider } from '../views/portsTreeProvider';

export interface PortsCommandContext {
  readonly state: PortsState;
  readonly tree: PortsTreeProvider;
  readonly view: vscode.TreeView<PortsRow>;
  /** Scans now (the refresh manager's manual path) and resolves once every surface has the result. */
  refreshNow(): Promise<Snapshot | undefined>;
}
