// The extension's settings, in one place. Every read goes through the pure validator (src/model/
// settingsSchema.ts), which turns whatever the user wrote into typed, in-range values and reports the
// complete list of problems to `settingsProblems` (logged once each, one warning per new set). Every
// surface that follows a setting listens to the one change event here, with the one key convention of
// src/constants.ts (full keys). Never throws.
import * as vscode from 'vscode';
import type { SettingId } from '../constants';
import { Settings } from '../constants';
import type { Grouping, SortOrder } from '../model/portsTree';
import type { LabelRule } from '../model/portLabels';
import type { SettingsValues } from '../model/settingsSchema';
import { validateSettings } from '../model/settingsSchema';
import { settingsProblems } from './settingsProblems';

export interface ViewConfig {
  grouping: Grouping;
  sortBy: SortOrder;
  showUdp: boolean;
  showHiddenOwners: boolean;
  labels: LabelRule[];
}

/** What changed: which keys, and every setting as it is now (validated). */
export interface SettingsChange {
  affects(...keys: SettingId[]): boolean;
  readonly values: SettingsValues;
}

/** Settings a folder could set to mislead (a label that renames a port, a watched port that notifies, a
 *  file kind that makes hovers read a file): in Restricted Mode only the user's own (global) value counts,
 *  until the folder is trusted. package.json lists them as `restrictedConfigurations` too. */
export const TRUST_BOUND: readonly SettingId[] = [Settings.labels, Settings.watchedPorts, Settings.hoverFileKinds];

class SettingsService implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SettingsChange>();
  private listening: vscode.Disposable | undefined;
  private trustListening: vscode.Disposable | undefined;

  /** Fires when any setting of the extension changes, after it is validated (and, when invalid, reported). */
  get onDidChange(): vscode.Event<SettingsChange> {
    // The one configuration listener of the extension, made on first use so that merely importing this
    // module (a pure test, the CLI's type imports) subscribes to nothing.
    this.listening ??= vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Settings.section)) {
        // Validating here also tells the user about a bad value as they write it, not at some later use.
        const values = this.values();
        this.emitter.fire({ affects: (...keys) => keys.some((k) => e.affectsConfiguration(k)), values });
      }
    });
    // Trusting the folder lets its values of the trust-bound settings count: one change, like an edit.
    this.trustListening ??= vscode.workspace.onDidGrantWorkspaceTrust(() => {
      const values = this.values();
      this.emitter.fire({ affects: (...keys) => keys.some((k) => TRUST_BOUND.includes(k)), values });
    });
    return this.emitter.event;
  }

  /** Every setting, validated. All of them are read each time (a dozen lookups): the problems reported
   *  are then always the complete list, so a setting fixed since the last read is forgotten. */
  values(): SettingsValues {
    const c = vscode.workspace.getConfiguration();
    const trusted = vscode.workspace.isTrusted;
    const read = (id: SettingId): unknown => (!trusted && TRUST_BOUND.includes(id) ? c.inspect<unknown>(id)?.globalValue : c.get<unknown>(id));
    const { values, problems } = validateSettings((id) => read(id as SettingId));
    settingsProblems.update(problems);
    return values;
  }

  /** The Ports view's options. */
  viewConfig(): ViewConfig {
    const s = this.values();
    return { grouping: s.groupBy, sortBy: s.sortBy, showUdp: s.showUdp, showHiddenOwners: s.showHiddenOwners, labels: s.labels };
  }

  /** Writes a setting where the user already set it (workspace folder, workspace), else globally, so a
   *  view-title toggle changes what the user sees rather than adding a shadowed user setting. */
  async update(key: SettingId, value: unknown): Promise<void> {
    const c = vscode.workspace.getConfiguration();
    const inspected = c.inspect(key);
    const target =
      inspected?.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : inspected?.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    await c.update(key, value, target);
  }

  dispose(): void {
    this.listening?.dispose();
    this.listening = undefined;
    this.trustListening?.dispose();
    this.trustListening = undefined;
    this.emitter.dispose();
  }
}

/** The one instance: settings are read from every floor above this one. */
export const settings = new SettingsService();
