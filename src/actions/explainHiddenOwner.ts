// For a socket whose owner cannot be seen: why, and the command that shows it (typed into a terminal or
// copied, never run).
import * as vscode from 'vscode';
import { revealOwnerHint, scanningAsRoot } from '../inspector/kill/stopOwners';
import type { ListeningSocket } from '../core/types';
import { offerCommand } from './commandHint';
import { portLabel } from '../core/format';

/** Explains why the owner of `socket` is hidden; offers the command that reveals it. */
export async function explainHiddenOwner(socket: ListeningSocket): Promise<void> {
  const hint = revealOwnerHint(socket.port, socket.protocol);
  const uid = socket.uid !== undefined ? vscode.l10n.t(' (user id {0})', socket.uid) : '';
  if (scanningAsRoot()) {
    // Root sees every process of its own pid namespace: a hidden owner lives in another one.
    await offerCommand(
      vscode.l10n.t('The process holding {0} is not visible{1}, although Port Inspector runs as root: it runs in another pid namespace (a container or a sandbox), so it cannot be named, tested or stopped from here.', portLabel(socket), uid),
      hint,
      { modal: true, detail: vscode.l10n.t('To list the pid namespaces, run this in a terminal:\n\n{0}\n\nTo stop it, stop the container or sandbox that runs it.', hint) },
    );
    return;
  }
  await offerCommand(
    vscode.l10n.t('The process holding {0} is not visible{1}: it belongs to another user, or runs in another container or namespace, so Port Inspector cannot name it, test who it is, or stop it.', portLabel(socket), uid),
    hint,
    {
      modal: true,
      detail: vscode.l10n.t('To see it, run this in a terminal (it asks for your password):\n\n{0}\n\nTo stop it, use the same privileges, or stop the container that runs it.', hint),
    },
  );
}
