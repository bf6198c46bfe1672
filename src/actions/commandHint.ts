// A command the user may run themselves with more privileges (`sudo kill 4242`, `sudo ss -ltnp …`):
// typed into a new terminal but never run, or copied, so the user reads it and decides.
import * as vscode from 'vscode';
import { prompt } from '../services/prompts';

const TERMINAL_NAME = 'Port Inspector';

/** Opens a terminal with `command` typed at the prompt, not run. Returns the terminal. */
export function openTerminalWithCommand(command: string): vscode.Terminal {
  const terminal = vscode.window.createTerminal({ name: TERMINAL_NAME });
  terminal.show();
  // No newline: the shell shows the command and waits for the user's Enter (or edit, or Ctrl+C).
  terminal.sendText(command, false);
  return terminal;
}

/** The two ways to hand over a command, as buttons, and what each does. */
export function hintButtons(): { open: string; copy: string } {
  return { open: vscode.l10n.t('Open Terminal with Command'), copy: vscode.l10n.t('Copy Command') };
}

/** Runs the choice made on a message that offered {@link hintButtons}. */
export async function actOnHint(choice: string | undefined, command: string): Promise<void> {
  const { open, copy } = hintButtons();
  if (choice === open) {
    openTerminalWithCommand(command);
  } else if (choice === copy) {
    await vscode.env.clipboard.writeText(command);
  }
}

/** Shows `message` with the two buttons and acts on the answer (not awaited by callers that return data). */
export async function offerCommand(message: string, command: string, options: { modal?: boolean; detail?: string } = {}): Promise<void> {
  const { open, copy } = hintButtons();
  await actOnHint(await prompt('warning', message, options, open, copy), command);
}
