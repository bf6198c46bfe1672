// Every command goes through this wrapper: errors are logged with their stack and shown once, briefly,
// with a "Show Log" action. Expected failures (InspectorError: a tool missing, permission denied) keep
// their plain-words message.
import * as vscode from 'vscode';
import { InspectorError } from '../core/types';
import { plainText } from '../core/displayText';
import { log } from './logger';
import { prompt } from './prompts';

/** Registers `id` with error handling; returns the disposable. */
export function registerCommand(id: string, handler: (...args: unknown[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      reportError(id, err);
      return undefined;
    }
  });
}

/** Logs `err` in full and shows a short message. */
export function reportError(context: string, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  log.error(`${context}: ${message}`, err);
  const text = err instanceof InspectorError ? message : vscode.l10n.t('Port Inspector: {0}', message);
  const showLog = vscode.l10n.t('Show Log');
  void prompt('error', plainText(text, 500), {}, showLog).then((choice) => {
    if (choice === showLog) {
      log.show();
    }
  });
}
