// One Ports dashboard panel: serves the HTML shell, talks to the webview through the typed protocol, and
// follows the shared state. It never scans: it reads PortsState (derived from the one inspector service)
// and asks the refresh manager for live data only while visible. Every message from the webview is
// checked (src/shared/validateMessage.ts); a bad one is answered with `rejected` and nothing happens.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { RefreshNeeds } from '../constants';
import { formatConnectionResult } from '../inspector/probe';
import type { ListeningSocket, Snapshot } from '../core/types';
import { prompt } from '../services/prompts';
import type { ActivityChange } from '../services/activityRecorder';
import { log } from '../services/logger';
import { plainText } from '../core/displayText';
import type { ActionResult, DashboardRow, DashboardUiState, HostMessage, WebviewMessage } from '../shared/protocol';
import { FULL_COMMAND_MAX } from '../shared/protocol';
import { checkAction, checkCommandLineRequest, checkTroubleshootPort, parseWebviewMessage } from '../shared/validateMessage';
import { activityEntries, heldActivity } from './activityEntries';
import type { CurrentUser, DashboardRows } from './dashboardData';
import { commandText, dashboardRows, dashboardSummary, diffRows, forgottenSockets } from './dashboardData';
import { dashboardHtml, newNonce } from './dashboardHtml';
import type { DashboardDeps, RowSettings } from './deps';
import { hostPort, portLabel } from '../core/format';

/** Options every dashboard webview gets: scripts on, and only dist/ and media/ readable. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    enableForms: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    // The house rule: no hidden webview kept alive; UI state comes back through getState/the serializer.
    retainContextWhenHidden: false,
    // Find would search only the rows in view (the table is virtual): the filter box searches all.
    enableFindWidget: false,
  };
}

function currentUser(): CurrentUser {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid !== undefined) {
    return { uid };
  }
  try {
    return { name: os.userInfo().username };
  } catch {
    return {};
  }
}

export class DashboardPanel implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires once, when the panel is closed. */
  readonly onDidDispose = this.disposeEmitter.event;
  /** The webview has said `ready` and not been torn down since: until then nothing is posted. */
  private ready = false;
  /** Rows as last sent to the webview, by key: updates carry only the difference. */
  private sent = new Map<string, DashboardRow>();
  private sentError: string | undefined;
  /** The last `init` carried a snapshot (else it said "loading", and the first snapshot is an `init`
   *  too: rows that were there all along must not flash as new). */
  private sentSnapshot = false;
  /** Rows derived from the current snapshot: what action messages are checked against. */
  private current: (DashboardRows & { snapshot: Snapshot }) | undefined;
  private readonly self = currentUser();
  private rowSettings: RowSettings;
  private disposed = false;
  /** The id the next activity entry sent gets (ids restart with every `init`). */
  private nextActivityId = 1;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: DashboardDeps,
    private uiState: DashboardUiState,
  ) {
    this.rowSettings = deps.rowSettings();
    const webview = panel.webview;
    webview.options = webviewOptions(deps.extensionUri);
    webview.html = dashboardHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'media', 'dashboard.css')).toString(),
      nonce: newNonce(),
      language: vscode.env.language,
    });
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'ports.svg');
    this.subscriptions.push(
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidChangeViewState(() => this.visibilityChanged()),
      panel.onDidDispose(() => this.dispose()),
      deps.state.onDidChange(() => this.push()),
      deps.onDidChangeRowSettings(() => {
        this.rowSettings = deps.rowSettings();
        this.current = undefined;
        this.push();
      }),
      deps.activity.onDidChange((change) => this.pushActivity(change)),
    );
    deps.refresh.setNeed(RefreshNeeds.dashboard, panel.visible);
  }

  /** The UI state the webview last reported (what the serializer will restore). */
  get ui(): DashboardUiState {
    return this.uiState;
  }

  reveal(): void {
    this.panel.reveal();
  }

  // --- host → webview

  private post(message: HostMessage): void {
    if (this.ready && !this.disposed) {
      void this.panel.webview.postMessage(message);
    }
  }

  /** Rows for the current snapshot; cached until the snapshot changes (push() rebuilds them on every
   *  state change, because terminal names and labels change without a new snapshot). */
  private rows(): (DashboardRows & { snapshot: Snapshot }) | undefined {
    const snapshot = this.deps.state.snapshot;
    if (!snapshot) {
      return undefined;
    }
    if (this.current?.snapshot !== snapshot) {
      const state = this.deps.state;
      const now = Date.now();
      const tracker = state.connections;
      this.current = {
        snapshot,
        ...dashboardRows(snapshot, {
          labels: this.rowSettings.labels,
          terminalOf: (pid) => state.terminalOf(pid)?.name,
          self: this.self,
          workspaceFolders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
          activityOf: (socket) => tracker.activity(socket, now),
          now,
          forgotten: forgottenSockets(snapshot, tracker, this.rowSettings.forgotten, now, this.self.uid),
        }),
      };
    }
    return this.current;
  }

  private errorText(): string | undefined {
    const err = this.deps.state.error;
    return err ? plainText(err.message, 300) : undefined;
  }

  private sendInit(): void {
    // Terminal names and labels may have changed while the webview was hidden (push() did not run).
    this.current = undefined;
    const current = this.rows();
    const scanError = this.errorText();
    this.sent = new Map(current?.rows.map((r) => [r.key, r]));
    this.sentError = scanError;
    this.sentSnapshot = current !== undefined;
    const history = this.deps.activity.log;
    this.nextActivityId = 1;
    const activity = activityEntries(heldActivity(history.events()), history.events(), this.nextActivityId);
    this.nextActivityId += activity.length;
    this.post({
      type: 'init',
      uiState: this.uiState,
      rows: current?.rows ?? [],
      ...(current && { summary: dashboardSummary(current.snapshot, current.rows, this.rowSettings.forgotten) }),
      ...(scanError !== undefined && { scanError }),
      loading: !current && !scanError,
      activity,
      activityTotal: history.size,
    });
  }

  /** New activity goes to the webview as it is recorded (only the new events); a cleared or reloaded
   *  log is sent again whole. Hidden, nothing is sent: `ready` brings an `init` with the whole log. */
  private pushActivity(change: ActivityChange): void {
    if (!this.ready) {
      return;
    }
    const history = this.deps.activity.log;
    // A burst (thousands of sockets opening at once) sends only what the webview would hold.
    const events = heldActivity(change.kind === 'added' ? change.events : history.events());
    if (change.kind === 'replaced') {
      this.nextActivityId = 1;
    }
    const entries = activityEntries(events, history.events(), this.nextActivityId);
    this.nextActivityId += entries.length;
    this.post({ type: 'activity', mode: change.kind === 'added' ? 'append' : 'replace', entries, total: history.size });
  }

  /** Sends what changed since the last message. Terminal names can change without a new snapshot, so
   *  rows are rebuilt on every state change and compared; an unchanged table sends nothing. */
  private push(): void {
    if (!this.ready) {
      return;
    }
    if (!this.sentSnapshot) {
      this.sendInit();
      return;
    }
    const error = this.errorText();
    if (error !== this.sentError) {
      this.sentError = error;
      this.post(error !== undefined ? { type: 'scanError', message: error } : { type: 'scanError' });
    }
    const snapshotBefore = this.current?.snapshot;
    this.current = undefined; // terminals may have changed
    const current = this.rows();
    if (!current) {
      return;
    }
    const diff = diffRows(this.sent, current.rows);
    if (diff.added.length === 0 && diff.changed.length === 0 && diff.removed.length === 0 && snapshotBefore === current.snapshot) {
      return;
    }
    this.sent = new Map(current.rows.map((r) => [r.key, r]));
    this.post({ type: 'update', ...diff, summary: dashboardSummary(current.snapshot, current.rows, this.rowSettings.forgotten) });
  }

  private visibilityChanged(): void {
    const visible = this.panel.visible;
    this.deps.refresh.setNeed(RefreshNeeds.dashboard, visible);
    if (!visible) {
      // retainContextWhenHidden is off: the webview's document is gone; a new one says `ready` again.
      this.ready = false;
    }
  }

  // --- webview → host

  private reject(reason: string, requestId?: number): void {
    log.warn(`Dashboard: rejected a message from the webview: ${reason}`);
    this.post(requestId === undefined ? { type: 'rejected', reason } : { type: 'rejected', requestId, reason });
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      // Before `ready` the answer is dropped (the host posts nothing until then); the rejection is logged.
      this.reject(parsed.reason, parsed.requestId);
      return;
    }
    const message: WebviewMessage = parsed.value;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendInit();
        return;
      case 'uiState':
        this.uiState = message.state;
        return;
      case 'refresh':
        await this.deps.refresh.freshSnapshot('manual');
        return;
      case 'action':
        await this.runAction(message);
        return;
      case 'commandLine': {
        const checked = checkCommandLineRequest(message, (key) => this.findSocket(key));
        if (!checked.ok) {
          this.reject(checked.reason, message.requestId);
          return;
        }
        const socket = checked.value;
        const owner = socket.ownerVisible ? socket.owners[0] : undefined;
        const command = owner ? commandText(owner.command || owner.name, FULL_COMMAND_MAX) : '';
        this.post({ type: 'commandLine', requestId: message.requestId, key: message.key, command });
        return;
      }
      case 'troubleshootPort': {
        const checked = checkTroubleshootPort(message, (port, protocol) => this.knownPort(port, protocol));
        if (!checked.ok) {
          this.reject(checked.reason);
          return;
        }
        await this.deps.actions.troubleshoot(checked.value);
        return;
      }
      case 'clearActivity':
        await this.clearActivity();
        return;
      default: {
        const unreachable: never = message;
        this.reject(`Unknown message ${JSON.stringify(unreachable).slice(0, 80)}.`);
      }
    }
  }

  /** A port the dashboard could have shown: listening now, or named by recorded activity. */
  private knownPort(port: number, protocol: 'tcp' | 'udp'): boolean {
    const listening = this.deps.state.snapshot?.sockets.some((s) => s.port === port && s.protocol === protocol) ?? false;
    return listening || this.deps.activity.log.forPort(port, protocol).length > 0;
  }

  /** Asks first (through the shared prompt seam, like every confirmation), then forgets the log; the
   *  recorder's change event sends the empty log to the webview. */
  private async clearActivity(): Promise<void> {
    const count = this.deps.activity.log.size;
    const clear = vscode.l10n.t('Clear Activity');
    const answer = await prompt(
      'warning',
      vscode.l10n.t('Clear the port activity log?'),
      {
        modal: true,
        detail: vscode.l10n.t('{0} recorded openings and closings will be forgotten, here and after a reload. Recording goes on.', count.toLocaleString()),
      },
      clear,
    );
    if (answer === clear) {
      await this.deps.activity.clear();
    }
  }

  /** Finds the socket a key names in the current snapshot (not in what was last sent: that may be older). */
  private findSocket(key: string): ListeningSocket | undefined {
    return this.rows()?.sockets.get(key);
  }

  private async runAction(message: Extract<WebviewMessage, { type: 'action' }>): Promise<void> {
    const checked = checkAction(message, (key) => this.findSocket(key));
    if (!checked.ok) {
      this.reject(checked.reason, message.requestId);
      return;
    }
    const { socket } = checked.value;
    const done = (status: ActionResult['status'], text: string): void =>
      this.post({ type: 'actionResult', result: { requestId: message.requestId, key: message.key, action: message.action, status, text: plainText(text, 400) } });
    // The same typed actions the tree and quick picks run: one implementation per action. A failure has
    // been shown and logged by the action; the row says so in a word.
    const { actions } = this.deps;
    const failed = (r: { status: string; message?: string }, otherwise: string): string => (r.status === 'failed' ? (r.message ?? otherwise) : otherwise);
    switch (message.action) {
      case 'free': {
        const r = await actions.free([socket]);
        const result = r.status === 'done' ? r.value[0] : undefined;
        if (result) {
          done(result.outcome === 'freed' ? 'done' : 'failed', result.message);
        } else {
          done(r.status === 'failed' ? 'failed' : 'cancelled', failed(r, vscode.l10n.t('Not stopped.')));
        }
        return;
      }
      case 'test': {
        const r = await actions.test(socket);
        if (r.status !== 'done') {
          done('failed', vscode.l10n.t('The test did not run; see the log.'));
        } else {
          done(r.value.ok === true ? 'open' : r.value.ok === false ? 'closed' : 'unknown', formatConnectionResult(r.value));
        }
        return;
      }
      case 'open': {
        const r = await actions.openInBrowser(socket);
        done(r.status === 'done' ? 'done' : r.status, r.status === 'done' ? vscode.l10n.t('Opened {0}', r.value) : failed(r, vscode.l10n.t('Not opened.')));
        return;
      }
      case 'copyAddress': {
        const r = await actions.copyAddress(socket);
        done(r.status === 'done' ? 'done' : 'failed', r.status === 'done' ? vscode.l10n.t('Copied {0}', hostPort(socket.address, socket.port)) : vscode.l10n.t('Not copied.'));
        return;
      }
      case 'copyPid': {
        const r = await actions.copyPids(socket.owners);
        done(r.status === 'done' ? 'done' : 'failed', r.status === 'done' ? vscode.l10n.t('Copied pid {0}', r.value) : vscode.l10n.t('Not copied.'));
        return;
      }
      case 'copyCommandLine': {
        const r = await actions.copyCommandLine(socket.owners);
        done(r.status === 'done' ? 'done' : 'failed', r.status === 'done' ? vscode.l10n.t('Copied the command line.') : vscode.l10n.t('Not copied.'));
        return;
      }
      case 'showTerminal': {
        const r = await actions.showTerminal(socket.owners);
        done(r.status === 'done' ? 'done' : 'cancelled', r.status === 'done' ? vscode.l10n.t('Showed terminal "{0}".', r.value) : vscode.l10n.t('Not started from a terminal of this window.'));
        return;
      }
      case 'reveal': {
        const r = await actions.reveal(socket);
        const shown = r.status === 'done' && r.value;
        done(shown ? 'done' : 'failed', shown ? vscode.l10n.t('Shown in the Ports view.') : vscode.l10n.t('{0} is not shown in the Ports view.', portLabel(socket)));
        return;
      }
      case 'troubleshoot':
      case 'activity': {
        const question = { port: socket.port, protocol: socket.protocol };
        const r = message.action === 'troubleshoot' ? await actions.troubleshoot(question) : await actions.showActivity(question);
        done(r.status === 'done' ? 'done' : 'failed', r.status === 'done' ? vscode.l10n.t('Opened beside the dashboard.') : vscode.l10n.t('Could not open it; see the log.'));
        return;
      }
      default: {
        const unreachable: never = message.action;
        this.reject(`Unknown action ${String(unreachable)}.`, message.requestId);
      }
    }
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.ready = false;
    this.deps.refresh.setNeed(RefreshNeeds.dashboard, false);
    this.subscriptions.forEach((d) => d.dispose());
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}
