// Only what changed crosses from the scanner thread (src/inspector/linux/snapshotDelta.ts): the decoded
// sockets must equal what the worker scanned, every time, with unchanged rows reused by reference.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { LinuxBackend } from '../../src/inspector/linux/linuxBackend';
import type { SocketsUpdate } from '../../src/inspector/linux/snapshotDelta';
import { SocketsDecoder, SocketsEncoder, samePlainData } from '../../src/inspector/linux/snapshotDelta';
import type { ListeningSocket } from '../../src/core/types';
import { startListener } from '../support/listeners';
import { sock } from '../support/socketFixtures';
import { until } from '../support/poll';

/** A node listener on 127.0.0.1:`port` held by `pid`, with the owner fields a real scan fills in. */
function socket(port: number, pid = 100, extra: Partial<ListeningSocket> = {}): ListeningSocket {
  return sock(port, { uid: 1000, ...extra }, { pid, command: `node server.js ${port}`, user: 'dev', uid: 1000, ppid: 1, startTime: 1_700_000_000_000 });
}

/** Sends `sockets` through a structured clone, as postMessage does. */
function across(update: SocketsUpdate): SocketsUpdate {
  return structuredClone(update);
}

describe('snapshotDelta: sockets across the worker boundary', () => {
  it('sends the full list first, then nothing for an unchanged scan: the host keeps the same array', () => {
    const enc = new SocketsEncoder();
    const dec = new SocketsDecoder();
    const first = enc.encode([socket(80), socket(443)], dec.base);
    assert.equal(first.kind, 'full');
    const a = dec.decode(across(first))!;
    assert.deepEqual(a, [socket(80), socket(443)]);
    const second = enc.encode([socket(80), socket(443)], dec.base);
    assert.equal(second.kind, 'same');
    assert.equal(dec.decode(across(second)), a);
  });

  it('sends only changed rows; the rest are the host’s own objects, and the result equals the scan', () => {
    const enc = new SocketsEncoder();
    const dec = new SocketsDecoder();
    const before = dec.decode(across(enc.encode([socket(80), socket(443), socket(3000), socket(5432)], dec.base)))!;
    // 443 gone, 3000's owner changed its command line, 8080 new, and a field the encoder never heard of.
    const scan = [socket(80), socket(3000, 100, { owners: [{ ...socket(3000).owners[0], command: 'node other.js' }] }), socket(5432, 100, { futureField: 'db' } as unknown as Partial<ListeningSocket>), socket(8080)];
    const update = enc.encode(scan, dec.base);
    assert.equal(update.kind, 'changed');
    assert.equal(update.kind === 'changed' && update.changed.length, 3);
    const after = dec.decode(across(update))!;
    assert.deepEqual(after, scan);
    assert.equal(after[0], before[0], 'unchanged row reused');
    assert.notEqual(after[1], before[2]);
  });

  it('answers with the full list when the host holds another revision (a reply it never saw)', () => {
    const enc = new SocketsEncoder();
    const dec = new SocketsDecoder();
    dec.decode(across(enc.encode([socket(80)], dec.base)));
    const held = dec.base;
    enc.encode([socket(80), socket(81)], held); // a reply that got lost on the way
    const next = enc.encode([socket(80), socket(81), socket(82)], held);
    assert.equal(next.kind, 'full');
    assert.deepEqual(dec.decode(across(next)), [socket(80), socket(81), socket(82)]);
  });

  it('stays exact when two rows share a key (a back-end without inodes) and rows move', () => {
    const enc = new SocketsEncoder();
    const dec = new SocketsDecoder();
    const twin = (uid: number): ListeningSocket => socket(53, 100, { inode: undefined, protocol: 'udp', state: 'UNCONN', uid });
    dec.decode(across(enc.encode([twin(1), twin(2), socket(80)], dec.base)));
    const scan = [socket(22), twin(2), twin(3), socket(80)];
    assert.deepEqual(dec.decode(across(enc.encode(scan, dec.base))), scan);
  });

  it('never applies a delta to the wrong base', () => {
    const enc = new SocketsEncoder();
    const dec = new SocketsDecoder();
    dec.decode(across(enc.encode([socket(80)], dec.base)));
    const stale = enc.encode([socket(80), socket(81)], dec.base);
    dec.reset();
    assert.equal(dec.decode(across(stale)), undefined);
  });

  it('compares plain data deeply, whatever its shape', () => {
    assert.ok(samePlainData(socket(1), socket(1)));
    assert.ok(!samePlainData(socket(1), socket(1, 2)));
    assert.ok(!samePlainData({ a: 1 }, { a: 1, b: undefined }));
    assert.ok(!samePlainData([1], { 0: 1 }));
    assert.ok(!samePlainData(null, {}));
  });
});

(process.platform === 'linux' ? describe : describe.skip)('snapshotDelta: the Linux worker on the live system', function () {
  this.timeout(60_000);
  const workerPath = path.join(__dirname, '../../src/inspector/linux/inspectorWorker.js');

  it('sees a listener come and go through deltas, and agrees with a full scan of the same moment', async () => {
    const backend = new LinuxBackend({ workerPath });
    const fresh = new LinuxBackend({ useWorker: false });
    try {
      await backend.snapshot();
      const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }, { protocol: 'udp', host: '::1' }] });
      const has = (s: ListeningSocket[], port: number): boolean => s.some((x) => x.port === port && x.owners.some((o) => o.pid === l.pid));
      try {
        await until(async () => has((await backend.snapshot()).sockets, l.ports[0]) && has((await backend.snapshot()).sockets, l.ports[1]), { what: 'the new listener in a delta' });
      } finally {
        await l.close();
      }
      await until(async () => !has((await backend.snapshot()).sockets, l.ports[0]), { what: 'the closed listener gone' });
      // A delta-built list and a full in-thread scan describe the same machine; other programs may open
      // or close sockets between the two scans, so ask until two consecutive ones agree.
      await until(async () => samePlainData((await backend.snapshot()).sockets, (await fresh.snapshot()).sockets), {
        what: 'the delta-built sockets to equal a full scan',
      });
    } finally {
      backend.dispose();
      fresh.dispose();
    }
  });
});
