// The one action service: every surface that acts on a port — the Ports view's commands, the dashboard,
// quick picks, notifications, hovers' links (through their thin commands) — calls these methods and gets a
// typed result. None of them goes through the command registry, which is the user's entry point only.
// Each method reports its own failure once (log with stack, a short message with "Show Log") and says
// so in its result, so a caller never has to guess what `undefined` meant.
import * as vscode from 'vscode';
import { hostPort, portLabel } from '../core/format';
import type { Holder } from '../core/holders';
import { holdersOf } from '../core/holders';
import type { PortQuery } from '../core/input';
import { socketsOnPort } from '../core/sockets';
import type { ListeningSocket, ProcessInfo, Snapshot } from '../core/types';
import type { FreePortResult } from '../inspector/kill/stopOwners';
import type { ConnectionResult } from '../inspector/probe';
import type { ActivityLog } from '../model/activity';
import { clipboardCommandLine } from '../model/clipboardText';
import { plainText } from '../core/displayText';
import type { PortsState } from '../services/portsState';
import { reportError } from '../services/registerCommand';
import type { RefreshManager } from '../services/refreshManager';
import { actOnContainer } from './containerActions';
import { explainHiddenOwner } from './explainHiddenOwner';
import type { FindFreePortAnswer } from './findFreePort';
import { findFreePortAction } from './findFreePort';
import { freePorts } from './freePort';
import { openInBrowser } from './openInBrowser';
import type { TestAddressAnswer } from './testConnection';
import { testAddress, testConnection } from './testConnection';
import { showActivityReport, troubleshootPort } from './troubleshoot';
import { prompt } from '../services/prompts';
import { projectsOfSocket } from '../model/projects';

/** What an action did. `cancelled`: the user said no (or closed the dialog); `failed`: it could not be
 *  done, and the user has been told why. */
export type ActionResult<T> =
  | { readonly status: 'done'; readonly value: T }
  | { readonly status: 'cancelled'; readonly message?: string }
  | { readonly status: 'failed'; readonly message: string };

/** A port asked about by number, as Troubleshoot Port and Port Activity take it. */
export type PortQuestion = Pick<PortQuery, 'port' | 'protocol' | 'host'>;

export interface PortActionsDeps {
  /** The shared, derived state every surface reads: the snapshot and the owners' terminals. */
  readonly state: Pick<PortsState, 'snapshot' | 'terminalOf'>;
  /** Scans go through the one refresh owner, so every surface follows what an action does. */
  readonly refresh: Pick<RefreshManager, 'freshSnapshot'>;
  activity(): ActivityLog;
}

const done = <T>(value: T): ActionResult<T> => ({ status: 'done', value });
const cancelled = <T>(message?: string): ActionResult<T> => ({ status: 'cancelled', ...(message !== undefined ? { message } : {}) });

export class PortActions {
  /** Shows a socket's row in the Ports view; set by the view once it exists (the view is a floor above). */
  revealInView: ((socket: ListeningSocket) => Promise<boolean>) | undefined;

  constructor(private readonly deps: PortActionsDeps) {}

  /** The value of a result, or undefined: what a command returns to whoever ran it. */
  static valueOf<T>(result: ActionResult<T>): T | undefined {
    return result.status === 'done' ? result.value : undefined;
  }

  /** Frees the ports of `sockets` with one confirmation naming every holder. Each holder is stopped its
   *  own way; one result per distinct port. */
  free(sockets: readonly ListeningSocket[]): Promise<ActionResult<FreePortResult[]>> {
    return this.run('Free Port', async () => {
      const byKind = new Map<Holder['kind'], ListeningSocket[]>();
      for (const s of sockets) {
        const kind = holdersOf(s)[0]?.kind ?? 'process';
        byKind.set(kind, [...(byKind.get(kind) ?? []), s]);
      }
      const results: FreePortResult[] = [];
      const containers = byKind.get('container') ?? [];
      const notes: string[] = [];
      const asked = new Set<string>();
      for (const s of containers) {
        // The forwarder holds the socket but the container serves it: its engine stops the container;
        // docker-proxy or conmon is never signalled (that breaks the engine's networking).
        const holder = holdersOf(s)[0];
        // One question per container and port: a port published on 0.0.0.0 and :: is two sockets.
        if (holder.kind !== 'container' || asked.has(`${holder.container.id}|${s.port}|${s.protocol}`)) {
          continue;
        }
        asked.add(`${holder.container.id}|${s.port}|${s.protocol}`);
        const outcome = await actOnContainer(s, holder.container, { snapshot: () => this.freshSnapshot() });
        if (outcome && 'result' in outcome) {
          results.push(outcome.result);
        } else if (outcome) {
          notes.push(outcome.note);
        }
      }
      const processes = byKind.get('process') ?? [];
      if (processes.length > 0) {
        const freed = await freePorts(processes, {
          refresh: () => this.freshSnapshot(),
          terminalOf: (pid) => this.deps.state.terminalOf(pid),
          current: () => this.deps.state.snapshot,
          again: (port, protocol) => this.freePort(port, protocol),
        });
        if (!freed) {
          return results.length > 0 ? done(results) : cancelled(vscode.l10n.t('Not stopped.'));
        }
        results.push(...freed);
      }
      if (results.length === 0) {
        return cancelled(notes.length > 0 ? notes.join(' ') : vscode.l10n.t('Not stopped.'));
      }
      return done(results);
    });
  }

  /** Stops every server of a project (the folder `root`): one confirmation naming every holder, then
   *  the same re-checked, graceful stop as Free Port; a container of the project is left to its engine. */
  stopProject(root: string): Promise<ActionResult<FreePortResult[]>> {
    return this.run('Stop All in Project', async () => {
      const sockets = (this.deps.state.snapshot?.sockets ?? []).filter(
        (s) => projectsOfSocket(s).some((p) => p.root === root),
      );
      if (sockets.length === 0) {
        const message = vscode.l10n.t('No port of {0} is held now.', plainText(root, 200));
        void prompt('info', message);
        return cancelled(message);
      }
      const result = await this.free(sockets);
      return result;
    });
  }

  /** Frees whatever is on `port` now (a fresh look: what held it before may be gone or replaced). */
  async freePort(port: number, protocol: 'tcp' | 'udp'): Promise<ActionResult<FreePortResult[]>> {
    const snapshot = await this.freshSnapshot();
    const onPort = socketsOnPort(snapshot, port, protocol);
    if (onPort.length === 0) {
      void prompt('info', vscode.l10n.t('Port {0} is free now.', portLabel({ port, protocol })));
      return cancelled(vscode.l10n.t('Port {0} is free now.', portLabel({ port, protocol })));
    }
    return this.free([onPort[0]]);
  }

  test(socket: ListeningSocket): Promise<ActionResult<ConnectionResult>> {
    return this.run('Test Connection', async () => done(await testConnection(socket)));
  }

  /** Tests a typed `host:port` (asks for one when `input` is undefined). */
  testAddress(input?: unknown): Promise<ActionResult<TestAddressAnswer>> {
    return this.run('Test Connection', async () => {
      const answer = await testAddress(input);
      return answer ? done(answer) : cancelled();
    });
  }

  /** Opens the socket's page; the URL opened. */
  openInBrowser(socket: ListeningSocket): Promise<ActionResult<string>> {
    return this.run('Open in Browser', async () => {
      const url = await openInBrowser(socket);
      return url !== undefined ? done(url) : cancelled(vscode.l10n.t('Not opened.'));
    });
  }

  explainHiddenOwner(socket: ListeningSocket): Promise<ActionResult<void>> {
    return this.run('Explain Hidden Owner', async () => done(await explainHiddenOwner(socket)));
  }

  copyAddress(socket: ListeningSocket): Promise<ActionResult<string>> {
    return this.run('Copy Address', () => copy(hostPort(socket.address, socket.port), vscode.l10n.t('the address')));
  }

  copyPids(owners: readonly ProcessInfo[]): Promise<ActionResult<string>> {
    return this.run('Copy PID', () => {
      if (owners.length === 0) {
        throw new Error(vscode.l10n.t('The owner of this port is not visible, so its pid is unknown.'));
      }
      return copy(owners.map((o) => o.pid).join(' '), owners.length === 1 ? vscode.l10n.t('the pid') : vscode.l10n.t('the pids'));
    });
  }

  copyCommandLine(owners: readonly ProcessInfo[]): Promise<ActionResult<string>> {
    return this.run('Copy Command Line', () => {
      if (owners.length === 0) {
        throw new Error(vscode.l10n.t('The owner of this port is not visible, so its command line is unknown.'));
      }
      // Forked workers share one command line: copy it once.
      const lines = [...new Set(owners.map((o) => clipboardCommandLine(o.command || o.name)))];
      return copy(lines.join('\n'), vscode.l10n.t('the command line'));
    });
  }

  /** Shows the integrated terminal the owners were started from; its name. */
  showTerminal(owners: readonly ProcessInfo[]): Promise<ActionResult<string>> {
    return this.run('Show Terminal', async () => {
      const terminal = owners.map((o) => this.deps.state.terminalOf(o.pid)).find((t) => t !== undefined);
      if (!terminal) {
        const message = vscode.l10n.t('{0} was not started from one of this window\u2019s integrated terminals.', plainText(owners[0]?.name ?? 'This process', 40));
        void prompt('info', message);
        return cancelled(message);
      }
      terminal.show();
      return done(terminal.name);
    });
  }

  /** Shows the socket's row in the Ports view; false when its filter or options hide it. */
  reveal(socket: ListeningSocket): Promise<ActionResult<boolean>> {
    return this.run('Reveal in Ports View', async () => {
      if (!this.revealInView) {
        throw new Error(vscode.l10n.t('The Ports view is not ready yet.'));
      }
      return done(await this.revealInView(socket));
    });
  }

  findFreePort(input?: unknown): Promise<ActionResult<FindFreePortAnswer>> {
    return this.run('Find a Free Port', async () => {
      const answer = await findFreePortAction(input, { refresh: () => this.deps.refresh.freshSnapshot(), current: () => this.deps.state.snapshot });
      return answer ? done(answer) : cancelled();
    });
  }

  /** Runs the troubleshooting checklist for a port and opens the report; its Markdown. */
  troubleshoot(question: PortQuestion): Promise<ActionResult<string>> {
    return this.run('Troubleshoot Port', async () => done(await troubleshootPort(question, { snapshot: () => this.freshSnapshot(), activity: () => this.deps.activity() })));
  }

  /** Opens the recorded activity of a port (or of every port); its Markdown. */
  showActivity(question?: Pick<PortQuestion, 'port' | 'protocol'>): Promise<ActionResult<string>> {
    return this.run('Port Activity', async () => done(await showActivityReport(this.deps.activity(), question)));
  }

  // --- internals

  /** A snapshot taken now, through the refresh manager. @throws when scanning fails (already shown). */
  private async freshSnapshot(): Promise<Snapshot> {
    const snapshot = await this.deps.refresh.freshSnapshot();
    if (!snapshot) {
      throw new Error(vscode.l10n.t('Cannot list ports right now; see the log.'));
    }
    return snapshot;
  }

  private async run<T>(name: string, action: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
    try {
      return await action();
    } catch (err) {
      reportError(name, err);
      return { status: 'failed', message: err instanceof Error ? err.message : String(err) };
    }
  }
}

async function copy(text: string, what: string): Promise<ActionResult<string>> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}.', what), 3000);
  return done(text);
}
