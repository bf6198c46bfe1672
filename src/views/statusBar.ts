// The status bar item: the number of listening ports, or each watched port's state. It reads the shared
// state and never scans on its own; clicking opens the ports quick pick (which refreshes first).
import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { WatchedPortState } from '../model/watchedPorts';
import { describeHolders, watchedKey } from '../model/watchedPorts';
import { iconSafeText, markdownText, plainText } from '../core/displayText';
import { isWorkspaceProject } from '../model/projects';
import type { PortsState } from '../services/portsState';
import { workspaceFolderPaths } from './portsTreeProvider';

/** Watched ports shown in the text itself; the rest are in the tooltip. */
const MAX_IN_TEXT = 4;

/** One watched port for the status bar text: `3000 node`, `5432 free`, `8080 in use`. */
export function watchedStatusText(state: WatchedPortState): string {
  const key = watchedKey(state.watch);
  if (!state.taken) {
    return `${key} ${vscode.l10n.t('free')}`;
  }
  if (state.holders.length === 0) {
    return `${key} ${vscode.l10n.t('in use')}`;
  }
  return `${key} ${iconSafeText(state.holders[0].name, 16)}`;
}

export class PortsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('portInspector.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[] = [];
  private enabled: boolean;
  private workspaceOnly: boolean;

  constructor(
    private readonly state: PortsState,
    enabled: boolean,
    workspaceOnly = false,
  ) {
    this.enabled = enabled;
    this.workspaceOnly = workspaceOnly;
    this.item.name = vscode.l10n.t('Port Inspector');
    this.item.command = Commands.pickPort;
    this.subscriptions.push(
      state.onDidChange(() => this.update()),
      // The workspace-only count reads the folders: re-counted (not re-scanned) when they change.
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.update()),
    );
    this.update();
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.update();
  }

  /** Count only the sockets whose owner's project is one of the workspace's (#16). */
  setWorkspaceOnly(workspaceOnly: boolean): void {
    this.workspaceOnly = workspaceOnly;
    this.update();
  }

  /** What the item shows now (for tests). */
  get text(): string {
    return this.item.text;
  }

  get tooltipText(): string {
    const t = this.item.tooltip;
    return typeof t === 'string' ? t : (t?.value ?? '');
  }

  private update(): void {
    if (!this.enabled) {
      this.item.hide();
      return;
    }
    const snapshot = this.state.snapshot;
    const watched = this.state.watched;
    const md = new vscode.MarkdownString(undefined, false);
    md.isTrusted = false;
    md.supportHtml = false;
    this.item.backgroundColor = undefined;
    if (this.state.error && !snapshot) {
      this.item.text = '$(warning) ' + vscode.l10n.t('Ports');
      md.appendMarkdown(markdownText(vscode.l10n.t('Cannot list ports: {0}', this.state.error.message), 300));
    } else if (!snapshot) {
      this.item.text = '$(server-process) …';
      md.appendMarkdown(markdownText(vscode.l10n.t('Port Inspector has not scanned yet. Click to scan and pick a port.')));
    } else if (this.state.watchedPorts.length > 0) {
      const shown = watched.slice(0, MAX_IN_TEXT).map(watchedStatusText);
      const more = watched.length > MAX_IN_TEXT ? ` +${watched.length - MAX_IN_TEXT}` : '';
      this.item.text = `$(server-process) ${shown.join(' · ')}${more}`;
      md.appendMarkdown(`**${markdownText(vscode.l10n.t('Watched ports'))}**\n\n`);
      for (const w of watched) {
        const who = w.taken ? vscode.l10n.t('held by {0}', describeHolders(w)) : vscode.l10n.t('free');
        md.appendMarkdown(`- ${markdownText(watchedKey(w.watch))}: ${markdownText(who, 120)}\n`);
      }
      md.appendMarkdown(`\n${markdownText(this.footer(snapshot.sockets.length, snapshot.takenAt))}`);
    } else if (this.workspaceOnly) {
      const folders = workspaceFolderPaths();
      const count = snapshot.sockets.filter((s) => s.owners.some((o) => isWorkspaceProject(o.project, folders))).length;
      this.item.text = `$(server-process) ${count}`;
      md.appendMarkdown(
        markdownText(
          vscode.l10n.t(
            "{0} of {1} listening sockets belong to this workspace's projects, as of {2}. Click to pick a port and act on it.",
            count,
            snapshot.sockets.length,
            new Date(snapshot.takenAt).toLocaleTimeString(),
          ),
        ),
      );
    } else {
      const count = snapshot.sockets.length;
      this.item.text = `$(server-process) ${count}`;
      md.appendMarkdown(markdownText(this.footer(count, snapshot.takenAt)));
    }
    this.item.tooltip = md;
    this.item.accessibilityInformation = { label: plainText(this.item.text.replace(/\$\([a-z-]+\)\s*/g, ''), 200), role: 'button' };
    this.item.show();
  }

  private footer(count: number, takenAt: number): string {
    const time = new Date(takenAt).toLocaleTimeString();
    return vscode.l10n.t('{0} listening sockets as of {1}. Click to pick a port and act on it.', count, time);
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.item.dispose();
  }
}
