// The extension's one log channel. Everything logged here is plain text in an output channel, so untrusted
// process text needs no escaping — but control characters are stripped so they cannot garble the view.
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** Creates the channel once; the caller registers the returned disposable. */
export function initLogger(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Port Inspector', { log: true });
  return channel;
}

const clean = (s: string): string => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');

export const log = {
  trace: (msg: string): void => channel?.trace(clean(msg)),
  debug: (msg: string): void => channel?.debug(clean(msg)),
  info: (msg: string): void => channel?.info(clean(msg)),
  warn: (msg: string): void => channel?.warn(clean(msg)),
  error: (msg: string, err?: unknown): void => {
    const detail = err instanceof Error ? `\n${err.stack ?? err.message}` : err !== undefined ? `\n${String(err)}` : '';
    channel?.error(clean(msg) + clean(detail));
  },
  show: (): void => channel?.show(true),
};
