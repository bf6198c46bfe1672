// Frees a port a container holds by asking its engine to stop (or restart) the container — never by
// signalling the forwarder. Like stopOwners for processes: re-check that the container still holds the
// port (it may have stopped, been removed or replaced since the user looked), act, then watch the port
// and report what was observed.
import { socketsOnPort } from '../../core/sockets';
import type { ContainerInfo, ListeningSocket, Protocol, Snapshot } from '../../core/types';
import type { FreePortResult } from '../kill/stopOwners';
import { resultsFrom } from '../kill/stopOwners';
import { processLabel } from '../../core/whatRuns';
import type { EngineEndpoint } from './engineApi';
import { EngineError, containerAction, engineEndpoints, engineTitle, listContainers } from './engineApi';

export interface StopContainerRequest {
  port: number;
  protocol?: Protocol;
  container: ContainerInfo;
  action?: 'stop' | 'restart' | 'stop-service';
  /** Seconds the engine waits after SIGTERM before it kills (`docker stop -t`). */
  graceSeconds?: number;
  /** How long to watch the port after the engine answered. */
  timeoutMs?: number;
}

export interface StopContainerDeps {
  snapshot(): Promise<Snapshot>;
  endpoints?: EngineEndpoint[];
  pollMs?: number;
}

/** The endpoint of `engine`, as the lookup found it. */
export function endpointOf(engine: ContainerInfo['engine'], endpoints: EngineEndpoint[] = engineEndpoints()): EngineEndpoint {
  const e = endpoints.find((x) => x.engine === engine);
  if (!e) {
    throw new EngineError(`No ${engineTitle(engine)} endpoint is configured.`, 'NO_ENGINE');
  }
  return e;
}

/** `container web1 (nginx)` / `compose service "db" (project shop)`: plain, not escaped. */
export function containerLabel(c: ContainerInfo): string {
  return `container ${c.name}${c.image ? ` (${c.image})` : ''}`;
}

/** Who holds one socket, for "was it there before": its container, else its owners' pids. */
function holderId(s: ListeningSocket): string {
  return s.container ? `c:${s.container.id}` : `p:${s.owners.map((o) => o.pid).sort((a, b) => a - b).join(',')}`;
}

/** `container web (nginx)`, or `node (pid 4242)`, for the first socket on a port. Plain, not escaped. */
function describeOnPort(sockets: readonly ListeningSocket[]): string {
  const first = sockets[0];
  return first.container ? containerLabel(first.container) : first.owners.map((o) => `${processLabel(o) || o.name} ${o.pid}`).join(', ') || 'a hidden process';
}

export async function stopContainer(request: StopContainerRequest, deps: StopContainerDeps): Promise<FreePortResult> {
  const { port, protocol, container } = request;
  const action = request.action ?? 'stop';
  const started = performance.now();
  const result = resultsFrom(started);
  const label = containerLabel(container);

  // --- re-check: the container the user saw must still hold the port
  const before = await deps.snapshot();
  const onPort = socketsOnPort(before, port, protocol);
  if (onPort.length === 0) {
    return result('freed', `Port ${port} is free already; ${label} was not touched.`);
  }
  if (!onPort.some((s) => s.container?.id === container.id)) {
    return result('refused', `${label} no longer holds port ${port}; ${describeOnPort(onPort)} does now. Nothing was stopped.`, { holders: onPort.flatMap((s) => s.owners) });
  }

  // What holds the port beside this container (another address, another engine): left alone here.
  const heldBefore = new Set(onPort.filter((s) => s.container?.id !== container.id).map(holderId));

  // --- act through the engine
  const endpoint = endpointOf(container.engine, deps.endpoints);
  const grace = request.graceSeconds ?? 10;
  let targets = [container.id];
  if (action === 'stop-service') {
    if (!container.compose) {
      return result('refused', `${label} is not part of a compose project.`);
    }
    const { project, service } = container.compose;
    const all = await listContainers(endpoint, 5000);
    targets = all.filter((c) => c.compose?.project === project && c.compose.service === service).map((c) => c.id);
    if (targets.length === 0) {
      targets = [container.id];
    }
  }
  try {
    await Promise.all(targets.map((id) => containerAction(endpoint, id, action === 'restart' ? 'restart' : 'stop', grace)));
  } catch (err) {
    if (err instanceof EngineError && err.code === 'NOT_FOUND') {
      return result('refused', `${label} was removed meanwhile: ${err.message}`);
    }
    throw err;
  }
  const what = action === 'stop-service' ? `compose service "${container.compose?.service}" (${targets.length} container${targets.length === 1 ? '' : 's'})` : label;
  if (action === 'restart') {
    return result('still-held', `${engineTitle(container.engine)} restarted ${what}; it holds port ${port} again.`);
  }

  // --- watch the port
  const deadline = Date.now() + (request.timeoutMs ?? 10_000);
  const pollMs = deps.pollMs ?? 200;
  for (;;) {
    const snap = await deps.snapshot();
    const now = socketsOnPort(snap, port, protocol);
    if (now.length === 0) {
      return result('freed', `${engineTitle(container.engine)} stopped ${what}; port ${port} is free now (${((performance.now() - started) / 1000).toFixed(1)} s).`);
    }
    const ours = now.some((s) => s.container && targets.includes(s.container.id));
    if (!ours && now.every((s) => heldBefore.has(holderId(s)))) {
      // Our container's sockets are gone; what is left held the port beside it all along (another
      // address, another engine): no point waiting for it to go.
      return result('taken-by-other', `${engineTitle(container.engine)} stopped ${what}; port ${port} is still held by ${describeOnPort(now)}, which held it alongside.`, {
        holders: now.flatMap((s) => s.owners),
      });
    }
    if (Date.now() >= deadline) {
      return ours
        ? result('still-held', `${engineTitle(container.engine)} stopped ${what}, but port ${port} is still held by its forwarder.`, { holders: now.flatMap((s) => s.owners) })
        : result('taken-by-other', `${engineTitle(container.engine)} stopped ${what}, but port ${port} is held by ${describeOnPort(now)} now.`, {
            holders: now.flatMap((s) => s.owners),
          });
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
