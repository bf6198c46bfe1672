// The Ports view: one row per listening socket, read from the shared snapshot. Errors from the scan show
// in the view's message area, not as popups.
import * as vscode from 'vscode';
import type { ListeningSocket, Snapshot } from '../inspector/types';
import { classifySocket } from '../model/classify';
import { hostPort, ownerSummary, portLabel, serviceSummary } from '../model/describeSocket';
import { markdownCode, markdownText, plainText } from '../shared/displayText';
import type { InspectorService } from '../services/inspectorService';

export class PortItem extends vscode.TreeItem {
  constructor(readonly socket: ListeningSocket) {
    super(portLabel(socket), vscode.TreeItemCollapsibleState.None);
    const cls = classifySocket(socket);
    const service = serviceSummary(cls);
    this.id = `${socket.protocol}|${socket.address}|${socket.port}|${socket.inode ?? ''}`;
    this.description = plainText([ownerSummary(socket), service].filter(Boolean).join(' · '));
    this.iconPath = new vscode.ThemeIcon(
      cls.risk ? 'warning' : cls.exposure.scope === 'loopback' ? 'lock' : 'globe',
    );
    this.contextValue = `port.${socket.protocol}${socket.ownerVisible ? '.owned' : '.hidden'}`;
    this.tooltip = tooltip(socket, cls);
    this.accessibilityInformation = {
      label: plainText(`Port ${socket.port} ${socket.protocol}, ${this.description}, ${cls.exposure.label}`),
    };
  }
}

function tooltip(socket: ListeningSocket, cls: ReturnType<typeof classifySocket>): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown(`**${portLabel(socket)}** on \`${markdownCode(hostPort(socket.address, socket.port))}\`\n\n`);
  md.appendMarkdown(`${markdownText(cls.exposure.label)} · ${markdownText(cls.rangeLabel)}\n\n`);
  if (cls.risk) {
    md.appendMarkdown(`$(warning) ${markdownText(cls.risk.reason, 400)}\n\n`);
  }
  if (cls.iana) {
    md.appendMarkdown(`IANA: ${markdownText(cls.iana.name)}${cls.iana.description ? ` — ${markdownText(cls.iana.description)}` : ''}\n\n`);
  }
  if (cls.dev) {
    md.appendMarkdown(`Commonly: ${markdownText(cls.dev.runs.join(', '))}\n\n`);
  }
  if (!socket.ownerVisible) {
    md.appendMarkdown(markdownText(`Owner not visible (uid ${socket.uid ?? '?'}): another user's process or another container.`));
  }
  for (const o of socket.owners) {
    md.appendMarkdown(`- ${markdownText(o.name, 64)} (pid ${o.pid}, ${markdownText(o.user ?? '?', 32)}): \`${markdownCode(o.command, 500)}\`\n`);
  }
  return md;
}

export class PortsTreeProvider implements vscode.TreeDataProvider<PortItem>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  view: vscode.TreeView<PortItem> | undefined;

  constructor(private readonly service: InspectorService) {
    this.subscriptions.push(
      service.onDidChange((snap) => this.update(snap)),
      service.onDidChangeError(() => this.updateMessage()),
    );
  }

  attach(view: vscode.TreeView<PortItem>): void {
    this.view = view;
    this.updateMessage();
  }

  getTreeItem(element: PortItem): vscode.TreeItem {
    return element;
  }

  getChildren(element?: PortItem): PortItem[] {
    if (element) {
      return [];
    }
    return (this.service.snapshot?.sockets ?? []).map((s) => new PortItem(s));
  }

  private update(_snap: Snapshot): void {
    this.updateMessage();
    this.changeEmitter.fire();
  }

  private updateMessage(): void {
    if (!this.view) {
      return;
    }
    const err = this.service.error;
    this.view.message = err ? vscode.l10n.t('Cannot list ports: {0}', plainText(err.message, 300)) : undefined;
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.changeEmitter.dispose();
  }
}
