// The actions on one port as a quick pick: opened from the status bar's port list, from "Find What Is
// Using Port…", and from a notification's "More Actions…". Each entry runs the same command as the tree.
import * as vscode from 'vscode';
import { Commands, Views } from '../constants';
import type { ListeningSocket } from '../core/types';
import { classifyPort } from '../model/classify';
import { ownerSummary } from '../model/describeSocket';
import { iconSafeText } from '../core/displayText';
import { socketFromArg } from './commandTargets';
import type { PortsCommandContext } from './context';
import { registerCommand } from '../services/registerCommand';
import { portLabel } from '../core/format';
import { socketKey } from '../core/sockets';
import { prompt } from '../services/prompts';

interface ActionItem extends vscode.QuickPickItem {
  run(): Promise<unknown>;
}

/** The actions that apply to `socket`, in the order the tree's context menu lists them. */
export function portActionItems(socket: ListeningSocket, ctx: PortsCommandContext): ActionItem[] {
  const { actions } = ctx;
  // What the pick names is looked up again when chosen: the list may have been open for a while.
  const now = (): ListeningSocket => socketFromArg(socket, ctx.state.snapshot);
  const exec = (action: (current: ListeningSocket) => Promise<unknown>) => (): Promise<unknown> => action(now());
  const owned = socket.ownerVisible && socket.owners.length > 0;
  const terminal = socket.owners.map((o) => ctx.state.terminalOf(o.pid)).find((t) => t !== undefined);
  const items: ActionItem[] = [];
  if (owned) {
    items.push({ label: `$(debug-stop) ${vscode.l10n.t('Free Port…')}`, detail: vscode.l10n.t('Stop the process holding the port (asks first)'), run: exec((s) => actions.free([s])) });
  } else {
    items.push({ label: `$(question) ${vscode.l10n.t('Why Is the Owner Hidden?')}`, run: exec((s) => actions.explainHiddenOwner(s)) });
  }
  if (terminal) {
    items.push({
      label: `$(terminal) ${vscode.l10n.t('Show Terminal')}`,
      description: iconSafeText(terminal.name, 40),
      run: exec((s) => actions.showTerminal(s.owners)),
    });
  }
  items.push({ label: `$(plug) ${vscode.l10n.t('Test Connection')}`, run: exec((s) => actions.test(s)) });
  if (socket.protocol === 'tcp' && classifyPort(socket.port, socket.protocol).httpScheme) {
    items.push({ label: `$(globe) ${vscode.l10n.t('Open in Browser')}`, run: exec((s) => actions.openInBrowser(s)) });
  }
  items.push({ label: `$(list-tree) ${vscode.l10n.t('Reveal in Ports View')}`, run: () => revealInView(socket, ctx) });
  items.push({ label: `$(copy) ${vscode.l10n.t('Copy Address')}`, run: exec((s) => actions.copyAddress(s)) });
  if (owned) {
    items.push({ label: `$(copy) ${vscode.l10n.t('Copy PID')}`, run: exec((s) => actions.copyPids(s.owners)) });
    items.push({ label: `$(copy) ${vscode.l10n.t('Copy Command Line')}`, run: exec((s) => actions.copyCommandLine(s.owners)) });
  }
  return items;
}

/** Shows the Ports view and selects the socket's row; says so when the filter or options hide it. */
export async function revealInView(socket: ListeningSocket, ctx: PortsCommandContext): Promise<boolean> {
  await vscode.commands.executeCommand(`${Views.ports}.focus`);
  const shown = await ctx.tree.reveal(socketKey(socket));
  if (!shown) {
    void prompt('info', vscode.l10n.t('{0} is hidden in the Ports view by its filter or view options.', portLabel(socket)));
  }
  return shown;
}

/** Shows the actions for `socket` and runs the one picked. */
export async function showPortActions(socket: ListeningSocket, ctx: PortsCommandContext): Promise<void> {
  const picked = await vscode.window.showQuickPick(portActionItems(socket, ctx), {
    title: vscode.l10n.t('{0} — {1}', portLabel(socket), iconSafeText(ownerSummary(socket), 60)),
    placeHolder: vscode.l10n.t('What do you want to do with {0}?', portLabel(socket)),
  });
  await picked?.run();
}

export function registerPortActions(ctx: PortsCommandContext): vscode.Disposable[] {
  return [
    registerCommand(Commands.showPortActions, (arg) => showPortActions(socketFromArg(arg, ctx.state.snapshot, ctx.view.selection), ctx)),
    registerCommand(Commands.revealPort, (arg) => revealInView(socketFromArg(arg, ctx.state.snapshot, ctx.view.selection), ctx)),
  ];
}
