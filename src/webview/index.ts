// Registers the Ports dashboard: its command, its serializer, and the dependencies it reads.
import * as vscode from 'vscode';
import type { PortsCommandContext } from '../commands/context';
import { registerCommand } from '../services/registerCommand';
import { Commands, Settings, WebviewPanels } from '../constants';
import type { ActivityRecorder } from '../services/activityRecorder';
import { affects, readViewConfig } from '../services/config';
import type { RefreshManager } from '../services/refreshManager';
import { DashboardController } from './DashboardController';

export interface DashboardRegistration {
  extensionUri: vscode.Uri;
  ctx: PortsCommandContext;
  refresh: RefreshManager;
  activity: ActivityRecorder;
}

/** The command `portInspector.openDashboard` and the panel serializer; every disposable returned. */
export function registerDashboard({ extensionUri, ctx, refresh, activity }: DashboardRegistration): vscode.Disposable[] {
  const labelsChanged = new vscode.EventEmitter<void>();
  const controller = new DashboardController({
    extensionUri,
    state: ctx.state,
    refresh,
    refreshNow: () => ctx.refreshNow(),
    labels: () => readViewConfig().labels,
    onDidChangeLabels: labelsChanged.event,
    activity,
  });
  return [
    labelsChanged,
    controller,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, Settings.labels)) {
        labelsChanged.fire();
      }
    }),
    registerCommand(Commands.openDashboard, () => {
      controller.open();
    }),
    vscode.window.registerWebviewPanelSerializer(WebviewPanels.dashboard, controller),
  ];
}
