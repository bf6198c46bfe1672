// The page's side of the message protocol (src/shared/protocol.ts): everything it posts to the host and
// the requests still waiting for an answer.
import type { DashboardRow, DashboardUiState, RowAction } from '../src/shared/protocol';
import { post } from './vscodeApi';


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
