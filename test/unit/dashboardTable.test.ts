// The dashboard table's pure logic (the same module the webview runs): filter text, quick filters,
// sorting by every column, grouping by process, and the new/closing row life cycle. Ends with the
// 5,000-row figures (printed, not asserted: timing depends on the machine).
import * as assert from 'node:assert/strict';
import type { TableEntry } from '../../src/shared/dashboardTable';
import {
  CLOSING_ROW_MS,
  NEW_ROW_MS,
  RowStore,
  buildTableView,
  durationText,
  filterEntries,
  groupTableView,
  parseTableFilter,
  rowIdleMs,
  rowUptimeMs,
  sortEntries,
  tableEntry,
} from '../../src/shared/dashboardTable';
import type { ColumnId, DashboardRow, DashboardUiState } from '../../src/shared/protocol';
import { COLUMN_IDS, defaultUiState } from '../../src/shared/protocol';
import { formatDuration } from '../../src/core/format';

function row(fields: Partial<DashboardRow> & Pick<DashboardRow, 'port'>): DashboardRow {
  const protocol = fields.protocol ?? 'tcp';
  const address = fields.address ?? '127.0.0.1';
  const pids = fields.pids ?? [1000 + fields.port];
  return {
    key: `${protocol}|${address}|${fields.port}|${pids.join(',')}`,
    protocol,
    family: address.includes(':') ? 6 : 4,
    address,
    exposure: 'loopback',
    exposureLabel: 'Loopback only (this machine)',
    range: fields.port <= 1023 ? 'well-known' : fields.port <= 49151 ? 'registered' : 'dynamic',
    service: '',
    serviceDetail: '',
    ownerVisible: pids.length > 0,
    process: pids.length > 0 ? 'node' : '',
    user: 'dev',
    mine: true,
    terminal: '',
    project: '',
    inWorkspace: false,
    forgotten: false,
    command: pids.length > 0 ? 'node server.js' : '',
    web: false,
    ...fields,
    pids,
  };
}

const ROWS: DashboardRow[] = [
  row({ port: 3000, process: 'node', command: 'node vite.js --port 3000', service: 'Vite', terminal: 'dev', pids: [4242], project: 'shop', inWorkspace: true }),
  row({ port: 5432, address: '0.0.0.0', exposure: 'all', process: 'postgres', command: '/usr/lib/postgresql/bin/postgres -D /var/lib', user: 'postgres', mine: false, pids: [812], risk: { level: 'medium', reason: 'PostgreSQL listens on all network interfaces' } }),
  row({ port: 53, protocol: 'udp', address: '127.0.0.53', process: 'systemd-resolve', command: '/lib/systemd/systemd-resolved', user: 'systemd-resolve', mine: false, pids: [600], service: 'DNS' }),
  row({ port: 22, address: '::', exposure: 'all', pids: [], user: '0', mine: false }),
  row({ port: 9229, address: '10.0.0.2', exposure: 'interface', process: 'node', command: 'node --inspect=10.0.0.2 app.js', pids: [4242], risk: { level: 'high', reason: 'Node inspector without a password' } }),
  row({ port: 60001, protocol: 'udp', address: '10.0.0.10', exposure: 'interface', process: 'Code Helper', command: 'code --type=utility', pids: [7000] }),
];

const entries = (rows = ROWS): TableEntry[] => rows.map((r) => tableEntry(r));
const ports = (list: readonly TableEntry[]): number[] => list.map((e) => e.row.port);
const ui = (patch: Partial<DashboardUiState> = {}): DashboardUiState => ({ ...defaultUiState(), ...patch });
const quick = (patch: Partial<DashboardUiState['quick']>): DashboardUiState => ui({ quick: { ...defaultUiState().quick, ...patch } });

describe('dashboard table: filter text', () => {
  it('parses digits, ranges, words, and rejects backwards or impossible ranges', () => {
    assert.deepEqual(parseTableFilter(''), { kind: 'none' });
    assert.deepEqual(parseTableFilter('  '), { kind: 'none' });
    assert.deepEqual(parseTableFilter(':3000'), { kind: 'number', value: 3000, text: '3000' });
    assert.deepEqual(parseTableFilter('3000-3010'), { kind: 'range', low: 3000, high: 3010 });
    assert.deepEqual(parseTableFilter('3000 – 3010'), { kind: 'range', low: 3000, high: 3010 });
    assert.deepEqual(parseTableFilter('Node  Vite'), { kind: 'text', terms: ['node', 'vite'] });
    assert.equal(parseTableFilter('3010-3000').kind, 'invalid');
    assert.equal(parseTableFilter('1-70000').kind, 'invalid');
  });

  it('matches a number as port or pid, or digits inside a name or command line', () => {
    assert.deepEqual(ports(filterEntries(entries(), ui({ filter: '3000' }))), [3000]);
    assert.deepEqual(ports(filterEntries(entries(), ui({ filter: '4242' }))), [3000, 9229], 'both sockets of pid 4242');
    assert.deepEqual(ports(filterEntries(entries(), ui({ filter: '10' }))), [9229], 'digits in --inspect=10.0.0.2');
  });

  it('matches a range of ports, and nothing for an invalid filter', () => {
    assert.deepEqual(ports(filterEntries(entries(), ui({ filter: '1-1023' }))), [53, 22]);
    assert.deepEqual(filterEntries(entries(), ui({ filter: '9-1' })), []);
    assert.match(buildTableView(entries(), ui({ filter: '9-1' })).filterError ?? '', /backwards/);
  });

  it('matches every word, case-insensitively, anywhere in the row', () => {
    assert.deepEqual(ports(filterEntries(entries(), ui({ filter: 'NODE inspect' }))), [9229]);
    assert.deepEqual(ports(filterEntries(entries(), ui({ filter: '/udp' }))), [53, 60001]);
    assert.deepEqual(ports(filterEntries(entries(), ui({ filter: 'postgres /var/lib' }))), [5432]);
    assert.deepEqual(ports(filterEntries(entries(), ui({ filter: 'dev vite' }))), [3000], 'terminal and service');
    assert.deepEqual(ports(filterEntries(entries(), ui({ filter: 'password' }))), [], 'the risk reason is not searched');
  });

  it('applies the quick filters together with the text', () => {
    assert.deepEqual(ports(filterEntries(entries(), quick({ protocol: 'udp' }))), [53, 60001]);
    assert.deepEqual(ports(filterEntries(entries(), quick({ range: 'well-known' }))), [53, 22]);
    assert.deepEqual(ports(filterEntries(entries(), quick({ exposure: 'all' }))), [5432, 22]);
    assert.deepEqual(ports(filterEntries(entries(), quick({ exposure: 'interface', protocol: 'tcp' }))), [9229]);
    assert.deepEqual(ports(filterEntries(entries(), quick({ mineOnly: true }))), [3000, 9229, 60001]);
    assert.deepEqual(ports(filterEntries(entries(), { ...quick({ mineOnly: true }), filter: 'code' })), [60001]);
    assert.deepEqual(ports(filterEntries(entries(), quick({ workspaceOnly: true }))), [3000], "this workspace's projects only");
  });
});

describe('dashboard table: sorting', () => {
  const sorted = (column: ColumnId, direction: 'asc' | 'desc' = 'asc'): number[] => ports(sortEntries(entries(), { column, direction }));

  it('sorts by port both ways', () => {
    assert.deepEqual(sorted('port'), [22, 53, 3000, 5432, 9229, 60001]);
    assert.deepEqual(sorted('port', 'desc'), [60001, 9229, 5432, 3000, 53, 22]);
  });

  it('sorts addresses numerically within a family, IPv4 first', () => {
    assert.deepEqual(sorted('address'), [5432, 9229, 60001, 3000, 53, 22]);
  });

  it('sorts text columns naturally and keeps blank cells last in both directions', () => {
    assert.deepEqual(sorted('process'), [60001, 3000, 9229, 5432, 53, 22]);
    assert.deepEqual(sorted('process', 'desc'), [53, 5432, 3000, 9229, 60001, 22]);
    assert.deepEqual(sorted('pid').at(-1), 22);
    assert.deepEqual(sorted('pid', 'desc').at(-1), 22);
    assert.deepEqual(sorted('service').slice(0, 2), [53, 3000]);
  });

  it('sorts exposure from local to everywhere, risky ones after the rest of their kind', () => {
    assert.deepEqual(sorted('exposure'), [53, 3000, 60001, 9229, 22, 5432]);
  });

  it('sorts by every column without losing or duplicating a row, ties broken by port', () => {
    for (const column of COLUMN_IDS) {
      for (const direction of ['asc', 'desc'] as const) {
        const list = sorted(column, direction);
        assert.deepEqual([...list].sort((a, b) => a - b), [22, 53, 3000, 5432, 9229, 60001], `${column} ${direction}`);
      }
    }
    assert.deepEqual(sorted('user'), [22, 3000, 9229, 60001, 5432, 53], 'uid text "0" before names');
  });
});

describe('dashboard table: containers, uptime, idleness, forgotten servers', () => {
  const NOW = 1_750_000_000_000;
  const H = 3600_000;
  // 5432: a compose service's container (its forwarder owns the socket); 3000: a forgotten vite idle for
  // 2 h; 8080: connected now; 9000: watched, no connection seen (unknown); 53: UDP, nothing tracked.
  const rows = [
    row({ port: 5432, process: 'docker-proxy', pids: [900], container: 'db (compose shop) · postgres:16', containerDetail: 'shop-db-1 (docker 3f2a9c1b7e4d) · compose service "db" of project "shop" · postgres:16', startedAt: NOW - 1 * H, connections: 0 }),
    row({ port: 3000, process: 'vite (node)', pids: [4242], startedAt: NOW - 10 * H, connections: 0, lastConnectionAt: NOW - 2 * H, watchedSince: NOW - 9 * H, forgotten: true }),
    row({ port: 8080, process: 'uvicorn (python)', pids: [4300], startedAt: NOW - 20 * H, connections: 2, watchedSince: NOW - 9 * H }),
    row({ port: 9000, process: 'php', pids: [4400], startedAt: NOW - 3 * H, connections: 0, watchedSince: NOW - 600_000 }),
    row({ port: 53, protocol: 'udp', process: 'dnsmasq', pids: [500] }),
  ];
  const sortedBy = (column: ColumnId, direction: 'asc' | 'desc' = 'asc'): number[] => ports(sortEntries(entries(rows), { column, direction }));

  it('filters to containers only and to forgotten servers only, alone or with the rest', () => {
    assert.deepEqual(ports(filterEntries(entries(rows), quick({ containersOnly: true }))), [5432]);
    assert.deepEqual(ports(filterEntries(entries(rows), quick({ forgottenOnly: true }))), [3000]);
    assert.deepEqual(ports(filterEntries(entries(rows), quick({ forgottenOnly: true, containersOnly: true }))), []);
    assert.deepEqual(ports(filterEntries(entries(rows), { ...quick({ forgottenOnly: true }), filter: 'vite' })), [3000]);
    assert.deepEqual(ports(filterEntries(entries(rows), { ...quick({ forgottenOnly: true }), filter: 'uvicorn' })), []);
  });

  it('finds a container by name, engine, compose service or project, and image', () => {
    for (const text of ['shop-db-1', 'docker', 'compose shop', 'postgres:16', '3f2a9c1b']) {
      assert.deepEqual(ports(filterEntries(entries(rows), ui({ filter: text }))), [5432], text);
    }
  });

  it('sorts by container, uptime and idle time, blank cells last both ways', () => {
    assert.deepEqual(sortedBy('container')[0], 5432);
    assert.deepEqual(sortedBy('container', 'desc')[0], 5432);
    assert.deepEqual(sortedBy('uptime'), [5432, 9000, 3000, 8080, 53]);
    assert.deepEqual(sortedBy('uptime', 'desc'), [8080, 3000, 9000, 5432, 53]);
    // Idle: connected now first, then the most recent connection; never seen (unknown) last.
    assert.deepEqual(sortedBy('idle'), [8080, 3000, 53, 5432, 9000]);
    assert.deepEqual(sortedBy('idle', 'desc'), [3000, 8080, 53, 5432, 9000]);
  });

  it('reads uptime and idleness at the given time; unknown stays unknown', () => {
    const [db, vite, api, php, dns] = rows;
    assert.equal(rowUptimeMs(vite, NOW), 10 * H);
    assert.equal(rowUptimeMs(dns, NOW), undefined);
    assert.equal(rowIdleMs(vite, NOW), 2 * H);
    assert.equal(rowIdleMs(vite, NOW + 60_000), 2 * H + 60_000, 'the same row reads older later: rows carry times');
    assert.equal(rowIdleMs(api, NOW), 0, 'connected now');
    assert.equal(rowIdleMs(php, NOW), undefined, 'watched 10 min without a connection: not "idle 10 min"');
    assert.equal(rowIdleMs(db, NOW), undefined);
    assert.equal(rowIdleMs(dns, NOW), undefined);
  });

  it('words durations as Show Forgotten Servers and the CLI do (one function, core/format.ts)', () => {
    const cases: Array<[number | undefined, string]> = [
      [undefined, 'unknown'],
      [0, '0 s'],
      [59_999, '59 s'],
      [60_000, '1 min'],
      [3_599_999, '59 min'],
      [3_600_000, '1 h'],
      [5_400_000, '1 h 30 min'],
      [47 * H + 59 * 60_000, '47 h 59 min'],
      [48 * H, '2 d'],
      [30 * 24 * H + 5 * H, '30 d 5 h'],
    ];
    for (const [ms, words] of cases) {
      assert.equal(durationText(ms), words, String(ms));
    }
    assert.equal(durationText, formatDuration);
  });
});

describe('dashboard table: grouping by process', () => {
  it('groups under the first owner pid, groups in the order of their first row, hidden owners together', () => {
    const view = buildTableView(entries(), ui({ groupByProcess: true }));
    const shape = view.items.map((i) => (i.kind === 'group' ? `[${i.name || 'hidden'} ${i.pid ?? ''} ${i.count}]` : String(i.entry.row.port)));
    assert.deepEqual(shape, ['[hidden  1]', '22', '[systemd-resolve 600 1]', '53', '[node 4242 2]', '3000', '9229', '[postgres 812 1]', '5432', '[Code Helper 7000 1]', '60001']);
    assert.equal(view.shown, 6);
    assert.equal(view.total, 6);
  });

  it('shows only the header of a collapsed group, and keeps the sort within groups', () => {
    const view = buildTableView(entries(), ui({ groupByProcess: true, sort: { column: 'port', direction: 'desc' } }), new Set(['pid:812']));
    const shape = view.items.map((i) => (i.kind === 'group' ? `[${i.id}${i.collapsed ? ' collapsed' : ''}]` : String(i.entry.row.port)));
    assert.deepEqual(shape, ['[pid:7000]', '60001', '[pid:4242]', '9229', '3000', '[pid:812 collapsed]', '[pid:600]', '53', '[hidden]', '22']);
  });

  it('gives the same view whether the steps run at once or with a cached sort', () => {
    const state = ui({ groupByProcess: true, filter: 'node', sort: { column: 'process', direction: 'asc' } });
    const all = entries();
    const stepwise = groupTableView(filterEntries(sortEntries(all, state.sort), state), state, new Set(), all.length);
    assert.deepEqual(stepwise, buildTableView(all, state));
  });
});

describe('dashboard table: rows that appear and close', () => {
  it('marks rows added after the first snapshot as new, then un-marks them', () => {
    const store = new RowStore();
    store.reset(ROWS.slice(0, 2));
    assert.ok(store.all().every((e) => e.addedAt === undefined), 'the first snapshot is not "new"');
    const t = 1_000_000;
    store.apply({ added: [ROWS[2]], changed: [], removed: [] }, t);
    assert.equal(store.get(ROWS[2].key)?.addedAt, t);
    assert.equal(store.nextExpiryIn(t + 100), NEW_ROW_MS - 100);
    assert.equal(store.expire(t + NEW_ROW_MS - 1), false);
    assert.equal(store.expire(t + NEW_ROW_MS), true);
    assert.equal(store.get(ROWS[2].key)?.addedAt, undefined);
    assert.equal(store.nextExpiryIn(t + NEW_ROW_MS), undefined);
  });

  it('keeps a closed row for its fade, then drops it; a changed row keeps its place and "new" mark', () => {
    const store = new RowStore();
    store.reset(ROWS);
    const t = 5_000_000;
    const revision = store.revision;
    store.apply({ added: [], changed: [{ ...ROWS[0], terminal: 'server' }], removed: [ROWS[1].key] }, t);
    assert.ok(store.revision > revision);
    assert.equal(store.size, ROWS.length, 'the closed row is still there, fading');
    assert.equal(store.get(ROWS[1].key)?.removedAt, t);
    assert.equal(store.get(ROWS[0].key)?.row.terminal, 'server');
    assert.equal(tableEntry(store.get(ROWS[0].key)!.row).search.includes('server'), true);
    // A second "removed" for the same key does not restart the fade.
    store.apply({ added: [], changed: [], removed: [ROWS[1].key] }, t + 500);
    assert.equal(store.get(ROWS[1].key)?.removedAt, t);
    assert.equal(store.nextExpiryIn(t + 500), CLOSING_ROW_MS - 500);
    assert.equal(store.expire(t + CLOSING_ROW_MS), true);
    assert.equal(store.get(ROWS[1].key), undefined);
    assert.equal(store.size, ROWS.length - 1);
  });

  it('counts closing rows as shown until they go (they fade in place)', () => {
    const store = new RowStore();
    store.reset(ROWS);
    store.apply({ added: [], changed: [], removed: [ROWS[0].key] }, 1);
    const view = buildTableView(store.all(), ui({ filter: '3000' }));
    assert.equal(view.shown, 1);
    assert.ok(view.items[0].kind === 'row' && view.items[0].entry.removedAt === 1);
  });
});

describe('dashboard table: 5,000 rows (figures, not assertions on time)', () => {
  it('builds, sorts, filters and groups 5,000 rows', () => {
    const names = ['node', 'python3', 'postgres', 'redis-server', 'java', 'nginx', 'Code Helper', 'dotnet'];
    const rows: DashboardRow[] = Array.from({ length: 5000 }, (_, i) =>
      row({
        port: 1024 + ((i * 7919) % 60000),
        protocol: i % 10 === 9 ? 'udp' : 'tcp',
        address: i % 2 ? '::1' : '127.0.0.1',
        pids: [2000 + (i % 300)],
        process: names[i % names.length],
        command: `${names[i % names.length]} --worker ${i} --config /srv/app-${i % 50}/config.yaml`,
      }),
    );
    const t0 = performance.now();
    const store = new RowStore();
    store.reset(rows);
    const t1 = performance.now();
    const sorted = sortEntries(store.all(), { column: 'process', direction: 'asc' });
    const t2 = performance.now();
    const typed = ['r', 're', 'red', 'redi', 'redis', 'redis 12', 'redis 123'];
    const filterTimes = typed.map((text) => {
      const s = performance.now();
      groupTableView(filterEntries(sorted, ui({ filter: text })), ui({ filter: text }), new Set(), store.size);
      return performance.now() - s;
    });
    const t3 = performance.now();
    const grouped = buildTableView(store.all(), ui({ groupByProcess: true }));
    const t4 = performance.now();
    assert.equal(store.size, 5000);
    assert.equal(grouped.items.filter((i) => i.kind === 'group').length, 300);
    assert.equal(filterEntries(sorted, ui({ filter: 'redis' })).length, 625);
    console.log(
      `      5,000 rows: entries ${(t1 - t0).toFixed(1)} ms, sort by process ${(t2 - t1).toFixed(1)} ms, ` +
        `filter per keystroke max ${Math.max(...filterTimes).toFixed(2)} ms (${typed.length} keystrokes in ${(t3 - t2).toFixed(1)} ms), ` +
        `sort+filter+group ${(t4 - t3).toFixed(1)} ms`,
    );
  });
});
