// The status bar's click: a quick pick of the ports (watched ones first, free ones included), refreshed
// as it opens; picking one shows its actions.
import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { ListeningSocket } from '../core/types';
import { classifySocket } from '../model/classify';
import { ownerSummary, serviceSummary } from '../model/describeSocket';
import { buildPortsTree, socketRows } from '../model/portsTree';
import { watchedKey } from '../model/watchedPorts';
import { iconSafeText } from '../core/displayText';
import { settings } from '../services/settings';
import type { PortsCommandContext } from './context';
import { showPortActions } from './portActionPicker';
import { registerCommand } from '../services/registerCommand';
import { hostPort, portLabel } from '../core/format';
import { prompt } from '../services/prompts';

interface PortPickItem extends vscode.QuickPickItem {
  socket?: ListeningSocket;
  freePort?: number;
}

const safe = (text: string, max: number): string => iconSafeText(text, max);

function socketItem(socket: ListeningSocket, ctx: PortsCommandContext): PortPickItem {
  const cls = classifySocket(socket);
  const terminal = socket.owners.map((o) => ctx.state.terminalOf(o.pid)).find((t) => t !== undefined);
  const service = serviceSummary(cls);
  const detail = [hostPort(socket.address, socket.port), cls.exposure.label];
  if (terminal) {
    detail.push(vscode.l10n.t('in terminal "{0}"', safe(terminal.name, 40)));
  }
  return {
    label: `$(${cls.risk ? 'warning' : cls.exposure.scope === 'loopback' ? 'lock' : 'globe'}) ${portLabel(socket)}`,
    description: safe([ownerSummary(socket), service].filter(Boolean).join(' · '), 120),
    detail: detail.join(' · '),
    socket,
  };
}

function items(ctx: PortsCommandContext): PortPickItem[] {
  const snapshot = ctx.state.snapshot;
  if (!snapshot) {
    return [];
  }
  const result: PortPickItem[] = [];
  const watched = ctx.state.watched;
  if (watched.length > 0) {
    result.push({ label: vscode.l10n.t('Watched ports'), kind: vscode.QuickPickItemKind.Separator });
    for (const w of watched) {
      if (!w.taken) {
        result.push({ label: `$(circle-outline) ${watchedKey(w.watch)}`, description: vscode.l10n.t('free'), freePort: w.watch.port });
      }
      result.push(...w.sockets.map((s) => socketItem(s, ctx)));
    }
    result.push({ label: vscode.l10n.t('All listening ports'), kind: vscode.QuickPickItemKind.Separator });
  }
  // The view's options (UDP, hidden owners) apply; its filter does not: this is the full list.
  const rows = socketRows(buildPortsTree(snapshot.sockets, { ...settings.viewConfig(), grouping: 'none', sortBy: 'port' }));
  result.push(...rows.map((r) => socketItem(r.socket, ctx)));
  return result;
}

/** Opens the port quick pick; resolves when it closes. */
export async function pickPort(ctx: PortsCommandContext): Promise<void> {
  const qp = vscode.window.createQuickPick<PortPickItem>();
  qp.title = vscode.l10n.t('Listening Ports');
  qp.placeholder = vscode.l10n.t('Type a port, process name or command to find a port');
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.items = items(ctx);
  qp.busy = true;
  qp.show();
  const chosen = new Promise<PortPickItem | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0]));
    qp.onDidHide(() => resolve(undefined));
  });
  void ctx.refresh.freshSnapshot().finally(() => {
    qp.items = items(ctx);
    qp.busy = false;
  });
  const item = await chosen;
  qp.dispose();
  if (item?.socket) {
    await showPortActions(item.socket, ctx);
  } else if (item?.freePort !== undefined) {
    void prompt('info', vscode.l10n.t('Port {0} is free: nothing listens on it.', item.freePort));
  }
}

export function registerPickPort(ctx: PortsCommandContext): vscode.Disposable {
  return registerCommand(Commands.pickPort, () => pickPort(ctx));
}
