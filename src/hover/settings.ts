// The hover and diagnostics settings, read and validated in one place.
import * as vscode from 'vscode';
import { Settings } from '../constants';
import type { PortFileKind } from '../model/portFinder';
import { log } from '../services/logger';
import { PORT_FILE_KINDS } from './documentSelector';

export interface PortFileSettings {
  hoverEnabled: boolean;
  diagnosticsEnabled: boolean;
  /** The file kinds hovers and diagnostics read. */
  kinds: ReadonlySet<PortFileKind>;
}

const reported = new Set<string>();

function kindsFrom(value: unknown): Set<PortFileKind> {
  if (!Array.isArray(value)) {
    return new Set(PORT_FILE_KINDS);
  }
  const known = new Set<string>(PORT_FILE_KINDS);
  const kinds = new Set<PortFileKind>();
  for (const item of value) {
    if (typeof item === 'string' && known.has(item)) {
      kinds.add(item as PortFileKind);
    } else {
      const problem = `${Settings.hoverFileKinds}: ${JSON.stringify(item)} is not a file kind (one of ${PORT_FILE_KINDS.join(', ')}); ignored.`;
      if (!reported.has(problem)) {
        reported.add(problem);
        log.warn(problem);
      }
    }
  }
  return kinds;
}

export function readPortFileSettings(): PortFileSettings {
  const c = vscode.workspace.getConfiguration();
  return {
    hoverEnabled: c.get<boolean>(Settings.hoverEnabled, true) !== false,
    diagnosticsEnabled: c.get<boolean>(Settings.diagnosticsEnabled, true) !== false,
    kinds: kindsFrom(c.get<unknown>(Settings.hoverFileKinds)),
  };
}

/** True when `event` touches a hover or diagnostics setting. */
export function affectsPortFileSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return [Settings.hoverEnabled, Settings.hoverFileKinds, Settings.diagnosticsEnabled].some((key) => event.affectsConfiguration(key));
}
