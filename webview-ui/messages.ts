// The page's side of the message protocol (src/shared/protocol.ts): everything it posts to the host, the
// requests still waiting for an answer, and what each message from the host does to the page.
import type { DashboardRow, DashboardUiState, HostMessage, RowAction } from '../src/shared/protocol';
import type { Dashboard } from './dashboard';
import { post } from './vscodeApi';

// --- to the host

interface ActionRequest {
  key: string;
  action: RowAction;
}

/** The only way to the host. Row actions and command-line requests carry an id, which comes back in the
 *  answer or in `rejected`; one counter for both, so an id names one request. */
export class HostChannel {
  private requestSeq = 0;
  private readonly actions = new Map<number, ActionRequest>();
  /** Row key by request id: a command line already asked for is not asked again. */
  private readonly commandLines = new Map<number, string>();

  /** The host posts nothing until it hears this: a message sent before the page listens is lost. */
  ready(): void {
    post({ type: 'ready' });
  }

  uiState(state: DashboardUiState): void {
    post({ type: 'uiState', state });
  }

  refresh(): void {
    post({ type: 'refresh' });
  }

  troubleshootPort(port: number, protocol: 'tcp' | 'udp'): void {
    post({ type: 'troubleshootPort', port, protocol });
  }

  clearActivity(): void {
    post({ type: 'clearActivity' });
  }

  /** Records a row action under a new request id, for `sendAction`. */
  newAction(action: RowAction, key: string): number {
    const requestId = ++this.requestSeq;
    this.actions.set(requestId, { key, action });
    return requestId;
  }

  sendAction(requestId: number, action: RowAction, row: DashboardRow): void {
    // The pid the user sees goes along: the host acts only if that process still holds the port.
    post(row.ownerVisible && row.pids.length > 0 ? { type: 'action', requestId, action, key: row.key, pid: row.pids[0] } : { type: 'action', requestId, action, key: row.key });
  }

  commandLine(key: string): void {
    if ([...this.commandLines.values()].includes(key)) {
      return;
    }
    const requestId = ++this.requestSeq;
    this.commandLines.set(requestId, key);
    post({ type: 'commandLine', requestId, key });
  }

  /** Forgets a request once answered or refused; returns it if it was a row action. */
  settle(requestId: number | undefined): ActionRequest | undefined {
    if (requestId === undefined) {
      return undefined;
    }
    const action = this.actions.get(requestId);
    this.actions.delete(requestId);
    this.commandLines.delete(requestId);
    return action;
  }
}

// --- from the host

/** Applies one message from the host to the page. */
export function handleHostMessage(message: HostMessage, page: Dashboard, host: HostChannel): void {
  const started = performance.now();
  const { data, state } = page;
  switch (message.type) {
    case 'init':
      page.figures.initArrived(started);
      state.adopt(message.uiState);
      page.showUi();
      data.reset(message);
      page.banners.showScanError(data.scanError);
      page.summary.show(data.summary);
      page.redrawTable('data');
      page.activityPane.setEntries(data.activity, data.activityTotal);
      page.figures.rendered('init', started, message.rows.length);
      state.saveForReload();
      page.showLoaded();
      return;
    case 'update':
      data.apply(message);
      page.summary.show(data.summary);
      page.redrawTable('data');
      page.figures.rendered('update', started, message.added.length + message.changed.length + message.removed.length);
      page.figures.count('updates');
      page.scheduleExpiry();
      return;
    case 'activity':
      data.addActivity(message);
      page.activityPane.setEntries(data.activity, data.activityTotal);
      page.figures.count('activityMessages');
      return;
    case 'scanError':
      data.scanError = message.message;
      page.banners.showScanError(data.scanError);
      return;
    case 'actionResult': {
      const r = message.result;
      host.settle(r.requestId);
      if (r.action === 'test') {
        page.showTestResult(r.key, { status: r.status, text: r.text });
      } else {
        page.showNote(r.text);
      }
      return;
    }
    case 'commandLine':
      host.settle(message.requestId);
      data.fullCommands.set(message.key, message.command);
      if (state.active?.row.key === message.key) {
        page.showDetails();
      }
      return;
    case 'rejected': {
      const request = host.settle(message.requestId);
      if (request?.action === 'test') {
        data.results.set(request.key, { status: 'failed', text: `Not tested: ${message.reason}` });
        page.grid.refresh();
      }
      page.banners.set('rejected', `The extension refused a request from this page: ${message.reason}`, 'warning');
      return;
    }
    default: {
      const unknown: never = message;
      console.warn('Port Inspector dashboard: unknown message', unknown);
    }
  }
}
