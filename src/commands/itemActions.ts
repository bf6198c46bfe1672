// The actions on ports (tree menus, the port quick pick, hovers, the dashboard, notifications) and their
// palette forms: thin commands over src/actions/, which hold the behaviour. A tree menu on a
// multi-selection calls a command with (clicked row, selected rows); "Free Port" acts on every selected
// port with one confirmation, the other actions on the clicked one.
import * as vscode from 'vscode';
import { explainHiddenOwner } from '../actions/explainHiddenOwner';
import { freePort, freePorts } from '../actions/freePort';
import type { FreePortDeps } from '../actions/freePort';
import { openInBrowser } from '../actions/openInBrowser';
import { testAddress, testConnection } from '../actions/testConnection';
import { Commands } from '../constants';
import type { ListeningSocket, Snapshot } from '../core/types';
import type { PortsRow } from '../model/portsTree';
import { isPortsRow } from '../model/portsTree';
import { plainText } from '../core/displayText';
import { ownersFromArg, socketFromArg } from './args';
import type { PortsCommandContext } from './context';
import { registerFindFreePort } from './findFreePort';
import { registerCommand } from '../services/registerCommand';

async function freshSnapshot(ctx: PortsCommandContext): Promise<Snapshot> {
  const snapshot = await ctx.refreshNow();
  if (!snapshot) {
    throw new Error(vscode.l10n.t('Cannot list ports right now; see the log.'));
  }
  return snapshot;
}

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
  const selection = (): readonly PortsRow[] => ctx.view.selection;
  const freeDeps: FreePortDeps = {
    refresh: () => freshSnapshot(ctx),
    terminalOf: (pid) => ctx.state.terminalOf(pid),
    current: () => ctx.state.snapshot,
  };
  return [
    registerCommand(Commands.freePort, (arg, selected) => {
      const sockets = socketsFromArgs(arg, selected, ctx.state.snapshot, selection());
      // One port: its result (what the dashboard and hovers expect); several: one result per port.
      return sockets.length === 1 ? freePort(sockets[0], freeDeps) : freePorts(sockets, freeDeps);
    }),
    registerCommand(Commands.testConnection, (arg) => testConnection(socketFromArg(arg, ctx.state.snapshot, selection()))),
    registerCommand(Commands.testAddress, (arg) => testAddress(arg)),
    registerCommand(Commands.openInBrowser, (arg) => openInBrowser(socketFromArg(arg, ctx.state.snapshot, selection()))),
    registerCommand(Commands.explainHiddenOwner, (arg) => explainHiddenOwner(socketFromArg(arg, ctx.state.snapshot, selection()))),
    registerCommand(Commands.showTerminal, (arg) => {
      const { owners } = ownersFromArg(arg, ctx.state.snapshot, selection());
      const terminal = owners.map((o) => ctx.state.terminalOf(o.pid)).find((t) => t !== undefined);
      if (!terminal) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('{0} was not started from one of this window\u2019s integrated terminals.', plainText(owners[0]?.name ?? 'This process', 40)),
        );
        return undefined;
      }
      terminal.show();
      return terminal.name;
    }),
    registerFindFreePort(ctx),
  ];
}
