// The dashboard protocol's validators: every message from the webview is untrusted input. Well-formed
// messages pass exactly; anything else — wrong types, missing or extra fields, huge or negative numbers,
// unknown types, unknown sockets or pids — is rejected with a reason, never thrown, never half-accepted.
import * as assert from 'node:assert/strict';
import type { ListeningSocket } from '../../src/core/types';
import type { DashboardUiState, WebviewMessage } from '../../src/shared/protocol';
import { COLUMN_IDS, FILTER_MAX_LENGTH, KEY_MAX_LENGTH, PID_MAX, REQUEST_ID_MAX, ROW_ACTIONS, defaultUiState } from '../../src/shared/protocol';
import { checkAction, checkCommandLineRequest, checkTroubleshootPort, parsePersistedState, parseUiState, parseWebviewMessage } from '../../src/shared/validateMessage';

const goodUi: DashboardUiState = {
  sort: { column: 'process', direction: 'desc' },
  filter: 'node 3000',
  quick: { protocol: 'tcp', range: 'registered', exposure: 'all', mineOnly: true, workspaceOnly: true, containersOnly: true, forgottenOnly: true },
  groupByProcess: true,
  summaryCollapsed: false,
  activity: { collapsed: true, scope: 'selected', unusualOnly: true },
};

function rejected(raw: unknown): string {
  const r = parseWebviewMessage(raw);
  assert.equal(r.ok, false, `accepted ${JSON.stringify(raw)?.slice(0, 200)}`);
  return r.ok ? '' : r.reason;
}

function accepted(raw: unknown): WebviewMessage {
  const r = parseWebviewMessage(raw);
  assert.ok(r.ok, `rejected ${JSON.stringify(raw)}: ${r.ok ? '' : r.reason}`);
  return r.value;
}

/** A deterministic pseudo-random generator (mulberry32), so a failing fuzz case can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIRD_VALUES: unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -0,
  '',
  '1',
  'x'.repeat(100_000),
  [],
  [1],
  {},
  { type: 'ready' },
  '__proto__',
];

describe('dashboard protocol: webview → host message shapes', () => {
  it('accepts each well-formed message as it is', () => {
    assert.deepEqual(accepted({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(accepted({ type: 'refresh' }), { type: 'refresh' });
    assert.deepEqual(accepted({ type: 'uiState', state: goodUi }), { type: 'uiState', state: goodUi });
    assert.deepEqual(accepted({ type: 'action', requestId: 7, action: 'test', key: 'tcp|127.0.0.1|3000|i42' }), {
      type: 'action',
      requestId: 7,
      action: 'test',
      key: 'tcp|127.0.0.1|3000|i42',
    });
    assert.deepEqual(accepted({ type: 'commandLine', requestId: 9, key: 'k' }), { type: 'commandLine', requestId: 9, key: 'k' });
    assert.deepEqual(accepted({ type: 'troubleshootPort', port: 3000, protocol: 'udp' }), { type: 'troubleshootPort', port: 3000, protocol: 'udp' });
    assert.deepEqual(accepted({ type: 'troubleshootPort', port: 65535, protocol: 'tcp' }), { type: 'troubleshootPort', port: 65535, protocol: 'tcp' });
    assert.deepEqual(accepted({ type: 'clearActivity' }), { type: 'clearActivity' });
    for (const action of ROW_ACTIONS) {
      assert.equal((accepted({ type: 'action', requestId: 0, action, key: 'k', pid: 1 }) as { action: string }).action, action);
    }
    assert.equal((accepted({ type: 'action', requestId: REQUEST_ID_MAX, action: 'free', key: 'k'.repeat(KEY_MAX_LENGTH), pid: PID_MAX }) as { pid: number }).pid, PID_MAX);
  });

  it('rejects anything that is not a plain object', () => {
    for (const raw of [undefined, null, 0, 'ready', true, [], [{ type: 'ready' }], new Date(), new Map([['type', 'ready']]), Object.create({ type: 'ready' })]) {
      rejected(raw);
    }
  });

  it('rejects unknown and missing types', () => {
    assert.match(rejected({ type: 'kill' }), /message type must be one of/);
    assert.match(rejected({ type: 'READY' }), /message type/);
    assert.match(rejected({}), /missing "type"/);
    assert.match(rejected({ type: undefined }), /missing "type"/);
    assert.match(rejected({ type: 42 }), /message type/);
    assert.match(rejected({ type: ['ready'] }), /message type/);
    assert.match(rejected({ type: '__proto__' }), /message type/);
  });

  it('rejects extra fields, even on a message that needs none', () => {
    assert.match(rejected({ type: 'ready', pid: 1 }), /unexpected field "pid"/);
    assert.match(rejected({ type: 'refresh', command: 'rm -rf /' }), /unexpected field "command"/);
    assert.match(rejected({ type: 'commandLine', requestId: 1, key: 'k', pid: 3 }), /unexpected field "pid"/);
    assert.match(rejected({ type: 'commandLine', requestId: 1 }), /missing "key"/);
    assert.match(rejected({ type: 'action', requestId: 1, action: 'test', key: 'k', force: true }), /unexpected field "force"/);
    assert.match(rejected({ type: 'uiState', state: { ...goodUi, html: '<img>' } }), /unexpected field "html"/);
    assert.match(rejected({ type: 'uiState', state: { ...goodUi, quick: { ...goodUi.quick, all: true } } }), /unexpected field "all"/);
    assert.match(rejected({ type: 'uiState', state: { ...goodUi, activity: { ...goodUi.activity, events: [] } } }), /unexpected field "events"/);
    assert.match(rejected({ type: 'clearActivity', confirmed: true }), /unexpected field "confirmed"/);
    assert.match(rejected({ type: 'clearActivity', port: 3000 }), /unexpected field "port"/);
    assert.match(rejected({ type: 'troubleshootPort', port: 3000, protocol: 'tcp', key: 'k' }), /unexpected field "key"/);
    assert.match(rejected({ type: 'troubleshootPort', port: 3000, protocol: 'tcp', host: 'evil.example' }), /unexpected field "host"/);
  });

  it('rejects a troubleshootPort request with a missing or bad port or protocol', () => {
    assert.match(rejected({ type: 'troubleshootPort', protocol: 'tcp' }), /missing "port"/);
    assert.match(rejected({ type: 'troubleshootPort', port: 3000 }), /missing "protocol"/);
    for (const port of [0, -1, 65536, 1.5, '3000', null, Number.NaN, 1e308, [3000]]) {
      assert.match(rejected({ type: 'troubleshootPort', port, protocol: 'tcp' }), /port must be a whole number from 1 to 65535/, String(port));
    }
    for (const protocol of ['TCP', 'sctp', '', 6, null]) {
      assert.match(rejected({ type: 'troubleshootPort', port: 3000, protocol }), /protocol must be one of tcp, udp/, String(protocol));
    }
  });

  it('rejects an action with a missing, mistyped or out-of-range field', () => {
    const base = { type: 'action', requestId: 1, action: 'free', key: 'tcp|0.0.0.0|5432|i9', pid: 4242 };
    const without = (field: string): Record<string, unknown> => Object.fromEntries(Object.entries(base).filter(([k]) => k !== field));
    assert.match(rejected(without('requestId')), /missing "requestId"/);
    assert.match(rejected(without('action')), /missing "action"/);
    assert.match(rejected(without('key')), /missing "key"/);
    assert.match(rejected({ ...base, action: 'kill' }), /action must be one of/);
    assert.match(rejected({ ...base, action: 'FREE' }), /action must be one of/);
    assert.match(rejected({ ...base, key: '' }), /key must be 1–300 characters/);
    assert.match(rejected({ ...base, key: 'k'.repeat(KEY_MAX_LENGTH + 1) }), /key must be 1–300 characters/);
    assert.match(rejected({ ...base, key: 5432 }), /key must be text/);
    assert.match(rejected({ ...base, pid: -1 }), /pid must be a whole number from 1/);
    assert.match(rejected({ ...base, pid: 0 }), /pid must be a whole number from 1/);
    assert.match(rejected({ ...base, pid: 1.5 }), /pid must be a whole number/);
    assert.match(rejected({ ...base, pid: '4242' }), /pid must be a whole number/);
    assert.match(rejected({ ...base, pid: PID_MAX + 1 }), /pid must be a whole number/);
    assert.match(rejected({ ...base, pid: Number.MAX_SAFE_INTEGER }), /pid must be a whole number/);
    assert.match(rejected({ ...base, pid: 1e308 }), /pid must be a whole number/);
    assert.match(rejected({ ...base, pid: Number.NaN }), /pid must be a whole number/);
    assert.match(rejected({ ...base, pid: Number.POSITIVE_INFINITY }), /pid must be a whole number/);
    assert.match(rejected({ ...base, pid: null }), /pid must be a whole number/);
    assert.match(rejected({ ...base, requestId: -1 }), /requestId must be/);
    assert.match(rejected({ ...base, requestId: REQUEST_ID_MAX + 1 }), /requestId must be/);
    assert.match(rejected({ ...base, requestId: '1' }), /requestId must be/);
  });

  it('names the request in a rejection when its id was well-formed', () => {
    const r = parseWebviewMessage({ type: 'action', requestId: 12, action: 'nope', key: 'k' });
    assert.equal(r.ok, false);
    assert.equal(r.ok ? undefined : r.requestId, 12);
    const bad = parseWebviewMessage({ type: 'action', requestId: -3, action: 'nope', key: 'k' });
    assert.equal(bad.ok ? undefined : bad.requestId, undefined);
  });

  it('rejects a UI state with a wrong value anywhere', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...goodUi, sort: { column: 'password', direction: 'asc' } }, /sort.column must be one of/],
      [{ ...goodUi, sort: { column: 'port', direction: 'up' } }, /sort.direction/],
      [{ ...goodUi, sort: 'port' }, /sort must be an object/],
      [{ ...goodUi, filter: 'x'.repeat(FILTER_MAX_LENGTH + 1) }, /filter must be 0–200 characters/],
      [{ ...goodUi, filter: 3000 }, /filter must be text/],
      [{ ...goodUi, quick: { ...goodUi.quick, protocol: 'sctp' } }, /quick.protocol/],
      [{ ...goodUi, quick: { ...goodUi.quick, range: 'all' } }, /quick.range/],
      [{ ...goodUi, quick: { ...goodUi.quick, exposure: 'public' } }, /quick.exposure/],
      [{ ...goodUi, quick: { ...goodUi.quick, mineOnly: 'yes' } }, /quick.mineOnly must be true or false/],
      [{ ...goodUi, quick: { ...goodUi.quick, workspaceOnly: 'yes' } }, /quick.workspaceOnly must be true or false/],
      [{ ...goodUi, quick: { ...goodUi.quick, containersOnly: 1 } }, /quick.containersOnly must be true or false/],
      [{ ...goodUi, quick: { ...goodUi.quick, forgottenOnly: null } }, /quick.forgottenOnly must be true or false/],
      [{ ...goodUi, quick: { ...goodUi.quick, idleOnly: true } }, /quick filters has unexpected field "idleOnly"/],
      [{ ...goodUi, groupByProcess: 1 }, /groupByProcess must be true or false/],
      [{ ...goodUi, summaryCollapsed: undefined }, /missing "summaryCollapsed"/],
      [{ ...goodUi, activity: null }, /activity state must be an object/],
      [{ ...goodUi, activity: { collapsed: false, scope: 'all' } }, /missing "unusualOnly"/],
      [{ ...goodUi, activity: { ...goodUi.activity, scope: 'everything' } }, /activity.scope must be one of all, selected, filter/],
      [{ ...goodUi, activity: { ...goodUi.activity, collapsed: 'no' } }, /activity.collapsed must be true or false/],
      [{ ...goodUi, activity: { ...goodUi.activity, unusualOnly: 1 } }, /activity.unusualOnly must be true or false/],
    ];
    for (const [state, reason] of cases) {
      assert.match(rejected({ type: 'uiState', state }), reason);
      const direct = parseUiState(state);
      assert.equal(direct.ok, false);
    }
    assert.deepEqual(parseUiState(defaultUiState()), { ok: true, value: defaultUiState() });
    for (const column of COLUMN_IDS) {
      assert.ok(parseUiState({ ...goodUi, sort: { column, direction: 'asc' } }).ok, column);
    }
  });

  it('reads a UI state saved before the Activity section existed, with its defaults', () => {
    const { activity: _activity, ...older } = goodUi;
    const r = parseUiState(older);
    assert.ok(r.ok);
    assert.deepEqual(r.value, { ...goodUi, activity: defaultUiState().activity });
    assert.deepEqual(parsePersistedState({ version: 1, ui: older }), { ok: true, value: { ...goodUi, activity: defaultUiState().activity } });
  });

  it('reads a UI state saved before the "this workspace only" filter existed, with it off', () => {
    const { workspaceOnly: _w, ...olderQuick } = goodUi.quick;
    const r = parseUiState({ ...goodUi, quick: olderQuick });
    assert.ok(r.ok);
    assert.deepEqual(r.value, { ...goodUi, quick: { ...goodUi.quick, workspaceOnly: false } });
  });

  it('reads a UI state saved before the containers and forgotten filters existed, with them off', () => {
    const { containersOnly: _c, forgottenOnly: _f, ...olderQuick } = goodUi.quick;
    const r = parseUiState({ ...goodUi, quick: olderQuick });
    assert.ok(r.ok);
    assert.deepEqual(r.value, { ...goodUi, quick: { ...goodUi.quick, containersOnly: false, forgottenOnly: false } });
    // And the state saved before "this workspace only" too: all three off, nothing else lost.
    const { workspaceOnly: _w, ...oldest } = olderQuick;
    const o = parseUiState({ ...goodUi, sort: { column: 'idle', direction: 'desc' }, quick: oldest });
    assert.ok(o.ok);
    assert.deepEqual(o.value.quick, { ...goodUi.quick, workspaceOnly: false, containersOnly: false, forgottenOnly: false });
    assert.deepEqual(o.value.sort, { column: 'idle', direction: 'desc' });
  });

  it('reads saved state only in its versioned envelope', () => {
    assert.deepEqual(parsePersistedState({ version: 1, ui: goodUi }), { ok: true, value: goodUi });
    assert.equal(parsePersistedState(goodUi).ok, false);
    assert.equal(parsePersistedState({ version: 2, ui: goodUi }).ok, false);
    assert.equal(parsePersistedState({ version: 1, ui: goodUi, rows: [] }).ok, false, 'data never comes back from saved state');
    assert.equal(parsePersistedState(undefined).ok, false);
    assert.equal(parsePersistedState('{"version":1}').ok, false);
  });

  it('survives hostile objects: throwing getters and proxies are rejected, not thrown', () => {
    const getter = { type: 'action', requestId: 1, action: 'test', get key(): string { throw new Error('boom'); } };
    assert.equal(parseWebviewMessage(getter).ok, false);
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error('boom'); } });
    assert.equal(parseWebviewMessage(proxy).ok, false);
  });

  it('fuzz: 5,000 random mutations of valid messages never throw, and pass only when still valid', () => {
    const random = rng(20240611);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const valid: Array<Record<string, unknown>> = [
      { type: 'ready' },
      { type: 'refresh' },
      { type: 'uiState', state: goodUi },
      { type: 'action', requestId: 3, action: 'copyPid', key: 'udp|::|53|i7', pid: 99 },
      { type: 'commandLine', requestId: 4, key: 'udp|::|53|i7' },
      { type: 'troubleshootPort', port: 53, protocol: 'udp' },
      { type: 'clearActivity' },
    ];
    const fields = ['type', 'state', 'requestId', 'action', 'key', 'pid', 'port', 'protocol', 'extra', 'constructor', 'toString'];
    let passed = 0;
    for (let i = 0; i < 5000; i++) {
      const message: Record<string, unknown> = JSON.parse(JSON.stringify(pick(valid)));
      const mutations = 1 + Math.floor(random() * 3);
      for (let m = 0; m < mutations; m++) {
        const field = pick(fields);
        if (random() < 0.3) {
          delete message[field];
        } else {
          message[field] = pick(WEIRD_VALUES);
        }
      }
      let result;
      assert.doesNotThrow(() => {
        result = parseWebviewMessage(message);
      }, `threw on ${JSON.stringify(message)?.slice(0, 200)}`);
      const r = result as unknown as ReturnType<typeof parseWebviewMessage>;
      if (r.ok) {
        passed++;
        // Whatever passed must be exactly a valid message: re-checking the output gives the same.
        assert.deepEqual(parseWebviewMessage(r.value), r);
        if (r.value.type === 'action') {
          assert.ok(Number.isInteger(r.value.requestId) && r.value.requestId >= 0);
          assert.ok(r.value.pid === undefined || (Number.isInteger(r.value.pid) && r.value.pid >= 1 && r.value.pid <= PID_MAX));
          assert.ok(typeof r.value.key === 'string' && r.value.key.length >= 1 && r.value.key.length <= KEY_MAX_LENGTH);
        }
        if (r.value.type === 'troubleshootPort') {
          assert.ok(Number.isInteger(r.value.port) && r.value.port >= 1 && r.value.port <= 65535);
          assert.ok(r.value.protocol === 'tcp' || r.value.protocol === 'udp');
        }
      } else {
        assert.equal(typeof r.reason, 'string');
        assert.ok(r.reason.length > 0 && r.reason.length < 300, r.reason);
      }
    }
    assert.ok(passed < 5000, 'mutations must reject something');
  });
});

describe('dashboard protocol: actions against the current snapshot', () => {
  const owner = (pid: number): ListeningSocket['owners'][number] => ({ pid, name: 'node', command: 'node server.js', uid: 1000 });
  const sockets = new Map<string, ListeningSocket>([
    ['tcp|127.0.0.1|3000|i1', { protocol: 'tcp', family: 4, address: '127.0.0.1', port: 3000, state: 'LISTEN', inode: 1, owners: [owner(100), owner(101)], ownerVisible: true }],
    ['tcp|0.0.0.0|22|i2', { protocol: 'tcp', family: 4, address: '0.0.0.0', port: 22, state: 'LISTEN', inode: 2, uid: 0, owners: [], ownerVisible: false }],
  ]);
  const find = (key: string): ListeningSocket | undefined => sockets.get(key);
  const action = (fields: Partial<Extract<WebviewMessage, { type: 'action' }>>): Extract<WebviewMessage, { type: 'action' }> => ({
    type: 'action',
    requestId: 5,
    action: 'test',
    key: 'tcp|127.0.0.1|3000|i1',
    ...fields,
  });

  it('accepts a listed socket, and a pid that is one of its owners', () => {
    const r = checkAction(action({ action: 'free', pid: 101 }), find);
    assert.ok(r.ok);
    assert.equal(r.value.socket.port, 3000);
    assert.equal(r.value.pid, 101);
    assert.ok(checkAction(action({ action: 'test' }), find).ok);
    assert.ok(checkAction(action({ action: 'copyAddress', key: 'tcp|0.0.0.0|22|i2' }), find).ok);
    // Freeing a port whose owner is hidden explains why instead: no pid to name.
    assert.ok(checkAction(action({ action: 'free', key: 'tcp|0.0.0.0|22|i2' }), find).ok);
  });

  it('rejects an unknown socket key', () => {
    const r = checkAction(action({ key: 'tcp|127.0.0.1|3001|i1' }), find);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /no longer listed/);
    assert.equal(r.ok ? undefined : r.requestId, 5);
  });

  it('rejects a pid that does not hold the socket (another process, a reused pid, a hidden owner)', () => {
    assert.match(String((checkAction(action({ action: 'free', pid: 4242 }), find) as { reason: string }).reason), /pid 4242 does not hold this port/);
    assert.match(String((checkAction(action({ action: 'copyPid', key: 'tcp|0.0.0.0|22|i2', pid: 1 }), find) as { reason: string }).reason), /owner is not visible/);
  });

  it('answers a command-line request only for a listed socket', () => {
    const ok = checkCommandLineRequest({ type: 'commandLine', requestId: 1, key: 'tcp|127.0.0.1|3000|i1' }, find);
    assert.ok(ok.ok && ok.value.port === 3000);
    const gone = checkCommandLineRequest({ type: 'commandLine', requestId: 2, key: 'tcp|127.0.0.1|9|i9' }, find);
    assert.equal(gone.ok, false);
    assert.equal(gone.ok ? undefined : gone.requestId, 2);
  });

  it('troubleshoots only a port that is listening or has recorded activity', () => {
    const known = (port: number, protocol: string): boolean => port === 3000 && protocol === 'tcp';
    assert.deepEqual(checkTroubleshootPort({ type: 'troubleshootPort', port: 3000, protocol: 'tcp' }, known), { ok: true, value: { port: 3000, protocol: 'tcp' } });
    const other = checkTroubleshootPort({ type: 'troubleshootPort', port: 3000, protocol: 'udp' }, known);
    assert.equal(other.ok, false);
    assert.match(other.ok ? '' : other.reason, /3000\/udp is not listening and has no recorded activity/);
    const throwing = checkTroubleshootPort({ type: 'troubleshootPort', port: 1, protocol: 'tcp' }, () => {
      throw new Error('boom');
    });
    assert.equal(throwing.ok, false);
  });

  it('requires the pid for freeing a visible owner and for process actions', () => {
    for (const name of ['free', 'copyPid', 'copyCommandLine', 'showTerminal'] as const) {
      const r = checkAction(action({ action: name }), find);
      assert.equal(r.ok, false, name);
      assert.match(r.ok ? '' : r.reason, /must name the pid/);
    }
    assert.equal(checkAction(action({ action: 'copyPid', key: 'tcp|0.0.0.0|22|i2' }), find).ok, false);
  });
});
