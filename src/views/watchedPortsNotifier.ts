// Watched ports: while any are configured, a slow poll (WATCHED_POLL_MS, or the refresh setting if that is
// slower) keeps their state current even with every view hidden — the one exception to "no scans while
// nothing is visible", because the status bar shows them and notifications report them. A notification
// (setting `portInspector.notifyWatchedPorts`, on by default; unwatched ports never notify) says when
// one becomes taken or free.
import * as vscode from 'vscode';
import { RefreshNeeds } from '../constants';
import type { ListeningSocket } from '../core/types';
import type { WatchedPortChange } from '../model/watchedPorts';
import { describeHolders, watchedKey } from '../model/watchedPorts';
import { plainText } from '../core/displayText';
import { log } from '../services/logger';
import type { PortsState } from '../services/portsState';
import type { RefreshManager } from '../services/refreshManager';
import { prompt } from '../services/prompts';

/** The slow poll for watched ports while no view is visible. */
export const WATCHED_POLL_MS = 5000;
const NOTIFICATION_LOG_MAX = 20;

export class WatchedPortsNotifier implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly shown: string[] = [];

  constructor(
    private readonly state: PortsState,
    private readonly refresh: RefreshManager,
    private notify: boolean,
    /** What the notification's buttons do: the action service's Free Port, and the port list. */
    private readonly buttons: { free(socket: ListeningSocket): Promise<unknown>; showPorts(): Promise<unknown> },
  ) {
    this.subscriptions.push(state.onDidChangeWatched((changes) => this.onChanges(changes)));
    this.updateNeed();
  }

  setNotify(notify: boolean): void {
    this.notify = notify;
  }

  /** Call after the watched-port list changed. */
  updateNeed(): void {
    const watching = this.state.watchedPorts.length > 0;
    this.refresh.setNeed(RefreshNeeds.watchedPorts, watching, WATCHED_POLL_MS);
    if (watching) {
      log.info(`Watching ports ${this.state.watchedPorts.map(watchedKey).join(', ')} (a scan every ${WATCHED_POLL_MS / 1000} s or slower while no view is open).`);
    }
  }

  /** The notification texts shown so far, newest last (for tests and the log). */
  get notifications(): readonly string[] {
    return this.shown;
  }

  private onChanges(changes: readonly WatchedPortChange[]): void {
    for (const change of changes) {
      const key = watchedKey(change.state.watch);
      const socket = change.state.sockets[0];
      let text: string;
      if (change.kind === 'freed') {
        text = vscode.l10n.t('Watched port {0} is free now.', key);
      } else {
        const owner = change.state.holders[0];
        const terminal = owner ? this.state.terminalOf(owner.pid) : undefined;
        const where = terminal ? vscode.l10n.t(' (started in terminal "{0}")', terminal.name) : '';
        text = vscode.l10n.t('Watched port {0} is now in use by {1}{2}.', key, describeHolders(change.state), where);
      }
      // Names and terminal titles come from processes: plain text only.
      text = plainText(text, 300);
      log.info(text);
      if (!this.notify) {
        continue;
      }
      this.shown.push(text);
      if (this.shown.length > NOTIFICATION_LOG_MAX) {
        this.shown.shift();
      }
      const actions = change.kind === 'taken' && socket && change.state.holders.length > 0 ? [vscode.l10n.t('Free Port…'), vscode.l10n.t('Show Ports')] : [];
      void prompt('info', text, {}, ...actions).then((choice) => {
        if (choice === undefined) {
          return undefined;
        }
        if (choice === actions[0]) {
          return this.buttons.free(socket);
        }
        if (choice === actions[1]) {
          return this.buttons.showPorts();
        }
        return undefined;
      });
    }
  }

  dispose(): void {
    this.refresh.setNeed(RefreshNeeds.watchedPorts, false);
    this.subscriptions.forEach((d) => d.dispose());
  }
}
