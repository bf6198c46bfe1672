// The extension's settings, read in one place: every read goes through the pure validator (src/model/
// settings.ts), which turns whatever the user wrote into typed, in-range values, and reports the complete
// list of problems to `settingsProblems` (logged once each, one warning per new set). Never throws.
import * as vscode from 'vscode';
import { Settings } from '../constants';
import type { Grouping, SortOrder } from '../model/portsTree';
import type { LabelRule } from '../model/portLabels';
import type { SettingsValues } from '../model/settings';
import { validateSettings } from '../model/settings';
import type { WatchedPort } from '../model/watchedPorts';
import { settingsProblems } from './settingsProblems';

export interface ViewConfig {
  grouping: Grouping;
  sortBy: SortOrder;
  showUdp: boolean;
  showHiddenOwners: boolean;
  labels: LabelRule[];
}

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(Settings.section);
}

/** Every setting, validated. All of them are read each time (a dozen lookups): the problems reported are
 *  then always the complete list, so a setting fixed since the last read is forgotten. */
export function readSettings(): SettingsValues {
  const c = vscode.workspace.getConfiguration();
  const { values, problems } = validateSettings((id) => c.get<unknown>(id));
  settingsProblems.update(problems);
  return values;
}

/** The Ports view's options. */
export function readViewConfig(): ViewConfig {
  const s = readSettings();
  return { grouping: s.groupBy, sortBy: s.sortBy, showUdp: s.showUdp, showHiddenOwners: s.showHiddenOwners, labels: s.labels };
}

/** The user's port labels (valid entries only). */
export function readLabels(): LabelRule[] {
  return readSettings().labels;
}

/** The watched ports (valid entries only). */
export function readWatchedPorts(): WatchedPort[] {
  return readSettings().watchedPorts;
}

export function readNotifyWatchedPorts(): boolean {
  return readSettings().notifyWatchedPorts;
}

export function readShowStatusBar(): boolean {
  return readSettings().showStatusBar;
}

export function readRefreshIntervalMs(): number {
  return readSettings().refreshIntervalMs;
}

/** Writes a setting where the user already set it (workspace folder, workspace), else globally, so a
 *  view-title toggle changes what the user sees rather than adding a shadowed user setting. */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  const c = section();
  const inspected = c.inspect(key);
  const target =
    inspected?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await c.update(key, value, target);
}

/** True when `event` touches any of `keys` (relative to the section). */
export function affects(event: vscode.ConfigurationChangeEvent, ...keys: string[]): boolean {
  return keys.some((k) => event.affectsConfiguration(`${Settings.section}.${k}`));
}
