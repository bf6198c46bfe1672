// The Ports view: rows built by the pure model (src/model/portsTree.ts) from the shared state, so the
// tree shows exactly the snapshot the status bar and the quick picks show. Errors from the scan and empty
// states show in the view's message area, the active filter in its description — never as popups.
import * as vscode from 'vscode';
import type { ListeningSocket } from '../core/types';
import type { PortsRow, PortsTree, SocketRow } from '../model/portsTree';
import { buildPortsTree, socketRows } from '../model/portsTree';
import { plainText } from '../core/displayText';
import type { ViewConfig } from '../services/settings';
import type { PortsState } from '../services/portsState';
import { groupTreeItem, socketTooltip, socketTreeItem } from './portItems';

/** The workspace's folders on this machine's file system (the extension runs where the workspace runs). */
export function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

export class PortsTreeProvider implements vscode.TreeDataProvider<PortsRow>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private view: vscode.TreeView<PortsRow> | undefined;
  private tree: PortsTree | undefined;
  private parents = new Map<string, PortsRow>();
  private bySocket = new Map<ListeningSocket, ListeningSocket[]>();
  private filterText = '';
  private highlightTimer: NodeJS.Timeout | undefined;
  /** The state revision the current rows were built from. */
  private builtFrom = -1;

  constructor(
    private readonly state: PortsState,
    private config: ViewConfig,
  ) {
    this.subscriptions.push(
      state.onDidChange(() => {
        // A scan that found nothing new must not re-send every row to the workbench: at thousands of
        // rows that kept the workbench busy on every poll. The message area (errors) still updates.
        if (this.tree && this.builtFrom === state.revision) {
          this.updateChrome();
        } else {
          this.invalidate();
        }
      }),
      // Which projects are "in this workspace" (their order and mark under the project grouping) is
      // read from the folders when rows are built: a folder added or removed rebuilds the rows from the
      // snapshot at hand. A re-render, not a scan: the refresh manager stays the one owner of scanning.
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.invalidate()),
    );
  }

  attach(view: vscode.TreeView<PortsRow>): void {
    this.view = view;
    this.updateChrome();
  }

  get filter(): string {
    return this.filterText;
  }

  setFilter(text: string): void {
    this.filterText = text.trim();
    this.invalidate();
  }

  setConfig(config: ViewConfig): void {
    this.config = config;
    this.invalidate();
  }

  /** The current rows (built on demand from the current state). */
  get rows(): PortsTree {
    this.tree ??= this.build();
    return this.tree;
  }

  getTreeItem(element: PortsRow): vscode.TreeItem {
    return element.kind === 'group' ? groupTreeItem(element) : socketTreeItem(element);
  }

  /** Fills in a socket row's tooltip when the row is hovered. */
  resolveTreeItem(item: vscode.TreeItem, element: PortsRow): vscode.TreeItem {
    if (element.kind === 'socket' && item.tooltip === undefined) {
      item.tooltip = socketTooltip(element, this.bySocket.get(element.socket) ?? []);
    }
    return item;
  }

  getChildren(element?: PortsRow): PortsRow[] {
    if (!element) {
      return [...this.rows.roots];
    }
    return element.kind === 'group' ? [...element.children] : [];
  }

  getParent(element: PortsRow): PortsRow | undefined {
    return this.parents.get(element.id);
  }

  /** Reveals the first row for a socket key; false when the socket is not in the tree (filtered). */
  async reveal(key: string): Promise<boolean> {
    const row = socketRows(this.rows).find((r) => r.key === key);
    if (!row || !this.view) {
      return false;
    }
    await this.view.reveal(row, { select: true, focus: true, expand: true });
    return true;
  }

  private build(): PortsTree {
    const snapshot = this.state.snapshot;
    this.builtFrom = this.state.revision;
    const now = Date.now();
    const tree = buildPortsTree(snapshot?.sockets ?? [], {
      ...this.config,
      filter: this.filterText,
      terminalOf: (pid) => this.state.terminalOf(pid)?.name,
      isNew: (key) => this.state.recent.isNew(key, now),
      workspaceFolders: workspaceFolderPaths(),
    });
    this.parents = new Map();
    for (const root of tree.roots) {
      if (root.kind === 'group') {
        root.children.forEach((c) => this.parents.set(c.id, root));
      }
    }
    // Other sockets on the same port and protocol, for the tooltip's address list.
    const byPort = new Map<string, ListeningSocket[]>();
    for (const s of snapshot?.sockets ?? []) {
      const k = `${s.protocol}/${s.port}`;
      byPort.set(k, [...(byPort.get(k) ?? []), s]);
    }
    this.bySocket = new Map((snapshot?.sockets ?? []).map((s) => [s, byPort.get(`${s.protocol}/${s.port}`) ?? []]));
    this.scheduleHighlightEnd(now);
    return tree;
  }

  /** New-socket highlights end after a few seconds even when no scan comes: re-render then. */
  private scheduleHighlightEnd(now: number): void {
    clearTimeout(this.highlightTimer);
    const wait = this.state.recent.nextExpiryIn(now);
    if (wait !== undefined) {
      this.highlightTimer = setTimeout(() => this.invalidate(), wait + 50);
    }
  }

  private invalidate(): void {
    this.tree = undefined;
    this.updateChrome();
    this.changeEmitter.fire();
  }

  /** The view's description (filter) and message (error, empty state). Skipped while hidden: the tree is
   *  then not built at all, and becoming visible calls this again. */
  updateChrome(): void {
    if (!this.view?.visible) {
      return;
    }
    const tree = this.rows;
    this.view.description = this.filterText ? vscode.l10n.t('Filter: {0}', plainText(this.filterText, 40)) : undefined;
    this.view.message = this.message(tree);
  }

  private message(tree: PortsTree): string | undefined {
    const err = this.state.error;
    if (err) {
      return vscode.l10n.t('Cannot list ports: {0}', plainText(err.message, 300));
    }
    if (!this.state.snapshot) {
      return undefined;
    }
    if (tree.filterError) {
      return vscode.l10n.t('Filter: {0}', plainText(tree.filterError, 200));
    }
    if (tree.shown === 0 && tree.hiddenByFilter > 0) {
      return vscode.l10n.t('No port matches the filter "{0}" ({1} hidden).', plainText(this.filterText, 40), tree.hiddenByFilter);
    }
    if (tree.shown === 0 && tree.hiddenByOptions > 0) {
      return vscode.l10n.t('{0} sockets are hidden by the view options (UDP, owner not visible).', tree.hiddenByOptions);
    }
    if (tree.total === 0) {
      return vscode.l10n.t('Nothing is listening on this machine.');
    }
    const warnings = this.state.snapshot.warnings;
    if (warnings.length > 0) {
      const more = warnings.length > 1 ? vscode.l10n.t(' (and {0} more in the log)', warnings.length - 1) : '';
      return plainText(warnings[0], 300) + more;
    }
    return undefined;
  }

  /** The socket rows, for the quick pick and tests. */
  socketRows(): SocketRow[] {
    return socketRows(this.rows);
  }

  dispose(): void {
    clearTimeout(this.highlightTimer);
    this.subscriptions.forEach((d) => d.dispose());
    this.changeEmitter.dispose();
  }
}
