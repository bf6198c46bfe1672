// Short plain-text descriptions of a socket, shared by the tree, status bar, CLI and notifications.
// Results are NOT escaped: each surface escapes for its own medium (see src/core/displayText.ts).
import type { ContainerInfo, ListeningSocket } from '../core/types';
import type { PortClassification } from './classify';
import { processLabel } from '../core/whatRuns';

/** `vite (node) 4242`, `postgres 4242 +2`, or `owner not visible (uid 0)`: what runs, not just the runtime. */
export function ownerSummary(socket: ListeningSocket): string {
  if (!socket.ownerVisible || socket.owners.length === 0) {
    return socket.uid !== undefined ? `owner not visible (uid ${socket.uid})` : 'owner not visible';
  }
  const first = socket.owners[0];
  const more = socket.owners.length > 1 ? ` +${socket.owners.length - 1}` : '';
  return `${processLabel(first)} ${first.pid}${more}`;
}

/** `db (compose shop) · postgres:16`, or `web1 · nginx:1` without compose labels: how every surface names
 *  a container. Plain, NOT escaped (names and labels are untrusted: the surface escapes). */
export function containerSummary(c: ContainerInfo): string {
  const who = c.compose ? `${c.compose.service} (compose ${c.compose.project})` : c.pod ? `${c.name} (pod ${c.pod})` : c.name;
  return c.image ? `${who} · ${c.image}` : who;
}

/** What runs there, best guess first: the user's label, a developer default, then IANA's name. */
export function serviceSummary(cls: PortClassification, label?: string): string | undefined {
  if (label) {
    return label;
  }
  if (cls.dev) {
    return cls.dev.runs.slice(0, 2).join(' / ');
  }
  if (cls.iana) {
    return cls.iana.description ?? cls.iana.name;
  }
  return undefined;
}
