// The dashboard's Activity section as data: entries built on the host from the activity log (unusual
// reasons, flapping, hostile names), and in the webview which of them show, in which order, how their
// times and holders read, and which table row an entry points at.
import * as assert from 'node:assert/strict';
import type { ActivityEvent } from '../../src/model/activity/index';
import { ActivityLog, flappingEvents, unusualReasons } from '../../src/model/activity/index';
import {
  UNUSUAL_LABELS,
  absoluteTime,
  activityFilter,
  activityLabel,
  clockText,
  endpointText,
  filterActivity,
  holdersText,
  mergeActivity,
  relativeTime,
  rowForActivity,
} from '../../src/shared/dashboardActivity';
import { tableEntry } from '../../src/shared/dashboardTable';
import type { DashboardActivityEntry, DashboardRow } from '../../src/shared/protocol';
import { ACTIVITY_SHOWN_MAX } from '../../src/shared/protocol';
import { activityEntries, heldActivity } from '../../src/webview/activityEntries';
import { event, snap, sock } from '../support/socketFixtures';

// A local time (the formatting is local time), so the expectations hold in any time zone.
const T0 = new Date(2025, 0, 15, 12, 0, 0).getTime();
const MIN = 60_000;


function entry(id: number, fields: Partial<DashboardActivityEntry> = {}): DashboardActivityEntry {
  return { id, at: T0 + id * 1000, kind: 'opened', port: 3000, protocol: 'tcp', address: '127.0.0.1', holders: [{ pid: 4242, name: 'node' }], unusual: [], ...fields };
}

function row(fields: Partial<DashboardRow>): DashboardRow {
  return {
    key: `tcp|127.0.0.1|${fields.port ?? 3000}|i1`,
    port: 3000,
    protocol: 'tcp',
    family: 4,
    address: '127.0.0.1',
    exposure: 'loopback',
    exposureLabel: 'Loopback only',
    range: 'registered',
    service: '',
    serviceDetail: '',
    ownerVisible: true,
    process: 'node',
    pids: [4242],
    user: 'me',
    mine: true,
    terminal: '',
    project: '',
    inWorkspace: false,
    forgotten: false,
    command: 'node server.js',
    web: true,
    ...fields,
  };
}

describe('dashboard activity: entries from the log (host)', () => {
  it('turns recorded events into numbered entries, oldest first, with unusual reasons', () => {
    const log = new ActivityLog();
    log.record(snap(T0, [sock(3000)]), snap(T0 + 2000, [sock(80, { address: '0.0.0.0', owners: [{ pid: 7, name: 'nginx', command: 'nginx' }] })]));
    const entries = activityEntries(log.events(), log.events(), 5);
    assert.deepEqual(
      entries.map((e) => [e.id, e.kind, e.port, e.address, e.holders]),
      [
        [5, 'closed', 3000, '127.0.0.1', [{ pid: 4242, name: 'node' }]],
        [6, 'opened', 80, '0.0.0.0', [{ pid: 7, name: 'nginx' }]],
      ],
    );
    assert.deepEqual(entries[0].unusual, [], 'a closing loopback port is ordinary');
    assert.deepEqual(
      entries[1].unusual.map((u) => u.kind),
      ['network-exposed', 'well-known-port'],
    );
    assert.match(entries[1].unusual[0].reason, /^Port 80\/tcp became reachable from the network \(on all interfaces\), opened by nginx \(pid 7\)/);
    assert.match(entries[1].unusual[1].reason, /well-known port 80\/tcp/);
    assert.deepEqual(unusualReasons(log.events()[1]).map((r) => r.kind), ['network-exposed', 'well-known-port']);
  });

  it('keeps the holder count, socket count and a hidden owner', () => {
    const e = event(T0, 'opened', 8080, { holders: [{ pid: 1, name: 'a' }], moreHolders: 3, sockets: 4 });
    const [one] = activityEntries([e], [e], 1);
    assert.equal(one.moreHolders, 3);
    assert.equal(one.sockets, 4);
    const hidden = event(T0, 'opened', 5432, { holders: [], ownerHidden: true, uid: 0 });
    assert.deepEqual(activityEntries([hidden], [hidden], 1)[0].holders, []);
  });

  it('makes names from storage inert again: control and bidi characters, over-long text', () => {
    const hostile = event(T0, 'opened', 3000, { holders: [{ pid: 9, name: 'evil\u202e\u0007<b>x</b>\n' }] });
    const [e] = activityEntries([hostile], [hostile], 1);
    assert.equal(e.holders[0].name, 'evil??<b>x</b>', 'plain text: markup stays literal (the webview sets it as text)');
    const long = event(T0, 'opened', 3000, { holders: [{ pid: 9, name: 'n'.repeat(500) }] });
    assert.ok(activityEntries([long], [long], 1)[0].holders[0].name.length <= 64);
  });

  it('marks the events of a flapping port, counting from the events before them', () => {
    const log: ActivityEvent[] = [];
    for (let i = 0; i < 4; i++) {
      log.push(event(T0 + i * 2 * MIN, 'opened'), event(T0 + i * 2 * MIN, 'opened', 3000, { address: '::1' }), event(T0 + (i * 2 + 1) * MIN, 'closed'));
    }
    const flaps = flappingEvents(log);
    // The 6th distinct change (the third close, at 5 min) is the first to reach the count.
    const first = log.find((e) => flaps.has(e));
    assert.equal(first?.at, T0 + 5 * MIN);
    assert.match(flaps.get(first!)!.message, /^Port 3000\/tcp opened and closed 6 times within 10 minutes/);
    // Only the last event is sent (an `append`): its reason still counts the earlier ones.
    const last = log[log.length - 1];
    const [sent] = activityEntries([last], log, 40);
    assert.deepEqual(sent.unusual.map((u) => u.kind), ['flapping']);
    assert.match(sent.unusual[0].reason, /opened and closed 8 times/);
    // Slow restarts (every 20 minutes) are not flapping.
    const slow = log.map((e) => ({ ...e, at: T0 + (e.at - T0) * 10 }));
    assert.equal(flappingEvents(slow).size, 0);
    assert.equal(flappingEvents(log, { flapCount: 9 }).size, 0);
  });

  it('holds only the newest events of a long log', () => {
    const log = Array.from({ length: 10 }, (_, i) => event(T0 + i, 'opened', 1000 + i));
    assert.deepEqual(heldActivity(log, 3).map((e) => e.port), [1007, 1008, 1009]);
    assert.equal(heldActivity(log, 20), log);
  });
});

describe('dashboard activity: what the section shows (webview)', () => {
  const entries = [
    entry(1, { port: 3000 }),
    entry(2, { port: 5432, kind: 'closed', holders: [{ pid: 77, name: 'postgres' }] }),
    entry(3, { port: 80, address: '0.0.0.0', unusual: [{ kind: 'network-exposed', reason: 'reachable' }] }),
    entry(4, { port: 3000, protocol: 'udp' }),
    entry(5, { port: 3000, kind: 'closed' }),
  ];

  it('lists every event newest first, with counts', () => {
    const view = filterActivity(entries, { scope: 'all', unusualOnly: false }, { filter: 'ignored' });
    assert.deepEqual(view.shown.map((e) => e.id), [5, 4, 3, 2, 1]);
    assert.equal(view.matching, 5);
    assert.equal(view.unusual, 1);
    assert.equal(view.needsSelection, false);
  });

  it('narrows to the selected port (protocol included), and asks for a selection when there is none', () => {
    const view = filterActivity(entries, { scope: 'selected', unusualOnly: false }, { filter: '', selected: { port: 3000, protocol: 'tcp' } });
    assert.deepEqual(view.shown.map((e) => e.id), [5, 1]);
    const none = filterActivity(entries, { scope: 'selected', unusualOnly: false }, { filter: '' });
    assert.equal(none.needsSelection, true);
    assert.deepEqual(none.shown, []);
  });

  it('applies the table filter text with the table rules', () => {
    const ids = (filter: string): number[] => filterActivity(entries, { scope: 'filter', unusualOnly: false }, { filter }).shown.map((e) => e.id);
    assert.deepEqual(ids(''), [5, 4, 3, 2, 1]);
    assert.deepEqual(ids('5432'), [2]);
    assert.deepEqual(ids('77'), [2], 'a pid');
    assert.deepEqual(ids('4242'), [5, 4, 3, 1]);
    assert.deepEqual(ids('70-3000'), [5, 4, 3, 1]);
    assert.deepEqual(ids('3000/udp'), [4]);
    assert.deepEqual(ids('postgres closed'), [2]);
    assert.deepEqual(ids('network'), [3], 'unusual kinds are searchable');
    assert.deepEqual(ids('0.0.0.0'), [3]);
    const bad = filterActivity(entries, { scope: 'filter', unusualOnly: false }, { filter: '9-1' });
    assert.match(bad.filterError ?? '', /backwards/);
    assert.deepEqual(bad.shown, []);
    assert.equal(activityFilter('postgres').matches(entries[1]), true);
  });

  it('shows unusual events only, combined with the scope', () => {
    const view = filterActivity(entries, { scope: 'all', unusualOnly: true }, { filter: '' });
    assert.deepEqual(view.shown.map((e) => e.id), [3]);
    const port = filterActivity(entries, { scope: 'selected', unusualOnly: true }, { filter: '', selected: { port: 3000, protocol: 'tcp' } });
    assert.deepEqual(port.shown, []);
    assert.equal(port.matching, 0);
  });

  it('draws at most the limit, newest first, and counts the rest', () => {
    const many = Array.from({ length: 1000 }, (_, i) => entry(i + 1, { port: 1000 + (i % 7) }));
    const view = filterActivity(many, { scope: 'all', unusualOnly: false }, { filter: '' });
    assert.equal(view.shown.length, ACTIVITY_SHOWN_MAX);
    assert.equal(view.matching, 1000);
    assert.equal(view.shown[0].id, 1000);
    assert.equal(view.shown.at(-1)!.id, 1000 - ACTIVITY_SHOWN_MAX + 1);
    assert.equal(filterActivity(many, { scope: 'all', unusualOnly: false }, { filter: '' }, 3).shown.length, 3);
  });

  it('merges host messages: append at the end, replace starts over, the oldest go beyond the cap', () => {
    const held = [entry(1), entry(2)];
    assert.deepEqual(mergeActivity(held, { mode: 'append', entries: [entry(3)] }).map((e) => e.id), [1, 2, 3]);
    assert.deepEqual(mergeActivity(held, { mode: 'replace', entries: [] }), []);
    assert.deepEqual(mergeActivity(held, { mode: 'append', entries: [entry(3), entry(4)] }, 3).map((e) => e.id), [2, 3, 4]);
    assert.deepEqual(held.map((e) => e.id), [1, 2], 'the held list is not changed in place');
  });
});

describe('dashboard activity: words', () => {
  it('reads times as local clock time, relative time and an absolute tooltip', () => {
    assert.equal(absoluteTime(T0 + 4 * MIN + 31_000), '2025-01-15 12:04:31');
    assert.equal(clockText(T0 + 4 * MIN + 31_000, T0 + 60 * MIN), '12:04:31');
    assert.equal(clockText(T0, T0 + 2 * 24 * 60 * MIN), '2025-01-15 12:00');
    assert.equal(relativeTime(T0, T0 + 3000), 'just now');
    assert.equal(relativeTime(T0, T0 - 60_000), 'just now', 'a time in the future (clock skew)');
    assert.equal(relativeTime(T0, T0 + 42_000), '42 s ago');
    assert.equal(relativeTime(T0, T0 + 5 * MIN + 59_000), '5 min ago');
    assert.equal(relativeTime(T0, T0 + 3 * 60 * MIN), '3 h ago');
    assert.equal(relativeTime(T0, T0 + 25 * 60 * MIN), '1 day ago');
    assert.equal(relativeTime(T0, T0 + 72 * 60 * MIN), '3 days ago');
  });

  it('names endpoints, holders and the whole event', () => {
    assert.equal(endpointText('127.0.0.1', 3000), '127.0.0.1:3000');
    assert.equal(endpointText('::1', 3000), '[::1]:3000');
    assert.equal(holdersText({ holders: [{ pid: 1, name: 'a' }] }), 'a (pid 1)');
    assert.equal(holdersText({ holders: [{ pid: 1, name: 'a' }, { pid: 2, name: 'b' }], moreHolders: 3 }), 'a (pid 1) and 4 more');
    assert.equal(holdersText({ holders: [] }), 'owner not visible');
    const label = activityLabel(entry(0, { at: T0, address: '::', sockets: 2, unusual: [{ kind: 'network-exposed', reason: 'Port 3000/tcp became reachable.' }] }));
    assert.equal(label, 'Opened TCP [::]:3000 (2 sockets) by node (pid 4242) at 2025-01-15 12:00:00. Unusual: Port 3000/tcp became reachable.');
    assert.deepEqual(Object.keys(UNUSUAL_LABELS).sort(), ['flapping', 'network-exposed', 'well-known-port']);
  });
});

describe('dashboard activity: the row an event points at', () => {
  it('prefers the same address and a holder pid, and skips closing rows and other ports', () => {
    const v4 = tableEntry(row({ key: 'a', address: '127.0.0.1', pids: [1] }));
    const v6 = tableEntry(row({ key: 'b', address: '::1', family: 6, pids: [4242] }));
    const mine = tableEntry(row({ key: 'c', address: '127.0.0.1', pids: [4242] }));
    const udp = tableEntry(row({ key: 'd', protocol: 'udp', pids: [4242] }));
    const e = { port: 3000, protocol: 'tcp' as const, address: '127.0.0.1', holders: [{ pid: 4242, name: 'node' }] };
    assert.equal(rowForActivity([v6, v4, mine, udp], e)?.row.key, 'c');
    assert.equal(rowForActivity([v6, v4, udp], e)?.row.key, 'a', 'same address before same pid');
    assert.equal(rowForActivity([v6, udp], e)?.row.key, 'b', 'another address of the port');
    const closing = tableEntry(row({ key: 'e' }));
    closing.removedAt = T0;
    assert.equal(rowForActivity([closing, udp], e), undefined);
    assert.equal(rowForActivity([v4], { ...e, port: 3001 }), undefined);
  });
});
