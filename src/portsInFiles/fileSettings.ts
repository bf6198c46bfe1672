// The settings the hovers and the diagnostics share: which file kinds they read, and whether each is on.
import type { SettingsChange } from '../services/settings';
import { Settings } from '../constants';
import type { PortFileKind } from '../model/portFinder';
import type { SettingsValues } from '../model/settingsSchema';

export interface PortFileSettings {
  hoverEnabled: boolean;
  diagnosticsEnabled: boolean;
  /** The file kinds hovers and diagnostics read. */
  kinds: ReadonlySet<PortFileKind>;
}

export function portFileSettings(s: SettingsValues): PortFileSettings {
  return { hoverEnabled: s.hoverEnabled, diagnosticsEnabled: s.diagnosticsEnabled, kinds: new Set(s.hoverFileKinds) };
}

/** True when `change` touches a hover or diagnostics setting. */
export function affectsPortFileSettings(change: SettingsChange): boolean {
  return change.affects(Settings.hoverEnabled, Settings.hoverFileKinds, Settings.diagnosticsEnabled);
}
