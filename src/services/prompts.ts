// Every dialog and notification the actions show goes through `prompt`, so there is one place where an
// integration test can answer them: the extension host cannot click a modal button, and a test that
// skipped the confirmation would not test the flow users meet. The seam is reached only through the API
// object's `test.setPromptHandler` (see src/extension.ts); without a handler, the real UI is shown.
import * as vscode from 'vscode';

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
  if (handler) {
    return handler({ kind, message, detail: options.detail, modal, buttons });
  }
  const messageOptions: vscode.MessageOptions = { modal, ...(options.detail !== undefined ? { detail: options.detail } : {}) };
  switch (kind) {
    case 'info':
      return vscode.window.showInformationMessage(message, messageOptions, ...buttons);
    case 'warning':
      return vscode.window.showWarningMessage(message, messageOptions, ...buttons);
    case 'error':
      return vscode.window.showErrorMessage(message, messageOptions, ...buttons);
  }
}
