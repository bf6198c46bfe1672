// The port activity log: events from consecutive snapshots (synthetic, and real ones from the Linux
// scanner), the caps, the JSON round trip with hostile stored data, last holder and unusual activity.
import * as assert from 'node:assert/strict';
import { LinuxScanner } from '../../src/inspector/linux/linuxScanner';
import type { ListeningSocket } from '../../src/core/types';
import type { ActivityEvent } from '../../src/model/activity/index';
import {
  ACTIVITY_MAX_AGE_MS,
  ActivityLog,
  activityEvents,
  clockTime,
  describeEvent,
  findUnusualActivity,
  loadStoredActivity,
  unusualKinds,
} from '../../src/model/activity/index';
import { startListener } from '../support/listeners';
import { event, snap, sock as sockFixture } from '../support/socketFixtures';

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
const MIN = 60_000;

/** Owners here carry a start time, as the scanner reports them. */
const sock = (port: number, extra: Partial<ListeningSocket> = {}): ListeningSocket => sockFixture(port, extra, { startTime: T0 - 3600_000 });

describe('activity: events from consecutive snapshots', () => {
  it('records nothing for the first snapshot, then opened and closed ports with holders and exposure', () => {
    const a = snap(T0, [sock(3000)]);
    const b = snap(T0 + 2000, [sock(5173, { address: '0.0.0.0', owners: [{ pid: 7, name: 'vite', command: 'vite' }] })]);
    assert.deepEqual(activityEvents(undefined, a), []);
    assert.deepEqual(activityEvents(a, b), [
      { at: T0 + 2000, kind: 'closed', port: 3000, protocol: 'tcp', address: '127.0.0.1', previousAt: T0, holders: [{ pid: 4242, name: 'node', startTime: T0 - 3600_000 }], exposure: 'loopback' },
      { at: T0 + 2000, kind: 'opened', port: 5173, protocol: 'tcp', address: '0.0.0.0', previousAt: T0, holders: [{ pid: 7, name: 'vite' }], exposure: 'all' },
    ]);
  });

  it('merges SO_REUSEPORT sockets into one event, caps holders, and keeps hidden owners', () => {
    const workers = Array.from({ length: 11 }, (_, i) => sock(8080, { inode: 900 + i, owners: [{ pid: 100 + i, name: 'worker', command: '' }] }));
    const hidden = sock(5432, { owners: [], ownerVisible: false, uid: 0, address: '192.168.1.5' });
    const events = activityEvents(snap(T0, []), snap(T0 + 1000, [...workers, hidden]));
    assert.equal(events.length, 2);
    const [db, web] = events;
    assert.deepEqual(db, { at: T0 + 1000, kind: 'opened', port: 5432, protocol: 'tcp', address: '192.168.1.5', previousAt: T0, holders: [], ownerHidden: true, uid: 0, exposure: 'interface' });
    assert.equal(web.sockets, 11);
    assert.equal(web.holders.length, 8);
    assert.equal(web.moreHolders, 3);
    assert.deepEqual(web.holders.map((h) => h.pid), [100, 101, 102, 103, 104, 105, 106, 107]);
  });

  it('keeps process names short and inert', () => {
    const name = `evil\u202e${'x'.repeat(500)}`;
    const [e] = activityEvents(snap(T0, []), snap(T0 + 1, [sock(1, { owners: [{ pid: 9, name, command: '' }] })]));
    assert.ok(e.holders[0].name.length <= 64);
    assert.ok(!e.holders[0].name.includes('\u202e'));
  });
});

describe('activity: the bounded log', () => {
  it('caps the number of events, dropping the oldest', () => {
    const log = new ActivityLog({ maxEvents: 100 });
    const events = Array.from({ length: 250 }, (_, i) => event(T0 + i * 1000, i % 2 ? 'closed' : 'opened', 3000 + i));
    log.append(events, T0 + 250_000);
    assert.equal(log.size, 100);
    assert.equal(log.events()[0].port, 3150);
    assert.equal(log.events()[99].port, 3249);
  });

  it('caps the age of events at the time of each new snapshot', () => {
    const log = new ActivityLog();
    log.append([event(T0, 'opened'), event(T0 + 1000, 'closed')], T0 + 1000);
    assert.equal(log.size, 2);
    log.record(snap(T0 + ACTIVITY_MAX_AGE_MS, []), snap(T0 + ACTIVITY_MAX_AGE_MS + 500, [sock(4000)]));
    assert.deepEqual(log.events().map((e) => e.port), [3000, 4000]);
    log.prune(T0 + ACTIVITY_MAX_AGE_MS + 2000);
    assert.deepEqual(log.events().map((e) => e.port), [4000]);
  });

  it('keeps time order when older events arrive late', () => {
    const log = new ActivityLog();
    log.append([event(T0 + 5000, 'opened', 1)], T0 + 5000);
    log.append([event(T0 + 1000, 'opened', 2)], T0 + 5000);
    assert.deepEqual(log.events().map((e) => e.port), [2, 1]);
  });

  it('rejects nonsense caps with a plain error', () => {
    assert.throws(() => new ActivityLog({ maxEvents: 0 }), /maxEvents must be a positive number/);
    assert.throws(() => new ActivityLog({ maxAgeMs: Number.NaN }), /maxAgeMs must be a positive number/);
  });

  it('names the last holder of a port, and finds the events of one port', () => {
    const log = new ActivityLog();
    log.append(
      [
        event(T0, 'opened', 3000),
        event(T0 + 4 * MIN, 'closed', 3000, { previousAt: T0 + 4 * MIN - 2000 }),
        event(T0 + 5 * MIN, 'opened', 3000, { holders: [{ pid: 5151, name: 'python3' }], protocol: 'udp' }),
      ],
      T0 + 5 * MIN,
    );
    const last = log.lastHolder(3000, 'tcp', T0 + 5 * MIN);
    assert.ok(last);
    // Last seen open at 12:03:58, seen closed at 12:04:00 (UTC; the clock text is local time).
    const now = T0 + 5 * MIN;
    assert.equal(last.text, `port 3000 was held by node (pid 4242) until ${clockTime(T0 + 4 * MIN - 2000, now)} (gone by ${clockTime(T0 + 4 * MIN, now)})`);
    assert.equal(last.lastSeen, T0 + 4 * MIN - 2000);
    assert.equal(log.lastHolder(3000, 'udp'), undefined);
    assert.equal(log.lastHolder(3001), undefined);
    assert.deepEqual(log.forPort(3000, 'tcp').map((e) => e.kind), ['opened', 'closed']);
    assert.equal(log.forPort(3000).length, 3);
  });
});

describe('activity: stored JSON', () => {
  it('survives a round trip through JSON text', () => {
    const log = new ActivityLog();
    log.record(snap(T0, []), snap(T0 + 1000, [sock(3000), sock(80, { address: '::', family: 6, owners: [{ pid: 1, name: 'nginx [x](command:a)', command: '' }] })]));
    log.record(snap(T0 + 1000, []), snap(T0 + 3000, []));
    const text = JSON.stringify(log);
    const { log: back, loaded } = ActivityLog.fromJSON(JSON.parse(text), {}, T0 + 4000);
    assert.equal(loaded.dropped, 0);
    assert.deepEqual(back.events(), log.events());
    assert.deepEqual(back.toJSON(), log.toJSON());
  });

  it('drops corrupt and hostile entries one by one and never throws', () => {
    const good = event(T0, 'opened');
    const stored = {
      version: 1,
      events: [
        good,
        null,
        'x',
        [],
        { ...good, kind: 'deleted' },
        { ...good, port: 0 },
        { ...good, port: 70000 },
        { ...good, port: 3.5 },
        { ...good, protocol: 'sctp' },
        { ...good, address: '127.0.0.1\n[x](command:evil)' },
        { ...good, address: 'x'.repeat(200) },
        { ...good, at: 'yesterday' },
        { ...good, at: T0 - ACTIVITY_MAX_AGE_MS - 1 },
        { ...good, at: T0 + 10 * 24 * 3600_000 },
        { ...good, holders: 'node' },
        { ...good, holders: [{ pid: -1, name: 'node' }] },
        { ...good, holders: [{ pid: 1, name: 'n'.repeat(65) }] },
        { ...good, holders: Array.from({ length: 9 }, (_, i) => ({ pid: i + 1, name: 'w' })) },
        { ...good, previousAt: T0 + 1 },
        { ...good, exposure: 'everywhere' },
        { ...good, sockets: 1 },
        { ...good, uid: -5 },
        JSON.parse(`{"at":${T0 + 1},"kind":"closed","port":3000,"protocol":"tcp","address":"::1","holders":[],"exposure":"loopback","__proto__":{"polluted":true}}`),
        { ...good, at: T0 + 2, address: '0.0.0.0', exposure: 'loopback', extra: 'ignored' },
      ],
    };
    const { log, loaded } = ActivityLog.fromJSON(stored, {}, T0 + 1000);
    assert.deepEqual(
      log.events().map((e) => `${e.kind} ${e.address} ${e.exposure}`),
      ['opened 127.0.0.1 loopback', 'closed ::1 loopback', 'opened 0.0.0.0 all'],
    );
    assert.equal(loaded.dropped, stored.events.length - 3);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok(!('extra' in log.events()[2]));
    for (const value of [undefined, null, 42, 'log', [], { events: 'x' }, { version: 2, events: [good] }, { version: 1 }]) {
      const r = ActivityLog.fromJSON(value, {}, T0);
      assert.equal(r.log.size, 0);
    }
    assert.match(loadStoredActivity({ version: 2, events: [good] }, T0, 10, ACTIVITY_MAX_AGE_MS).problem ?? '', /unknown version \(2\)/);
    assert.equal(loadStoredActivity(undefined, T0, 10, ACTIVITY_MAX_AGE_MS).problem, undefined);
  });

  it('keeps the newest entries within the caps and does not scan a giant array', () => {
    const events = Array.from({ length: 50_000 }, (_, i) => event(T0 + i, 'opened', (i % 60000) + 1));
    const started = performance.now();
    const { log, loaded } = ActivityLog.fromJSON({ version: 1, events }, { maxEvents: 2000 }, T0 + 50_000);
    assert.ok(performance.now() - started < 2000);
    assert.equal(log.size, 2000);
    assert.equal(log.events()[1999].at, T0 + 49_999);
    assert.equal(loaded.dropped, 48_000);
  });
});

describe('activity: unusual activity', () => {
  it('points out a port newly reachable from the network and a well-known port', () => {
    const exposed = event(T0, 'opened', 5173, { address: '0.0.0.0', exposure: 'all' });
    const wellKnown = event(T0 + 1, 'opened', 80, { holders: [{ pid: 1, name: 'caddy' }] });
    assert.deepEqual(unusualKinds(exposed), ['network-exposed']);
    assert.deepEqual(unusualKinds(wellKnown), ['well-known-port']);
    assert.deepEqual(unusualKinds({ ...wellKnown, kind: 'closed' }), []);
    assert.deepEqual(unusualKinds(event(T0, 'opened')), []);
    const found = findUnusualActivity([exposed, wellKnown]);
    assert.deepEqual(
      found.map((f) => [f.kind, f.port, f.message]),
      [
        ['well-known-port', 80, 'caddy (pid 1) started listening on well-known port 80/tcp (below 1024, where system services live).'],
        ['network-exposed', 5173, 'Port 5173/tcp became reachable from the network (on all interfaces), opened by node (pid 4242).'],
      ],
    );
  });

  it('finds a flapping port, counting a dual-stack restart once, and not a slow one', () => {
    const restarts: ActivityEvent[] = [];
    for (let i = 0; i < 3; i++) {
      const at = T0 + i * 2 * MIN;
      restarts.push(event(at, 'opened'), event(at, 'opened', 3000, { address: '::1' }), event(at + MIN, 'closed'), event(at + MIN, 'closed', 3000, { address: '::1' }));
    }
    const flapping = findUnusualActivity(restarts).filter((f) => f.kind === 'flapping');
    assert.equal(flapping.length, 1);
    assert.equal(flapping[0].count, 6);
    assert.match(flapping[0].message, /^Port 3000\/tcp opened and closed 6 times within 10 minutes/);
    const slow = restarts.map((e) => ({ ...e, at: T0 + (e.at - T0) * 10 }));
    assert.deepEqual(findUnusualActivity(slow).filter((f) => f.kind === 'flapping'), []);
    assert.equal(findUnusualActivity(restarts, { flapCount: 7 }).length, 0);
  });
});

(process.platform === 'linux' ? describe : describe.skip)('activity: real consecutive snapshots from the Linux scanner', function () {
  this.timeout(20_000);

  it('records a real listener opening and closing, with its pid and name', async () => {
    const scanner = new LinuxScanner();
    const log = new ActivityLog();
    let previous = scanner.scan({ connections: false });
    const listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
    const port = listener.ports[0];
    try {
      const during = scanner.scan({ connections: false });
      log.record(previous, during);
      previous = during;
    } finally {
      await listener.close();
    }
    log.record(previous, scanner.scan({ connections: false }));
    // Only our address: another process on this machine may use the same port number on ::1.
    const mine = log.forPort(port, 'tcp').filter((e) => e.address === '127.0.0.1');
    assert.deepEqual(mine.map((e) => [e.kind, e.address, e.holders.map((h) => h.pid)]), [
      ['opened', '127.0.0.1', [listener.pid]],
      ['closed', '127.0.0.1', [listener.pid]],
    ]);
    assert.equal(mine[0].holders[0].name, 'node');
    const last = log.lastHolder(port, 'tcp');
    assert.ok(last?.text.startsWith(`port ${port} was held by node (pid ${listener.pid}) until `));
    assert.match(describeEvent(mine[1]), new RegExp(`closed TCP 127\\.0\\.0\\.1:${port} by node \\(pid ${listener.pid}\\)$`));
  });
});
