// What a dashboard panel needs from the rest of the extension, as an interface: the panel reads the
// shared state and calls back for refreshes, and never builds any of these itself.
import type * as vscode from 'vscode';
import type { PortActions } from '../actions/portActions';
import type { LabelRule } from '../model/portLabels';
import type { ActivityRecorder } from '../services/activityRecorder';
import type { PortsState } from '../services/portsState';
import type { RefreshManager } from '../services/refreshManager';

export interface DashboardDeps {
  readonly extensionUri: vscode.Uri;
  /** The derived state every Ports surface reads: snapshot, scan error, owner terminals. */
  readonly state: Pick<PortsState, 'snapshot' | 'error' | 'terminalOf' | 'onDidChange'>;
  /** Polling runs only while some surface needs it: the panel says so while it is visible; a manual
   *  refresh is the refresh manager's, resolved once every surface has the result. */
  readonly refresh: Pick<RefreshManager, 'setNeed' | 'freshSnapshot'>;
  /** What the dashboard's buttons do: the same typed actions as the tree's and the quick picks'. */
  readonly actions: PortActions;
  /** The `portInspector.labels` rules, and when they change. */
  labels(): readonly LabelRule[];
  readonly onDidChangeLabels: vscode.Event<void>;
  /** The port activity log: shown in the Activity section, followed live, cleared on request. */
  readonly activity: Pick<ActivityRecorder, 'log' | 'onDidChange' | 'clear'>;
}
