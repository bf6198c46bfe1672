// "Find What Is Using Port…": asks for a port (validated as it is typed), scans, and answers with the
// owner and its actions, or "free". Called with a port argument (tests, other extensions, keybindings) it
// skips the input box and returns the answer as data.
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { socketsOnPort } from '../core/sockets';
import type { ListeningSocket } from '../core/types';
import { ownerSummary } from '../model/describeSocket';
import { parsePortQuery, portQueryProblem } from '../core/input';
import { plainText } from '../core/displayText';
import type { PortsCommandContext } from './context';
import { showPortActions } from './portActionPicker';
import { registerCommand } from '../services/registerCommand';
import { prompt } from '../services/prompts';

/** What the command found, as plain data. */
export interface FindPortAnswer {
  /** The port asked about; absent when the input was refused. */
  port?: number;
  /** Why the input was refused (one plain line). */
  error?: string;
  free?: boolean;
  sockets?: Array<{ protocol: string; address: string; owners: Array<{ pid: number; name: string }>; terminal?: string }>;
}

async function askPort(): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: vscode.l10n.t('Find What Is Using Port'),
    prompt: vscode.l10n.t('A port number from 1 to 65535'),
    placeHolder: '3000',
    validateInput: (text) => portQueryProblem(text),
  });
  return text === undefined ? undefined : parsePortQuery(text).port;
}

function answerLine(port: number, sockets: readonly ListeningSocket[], ctx: PortsCommandContext): string {
  const owners = [...new Set(sockets.map((s) => ownerSummary(s)))];
  const protocols = [...new Set(sockets.map((s) => s.protocol.toUpperCase()))].join(' + ');
  const terminal = sockets.flatMap((s) => s.owners).map((o) => ctx.state.terminalOf(o.pid)).find((t) => t !== undefined);
  const where = terminal ? vscode.l10n.t(', started in terminal "{0}"', terminal.name) : '';
  return plainText(vscode.l10n.t('Port {0} ({1}) is used by {2}{3}.', port, protocols, owners.join(', '), where), 400);
}

/** Finds what holds `arg` (or the port typed); shows the answer and returns it. */
export async function findPort(ctx: PortsCommandContext, arg?: unknown): Promise<FindPortAnswer | undefined> {
  let port: number | undefined;
  if (arg === undefined) {
    port = await askPort();
    if (port === undefined) {
      return undefined;
    }
  } else {
    try {
      port = parsePortQuery(typeof arg === 'number' ? arg : String(arg)).port;
    } catch (err) {
      // Bad input is expected, not a failure of the extension: a plain message, no "Show Log".
      const error = (err as Error).message;
      void prompt('error', plainText(error, 300));
      return { error };
    }
  }
  const snapshot = await ctx.refresh.freshSnapshot();
  if (!snapshot) {
    throw new Error(vscode.l10n.t('Cannot list ports right now; see the log.'));
  }
  const sockets = socketsOnPort(snapshot, port);
  const answer: FindPortAnswer = {
    port,
    free: sockets.length === 0,
    sockets: sockets.map((s) => ({
      protocol: s.protocol,
      address: s.address,
      owners: s.owners.map((o) => ({ pid: o.pid, name: o.name })),
      terminal: s.owners.map((o) => ctx.state.terminalOf(o.pid)?.name).find((n) => n !== undefined),
    })),
  };
  if (sockets.length === 0) {
    void prompt('info', vscode.l10n.t('Port {0} is free: nothing listens on it (TCP or UDP).', port));
    return answer;
  }
  // The answer is a notification with the likely next steps; not awaited, so a caller gets the data now.
  const first = sockets.find((s) => s.protocol === 'tcp') ?? sockets[0];
  const free = vscode.l10n.t('Free Port…');
  const more = vscode.l10n.t('More Actions…');
  const buttons = first.owners.length > 0 ? [free, more] : [more];
  void prompt('info', answerLine(port, sockets, ctx), {}, ...buttons).then(async (choice) => {
    if (choice === free) {
      await ctx.actions.free([first]);
    } else if (choice === more) {
      await showPortActions(first, ctx);
    }
  });
  return answer;
}

export function registerFindPort(ctx: PortsCommandContext): vscode.Disposable {
  return registerCommand(Commands.findPort, (arg) => findPort(ctx, arg));
}
