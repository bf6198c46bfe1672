// "Find a Free Port…" (palette and the Ports view's title menu). Called with an argument (`"3000"`,
// `"3000-3100/udp"`) it skips the input box and returns the answer as data.
import type * as vscode from 'vscode';
import { findFreePortAction } from '../actions/findFreePort';
import { Commands } from '../constants';
import type { PortsCommandContext } from './context';
import { registerCommand } from '../services/registerCommand';

export function registerFindFreePort(ctx: PortsCommandContext): vscode.Disposable {
  return registerCommand(Commands.findFreePort, (arg) =>
    findFreePortAction(arg, { refresh: () => ctx.refreshNow(), current: () => ctx.state.snapshot }),
  );
}
