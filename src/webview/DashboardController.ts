// Keeps at most one dashboard panel: "Open Dashboard" reveals it when it exists. Also the panel's
// WebviewPanelSerializer: after a window reload VS Code hands back the panel with the state the webview
// saved, which is UI state only (sort, filter, grouping); the data always comes from the live snapshot.
import * as vscode from 'vscode';
import { WebviewPanels } from '../constants';
import { log } from '../services/logger';
import type { DashboardUiState } from '../shared/protocol';
import { defaultUiState } from '../shared/protocol';
import { parsePersistedState } from '../shared/validateMessage';
import { DashboardPanel, webviewOptions } from './DashboardPanel';
import type { DashboardDeps } from './deps';

export class DashboardController implements vscode.WebviewPanelSerializer<unknown>, vscode.Disposable {
  private current: DashboardPanel | undefined;
  /** The last UI state of a closed panel, so closing and re-opening keeps the sort and filter. */
  private lastUi: DashboardUiState | undefined;

  constructor(private readonly deps: DashboardDeps) {}

  /** The open panel, if any (for tests and the API). */
  get panel(): DashboardPanel | undefined {
    return this.current;
  }

  /** Reveals the panel, creating it in the active editor group when there is none. */
  open(): DashboardPanel {
    if (this.current) {
      this.current.reveal();
      return this.current;
    }
    const panel = vscode.window.createWebviewPanel(
      WebviewPanels.dashboard,
      vscode.l10n.t('Ports Dashboard'),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      webviewOptions(this.deps.extensionUri),
    );
    return this.attach(panel, this.lastUi ?? defaultUiState());
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const checked = parsePersistedState(state);
    if (!checked.ok && state !== undefined && state !== null) {
      // Saved by the webview, so untrusted like everything else from it: a bad state means defaults.
      log.warn(`Dashboard: ignoring the saved state: ${checked.reason}`);
    }
    if (this.current) {
      // One dashboard at a time, even if a reload hands back two.
      panel.dispose();
      return;
    }
    this.attach(panel, checked.ok ? checked.value : defaultUiState());
  }

  private attach(panel: vscode.WebviewPanel, ui: DashboardUiState): DashboardPanel {
    const dashboard = new DashboardPanel(panel, this.deps, ui);
    this.current = dashboard;
    dashboard.onDidDispose(() => {
      if (this.current === dashboard) {
        this.lastUi = dashboard.ui;
        this.current = undefined;
      }
    });
    return dashboard;
  }

  dispose(): void {
    this.current?.dispose();
    this.current = undefined;
  }
}
