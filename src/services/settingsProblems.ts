// What the user hears about invalid settings. Every read of the settings reports the complete current list
// of problems here (settings are read on every refresh, so the same problem arrives again and again):
// each problem is logged when it appears, and one non-modal warning covers each new set of problems.
// A setting set back to a valid value is forgotten silently, so breaking it again warns again.
// The warning waits until the settings have been still for a moment: typing "1500" into the Settings
// editor passes through 1, 15 and 150, and an edit of settings.json may change several settings in turn.
import * as vscode from 'vscode';
import { prompt } from './prompts';
import { EXTENSION_ID } from '../constants';
import type { SettingProblem } from '../model/settingsSchema';
import { settingsWithProblems } from '../model/settingsSchema';
import { log } from './logger';

const WARN_DELAY_MS = 1500;

export class SettingsProblems implements vscode.Disposable {
  /** Problems present at the last report (each was logged when it appeared). */
  private current: readonly SettingProblem[] = [];
  /** Problems the user has been warned about and that are still present. */
  private readonly warned = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(private readonly delayMs = WARN_DELAY_MS) {}

  /** Takes the complete list of current problems (an empty list when every setting is valid). */
  update(problems: readonly SettingProblem[]): void {
    const before = new Set(this.current.map((p) => p.message));
    const now = new Set(problems.map((p) => p.message));
    for (const p of problems) {
      if (!before.has(p.message)) {
        log.warn(p.message);
      }
    }
    for (const message of before) {
      if (!now.has(message)) {
        this.warned.delete(message);
      }
    }
    const changed = before.size !== now.size || [...now].some((m) => !before.has(m));
    this.current = problems;
    if (changed && !this.disposed && [...now].some((m) => !this.warned.has(m))) {
      // Restarted on every change, so a burst of edits gets one warning about where it ended.
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.warn(), this.delayMs);
    }
  }

  private warn(): void {
    this.timer = undefined;
    const problems = this.current;
    if (this.disposed || !problems.some((p) => !this.warned.has(p.message))) {
      return;
    }
    problems.forEach((p) => this.warned.add(p.message));
    const settings = settingsWithProblems(problems);
    const names = settings.map((id) => id.replace(/^portInspector\./, '')).join(', ');
    const message =
      settings.length === 1
        ? vscode.l10n.t('Port Inspector: the setting {0} is invalid; the default is used. See the log for details.', names)
        : vscode.l10n.t('Port Inspector: {0} settings are invalid ({1}); defaults are used. See the log for details.', settings.length, names);
    const openSettings = vscode.l10n.t('Open Settings');
    const showLog = vscode.l10n.t('Show Log');
    void Promise.resolve(prompt('warning', message, {}, openSettings, showLog))
      .then((choice) => {
        if (choice === openSettings) {
          // One bad setting: show just that one; several: every setting of the extension.
          const query = settings.length === 1 ? settings[0] : `@ext:${EXTENSION_ID}`;
          return vscode.commands.executeCommand('workbench.action.openSettings', query);
        }
        if (choice === showLog) {
          log.show();
        }
        return undefined;
      })
      .then(undefined, (err: unknown) => log.error('Could not show the invalid-settings warning.', err));
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
  }
}

/** The one instance: the settings readers are plain functions called from every surface. */
export const settingsProblems = new SettingsProblems();
