// Every id the extension shares with package.json, in one place. A test checks both directions.

export const EXTENSION_ID = 'port-inspector.port-inspector';

export const Commands = {
  refresh: 'portInspector.refresh',
  showLog: 'portInspector.showLog',
  // --- item actions (hidden from the palette)
  freePort: 'portInspector.freePort',
  testConnection: 'portInspector.testConnection',
  openInBrowser: 'portInspector.openInBrowser',
  copyAddress: 'portInspector.copyAddress',
  copyPid: 'portInspector.copyPid',
  copyCommandLine: 'portInspector.copyCommandLine',
  showTerminal: 'portInspector.showTerminal',
  explainHiddenOwner: 'portInspector.explainHiddenOwner',
  showPortActions: 'portInspector.showPortActions',
  revealPort: 'portInspector.revealPort',
  // --- view and palette
  findPort: 'portInspector.findPort',
  findFreePort: 'portInspector.findFreePort',
  testAddress: 'portInspector.testAddress',
  pickPort: 'portInspector.pickPort',
  filter: 'portInspector.filter',
  clearFilter: 'portInspector.clearFilter',
  groupBy: 'portInspector.groupBy',
  sortByPort: 'portInspector.sortByPort',
  sortByProcess: 'portInspector.sortByProcess',
  showUdp: 'portInspector.showUdp',
  hideUdp: 'portInspector.hideUdp',
  showHiddenOwners: 'portInspector.showHiddenOwners',
  hideHiddenOwners: 'portInspector.hideHiddenOwners',
  // --- dashboard
  openDashboard: 'portInspector.openDashboard',
  troubleshootPort: 'portInspector.troubleshootPort',
  showPortActivity: 'portInspector.showPortActivity',
  // --- projects and forgotten servers
  stopProject: 'portInspector.stopProject',
  showForgottenServers: 'portInspector.showForgottenServers',
} as const;

export const Views = {
  container: 'portInspector',
  ports: 'portInspector.ports',
} as const;

export const Settings = {
  section: 'portInspector',
  /** Every key is written in full, as package.json and the Settings editor name it. */
  refreshIntervalMs: 'portInspector.refreshIntervalMs',
  groupBy: 'portInspector.groupBy',
  sortBy: 'portInspector.sortBy',
  showUdp: 'portInspector.showUdp',
  showHiddenOwners: 'portInspector.showHiddenOwners',
  labels: 'portInspector.labels',
  watchedPorts: 'portInspector.watchedPorts',
  notifyWatchedPorts: 'portInspector.notifyWatchedPorts',
  showStatusBar: 'portInspector.showStatusBar',
  statusBarWorkspaceOnly: 'portInspector.statusBar.workspaceOnly',
  hoverEnabled: 'portInspector.hover.enabled',
  hoverFileKinds: 'portInspector.hover.fileKinds',
  diagnosticsEnabled: 'portInspector.diagnostics.enabled',
  freePortTimeoutMs: 'portInspector.freePort.timeoutMs',
  testConnectionTimeoutMs: 'portInspector.testConnection.timeoutMs',
  portConflictsEnabled: 'portInspector.portConflicts.enabled',
  forgottenOlderThanHours: 'portInspector.forgottenServers.olderThanHours',
  forgottenIdleMinutes: 'portInspector.forgottenServers.idleMinutes',
} as const;

/** A setting's full key. */
export type SettingId = Exclude<(typeof Settings)[keyof typeof Settings], typeof Settings.section>;

/** Context keys set with `setContext`, used in package.json `when` clauses. */
export const ContextKeys = {
  filterActive: 'portInspector.filterActive',
} as const;

/** Surfaces that ask the refresh manager for live data. */
export const RefreshNeeds = {
  portsView: 'ports-view',
  watchedPorts: 'watched-ports',
  dashboard: 'dashboard',
} as const;

/** Webview panel view types (package.json `onWebviewPanel:` activation events, serializers). */
export const WebviewPanels = {
  dashboard: 'portInspector.dashboard',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];
