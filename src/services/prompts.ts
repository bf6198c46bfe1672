// Every dialog and notification the actions show goes through `prompt`, so there is one place where an
// integration test can answer them: the extension host cannot click a modal button, and a test that
// skipped the confirmation would not test the flow users meet. The seam is reached only through the API
// object's `test.setPromptHandler` (see src/extension.ts); without a handler, the real UI is shown.
//
// It is also the one place where the rule for notifications is enforced: VS Code renders
// `[label](command:…)`, `https:` and `file:` links inside a notification's message and runs them when
// clicked, so text a server, a process or a file chose must never reach one as it is. Every message,
// detail and button goes through `notificationText` here, whatever the caller already did, and a lint
// rule (eslint.config.mjs) forbids `vscode.window.show*Message` anywhere else.
import * as vscode from 'vscode';
import { notificationLines, notificationText } from '../core/displayText';

export type PromptKind = 'info' | 'warning' | 'error';

/** A dialog or notification as the user would see it. Text is already plain (escaped) text. */
export interface Prompt {
  kind: PromptKind;
  message: string;
  detail?: string;
  modal: boolean;
  /** Button labels, in the order shown (a modal's Cancel is implicit and not listed). */
  buttons: readonly string[];
}

/** Answers a prompt with a button label, or undefined for Cancel / dismissed. */
export type PromptHandler = (prompt: Prompt) => string | undefined | Thenable<string | undefined>;

let handler: PromptHandler | undefined;

/** Test seam: routes every prompt to `next` instead of the UI; undefined restores the UI. */
export function setPromptHandler(next: PromptHandler | undefined): void {
  handler = next;
}

/** Shows a message (modal when asked) and resolves with the button chosen. */
export async function prompt(kind: PromptKind, message: string, options: { modal?: boolean; detail?: string } = {}, ...buttons: string[]): Promise<string | undefined> {
  const modal = options.modal ?? false;
  const shown = safePrompt({ kind, message, detail: options.detail, modal, buttons });
  // Answers come back as the shown label; the caller compares with its own.
  const answer = await ask(shown);
  const index = answer === undefined ? -1 : shown.buttons.indexOf(answer);
  return index >= 0 ? buttons[index] : undefined;
}

/** The prompt as it is shown: every piece of text made inert for a notification. */
export function safePrompt(p: Prompt): Prompt {
  return {
    kind: p.kind,
    message: notificationText(p.message, MESSAGE_MAX),
    ...(p.detail !== undefined ? { detail: notificationLines(p.detail, 400) } : {}),
    modal: p.modal,
    buttons: p.buttons.map((b) => notificationText(b, 60)),
  };
}

/** Long enough for a Free Port summary of several ports; VS Code itself cuts a toast much earlier. */
const MESSAGE_MAX = 1000;

async function ask(p: Prompt): Promise<string | undefined> {
  if (handler) {
    return handler(p);
  }
  const messageOptions: vscode.MessageOptions = { modal: p.modal, ...(p.detail !== undefined ? { detail: p.detail } : {}) };
  switch (p.kind) {
    case 'info':
      return vscode.window.showInformationMessage(p.message, messageOptions, ...p.buttons);
    case 'warning':
      return vscode.window.showWarningMessage(p.message, messageOptions, ...p.buttons);
    case 'error':
      return vscode.window.showErrorMessage(p.message, messageOptions, ...p.buttons);
  }
}
