import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PORT_FILE_KINDS } from '../../src/model/portFinder';
import type { SettingName, SettingSpec } from '../../src/model/settingsSchema';
import { SETTINGS, settingsWithProblems, shownValue, validateSetting, validateSettings } from '../../src/model/settingsSchema';

/** The part of JSON Schema that package.json's settings use. */
interface Schema {
  type?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  items?: Schema;
  anyOf?: Schema[];
  pattern?: string;
  maxItems?: number;
  uniqueItems?: boolean;
  additionalProperties?: Schema;
  propertyNames?: Schema;
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Schema> } };
};
const declared = manifest.contributes.configuration.properties;
const names = Object.keys(SETTINGS) as SettingName[];

/** An independent reading of the schema: is `value` what package.json declares? (The oracle of the fuzz.) */
function conforms(schema: Schema, value: unknown): boolean {
  if (schema.anyOf) {
    return schema.anyOf.some((s) => conforms(s, value));
  }
  switch (schema.type) {
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value) || (schema.type === 'integer' && !Number.isInteger(value))) {
        return false;
      }
      break;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      if (typeof value !== 'string' || (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value))) {
        return false;
      }
      break;
    case 'array':
      if (!Array.isArray(value) || (schema.maxItems !== undefined && value.length > schema.maxItems)) {
        return false;
      }
      if (schema.uniqueItems && new Set(value).size !== value.length) {
        return false;
      }
      return schema.items ? value.every((v) => conforms(schema.items!, v)) : true;
    case 'object':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return false;
      }
      return Object.entries(value).every(
        ([k, v]) => (!schema.propertyNames || conforms(schema.propertyNames, k)) && (!schema.additionalProperties || conforms(schema.additionalProperties, v)),
      );
    case undefined:
      break;
    default:
      throw new Error(`the test's schema reader does not know type ${schema.type}`);
  }
  if (typeof value === 'number' && ((schema.minimum !== undefined && value < schema.minimum) || (schema.maximum !== undefined && value > schema.maximum))) {
    return false;
  }
  return !schema.enum || schema.enum.includes(value);
}

/** The validated value, written back as the JSON a user would write for it. */
function asJson(name: SettingName, value: unknown): unknown {
  if (name === 'labels') {
    return Object.fromEntries((value as Array<{ lo: number; hi: number; label: string }>).map((r) => [r.lo === r.hi ? String(r.lo) : `${r.lo}-${r.hi}`, r.label]));
  }
  if (name === 'watchedPorts') {
    return (value as Array<{ port: number; protocol?: string }>).map((w) => (w.protocol ? `${w.port}/${w.protocol}` : w.port));
  }
  return value;
}

const FUZZ: readonly unknown[] = [
  'fast',
  '',
  '2000',
  'NaN',
  'Infinity',
  'true',
  'no',
  'none',
  0,
  -1,
  -500,
  1,
  100,
  499,
  500,
  2000,
  2000.5,
  600_000,
  600_001,
  1e9,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_VALUE,
  NaN,
  Infinity,
  -Infinity,
  true,
  false,
  null,
  [],
  [3000],
  [0, 3000, 70000, 2.5, '53/udp', 'x', null, {}],
  ['env', 'compose'],
  ['env', 'nope', 7, null],
  {},
  { '3000': 'web' },
  { '3000': 7, abc: 'x', '4000': 'ok' },
  { a: 1 },
  [[]],
  [{}],
];

describe('settings: the declaration agrees with package.json', () => {
  it('declares every setting of package.json, and no other', () => {
    assert.deepEqual(names.map((n) => SETTINGS[n].id).sort(), Object.keys(declared).sort());
  });

  for (const name of names) {
    const spec: SettingSpec = SETTINGS[name];
    it(`${spec.id}: same type, default, enum and bounds`, () => {
      const schema = declared[spec.id];
      assert.ok(schema, `${spec.id} is not in package.json`);
      assert.deepEqual(schema.default, spec.default, 'default');
      switch (spec.kind) {
        case 'integer':
          assert.equal(schema.type, 'integer');
          assert.equal(schema.minimum, spec.minimum, 'minimum');
          assert.equal(schema.maximum, spec.maximum, 'maximum');
          break;
        case 'boolean':
          assert.equal(schema.type, 'boolean');
          break;
        case 'enum':
          assert.equal(schema.type, 'string');
          assert.deepEqual(schema.enum, spec.values, 'enum');
          break;
        case 'enumList':
          assert.equal(schema.type, 'array');
          assert.deepEqual(schema.items?.enum, spec.values, 'items.enum');
          break;
        case 'labels':
          assert.equal(schema.type, 'object');
          break;
        case 'watchedPorts':
          assert.equal(schema.type, 'array');
          assert.equal(schema.maxItems, spec.maxItems, 'maxItems');
          break;
      }
      assert.ok(conforms(schema, spec.default), 'the default conforms to its own schema');
      const r = validateSetting(name, schema.default);
      assert.deepEqual(r.problems, [], 'the default is valid');
      assert.deepEqual(asJson(name, r.value), schema.default);
      assert.deepEqual(validateSetting(name, undefined), r, 'an unset setting is its default, silently');
    });
  }

  it('lists the hover file kinds in the order the model knows them', () => {
    assert.deepEqual(declared['portInspector.hover.fileKinds'].items?.enum, [...PORT_FILE_KINDS]);
  });
});

describe('settings: validation', () => {
  it('reports an out-of-range number and uses the default', () => {
    assert.deepEqual(validateSetting('refreshIntervalMs', 100), {
      value: 2000,
      problems: ['portInspector.refreshIntervalMs is 100; it must be between 500 and 600000 — using 2000.'],
    });
    assert.deepEqual(validateSetting('testConnectionTimeoutMs', 60_001).value, 3000);
    assert.deepEqual(validateSetting('freePortTimeoutMs', 500), { value: 500, problems: [] });
  });

  it('reports a number of the wrong type, including text that looks like a number', () => {
    for (const raw of ['fast', '2000', 'NaN', NaN, Infinity, true, null, [2000], { ms: 2000 }]) {
      const r = validateSetting('freePortTimeoutMs', raw);
      assert.equal(r.value, 5000, shownValue(raw));
      assert.deepEqual(r.problems, [`portInspector.freePort.timeoutMs is ${shownValue(raw)}; it must be a number from 500 to 60000 — using 5000.`]);
    }
  });

  it('rounds a fractional number of milliseconds, and says so', () => {
    assert.deepEqual(validateSetting('refreshIntervalMs', 2500.4), {
      value: 2500,
      problems: ['portInspector.refreshIntervalMs is 2500.4; it must be a whole number — using 2500.'],
    });
    // Rounding does not smuggle a value past the bounds.
    assert.equal(validateSetting('refreshIntervalMs', 499.4).value, 2000);
  });

  it('takes only true or false for a boolean: "no" is not true', () => {
    assert.deepEqual(validateSetting('showUdp', 'no'), { value: true, problems: ['portInspector.showUdp is "no"; it must be true or false — using true.'] });
    assert.deepEqual(validateSetting('hoverEnabled', 0).value, true);
    assert.deepEqual(validateSetting('diagnosticsEnabled', false), { value: false, problems: [] });
  });

  it('takes only a listed value for a choice', () => {
    assert.deepEqual(validateSetting('groupBy', 42), {
      value: 'none',
      problems: ['portInspector.groupBy is 42; it must be one of "none", "range", "process", "project", "container" — using "none".'],
    });
    assert.equal(validateSetting('sortBy', 'Process').value, 'port');
    assert.deepEqual(validateSetting('groupBy', 'process'), { value: 'process', problems: [] });
  });

  it('keeps the good entries of a list and reports each bad one', () => {
    const r = validateSetting('hoverFileKinds', ['env', 'nope', 7, 'compose', 'env']);
    assert.deepEqual(r.value, ['env', 'compose']);
    assert.equal(r.problems.length, 2);
    assert.match(r.problems[0], /^portInspector\.hover\.fileKinds: "nope" is not one of "env", .*"other"; ignored\.$/);
    assert.match(r.problems[1], /^portInspector\.hover\.fileKinds: 7 is not one of /);
    // Not a list at all: every kind, as by default.
    const obj = validateSetting('hoverFileKinds', {});
    assert.deepEqual(obj.value, [...PORT_FILE_KINDS]);
    assert.deepEqual(obj.problems, ['portInspector.hover.fileKinds is {}; it must be a list like ["env", "compose"] — using the default (all of them).']);
    // An empty list is a valid choice: hovers in no file.
    assert.deepEqual(validateSetting('hoverFileKinds', []), { value: [], problems: [] });
  });

  it('keeps the good labels and watched ports, and reports the rest', () => {
    const labels = validateSetting('labels', { '3000': 7, abc: 'x', '4000': 'ok' });
    assert.deepEqual(labels.value, [{ lo: 4000, hi: 4000, label: 'ok' }]);
    assert.equal(labels.problems.length, 2);
    const watched = validateSetting('watchedPorts', [3000, 'x', '53/udp']);
    assert.deepEqual(watched.value, [{ port: 3000 }, { port: 53, protocol: 'udp' }]);
    assert.equal(watched.problems.length, 1);
    assert.deepEqual(validateSetting('watchedPorts', '3000').value, []);
    assert.deepEqual(validateSetting('watchedPorts', null), { value: [], problems: ['portInspector.watchedPorts is null; it must be a list of ports, like [3000, 5432] — watching none.'] });
  });

  it('shows a long or hostile value short and inert', () => {
    const r = validateSetting('groupBy', `x\u202e${'y'.repeat(500)}\n`);
    assert.equal(r.problems.length, 1);
    assert.ok(r.problems[0].length < 200, r.problems[0]);
    assert.doesNotMatch(r.problems[0], /[\u0000-\u001f\u202e]/);
  });

  it('validates everything at once, and names each setting with a problem', () => {
    const raw: Record<string, unknown> = {
      'portInspector.refreshIntervalMs': 'fast',
      'portInspector.groupBy': 42,
      'portInspector.watchedPorts': '3000',
      'portInspector.showUdp': 'no',
      'portInspector.hover.fileKinds': {},
      'portInspector.labels': { '3000': 'web' },
    };
    const { values, problems } = validateSettings((id) => raw[id]);
    assert.equal(values.refreshIntervalMs, 2000);
    assert.equal(values.groupBy, 'none');
    assert.deepEqual(values.watchedPorts, []);
    assert.equal(values.showUdp, true);
    assert.deepEqual(values.hoverFileKinds, [...PORT_FILE_KINDS]);
    assert.deepEqual(values.labels, [{ lo: 3000, hi: 3000, label: 'web' }]);
    assert.equal(values.testConnectionTimeoutMs, 3000);
    assert.deepEqual(settingsWithProblems(problems), [
      'portInspector.refreshIntervalMs',
      'portInspector.groupBy',
      'portInspector.showUdp',
      'portInspector.watchedPorts',
      'portInspector.hover.fileKinds',
    ]);
    // A reader that throws is an unset setting, not a crash.
    const thrown = validateSettings(() => {
      throw new Error('boom');
    });
    assert.deepEqual(thrown.problems, []);
  });
});

describe('settings: fuzz', () => {
  for (const name of names) {
    const spec: SettingSpec = SETTINGS[name];
    it(`${spec.id}: every odd value gives a valid value, and a problem naming the setting exactly when it was invalid`, () => {
      const schema = declared[spec.id];
      for (const raw of FUZZ) {
        const what = `${spec.id} = ${shownValue(raw)}`;
        const r = validateSetting(name, raw);
        assert.ok(conforms(schema, asJson(name, r.value)), `${what} gave an invalid value ${shownValue(r.value)}`);
        if (conforms(schema, raw)) {
          assert.deepEqual(r.problems, [], what);
          assert.deepEqual(asJson(name, r.value), raw, what);
        } else {
          assert.ok(r.problems.length > 0, `${what} was accepted without a word`);
        }
        for (const p of r.problems) {
          assert.ok(p.startsWith(spec.id), `${what}: "${p}" does not name the setting`);
          assert.doesNotMatch(p, /\n/, `${what}: more than one line`);
        }
      }
    });
  }
});
