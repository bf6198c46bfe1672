// "Troubleshoot Port…" and "Port Activity" as commands: what port is meant (a tree row, a hover link's
// `{port, protocol}`, typed text), then the action service does the work (src/actions/troubleshoot.ts).
import * as vscode from 'vscode';
import { PortActions } from '../actions/portActions';
import type { PortQuestion } from '../actions/portActions';
import { Commands } from '../constants';
import type { PortQueryRules } from '../core/input';
import { parsePortQuery, portQueryProblem } from '../core/input';
import { parsePortRef } from '../model/portRef';
import { REPORT_SCHEME, reports } from '../services/reportDocuments';
import { registerCommand } from '../services/registerCommand';

/** The port asked about: a tree row or socket, a `{port, protocol}` link argument, a number or text
 *  (`3000`, `3000/udp`, `host:3000`); undefined means ask. Throws a plain message for anything else. */
export function portQuestionFrom(arg: unknown): PortQuestion | undefined {
  if (arg === undefined || arg === null) {
    return undefined;
  }
  const row = arg as { kind?: unknown; socket?: unknown };
  const value = row.kind === 'port' && row.socket ? row.socket : arg;
  const ref = parsePortRef(value);
  if (ref) {
    return { port: ref.port, protocol: ref.protocol };
  }
  if (typeof value === 'number' || typeof value === 'string') {
    return parseQuestion(String(value));
  }
  throw new Error(vscode.l10n.t('This does not name a port.'));
}

/** `3000`, `3000/udp`, `myhost:3000`, `[::1]:3000/tcp`. */
export function parseQuestion(text: string): PortQuestion {
  const { port, host, protocol } = parsePortQuery(text, QUESTION_INPUT);
  return { port, host, protocol };
}

/** What Troubleshoot Port accepts: a port, optionally with the host clients use and the protocol. */
const QUESTION_INPUT: PortQueryRules = { host: 'optional', protocol: true };

async function askPort(): Promise<PortQuestion | undefined> {
  const text = await vscode.window.showInputBox({
    title: vscode.l10n.t('Troubleshoot Port'),
    prompt: vscode.l10n.t('A port, optionally with the host clients use and the protocol: 3000, myhost:3000, 53/udp'),
    validateInput: (value) => portQueryProblem(value, QUESTION_INPUT),
  });
  return text === undefined ? undefined : parseQuestion(text);
}

export function registerTroubleshootCommands(actions: PortActions): vscode.Disposable[] {
  return [
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
    registerCommand(Commands.troubleshootPort, async (arg) => {
      const question = portQuestionFrom(arg) ?? (await askPort());
      return question ? PortActions.valueOf(await actions.troubleshoot(question)) : undefined;
    }),
    registerCommand(Commands.showPortActivity, async (arg) => PortActions.valueOf(await actions.showActivity(portQuestionFrom(arg)))),
  ];
}
