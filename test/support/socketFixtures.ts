// Plain data for unit tests of the pure model: a listening socket, a snapshot, an activity event.
// Defaults describe one node process on 127.0.0.1; each test overrides what it is about.
import type { ListeningSocket, ProcessInfo, Snapshot } from '../../src/core/types';
import type { ActivityEvent } from '../../src/model/activity/index';

/** A TCP listener on 127.0.0.1:`port` held by node (pid 4242); inode `port × 10` keeps keys stable. */
export function sock(port: number, extra: Partial<ListeningSocket> = {}, owner: Partial<ProcessInfo> = {}): ListeningSocket {
  return {
    protocol: 'tcp',
    family: 4,
    address: '127.0.0.1',
    port,
    state: 'LISTEN',
    inode: port * 10,
    owners: [{ pid: 4242, name: 'node', command: 'node server.js', ...owner }],
    ownerVisible: true,
    ...extra,
  };
}

export function snap(takenAt: number, sockets: ListeningSocket[]): Snapshot {
  return { takenAt, backend: 'test', durationMs: 1, sockets, warnings: [] };
}

/** An activity event on 127.0.0.1:`port`/tcp by node (pid 4242). */
export function event(at: number, kind: 'opened' | 'closed', port = 3000, extra: Partial<ActivityEvent> = {}): ActivityEvent {
  return { at, kind, port, protocol: 'tcp', address: '127.0.0.1', holders: [{ pid: 4242, name: 'node' }], exposure: 'loopback', ...extra };
}
