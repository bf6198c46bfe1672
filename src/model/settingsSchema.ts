// Every setting of the extension as data (its id, type, default and bounds) and the one validator that turns
// what the user wrote into typed, in-range values. Settings are hand-edited JSON: VS Code underlines a bad
// value in settings.json but still hands it to the extension as written, so `"showUdp": "no"` arrives as a
// string. Anything invalid falls back to the default (out-of-range numbers too: clamping 100 to 500 would
// silently pick a value nobody wrote) and is described in one plain line. A unit test checks this table
// against package.json's contributes.configuration, so the two cannot drift apart.
import { Settings } from '../constants';
import { plainText } from '../core/displayText';
import type { PortFileKind } from './portFinder';
import { PORT_FILE_KINDS } from './portFinder';
import type { LabelRule } from './portLabels';
import { parseLabels } from './portLabels';
import type { Grouping, SortOrder } from './portsTree';
import { GROUPINGS, SORT_ORDERS } from './portsTree';
import type { WatchedPort } from './watchedPorts';
import { MAX_WATCHED_PORTS, parseWatchedPorts } from './watchedPorts';

/** A whole number within `minimum`–`maximum` (package.json `"type": "integer"`). */
export interface IntegerSetting {
  readonly kind: 'integer';
  readonly id: string;
  readonly default: number;
  readonly minimum: number;
  readonly maximum: number;
}

/** `true` or `false`. */
export interface BooleanSetting {
  readonly kind: 'boolean';
  readonly id: string;
  readonly default: boolean;
}

/** One string of `values` (package.json `"enum"`). */
export interface EnumSetting<T extends string> {
  readonly kind: 'enum';
  readonly id: string;
  readonly default: T;
  readonly values: readonly T[];
}

/** A list of distinct strings of `values` (package.json `"items": { "enum" }`). */
export interface EnumListSetting<T extends string> {
  readonly kind: 'enumList';
  readonly id: string;
  readonly default: readonly T[];
  readonly values: readonly T[];
}

/** `portInspector.labels`: an object of port or range → name, validated by {@link parseLabels}. */
export interface LabelsSetting {
  readonly kind: 'labels';
  readonly id: string;
  readonly default: Readonly<Record<string, string>>;
}

/** `portInspector.watchedPorts`: a list of ports, validated by {@link parseWatchedPorts}. */
export interface WatchedPortsSetting {
  readonly kind: 'watchedPorts';
  readonly id: string;
  readonly default: readonly never[];
  readonly maxItems: number;
}

/** The declaration of one setting. */
export type SettingSpec =
  | IntegerSetting
  | BooleanSetting
  | EnumSetting<string>
  | EnumListSetting<string>
  | LabelsSetting
  | WatchedPortsSetting;

const integer = (key: string, defaultValue: number, minimum: number, maximum: number): IntegerSetting => ({
  kind: 'integer',
  id: key,
  default: defaultValue,
  minimum,
  maximum,
});
const boolean = (key: string, defaultValue: boolean): BooleanSetting => ({ kind: 'boolean', id: key, default: defaultValue });
const oneOf = <T extends string>(key: string, defaultValue: T, values: readonly T[]): EnumSetting<T> => ({
  kind: 'enum',
  id: key,
  default: defaultValue,
  values,
});

/** Every setting, by the name the code reads it under. The single source of defaults and bounds. */
export const SETTINGS = {
  refreshIntervalMs: integer(Settings.refreshIntervalMs, 2000, 500, 600_000),
  groupBy: oneOf<Grouping>(Settings.groupBy, 'none', GROUPINGS),
  sortBy: oneOf<SortOrder>(Settings.sortBy, 'port', SORT_ORDERS),
  showUdp: boolean(Settings.showUdp, true),
  showHiddenOwners: boolean(Settings.showHiddenOwners, true),
  labels: { kind: 'labels', id: Settings.labels, default: {} } as LabelsSetting,
  watchedPorts: { kind: 'watchedPorts', id: Settings.watchedPorts, default: [], maxItems: MAX_WATCHED_PORTS } as WatchedPortsSetting,
  notifyWatchedPorts: boolean(Settings.notifyWatchedPorts, true),
  showStatusBar: boolean(Settings.showStatusBar, true),
  statusBarWorkspaceOnly: boolean(Settings.statusBarWorkspaceOnly, false),
  hoverEnabled: boolean(Settings.hoverEnabled, true),
  hoverFileKinds: { kind: 'enumList', id: Settings.hoverFileKinds, default: PORT_FILE_KINDS, values: PORT_FILE_KINDS } as EnumListSetting<PortFileKind>,
  diagnosticsEnabled: boolean(Settings.diagnosticsEnabled, true),
  freePortTimeoutMs: integer(Settings.freePortTimeoutMs, 5000, 500, 60_000),
  testConnectionTimeoutMs: integer(Settings.testConnectionTimeoutMs, 3000, 100, 60_000),
  portConflictsEnabled: boolean(Settings.portConflictsEnabled, true),
  forgottenOlderThanHours: integer(Settings.forgottenOlderThanHours, 8, 0, 24 * 365),
  forgottenIdleMinutes: integer(Settings.forgottenIdleMinutes, 30, 0, 60 * 24 * 365),
} as const;

/** The name the code reads a setting under (`refreshIntervalMs`, `hoverFileKinds`, …). */
export type SettingName = keyof typeof SETTINGS;

type ValueOf<S> =
  S extends IntegerSetting
    ? number
    : S extends BooleanSetting
      ? boolean
      : S extends EnumSetting<infer T>
        ? T
        : S extends EnumListSetting<infer T>
          ? T[]
          : S extends LabelsSetting
            ? LabelRule[]
            : S extends WatchedPortsSetting
              ? WatchedPort[]
              : never;

/** Every setting as the extension uses it: typed, in range, defaults where the user's value was invalid. */
export type SettingsValues = { [K in SettingName]: ValueOf<(typeof SETTINGS)[K]> };

/** One problem with one setting, as a single plain line that names the setting. */
export interface SettingProblem {
  /** The full id, e.g. `portInspector.refreshIntervalMs`. */
  readonly setting: string;
  readonly message: string;
}

/** The outcome of validating one setting. */
export interface ValidatedSetting<T> {
  value: T;
  problems: string[];
}

/** A user's value, shortened and made inert for a one-line log message or notification. */
export function shownValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) {
    return String(value);
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // A cycle cannot come from JSON settings, but the validator must not throw on anything.
  }
  return plainText(text ?? typeof value, 60);
}

const quoted = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(', ');

function validateInteger(spec: IntegerSetting, raw: unknown): ValidatedSetting<number> {
  const using = `using ${spec.default}`;
  if (typeof raw !== 'number' || !Number.isFinite(raw)) {
    return { value: spec.default, problems: [`${spec.id} is ${shownValue(raw)}; it must be a number from ${spec.minimum} to ${spec.maximum} — ${using}.`] };
  }
  const rounded = Math.round(raw);
  if (rounded < spec.minimum || rounded > spec.maximum) {
    return { value: spec.default, problems: [`${spec.id} is ${shownValue(raw)}; it must be between ${spec.minimum} and ${spec.maximum} — ${using}.`] };
  }
  if (rounded !== raw) {
    return { value: rounded, problems: [`${spec.id} is ${shownValue(raw)}; it must be a whole number — using ${rounded}.`] };
  }
  return { value: raw, problems: [] };
}

function validateBoolean(spec: BooleanSetting, raw: unknown): ValidatedSetting<boolean> {
  if (typeof raw === 'boolean') {
    return { value: raw, problems: [] };
  }
  return { value: spec.default, problems: [`${spec.id} is ${shownValue(raw)}; it must be true or false — using ${spec.default}.`] };
}

function validateEnum<T extends string>(spec: EnumSetting<T>, raw: unknown): ValidatedSetting<T> {
  if (typeof raw === 'string' && (spec.values as readonly string[]).includes(raw)) {
    return { value: raw as T, problems: [] };
  }
  return { value: spec.default, problems: [`${spec.id} is ${shownValue(raw)}; it must be one of ${quoted(spec.values)} — using "${spec.default}".`] };
}

function validateEnumList<T extends string>(spec: EnumListSetting<T>, raw: unknown): ValidatedSetting<T[]> {
  if (!Array.isArray(raw)) {
    return {
      value: [...spec.default],
      problems: [`${spec.id} is ${shownValue(raw)}; it must be a list like ["${spec.values[0]}", "${spec.values[1]}"] — using the default (${spec.default.length === spec.values.length ? 'all of them' : quoted(spec.default)}).`],
    };
  }
  const known = new Set<string>(spec.values);
  const value: T[] = [];
  const problems: string[] = [];
  for (const item of raw as unknown[]) {
    if (typeof item === 'string' && known.has(item)) {
      // Repeats are harmless: dropped without a word.
      if (!value.includes(item as T)) {
        value.push(item as T);
      }
    } else {
      problems.push(`${spec.id}: ${shownValue(item)} is not one of ${quoted(spec.values)}; ignored.`);
    }
  }
  return { value, problems };
}

function validateLabels(spec: LabelsSetting, raw: unknown): ValidatedSetting<LabelRule[]> {
  if (raw === null) {
    return { value: [], problems: [`${spec.id} is null; it must be an object mapping ports to names, like {"3000": "web"} — using no labels.`] };
  }
  const parsed = parseLabels(raw);
  return { value: parsed.labels, problems: parsed.errors };
}

function validateWatchedPorts(spec: WatchedPortsSetting, raw: unknown): ValidatedSetting<WatchedPort[]> {
  if (raw === null) {
    return { value: [], problems: [`${spec.id} is null; it must be a list of ports, like [3000, 5432] — watching none.`] };
  }
  const parsed = parseWatchedPorts(raw);
  return { value: parsed.watched, problems: parsed.errors };
}

function validateSpec(spec: SettingSpec, raw: unknown): ValidatedSetting<unknown> {
  switch (spec.kind) {
    case 'integer':
      return validateInteger(spec, raw);
    case 'boolean':
      return validateBoolean(spec, raw);
    case 'enum':
      return validateEnum(spec, raw);
    case 'enumList':
      return validateEnumList(spec, raw);
    case 'labels':
      return validateLabels(spec, raw);
    case 'watchedPorts':
      return validateWatchedPorts(spec, raw);
  }
}

/**
 * Validates one setting. `undefined` (not set, and no default declared) is the default without a word;
 * anything else that does not fit the declaration is the default (or, for a list, its valid entries) plus
 * one line per problem, each naming the setting. Never throws.
 */
export function validateSetting<K extends SettingName>(name: K, raw: unknown): ValidatedSetting<SettingsValues[K]> {
  const spec: SettingSpec = SETTINGS[name];
  if (raw === undefined) {
    return validateSpec(spec, structuredClone(spec.default)) as ValidatedSetting<SettingsValues[K]>;
  }
  try {
    return validateSpec(spec, raw) as ValidatedSetting<SettingsValues[K]>;
  } catch (err) {
    // Defensive: a validator bug must cost one setting its value, not the extension its settings.
    const fallback = validateSpec(spec, structuredClone(spec.default)).value as SettingsValues[K];
    return { value: fallback, problems: [`${spec.id} could not be read (${plainText(String(err), 80)}); using the default.`] };
  }
}

/** Validates every setting; `read` returns a setting's raw value by its full id. Never throws. */
export function validateSettings(read: (id: string) => unknown): { values: SettingsValues; problems: SettingProblem[] } {
  const values: Partial<Record<SettingName, unknown>> = {};
  const problems: SettingProblem[] = [];
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const id = SETTINGS[name].id;
    let raw: unknown;
    try {
      raw = read(id);
    } catch {
      raw = undefined;
    }
    const result = validateSetting(name, raw);
    values[name] = result.value;
    problems.push(...result.problems.map((message) => ({ setting: id, message })));
  }
  return { values: values as SettingsValues, problems };
}

/** The distinct settings among `problems`, in order (`portInspector.refreshIntervalMs`, …). */
export function settingsWithProblems(problems: readonly SettingProblem[]): string[] {
  return [...new Set(problems.map((p) => p.setting))];
}

/** The forgotten-servers thresholds the settings give, in ms: what Show Forgotten Servers and the
 *  dashboard's Forgotten filter both apply. */
export function forgottenCriteria(values: Pick<SettingsValues, 'forgottenOlderThanHours' | 'forgottenIdleMinutes'>): { olderThanMs: number; idleMs: number } {
  return { olderThanMs: values.forgottenOlderThanHours * 3600_000, idleMs: values.forgottenIdleMinutes * 60_000 };
}
