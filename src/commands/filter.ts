// The Ports view's filter: typed in an input box (or passed as an argument), shown in the view's
// description while active, cleared by an empty input or the view-title button.
import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../constants';
import { parseFilter } from '../model/portsTree';
import type { PortsCommandContext } from './context';
import { registerCommand } from '../services/registerCommand';

async function apply(ctx: PortsCommandContext, text: string): Promise<string> {
  ctx.tree.setFilter(text);
  await vscode.commands.executeCommand('setContext', ContextKeys.filterActive, ctx.tree.filter !== '');
  return ctx.tree.filter;
}

export function registerFilterCommands(ctx: PortsCommandContext): vscode.Disposable[] {
  return [
    registerCommand(Commands.filter, async (arg) => {
      if (typeof arg === 'string') {
        return apply(ctx, arg);
      }
      const text = await vscode.window.showInputBox({
        title: vscode.l10n.t('Filter Ports'),
        prompt: vscode.l10n.t('A port (3000), a range (3000-3010), or part of a process name or command line. Empty clears the filter.'),
        value: ctx.tree.filter,
        validateInput: (value) => {
          const parsed = parseFilter(value);
          return parsed.kind === 'invalid' ? parsed.error : undefined;
        },
      });
      return text === undefined ? ctx.tree.filter : apply(ctx, text);
    }),
    registerCommand(Commands.clearFilter, () => apply(ctx, '')),
  ];
}
