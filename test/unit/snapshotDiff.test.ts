import * as assert from 'node:assert/strict';
import type { ListeningSocket } from '../../src/core/types';
import { RecentSockets, diffSnapshots, sameSockets } from '../../src/model/snapshotDiff';
import { sock as sockFixture } from '../support/socketFixtures';
import { socketKey } from '../../src/core/sockets';

/** Each port's owner has its own pid (port + 1), so owner-based keys differ between ports. */
const sock = (port: number, extra: Partial<ListeningSocket> = {}): ListeningSocket => sockFixture(port, extra, { pid: port + 1 });

describe('socketKey', () => {
  it('tells apart protocol, address, port and socket identity', () => {
    const keys = new Set([
      socketKey(sock(3000)),
      socketKey(sock(3000, { protocol: 'udp' })),
      socketKey(sock(3000, { address: '::1', family: 6 })),
      socketKey(sock(3001)),
      socketKey(sock(3000, { inode: 999 })),
    ]);
    assert.equal(keys.size, 5);
  });

  it('uses owner pids when the back-end reports no inode', () => {
    const a = sock(3000, { inode: undefined });
    const b = sock(3000, { inode: undefined, owners: [{ pid: 77, name: 'node', command: '' }] });
    assert.notEqual(socketKey(a), socketKey(b));
    assert.equal(socketKey(a), socketKey({ ...a }));
  });
});

describe('sameSockets', () => {
  const base = [sock(3000), sock(3001, { protocol: 'udp', state: 'UNCONN' }), sock(5432, { address: '::', family: 6 })];
  const snap = (sockets: ListeningSocket[]): { sockets: ListeningSocket[] } => ({ sockets });

  it('is true for the same sockets and owners in another order, as fresh objects', () => {
    assert.ok(sameSockets(snap(base), snap([...base].reverse().map((s) => ({ ...s, owners: s.owners.map((o) => ({ ...o })) })))));
    assert.ok(sameSockets(snap([]), snap([])));
  });

  it('is false when a socket comes, goes or is replaced by another on the same port', () => {
    assert.ok(!sameSockets(snap(base), snap(base.slice(1))));
    assert.ok(!sameSockets(snap(base), snap([...base, sock(8080)])));
    assert.ok(!sameSockets(snap(base), snap([sock(3000, { inode: 1 }), base[1], base[2]])));
  });

  it('is false when anything a row shows about an owner changes', () => {
    const changes: Array<Partial<ListeningSocket>> = [
      { owners: [{ pid: 3001, name: 'bun', command: 'node server.js' }] },
      { owners: [{ pid: 3001, name: 'node', command: 'node server.js --watch' }] },
      { owners: [{ pid: 3001, name: 'node', command: 'node server.js', user: 'dev' }] },
      { owners: [{ pid: 3001, name: 'node', command: 'node server.js', ppid: 1 }] },
      { owners: [...sock(3000).owners, { pid: 9, name: 'node', command: 'node worker.js' }] },
      { owners: [], ownerVisible: false },
      { uid: 1000 },
    ];
    for (const change of changes) {
      assert.ok(!sameSockets(snap(base), snap([sock(3000, change), base[1], base[2]])), JSON.stringify(change));
    }
  });
});

describe('diffSnapshots', () => {
  it('reports nothing as added on the first snapshot', () => {
    assert.deepEqual(diffSnapshots(undefined, { sockets: [sock(1), sock(2)] }), { added: [], removed: [] });
  });

  it('reports added and removed sockets', () => {
    const d = diffSnapshots({ sockets: [sock(1), sock(2)] }, { sockets: [sock(2), sock(3)] });
    assert.deepEqual(d.added.map((s) => s.port), [3]);
    assert.deepEqual(d.removed.map((s) => s.port), [1]);
  });

  it('treats a restarted server (new inode, same port) as removed and added', () => {
    const d = diffSnapshots({ sockets: [sock(3000)] }, { sockets: [sock(3000, { inode: 1 })] });
    assert.equal(d.added.length, 1);
    assert.equal(d.removed.length, 1);
  });
});

describe('RecentSockets', () => {
  it('highlights new sockets for the highlight time, and never on the first snapshot', () => {
    const r = new RecentSockets(5000);
    r.update({ sockets: [sock(1)] }, 0);
    assert.equal(r.isNew(socketKey(sock(1)), 0), false);
    assert.equal(r.nextExpiryIn(0), undefined);
    r.update({ sockets: [sock(1), sock(2)] }, 1000);
    const k2 = socketKey(sock(2));
    assert.equal(r.isNew(k2, 1000), true);
    assert.equal(r.isNew(k2, 5999), true);
    assert.equal(r.isNew(k2, 6000), false);
    assert.equal(r.nextExpiryIn(2000), 4000);
    assert.equal(r.nextExpiryIn(6000), undefined);
  });

  it('forgets a socket that went away, so its return is new again', () => {
    const r = new RecentSockets(5000);
    r.update({ sockets: [] }, 0);
    r.update({ sockets: [sock(2)] }, 100);
    r.update({ sockets: [] }, 200);
    assert.equal(r.isNew(socketKey(sock(2)), 300), false);
    r.update({ sockets: [sock(2)] }, 4000);
    assert.equal(r.isNew(socketKey(sock(2)), 8000), true, 'timer restarts at the return');
  });

  it('only re-baselines when told not to highlight (after a long gap between scans)', () => {
    const r = new RecentSockets(5000);
    r.update({ sockets: [sock(1)] }, 0);
    const diff = r.update({ sockets: [sock(1), sock(2)] }, 100_000, false);
    assert.deepEqual(diff, { added: [], removed: [] });
    assert.equal(r.isNew(socketKey(sock(2)), 100_000), false);
    r.update({ sockets: [sock(2), sock(3)] }, 101_000);
    assert.equal(r.isNew(socketKey(sock(3)), 101_000), true, 'the next scan diffs against the new baseline');
  });

  it('drops expired entries on update', () => {
    const r = new RecentSockets(1000);
    r.update({ sockets: [] }, 0);
    r.update({ sockets: [sock(1)] }, 0);
    r.update({ sockets: [sock(1)] }, 5000);
    assert.equal(r.nextExpiryIn(5000), undefined);
  });
});
