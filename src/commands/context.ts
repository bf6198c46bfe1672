// What the Ports commands share: the state they read, the tree they reveal in, and the action service
// that does what they ask.
import type * as vscode from 'vscode';
import type { PortActions } from '../actions/portActions';
import type { PortsRow } from '../model/portsTree';
import type { PortsState } from '../services/portsState';
import type { RefreshManager } from '../services/refreshManager';
import type { PortsTreeProvider } from '../views/portsTreeProvider';

export interface PortsCommandContext {
  readonly state: PortsState;
  readonly tree: PortsTreeProvider;
  readonly view: vscode.TreeView<PortsRow>;
  readonly actions: PortActions;
  /** Scans now through the refresh owner; undefined when scanning fails (the error is shown). */
  readonly refresh: Pick<RefreshManager, 'freshSnapshot'>;
}
