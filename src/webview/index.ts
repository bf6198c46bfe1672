// Registers the Ports dashboard: its command, its serializer, and the dependencies it reads.
import * as vscode from 'vscode';
import type { PortActions } from '../actions/portActions';
import { registerCommand } from '../services/registerCommand';
import { Commands, Settings, WebviewPanels } from '../constants';
import type { ActivityRecorder } from '../services/activityRecorder';
import { forgottenCriteria } from '../model/settingsSchema';
import { settings } from '../services/settings';
import type { DashboardDeps } from './deps';
import { DashboardController } from './DashboardController';

export interface DashboardRegistration {
  extensionUri: vscode.Uri;
  state: DashboardDeps['state'];
  refresh: DashboardDeps['refresh'];
  actions: PortActions;
  activity: ActivityRecorder;
}

/** The command `portInspector.openDashboard` and the panel serializer; every disposable returned. */
export function registerDashboard({ extensionUri, state, refresh, actions, activity }: DashboardRegistration): vscode.Disposable[] {
  const rowSettingsChanged = new vscode.EventEmitter<void>();
  const controller = new DashboardController({
    extensionUri,
    state,
    refresh,
    actions,
    rowSettings: () => {
      const values = settings.values();
      return { labels: values.labels, forgotten: forgottenCriteria(values) };
    },
    onDidChangeRowSettings: rowSettingsChanged.event,
    activity,
  });
  return [
    rowSettingsChanged,
    controller,
    settings.onDidChange((change) => {
      if (change.affects(Settings.labels, Settings.forgottenOlderThanHours, Settings.forgottenIdleMinutes)) {
        rowSettingsChanged.fire();
      }
    }),
    registerCommand(Commands.openDashboard, () => {
      controller.open();
    }),
    vscode.window.registerWebviewPanelSerializer(WebviewPanels.dashboard, controller),
  ];
}
