// What a dashboard panel needs from the rest of the extension, as an interface: the panel reads the
// shared state and calls back for refreshes, and never builds any of these itself.
import type * as vscode from 'vscode';
import type { PortActions } from '../actions/portActions';
import type { LabelRule } from '../model/portLabels';
import type { ForgottenCriteria } from '../model/serverActivity';
import type { ActivityRecorder } from '../services/activityRecorder';
import type { PortsState } from '../services/portsState';
import type { RefreshManager } from '../services/refreshManager';

export interface RowSettings {
  labels: readonly LabelRule[];
  forgotten: Pick<ForgottenCriteria, 'olderThanMs' | 'idleMs'>;
}

export interface DashboardDeps {
  readonly extensionUri: vscode.Uri;
  /** The derived state every Ports surface reads: snapshot, scan error, owner terminals. */
  readonly state: Pick<PortsState, 'snapshot' | 'error' | 'terminalOf' | 'onDidChange' | 'connections'>;
  /** Polling runs only while some surface needs it: the panel says so while it is visible; a manual
   *  refresh is the refresh manager's, resolved once every surface has the result. */
  readonly refresh: Pick<RefreshManager, 'setNeed' | 'freshSnapshot'>;
  /** What the dashboard's buttons do: the same typed actions as the tree's and the quick picks'. */
  readonly actions: PortActions;
  /** The settings rows are built with — the `portInspector.labels` rules and the forgotten-servers
   *  thresholds (the same Show Forgotten Servers reads) —, and when they change. */
  rowSettings(): RowSettings;
  readonly onDidChangeRowSettings: vscode.Event<void>;
  /** The port activity log: shown in the Activity section, followed live, cleared on request. */
  readonly activity: Pick<ActivityRecorder, 'log' | 'onDidChange' | 'clear'>;
}
