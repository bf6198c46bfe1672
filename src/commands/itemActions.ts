// The actions on ports (tree menus, the port quick pick, hovers, the dashboard, notifications) and their
// palette forms: thin commands over the action service (src/actions/portActions.ts), which holds the
// behaviour; copying the address, pid or command line included. A tree menu on a
// multi-selection calls a command with (clicked row, selected rows); "Free Port" acts on every selected
// port with one confirmation, the other actions on the clicked one.
import type * as vscode from 'vscode';
import { PortActions } from '../actions/portActions';
import { Commands } from '../constants';
import type { ListeningSocket, ProcessInfo, Snapshot } from '../core/types';
import type { PortsRow } from '../model/portsTree';
import { isPortsRow } from '../model/portsTree';
import { registerCommand } from '../services/registerCommand';
import { ownersFromArg, socketFromArg } from './commandTargets';
import type { PortsCommandContext } from './context';

/**
 * The sockets a "Free Port" invocation means: every selected port row when the tree passed a selection
 * of several, else the one argument (or the view's selection, for a keybinding). Each is looked up again
 * in the current snapshot: an argument only points, it never names a pid to stop.
 */
export function socketsFromArgs(arg: unknown, selected: unknown, snapshot: Pick<Snapshot, 'sockets'> | undefined, selection: readonly PortsRow[]): ListeningSocket[] {
  const rows = Array.isArray(selected) ? selected.filter(isPortsRow) : [];
  if (rows.length > 1) {
    // Group rows in a mixed selection stand for their ports only through their own children rows.
    const ports = rows.flatMap((r) => (r.kind === 'socket' ? [r] : []));
    if (ports.length > 0) {
      return ports.map((r) => socketFromArg(r, snapshot));
    }
  }
  if (arg === undefined && selection.filter((r) => r.kind === 'socket').length > 1) {
    return selection.filter((r) => r.kind === 'socket').map((r) => socketFromArg(r, snapshot));
  }
  return [socketFromArg(arg, snapshot, selection)];
}

export function registerItemActions(ctx: PortsCommandContext): vscode.Disposable[] {
  const { actions } = ctx;
  const selection = (): readonly PortsRow[] => ctx.view.selection;
  const socket = (arg: unknown): ListeningSocket => socketFromArg(arg, ctx.state.snapshot, selection());
  const owners = (arg: unknown): ProcessInfo[] => ownersFromArg(arg, ctx.state.snapshot, selection()).owners;
  const { valueOf } = PortActions;
  return [
    registerCommand(Commands.freePort, async (arg, selected) => {
      const sockets = socketsFromArgs(arg, selected, ctx.state.snapshot, selection());
      const results = valueOf(await actions.free(sockets));
      // One port: its result (what hovers and other extensions expect); several: one result per port.
      return sockets.length === 1 ? results?.[0] : results;
    }),
    registerCommand(Commands.testConnection, async (arg) => valueOf(await actions.test(socket(arg)))),
    registerCommand(Commands.testAddress, async (arg) => valueOf(await actions.testAddress(arg))),
    registerCommand(Commands.openInBrowser, async (arg) => valueOf(await actions.openInBrowser(socket(arg)))),
    registerCommand(Commands.explainHiddenOwner, async (arg) => valueOf(await actions.explainHiddenOwner(socket(arg)))),
    registerCommand(Commands.showTerminal, async (arg) => valueOf(await actions.showTerminal(owners(arg)))),
    registerCommand(Commands.copyAddress, async (arg) => valueOf(await actions.copyAddress(socket(arg)))),
    registerCommand(Commands.copyPid, async (arg) => valueOf(await actions.copyPids(owners(arg)))),
    registerCommand(Commands.copyCommandLine, async (arg) => valueOf(await actions.copyCommandLine(owners(arg)))),
    // "Find a Free Port…" (palette, view title): with an argument (`"3000"`, `"3000-3100/udp"`) it skips
    // the input box and returns the answer as data.
    registerCommand(Commands.findFreePort, async (arg) => valueOf(await actions.findFreePort(arg))),
  ];
}
