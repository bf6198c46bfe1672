// Every id the extension shares with package.json, in one place. A test checks both directions.

export const EXTENSION_ID = 'port-inspector.port-inspector';

export const Commands = {
  refresh: 'portInspector.refresh',
  showLog: 'portInspector.showLog',
} as const;

export const Views = {
  container: 'portInspector',
  ports: 'portInspector.ports',
} as const;

export const Settings = {
  section: 'portInspector',
  /** Keys below are relative to the section. */
  refreshIntervalMs: 'refreshIntervalMs',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Context keys the extension sets (for `when` clauses in package.json). */
export const ContextKeys: Readonly<Record<string, string>> = {};
