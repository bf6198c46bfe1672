// Composition root: creates the services and wires the surfaces to them. No logic lives here.
import * as vscode from 'vscode';
import { PortActions } from './actions/portActions';
import type { PortsCommandContext } from './commands/context';
import { registerFilterCommands } from './commands/filter';
import { registerFindPort } from './commands/findPort';
import { registerItemActions } from './commands/itemActions';
import { registerProjectCommands } from './commands/projectCommands';
import { pickPort, registerPickPort } from './commands/pickPort';
import { registerPortActions, revealInView } from './commands/portActionPicker';
import { registerTroubleshootCommands } from './commands/reportCommands';
import { registerViewOptions } from './commands/viewOptions';
import { Commands, ContextKeys, RefreshNeeds, Settings, Views } from './constants';
import type { Snapshot } from './core/types';
import { createBackend } from './inspector';
import { ProjectResolver } from './inspector/projectResolver';
import { PROJECT_RULES } from './model/projects';
import type { PortsRow } from './model/portsTree';
import type { SettingsValues } from './model/settingsSchema';
import { PortFileDiagnostics } from './portsInFiles/diagnostics';
import { PortHovers } from './portsInFiles/hovers';
import { portDataFrom } from './portsInFiles/portData';
import { ActivityRecorder } from './services/activityRecorder';
import { FaultInjectingBackend } from './services/faultInjection';
import type { ScanAttempt } from './services/faultInjection';
import { InspectorService } from './services/inspectorService';
import { initLogger, log } from './services/logger';
import { PortsState } from './services/portsState';
import type { PromptHandler } from './services/prompts';
import { setPromptHandler } from './services/prompts';
import { RefreshManager } from './services/refreshManager';
import { registerCommand } from './services/registerCommand';
import { settings } from './services/settings';
import { settingsProblems } from './services/settingsProblems';
import { TerminalTracker } from './services/terminalTracker';
import { PortsTreeProvider } from './views/portsTreeProvider';
import { PortsStatusBar } from './views/statusBar';
import type { TreeRowSnapshot } from './views/treeSnapshot';
import { treeSnapshot } from './views/treeSnapshot';
import { WatchedPortsNotifier } from './views/watchedPortsNotifier';
import { PortConflictNotifier } from './views/portConflictNotifier';
import { registerDashboard } from './webview';

/** What `activate` returns: used by integration tests and by other extensions. */
export interface PortInspectorApi {
  getSnapshot(): Snapshot | undefined;
  /** Scans now; resolves once the tree, status bar and watched ports reflect the result. */
  refresh(): Promise<Snapshot>;
  onDidChangeSnapshot: vscode.Event<Snapshot>;
  activationTimeMs: number;
  /** The Ports view's rows as rendered (labels, descriptions, icons, context values, tooltips). */
  getTreeSnapshot(): TreeRowSnapshot[];
  /** The Ports view's description (the filter) and message area (errors, empty states). */
  getViewState(): { filter: string; description?: string; message?: string; visible: boolean };
  /** The status bar item's text and tooltip. */
  getStatusBar(): { text: string; tooltip: string };
  /** Watched-port notifications shown so far, newest last. */
  getWatchedPortNotifications(): readonly string[];
  /** Port-conflict notifications shown so far (a failed terminal command, task or debug session), newest last. */
  getPortConflictNotifications(): readonly string[];
  /** Surfaces that currently keep the refresh manager polling (`ports-view`, `watched-ports`). */
  getRefreshNeeds(): string[];
  /** Resolves once the port diagnostics of every file read so far are published. */
  whenDiagnosticsIdle(): Promise<void>;
  /** Test seam for integration tests, which cannot click a dialog: `setPromptHandler(fn)` routes the
   *  actions' dialogs and notifications (Free Port's confirmation, results) to `fn`, which answers with
   *  a button label; `setPromptHandler(undefined)` restores the real UI. */
  test: {
    setPromptHandler(handler: PromptHandler | undefined): void;
    /** Recorded port activity for a port (the log survives reloads: see `reloadActivity`). */
    activityFor(port: number): ReadonlyArray<{ kind: string; port: number; protocol: string; holders: ReadonlyArray<{ pid?: number; name: string }> }>;
    /** Saves the activity log to global state and reads it back, as a window reload would. */
    reloadActivity(): Promise<number>;
    /** The next `count` scans fail with `message`, as a broken back-end's would. */
    failNextScans(count: number, message: string): void;
    /** When scans were attempted lately and whether they succeeded, oldest first. */
    scanAttempts(): readonly ScanAttempt[];
    /** Every setting as the extension uses it (validated: defaults in place of invalid values). */
    settings(): SettingsValues;
    /** The shortest delay between automatic scans that the refresh manager applies now. */
    refreshIntervalMs(): number;
    /** The delay the refresh manager would wait now before the next automatic scan (back-off included). */
    nextDelayMs(): number;
  };
}

/** Global-state key of the connection history (last connection per listener, for idleness). */
const CONNECTION_HISTORY_KEY = 'portInspector.connectionHistory';

export function activate(context: vscode.ExtensionContext): PortInspectorApi {
  const started = performance.now();
  context.subscriptions.push(initLogger());

  // --- the one data source, its derived state, and the one owner of refreshing
  const initial = settings.values();
  const backend = new FaultInjectingBackend(createBackend({ containers: { watchEvents: true } }));
  const projects = new ProjectResolver(PROJECT_RULES);
  const service = new InspectorService(backend, (snap) => projects.annotate(snap));
  const activity = new ActivityRecorder(context.globalState, service);
  beforeStop = () => activity.flush();
  const terminals = new TerminalTracker();
  const state = new PortsState(service, terminals, initial.watchedPorts, {
    get: () => context.globalState.get(CONNECTION_HISTORY_KEY),
    set: (value) => context.globalState.update(CONNECTION_HISTORY_KEY, value),
  });
  const refresh = new RefreshManager(service, () => settings.values().refreshIntervalMs, () => state.whenIdle());

  // --- the one action service every surface calls
  const actions = new PortActions({ state, refresh, activity: () => activity.log });

  // --- surfaces
  const tree = new PortsTreeProvider(state, settings.viewConfig());
  const view = vscode.window.createTreeView<PortsRow>(Views.ports, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  tree.attach(view);
  const ctx: PortsCommandContext = { state, tree, view, actions, refresh };
  actions.revealInView = (socket) => revealInView(socket, ctx);
  const statusBar = new PortsStatusBar(state, initial.showStatusBar, initial.statusBarWorkspaceOnly);
  const watched = new WatchedPortsNotifier(state, refresh, initial.notifyWatchedPorts, {
    free: (socket) => actions.free([socket]),
    showPorts: () => pickPort(ctx),
  });
  // A command, task or debug session that failed because its port is taken: who holds it, and the fix.
  const conflicts = new PortConflictNotifier({ state, refresh, actions }, initial.portConflictsEnabled);
  // Hovers and diagnostics on port numbers in files: they read the same state and never scan themselves.
  const portData = portDataFrom(state, refresh);
  const hovers = new PortHovers(portData);
  const diagnostics = new PortFileDiagnostics(portData);
  refresh.setNeed(RefreshNeeds.portsView, view.visible);

  context.subscriptions.push(
    settings,
    settingsProblems,
    service,
    refresh,
    terminals,
    state,
    tree,
    view,
    statusBar,
    watched,
    conflicts,
    hovers,
    diagnostics,
    view.onDidChangeVisibility((e) => {
      refresh.setNeed(RefreshNeeds.portsView, e.visible);
      tree.updateChrome();
    }),
    settings.onDidChange((change) => {
      if (change.affects(Settings.groupBy, Settings.sortBy, Settings.showUdp, Settings.showHiddenOwners, Settings.labels)) {
        tree.setConfig(settings.viewConfig());
      }
      if (change.affects(Settings.watchedPorts)) {
        state.setWatchedPorts(change.values.watchedPorts);
        watched.updateNeed();
      }
      if (change.affects(Settings.notifyWatchedPorts)) {
        watched.setNotify(change.values.notifyWatchedPorts);
      }
      if (change.affects(Settings.portConflictsEnabled)) {
        conflicts.setEnabled(change.values.portConflictsEnabled);
      }
      if (change.affects(Settings.statusBarWorkspaceOnly)) {
        statusBar.setWorkspaceOnly(change.values.statusBarWorkspaceOnly);
      }
      if (change.affects(Settings.showStatusBar)) {
        statusBar.setEnabled(change.values.showStatusBar);
      }
      if (change.affects(Settings.refreshIntervalMs)) {
        void refresh.request('config');
      }
    }),
    // Returns nothing: a command's result travels to the workbench that ran it, and a snapshot with
    // thousands of sockets and their command lines is tens of megabytes.
    registerCommand(Commands.refresh, async () => {
      await refresh.freshSnapshot('manual');
    }),
    registerCommand(Commands.showLog, () => log.show()),
    ...registerItemActions(ctx),
    ...registerProjectCommands(ctx),
    ...registerPortActions(ctx),
    registerFindPort(ctx),
    registerPickPort(ctx),
    ...registerFilterCommands(ctx),
    ...registerViewOptions(),
    ...registerDashboard({ extensionUri: context.extensionUri, state, refresh, actions, activity }),
    activity,
    ...registerTroubleshootCommands(actions),
  );
  void vscode.commands.executeCommand('setContext', ContextKeys.filterActive, false);
  // One scan at start-up so the status bar has a count; after that, scans happen only while a surface
  // needs them (a visible view, watched ports) or on request.
  if (!refresh.active) {
    void refresh.request('startup');
  }

  const activationTimeMs = performance.now() - started;
  log.info(`Activated in ${activationTimeMs.toFixed(1)} ms (${process.platform}, extension host pid ${process.pid}).`);
  return {
    getSnapshot: () => service.snapshot,
    refresh: () => refresh.scanNow('manual'),
    onDidChangeSnapshot: service.onDidChange,
    activationTimeMs,
    getTreeSnapshot: () => treeSnapshot(tree),
    getViewState: () => ({ filter: tree.filter, description: view.description, message: view.message, visible: view.visible }),
    getStatusBar: () => ({ text: statusBar.text, tooltip: statusBar.tooltipText }),
    getWatchedPortNotifications: () => watched.notifications,
    getPortConflictNotifications: () => conflicts.shown,
    getRefreshNeeds: () => refresh.surfaces,
    whenDiagnosticsIdle: () => diagnostics.whenIdle(),
    test: {
      setPromptHandler,
      activityFor: (port) => activity.log.forPort(port),
      reloadActivity: async () => {
        await activity.save();
        return activity.reload().events().length;
      },
      failNextScans: (count, message) => backend.failNext(count, message),
      scanAttempts: () => [...backend.attempts],
      settings: () => settings.values(),
      refreshIntervalMs: () => refresh.minimumIntervalMs,
      nextDelayMs: () => refresh.nextDelayMs(),
    },
  };
}

/** Work that must finish before the extension host stops: VS Code awaits deactivate()'s promise, but
 *  not a write started by a dispose(), so pending activity would be lost on a window reload. */
let beforeStop: (() => Thenable<void>) | undefined;

export function deactivate(): Thenable<void> | undefined {
  // Everything else is disposed through context.subscriptions.
  return beforeStop?.();
}
