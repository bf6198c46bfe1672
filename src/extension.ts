// Composition root: creates the services and wires the surfaces to them. No logic lives here.
import * as vscode from 'vscode';
import { registerCommand } from './commands/registerCommand';
import { Commands, Settings, Views } from './constants';
import { createBackend } from './inspector';
import type { Snapshot } from './inspector/types';
import { InspectorService } from './services/inspectorService';
import { initLogger, log } from './services/logger';
import { RefreshManager } from './services/refreshManager';
import { PortsTreeProvider } from './views/portsTreeProvider';

/** What `activate` returns: used by integration tests and by other extensions. */
export interface PortInspectorApi {
  getSnapshot(): Snapshot | undefined;
  refresh(): Promise<Snapshot>;
  onDidChangeSnapshot: vscode.Event<Snapshot>;
  activationTimeMs: number;
}

export function activate(context: vscode.ExtensionContext): PortInspectorApi {
  const started = performance.now();
  context.subscriptions.push(initLogger());

  const service = new InspectorService(createBackend());
  const refresh = new RefreshManager(service, () =>
    vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.refreshIntervalMs, 2000),
  );
  const tree = new PortsTreeProvider(service);
  const view = vscode.window.createTreeView(Views.ports, { treeDataProvider: tree, showCollapseAll: false });
  tree.attach(view);
  refresh.setNeed(Views.ports, view.visible);

  context.subscriptions.push(
    service,
    refresh,
    tree,
    view,
    view.onDidChangeVisibility((e) => refresh.setNeed(Views.ports, e.visible)),
    registerCommand(Commands.refresh, () => refresh.request('manual')),
    registerCommand(Commands.showLog, () => log.show()),
  );

  const activationTimeMs = performance.now() - started;
  log.info(`Activated in ${activationTimeMs.toFixed(1)} ms (${process.platform}, extension host pid ${process.pid}).`);
  return {
    getSnapshot: () => service.snapshot,
    refresh: () => service.refresh(),
    onDidChangeSnapshot: service.onDidChange,
    activationTimeMs,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
