// The hover and diagnostics settings, validated with every other setting (see src/services/config.ts).
import type * as vscode from 'vscode';
import { Settings } from '../constants';
import type { PortFileKind } from '../model/portFinder';
import { readSettings } from '../services/config';

export interface PortFileSettings {
  hoverEnabled: boolean;
  diagnosticsEnabled: boolean;
  /** The file kinds hovers and diagnostics read. */
  kinds: ReadonlySet<PortFileKind>;
}

export function readPortFileSettings(): PortFileSettings {
  const s = readSettings();
  return { hoverEnabled: s.hoverEnabled, diagnosticsEnabled: s.diagnosticsEnabled, kinds: new Set(s.hoverFileKinds) };
}

/** True when `event` touches a hover or diagnostics setting. */
export function affectsPortFileSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return [Settings.hoverEnabled, Settings.hoverFileKinds, Settings.diagnosticsEnabled].some((key) => event.affectsConfiguration(key));
}
