// The extension's settings, read in one place and validated. Hand-edited JSON (labels, watched ports) is
// parsed by the pure model; each distinct problem is logged once, not on every read.
import * as vscode from 'vscode';
import { Settings } from '../constants';
import type { Grouping, SortOrder } from '../model/portsTree';
import { GROUPINGS, SORT_ORDERS } from '../model/portsTree';
import type { LabelRule } from '../model/portLabels';
import { parseLabels } from '../model/portLabels';
import type { WatchedPort } from '../model/watchedPorts';
import { parseWatchedPorts } from '../model/watchedPorts';
import { log } from './logger';

export interface ViewConfig {
  grouping: Grouping;
  sortBy: SortOrder;
  showUdp: boolean;
  showHiddenOwners: boolean;
  labels: LabelRule[];
}

const reported = new Set<string>();

function reportOnce(problems: readonly string[]): void {
  for (const p of problems) {
    if (!reported.has(p)) {
      reported.add(p);
      log.warn(p);
    }
  }
}

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(Settings.section);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** The Ports view's options. */
export function readViewConfig(): ViewConfig {
  const c = section();
  const labels = parseLabels(c.get<unknown>(Settings.labels));
  reportOnce(labels.errors);
  return {
    grouping: oneOf(c.get<string>(Settings.groupBy), GROUPINGS, 'none'),
    sortBy: oneOf(c.get<string>(Settings.sortBy), SORT_ORDERS, 'port'),
    showUdp: c.get<boolean>(Settings.showUdp, true) !== false,
    showHiddenOwners: c.get<boolean>(Settings.showHiddenOwners, true) !== false,
    labels: labels.labels,
  };
}

/** The watched ports, with bad entries logged once. */
export function readWatchedPorts(): WatchedPort[] {
  const parsed = parseWatchedPorts(section().get<unknown>(Settings.watchedPorts));
  reportOnce(parsed.errors);
  return parsed.watched;
}

export function readNotifyWatchedPorts(): boolean {
  return section().get<boolean>(Settings.notifyWatchedPorts, true) !== false;
}

export function readShowStatusBar(): boolean {
  return section().get<boolean>(Settings.showStatusBar, true) !== false;
}

export function readRefreshIntervalMs(): number {
  const value = section().get<number>(Settings.refreshIntervalMs, 2000);
  return typeof value === 'number' && Number.isFinite(value) ? value : 2000;
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
