// TreeItems for the Ports view's rows (src/model/portsTree.ts). Labels and descriptions are plain text,
// tooltips untrusted Markdown. `contextValue` carries the row's state as space-separated words, and the
// menus in package.json match them by regex: `port tcp owned http terminal`, `port udp hidden`,
// `group range`, `group process owned terminal`.
import * as vscode from 'vscode';
import type { ListeningSocket } from '../core/types';
import type { GroupRow, SocketRow } from '../model/portsTree';
import { socketTooltipMarkdown } from '../model/socketTooltip';
import { projectLabel } from '../model/projects';
import { processLabel } from '../core/whatRuns';
import { plainText } from '../core/displayText';

/** The row's state words for `viewItem` when-clauses. */
export function socketContextValue(row: SocketRow): string {
  // A container's port can be freed (by its engine) even when its forwarder is another user's process.
  const owned = (row.socket.ownerVisible && row.socket.owners.length > 0) || row.socket.container !== undefined;
  const words = ['port', row.socket.protocol, owned ? 'owned' : 'hidden'];
  if (row.socket.container) {
    words.push('container');
  }
  if (row.classification.httpScheme) {
    words.push('http');
  }
  if (row.terminal !== undefined) {
    words.push('terminal');
  }
  if (row.classification.risk) {
    words.push('risky');
  }
  if (row.isNew) {
    words.push('new');
  }
  return words.join(' ');
}

export function groupContextValue(row: GroupRow): string {
  const words = ['group', row.grouping];
  if (row.owner) {
    words.push('owned');
  }
  if (row.terminal !== undefined) {
    words.push('terminal');
  }
  if (row.project) {
    words.push(row.inWorkspace ? 'inWorkspace' : 'otherProject');
  }
  if (row.containerGroup) {
    words.push(row.containerGroup.kind === 'container' ? 'oneContainer' : row.containerGroup.kind);
  }
  return words.join(' ');
}

/** Codicon id and colour for a socket: a warning when risky, else how far it is exposed; new sockets
 *  get a distinct icon for their first seconds. */
export function socketIcon(row: SocketRow): { id: string; color?: string } {
  if (row.isNew) {
    return { id: 'sparkle', color: 'charts.green' };
  }
  const { risk, exposure } = row.classification;
  if (risk) {
    return { id: 'warning', color: risk.level === 'high' ? 'list.errorForeground' : 'list.warningForeground' };
  }
  if (row.socket.container) {
    return { id: 'package' };
  }
  if (exposure.scope === 'loopback') {
    return { id: 'lock' };
  }
  if (exposure.scope === 'all') {
    return { id: 'globe' };
  }
  return { id: exposure.network === 'public' ? 'globe' : 'broadcast' };
}

/** A socket row's tooltip (untrusted Markdown). Built only when the row is hovered (resolveTreeItem):
 *  built for every row, thousands of tooltips were sent to the workbench on each refresh. */
export function socketTooltip(row: SocketRow, siblings: readonly ListeningSocket[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(socketTooltipMarkdown(row, siblings), false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

export function socketTreeItem(row: SocketRow): vscode.TreeItem {
  const item = new vscode.TreeItem(
    // Highlighting the whole label is how a new row stands out, next to its icon.
    row.isNew ? { label: row.label, highlights: [[0, row.label.length]] } : row.label,
    vscode.TreeItemCollapsibleState.None,
  );
  item.id = row.id;
  const label = row.userLabel !== undefined ? `${row.userLabel} · ` : '';
  item.description = plainText(`${label}${row.description}`, 160);
  const icon = socketIcon(row);
  item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
  item.contextValue = socketContextValue(row);
  const state = [row.isNew ? 'new' : '', row.classification.risk ? 'warning' : '', row.classification.exposure.label].filter(Boolean).join(', ');
  item.accessibilityInformation = { label: plainText(`Port ${row.socket.port} ${row.socket.protocol}, ${label}${row.description}, ${state}`, 300) };
  return item;
}

export function groupTreeItem(row: GroupRow): vscode.TreeItem {
  const item = new vscode.TreeItem(plainText(row.label, 80), vscode.TreeItemCollapsibleState.Expanded);
  item.id = row.id;
  item.description = plainText(row.description, 160);
  item.contextValue = groupContextValue(row);
  if (row.grouping === 'range') {
    item.iconPath = new vscode.ThemeIcon('symbol-number');
  } else if (row.grouping === 'project') {
    item.iconPath = new vscode.ThemeIcon(row.project ? (row.inWorkspace ? 'root-folder-opened' : 'folder') : 'server');
    if (row.project) {
      const md = new vscode.MarkdownString(undefined, false);
      md.isTrusted = false;
      md.supportHtml = false;
      md.appendText(`${plainText(projectLabel(row.project), 200)}${row.inWorkspace ? ' — in this workspace' : ''}\n\n${plainText(row.project.root, 500)}`);
      item.tooltip = md;
    }
  } else if (row.grouping === 'container') {
    const g = row.containerGroup;
    item.iconPath = new vscode.ThemeIcon(g ? (g.kind === 'container' ? 'package' : 'layers') : 'server-process');
    if (g) {
      const md = new vscode.MarkdownString(undefined, false);
      md.isTrusted = false;
      md.supportHtml = false;
      if (g.kind === 'compose') {
        md.appendText(vscode.l10n.t('Compose project "{0}" ({1})', plainText(g.project, 120), g.engine));
        if (g.configFiles && g.configFiles.length > 0) {
          md.appendText(`\n\n${g.configFiles.slice(0, 5).map((f) => plainText(f, 300)).join('\n')}`);
        }
      } else if (g.kind === 'pod') {
        md.appendText(vscode.l10n.t('Pod "{0}" ({1})', plainText(g.pod, 120), g.engine));
      } else {
        md.appendText(`${plainText(g.container.name, 120)} (${g.container.engine} ${plainText(g.container.id.slice(0, 12), 12)})\n\n${plainText(g.container.image, 200)}`);
      }
      item.tooltip = md;
    }
  } else if (row.owner) {
    item.iconPath = new vscode.ThemeIcon(row.terminal !== undefined ? 'terminal' : 'server-process');
    const md = new vscode.MarkdownString(undefined, false);
    md.isTrusted = false;
    md.supportHtml = false;
    md.appendText(`${processLabel(row.owner)} (pid ${row.owner.pid}${row.owner.user ? `, user ${row.owner.user}` : ''})\n\n`);
    if (row.owner.command) {
      md.appendCodeblock(plainText(row.owner.command, 500), 'text');
    }
    if (row.terminal !== undefined) {
      md.appendText(`\nStarted from the integrated terminal "${plainText(row.terminal, 60)}".`);
    }
    item.tooltip = md;
  } else {
    item.iconPath = new vscode.ThemeIcon('eye-closed');
    item.tooltip = vscode.l10n.t(
      'These sockets belong to processes this user cannot see: another user\u2019s, or in another container. Run VS Code with more privileges, or use the command shown in each port\u2019s tooltip.',
    );
  }
  return item;
}
