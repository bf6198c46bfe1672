// The Ports view as plain data, exactly as the provider renders it (labels, descriptions, icons, context
// values, tooltips). Returned by the extension's API so integration tests can check what a user sees
// without scraping the workbench.
import type * as vscode from 'vscode';
import type { PortsRow } from '../model/portsTree';
import type { PortsTreeProvider } from './portsTreeProvider';

export interface TreeRowSnapshot {
  id: string;
  label: string;
  description?: string;
  contextValue?: string;
  icon?: string;
  tooltip?: string;
  children?: TreeRowSnapshot[];
}

function text(value: string | vscode.TreeItemLabel | undefined): string {
  return typeof value === 'string' ? value : (value?.label ?? '');
}

function tooltipText(value: string | vscode.MarkdownString | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.value;
}

/** Walks `provider` from the root, rendering every row, tooltips resolved as a hover would. */
export function treeSnapshot(provider: PortsTreeProvider, parent?: PortsRow): TreeRowSnapshot[] {
  const children = (provider.getChildren(parent) ?? []) as PortsRow[];
  return children.map((row) => {
    const item = provider.resolveTreeItem(provider.getTreeItem(row), row);
    const icon = item.iconPath as { id?: string } | undefined;
    const snap: TreeRowSnapshot = {
      id: item.id ?? row.id,
      label: text(item.label),
      description: typeof item.description === 'string' ? item.description : undefined,
      contextValue: item.contextValue,
      icon: icon?.id,
      tooltip: tooltipText(item.tooltip),
    };
    if (row.kind === 'group') {
      snap.children = treeSnapshot(provider, row);
    }
    return snap;
  });
}
