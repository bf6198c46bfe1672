// What holds a port, as the user thinks of it. Today every holder is a process; a container (published by
// an engine through a forwarder such as docker-proxy) and a project (the folder a server was started from)
// are the next kinds. Each kind describes itself and is stopped its own way: a process by a signal after
// the pid re-check, a container by its engine — never by signalling the forwarder that holds the socket.
import type { ContainerInfo, ListeningSocket, ProcessInfo, ProjectInfo } from './types';

/** A process that holds the socket itself. */
export interface ProcessHolder {
  readonly kind: 'process';
  readonly process: ProcessInfo;
  readonly project?: ProjectInfo;
}

/** A container that holds the socket through host processes that forward to it (or runs in the host's
 *  network). The forwarders are shown, never signalled: stopping them breaks the engine's networking and
 *  leaves the container running. */
export interface ContainerHolder {
  readonly kind: 'container';
  readonly container: ContainerInfo;
  readonly forwarders: readonly ProcessInfo[];
  readonly project?: ProjectInfo;
}

export type Holder = ProcessHolder | ContainerHolder;
export type HolderKind = Holder['kind'];

/** The holders of a socket: its container when one is known, else each owning process. */
export function holdersOf(socket: ListeningSocket): Holder[] {
  if (socket.container) {
    return [{ kind: 'container', container: socket.container, forwarders: socket.owners }];
  }
  return socket.owners.map((process) => ({ kind: 'process', process, ...(process.project && { project: process.project }) }));
}

/** `node (pid 4242)` or `container shop-db-1 (postgres:16)`: plain, NOT escaped (names are untrusted:
 *  the surface escapes for its medium). */
export function describeHolder(holder: Holder): string {
  switch (holder.kind) {
    case 'process':
      return `${holder.process.name || '?'} (pid ${holder.process.pid})`;
    case 'container':
      return `container ${holder.container.name} (${holder.container.image})`;
  }
}
