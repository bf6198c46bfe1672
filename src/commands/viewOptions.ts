// View options from the view title: grouping, sort order, UDP and hidden-owner sockets. Each one is a
// setting, so the choice persists and the Settings editor shows it; the tree follows the setting.
import * as vscode from 'vscode';
import { Commands, Settings } from '../constants';
import type { Grouping } from '../model/portsTree';
import { GROUPINGS } from '../model/portsTree';
import type { SettingId } from '../constants';
import { settings } from '../services/settings';
import { registerCommand } from '../services/registerCommand';

function groupingLabel(g: Grouping): string {
  switch (g) {
    case 'none':
      return vscode.l10n.t('Flat List');
    case 'range':
      return vscode.l10n.t('By Port Range');
    case 'process':
      return vscode.l10n.t('By Process');
    case 'project':
      return vscode.l10n.t('By Project');
    case 'container':
      return vscode.l10n.t('By Container (compose project)');
  }
}

async function chooseGrouping(arg: unknown): Promise<Grouping | undefined> {
  if (GROUPINGS.includes(arg as Grouping)) {
    return arg as Grouping;
  }
  if (arg !== undefined) {
    throw new Error(vscode.l10n.t('Unknown grouping "{0}": use none, range, process, project or container.', String(arg).slice(0, 20)));
  }
  const current = settings.viewConfig().grouping;
  const picked = await vscode.window.showQuickPick(
    GROUPINGS.map((g) => ({ label: groupingLabel(g), description: g === current ? vscode.l10n.t('current') : undefined, grouping: g })),
    { title: vscode.l10n.t('Group Ports') },
  );
  return picked?.grouping;
}

export function registerViewOptions(): vscode.Disposable[] {
  const set = (key: SettingId, value: unknown) => (): Promise<void> => settings.update(key, value);
  return [
    registerCommand(Commands.groupBy, async (arg) => {
      const grouping = await chooseGrouping(arg);
      if (grouping) {
        await settings.update(Settings.groupBy, grouping);
      }
      return grouping;
    }),
    registerCommand(Commands.sortByPort, set(Settings.sortBy, 'port')),
    registerCommand(Commands.sortByProcess, set(Settings.sortBy, 'process')),
    registerCommand(Commands.showUdp, set(Settings.showUdp, true)),
    registerCommand(Commands.hideUdp, set(Settings.showUdp, false)),
    registerCommand(Commands.showHiddenOwners, set(Settings.showHiddenOwners, true)),
    registerCommand(Commands.hideHiddenOwners, set(Settings.showHiddenOwners, false)),
  ];
}
