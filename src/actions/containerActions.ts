// Free Port on a port a container holds: the container is what the user wants gone, so it is offered —
// Stop Container, Stop Compose Service (where labelled), Restart, Show Logs, Open Shell — and its engine
// does it. The forwarder holding the socket (docker-proxy, conmon, …) is shown and never signalled.
import * as vscode from 'vscode';
import { portLabel } from '../core/format';
import { forwarderOf, shellSafeContainerRef } from '../core/containerProcesses';
import type { ContainerInfo, ListeningSocket, Snapshot } from '../core/types';
import { endpointOf, containerLabel, stopContainer } from '../inspector/containers/stopContainer';
import { engineTitle } from '../inspector/containers/engineApi';
import type { FreePortResult } from '../inspector/kill/stopOwners';
import { plainText } from '../core/displayText';
import { log } from '../services/logger';
import { prompt } from '../services/prompts';

export interface ContainerActionDeps {
  snapshot(): Promise<Snapshot>;
}

/** What the user chose and what came of it: a stop's result, or a note (logs or a shell were opened). */
export type ContainerOutcome = { result: FreePortResult } | { note: string } | undefined;

function buttons(): { stop: string; service: string; restart: string; logs: string; shell: string } {
  return {
    stop: vscode.l10n.t('Stop Container'),
    service: vscode.l10n.t('Stop Compose Service'),
    restart: vscode.l10n.t('Restart Container'),
    logs: vscode.l10n.t('Show Logs'),
    shell: vscode.l10n.t('Open Shell'),
  };
}

/** The command a user would type, with the engine's endpoint when it is not the default one. */
export function engineCommand(c: ContainerInfo, verb: 'logs' | 'exec'): { command: string; env: Record<string, string> } {
  const ref = shellSafeContainerRef(c);
  const tool = c.engine === 'docker' ? 'docker' : 'podman';
  const command = verb === 'logs' ? `${tool} logs -f --tail 200 ${ref}` : `${tool} exec -it ${ref} sh`;
  const env: Record<string, string> = {};
  try {
    const e = endpointOf(c.engine);
    if (e.source !== 'default' && e.socketPath !== undefined) {
      env[c.engine === 'docker' ? 'DOCKER_HOST' : 'CONTAINER_HOST'] = `unix://${e.socketPath}`;
    }
  } catch {
    // No endpoint: the tool's own default applies.
  }
  return { command, env };
}

/** Asks what to do with the container that holds `socket`, and does it. Undefined: cancelled. */
export async function actOnContainer(socket: ListeningSocket, container: ContainerInfo, deps: ContainerActionDeps): Promise<ContainerOutcome> {
  const b = buttons();
  const engine = engineTitle(container.engine);
  const label = containerLabel(container);
  // The forwarders hold the socket for the container; a `--network=host` container's own process holds
  // it itself. Either way the engine stops the container; only a forwarder must never be signalled.
  const forwarders = socket.owners.filter((o) => forwarderOf(o)).map((o) => `${plainText(o.name, 60)} (pid ${o.pid})`).join(', ');
  const inside = socket.owners.filter((o) => !forwarderOf(o)).map((o) => `${plainText(o.name, 60)} (pid ${o.pid})`).join(', ');
  const detail = [
    vscode.l10n.t('{0} is published by {1} ({2}, id {3}).', portLabel(socket), label, engine, container.id.slice(0, 12)),
    container.compose ? vscode.l10n.t('Compose service "{0}" of project "{1}".', container.compose.service, container.compose.project) : '',
    forwarders
      ? vscode.l10n.t('{0} forwards the port and is never signalled: stopping it would break {1}\u2019s networking and leave the container running.', forwarders, engine)
      : '',
    inside ? vscode.l10n.t('{0} runs inside the container (it shares the host\u2019s network) and stops with it.', inside) : '',
    vscode.l10n.t('Stop Container asks {0} to stop it (SIGTERM, then SIGKILL after 10 s), then watches the port.', engine),
  ]
    .filter((l) => l !== '')
    .join('\n');
  const offered = [b.stop, ...(container.compose ? [b.service] : []), b.restart, b.logs, b.shell];
  const choice = await prompt('warning', vscode.l10n.t('Stop {0}?', plainText(label, 120)), { modal: true, detail }, ...offered);
  if (choice === undefined) {
    return undefined;
  }
  if (choice === b.logs || choice === b.shell) {
    const { command, env } = engineCommand(container, choice === b.logs ? 'logs' : 'exec');
    const terminal = vscode.window.createTerminal({ name: `${choice === b.logs ? 'Logs' : 'Shell'}: ${plainText(container.name, 40)}`, env });
    terminal.show();
    // Typed and run, as the user would: the terminal shows exactly what ran.
    terminal.sendText(command, true);
    return { note: vscode.l10n.t('Opened a terminal running {0}.', command) };
  }
  const action = choice === b.restart ? 'restart' : choice === b.service ? 'stop-service' : 'stop';
  const title = action === 'restart' ? vscode.l10n.t('Restarting {0}…', plainText(label, 80)) : vscode.l10n.t('Stopping {0}…', plainText(label, 80));
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () =>
    stopContainer({ port: socket.port, protocol: socket.protocol, container, action }, { snapshot: deps.snapshot }),
  );
  log.info(`Free port ${portLabel(socket)} (${action} ${container.engine} container ${container.id.slice(0, 12)}): ${result.outcome}: ${result.message}`);
  void prompt(result.outcome === 'freed' || action === 'restart' ? 'info' : 'warning', plainText(result.message, 600));
  return { result };
}
