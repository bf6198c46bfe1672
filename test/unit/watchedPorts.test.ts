import * as assert from 'node:assert/strict';
import type { ListeningSocket } from '../../src/core/types';
import { describeHolders, diffWatchedStates, parseWatchedPorts, watchedKey, watchedPortStates } from '../../src/model/watchedPorts';

function sock(port: number, protocol: 'tcp' | 'udp', pids: number[], extra: Partial<ListeningSocket> = {}): ListeningSocket {
  return {
    protocol,
    family: 4,
    address: '127.0.0.1',
    port,
    state: protocol === 'tcp' ? 'LISTEN' : 'UNCONN',
    owners: pids.map((pid) => ({ pid, name: `p${pid}`, command: `p${pid} --serve` })),
    ownerVisible: pids.length > 0,
    ...extra,
  };
}

describe('parseWatchedPorts', () => {
  it('accepts numbers, numeric strings and port/protocol strings, dropping duplicates', () => {
    const r = parseWatchedPorts([3000, '5432', ' 53/UDP ', '8080/tcp', 3000, '3000']);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.watched, [{ port: 3000 }, { port: 5432 }, { port: 53, protocol: 'udp' }, { port: 8080, protocol: 'tcp' }]);
    assert.deepEqual(r.watched.map(watchedKey), ['3000', '5432', '53/udp', '8080/tcp']);
  });

  it('reports each bad entry in one plain line and keeps the good ones', () => {
    const r = parseWatchedPorts([0, 70000, 'abc', '80/sctp', 3.5, null, {}, 22]);
    assert.deepEqual(r.watched, [{ port: 22 }]);
    assert.equal(r.errors.length, 7);
    for (const e of r.errors) {
      assert.match(e, /^portInspector\.watchedPorts: .* Ignored\.$/);
      assert.ok(!e.includes('\n'));
    }
    assert.match(r.errors[3], /"80\/sctp" is not a port/);
  });

  it('treats a missing setting as none, and a non-list as one error', () => {
    assert.deepEqual(parseWatchedPorts(undefined), { watched: [], errors: [] });
    assert.deepEqual(parseWatchedPorts(null), { watched: [], errors: [] });
    const r = parseWatchedPorts({ 3000: true });
    assert.deepEqual(r.watched, []);
    assert.match(r.errors[0], /must be a list of ports/);
  });

  it('caps the list', () => {
    const r = parseWatchedPorts(Array.from({ length: 25 }, (_, i) => 1000 + i));
    assert.equal(r.watched.length, 20);
    assert.equal(r.errors.length, 5);
  });
});

describe('watched port states and changes', () => {
  const watched = parseWatchedPorts([3000, '53/udp', 5432]).watched;

  it('reports holders per port, honouring the protocol', () => {
    const states = watchedPortStates(
      { sockets: [sock(3000, 'tcp', [10]), sock(3000, 'tcp', [11, 10], { address: '::1' }), sock(53, 'tcp', [20]), sock(5432, 'tcp', [])] },
      watched,
    );
    assert.deepEqual(states.map((s) => s.taken), [true, false, true]);
    assert.deepEqual(states[0].holders.map((h) => h.pid), [10, 11]);
    assert.equal(states[0].sockets.length, 2);
    assert.equal(states[1].sockets.length, 0, '53/tcp does not count for 53/udp');
    assert.equal(states[2].ownerHidden, true);
    assert.equal(describeHolders(states[0]), 'p10 (pid 10) and 1 more');
    assert.equal(describeHolders(states[1]), 'nobody');
    assert.equal(describeHolders(states[2]), 'a process whose owner is not visible');
  });

  it('reports taken and freed transitions only', () => {
    const s1 = watchedPortStates({ sockets: [sock(3000, 'tcp', [10])] }, watched);
    const s2 = watchedPortStates({ sockets: [sock(53, 'udp', [30]), sock(3000, 'tcp', [99])] }, watched);
    const s3 = watchedPortStates({ sockets: [sock(53, 'udp', [30])] }, watched);
    assert.deepEqual(diffWatchedStates(undefined, s1), [], 'no transitions on the first snapshot');
    const c12 = diffWatchedStates(s1, s2);
    assert.deepEqual(c12.map((c) => [c.kind, watchedKey(c.state.watch)]), [['taken', '53/udp']], 'an owner change on 3000 is not a transition');
    const c23 = diffWatchedStates(s2, s3);
    assert.deepEqual(c23.map((c) => [c.kind, watchedKey(c.state.watch)]), [['freed', '3000']]);
    assert.deepEqual(diffWatchedStates(s3, s3), []);
  });

  it('gives no transition for a port just added to the setting', () => {
    const before = watchedPortStates({ sockets: [] }, [{ port: 3000 }]);
    const after = watchedPortStates({ sockets: [sock(8080, 'tcp', [1])] }, [{ port: 3000 }, { port: 8080 }]);
    assert.deepEqual(diffWatchedStates(before, after), []);
  });
});
