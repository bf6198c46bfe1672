// Item commands are called with a tree row (from a menu), a socket (from a quick pick or a notification),
// a port reference `{ port, protocol, address? }` (from a hover's `command:` link), or nothing (a
// keybinding: then the view's selection). Whatever arrives is only a pointer: it is resolved against the
// current snapshot, so a command acts on what listens now, never on a pid or owner an argument claims.
import * as vscode from 'vscode';
import type { ListeningSocket, ProcessInfo, Snapshot } from '../core/types';
import type { PortsRow } from '../model/portsTree';
import { isPortsRow } from '../model/portsTree';
import { isMalformedPortRef, parsePortRef, resolvePortRef } from '../model/portRef';
import { socketKey } from '../core/sockets';

/** The socket an item command acts on, as it is in `snapshot`. @throws Error (plain words) when none. */
export function socketFromArg(arg: unknown, snapshot: Pick<Snapshot, 'sockets'> | undefined, selection: readonly PortsRow[] = []): ListeningSocket {
  let value = arg === undefined ? selection[0] : arg;
  if (isPortsRow(value)) {
    if (value.kind === 'group') {
      throw new Error(vscode.l10n.t('Pick a port under "{0}" first: this action works on one port.', value.label));
    }
    value = value.socket;
  }
  if (isMalformedPortRef(value)) {
    throw new Error(vscode.l10n.t('This link does not name a valid port.'));
  }
  const ref = parsePortRef(value);
  if (!ref) {
    throw new Error(vscode.l10n.t('Pick a port in the Ports view first.'));
  }
  if (!snapshot) {
    throw new Error(vscode.l10n.t('Port Inspector has not listed the ports yet; try again in a moment.'));
  }
  // Same socket (same kernel identity) when the argument carries one; else what is on that port now.
  const key = typeof (value as { inode?: unknown }).inode === 'number' || Array.isArray((value as { owners?: unknown }).owners) ? socketKey(value as ListeningSocket) : undefined;
  const socket = (key !== undefined ? snapshot.sockets.find((s) => socketKey(s) === key) : undefined) ?? resolvePortRef(snapshot, ref);
  if (!socket) {
    throw new Error(vscode.l10n.t('Nothing listens on {0}/{1} any more.', ref.port, ref.protocol));
  }
  return socket;
}

/** The processes an item command acts on: a process group's process (if it still holds a port), or a
 *  socket's owners. */
export function ownersFromArg(
  arg: unknown,
  snapshot: Pick<Snapshot, 'sockets'> | undefined,
  selection: readonly PortsRow[] = [],
): { owners: ProcessInfo[]; socket?: ListeningSocket } {
  const value = arg === undefined ? selection[0] : arg;
  if (isPortsRow(value) && value.kind === 'group') {
    const pid = value.owner?.pid;
    const owner = pid === undefined ? undefined : snapshot?.sockets.flatMap((s) => s.owners).find((o) => o.pid === pid);
    if (!owner) {
      throw new Error(
        pid === undefined
          ? vscode.l10n.t('The processes in this group are not visible to Port Inspector.')
          : vscode.l10n.t('Process {0} no longer holds a port.', pid),
      );
    }
    return { owners: [owner] };
  }
  const socket = socketFromArg(value, snapshot);
  return { owners: socket.owners, socket };
}
