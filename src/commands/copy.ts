// Copy address, pid or command line. Command lines are copied whole (the tooltip shows them truncated),
// made safe to paste by src/model/clipboardText.ts.
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { clipboardCommandLine } from '../model/clipboardText';
import { ownersFromArg, socketFromArg } from './args';
import type { PortsCommandContext } from './context';
import { registerCommand } from '../services/registerCommand';
import { hostPort } from '../core/format';

async function copy(text: string, what: string): Promise<string> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}.', what), 3000);
  return text;
}

export function registerCopyCommands(ctx: PortsCommandContext): vscode.Disposable[] {
  return [
    registerCommand(Commands.copyAddress, (arg) => {
      const socket = socketFromArg(arg, ctx.state.snapshot, ctx.view.selection);
      return copy(hostPort(socket.address, socket.port), vscode.l10n.t('the address'));
    }),
    registerCommand(Commands.copyPid, (arg) => {
      const { owners } = ownersFromArg(arg, ctx.state.snapshot, ctx.view.selection);
      if (owners.length === 0) {
        throw new Error(vscode.l10n.t('The owner of this port is not visible, so its pid is unknown.'));
      }
      return copy(owners.map((o) => o.pid).join(' '), owners.length === 1 ? vscode.l10n.t('the pid') : vscode.l10n.t('the pids'));
    }),
    registerCommand(Commands.copyCommandLine, (arg) => {
      const { owners } = ownersFromArg(arg, ctx.state.snapshot, ctx.view.selection);
      if (owners.length === 0) {
        throw new Error(vscode.l10n.t('The owner of this port is not visible, so its command line is unknown.'));
      }
      // Forked workers share one command line: copy it once.
      const lines = [...new Set(owners.map((o) => clipboardCommandLine(o.command || o.name)))];
      return copy(lines.join('\n'), vscode.l10n.t('the command line'));
    }),
  ];
}
