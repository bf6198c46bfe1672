// The container side of a published port, for Troubleshoot Port: the engine's inspect (state, start time,
// main pid, addresses, port map), then whether anything listens on the container port. Two ways to tell:
//  - read the container's own socket tables through its main process (/proc/<pid>/net/tcp*, the tables of
//    the process's network namespace): exact, and it shows the address bound inside (a server bound to
//    127.0.0.1 inside the container is the classic "published but refused"). Any user may read them
//    (checked: a root process's tables in another network namespace, read as nobody), unless /proc is
//    mounted with hidepid or the process is in another pid namespace (a rootless engine's).
//  - else connect from here to the container's address and port (reachable from the host on Linux with
//    a rootful bridge network; not through Docker Desktop's VM or a rootless engine's namespace).
// When neither works, it says so in plain words rather than guess.
import * as fs from 'node:fs';
import type { ContainerInfo, Protocol } from '../../core/types';
import { parseProcNetTable } from '../linux/procNetTable';
import { testConnection } from '../probe';
import type { EngineEndpoint } from './engineApi';
import { EngineError, engineEndpoints, engineRequest, engineTitle } from './engineApi';

/** What the engine's inspect says about a container's network. */
export interface ContainerInspect {
  state?: string;
  startedAt?: number;
  /** The container's main process as the host sees it; 0 or absent when it does not run. */
  pid?: number;
  /** `bridge`, `host`, `none`, a network's name, `container:<id>`, … */
  networkMode?: string;
  /** Its addresses on the engine's networks. */
  addresses: string[];
  /** Published ports: container port → host address and port. */
  ports: Array<{ containerPort: number; protocol: Protocol; hostIp?: string; hostPort?: number }>;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Parses `GET /containers/{id}/json` (Docker, and Podman's compatible API): undefined when it is not one. */
export function parseContainerInspect(body: unknown): ContainerInspect | undefined {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  const b = body as Record<string, unknown>;
  const state = (b.State ?? {}) as Record<string, unknown>;
  const started = typeof state.StartedAt === 'string' ? Date.parse(state.StartedAt) : NaN;
  const net = (b.NetworkSettings ?? {}) as Record<string, unknown>;
  const addresses: string[] = [];
  const add = (a: unknown): void => {
    if (typeof a === 'string' && a !== '' && !addresses.includes(a)) {
      addresses.push(a);
    }
  };
  for (const n of Object.values((net.Networks ?? {}) as Record<string, Record<string, unknown> | null>)) {
    add(n?.IPAddress);
    add(n?.GlobalIPv6Address);
  }
  add(net.IPAddress);
  const ports: ContainerInspect['ports'] = [];
  for (const [key, bindings] of Object.entries((net.Ports ?? {}) as Record<string, unknown>)) {
    const m = /^(\d{1,5})\/(tcp|udp)$/.exec(key);
    if (!m) {
      continue;
    }
    const containerPort = Number(m[1]);
    const protocol = m[2] as Protocol;
    for (const bind of Array.isArray(bindings) ? (bindings as Array<Record<string, unknown>>) : []) {
      const hostPort = Number(bind?.HostPort);
      ports.push({ containerPort, protocol, ...(str(bind?.HostIp) ? { hostIp: str(bind.HostIp) } : {}), ...(Number.isInteger(hostPort) && hostPort > 0 ? { hostPort } : {}) });
    }
  }
  const hostConfig = (b.HostConfig ?? {}) as Record<string, unknown>;
  return {
    ...(str(state.Status) ? { state: str(state.Status) } : {}),
    ...(Number.isFinite(started) && started > 0 ? { startedAt: started } : {}),
    ...(typeof state.Pid === 'number' && state.Pid > 0 ? { pid: state.Pid } : {}),
    ...(str(hostConfig.NetworkMode) ? { networkMode: str(hostConfig.NetworkMode) } : {}),
    addresses,
    ports,
  };
}

/** Asks the engine for one container's inspect. */
export async function inspectContainerNetwork(e: EngineEndpoint, id: string, timeoutMs = 2000): Promise<ContainerInspect> {
  const { status, body } = await engineRequest(e, `/v1.41/containers/${encodeURIComponent(id)}/json`, { timeoutMs });
  if (status === 404) {
    throw new EngineError(`The container ${id.slice(0, 12)} no longer exists (it was removed).`, 'NOT_FOUND');
  }
  const parsed = status === 200 ? parseContainerInspect(body) : undefined;
  if (!parsed) {
    throw new EngineError(`${engineTitle(e.engine)} answered ${status} to the inspect of ${id.slice(0, 12)}.`, 'FAILED');
  }
  return parsed;
}

/** Whether something listens on the container port, and how that was found out. */
export interface ContainerPortCheck {
  /** `netns`: the container's socket tables were read; `connect`: a connection was tried; `none`: not checked. */
  method: 'netns' | 'connect' | 'none';
  /** Undefined when it could not be told. */
  listening?: boolean;
  /** `netns`: the addresses bound on the port inside the container. */
  boundAddresses?: string[];
  /** Plain words: why it could not be checked, or what the connection test said. */
  note?: string;
}

/** Everything Troubleshoot Port shows about the container side. */
export interface ContainerSide {
  inspect?: ContainerInspect;
  /** The container's address and port the host side forwards to. */
  containerIp?: string;
  containerPort?: number;
  check: ContainerPortCheck;
  /** `DOCKER_HOST=unix:///…` when the engine is not at its default place (for the logs command). */
  endpointEnv?: { name: string; value: string };
}

export interface ContainerSideRequest {
  container: ContainerInfo;
  /** The host port and protocol asked about. */
  hostPort: number;
  protocol: Protocol;
  /** What the forwarder's arguments say (docker-proxy's `-container-ip` / `-container-port`). */
  containerIp?: string;
  containerPort?: number;
}

export interface ContainerSideOptions {
  endpoints?: EngineEndpoint[];
  procRoot?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The listening sockets on `port` in the network namespace of `pid`, from its /proc tables. */
export function listenersInNamespace(pid: number, port: number, protocol: Protocol, procRoot = '/proc'): string[] {
  const found: string[] = [];
  let read = 0;
  let lastError: unknown;
  for (const table of protocol === 'udp' ? ['udp', 'udp6'] : ['tcp', 'tcp6']) {
    try {
      const text = fs.readFileSync(`${procRoot}/${pid}/net/${table}`, 'latin1');
      read++;
      for (const e of parseProcNetTable(text, protocol)) {
        if (e.listening && e.port === port && !found.includes(e.address)) {
          found.push(e.address);
        }
      }
    } catch (err) {
      // tcp6 is absent with IPv6 off; only a namespace where nothing could be read is a failure.
      lastError = err;
    }
  }
  if (read === 0) {
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }
  return found;
}

function endpointEnv(e: EngineEndpoint): ContainerSide['endpointEnv'] {
  if (e.source === 'default') {
    return undefined;
  }
  const value = e.socketPath !== undefined ? `unix://${e.socketPath}` : `tcp://${e.host}:${e.port}`;
  return { name: e.engine === 'docker' ? 'DOCKER_HOST' : 'CONTAINER_HOST', value };
}

/**
 * The container side of a published port: inspect, then the container's socket tables, else a connection
 * to its address. Never throws for what it finds: an engine that does not answer is a note.
 */
export async function checkContainerSide(request: ContainerSideRequest, options: ContainerSideOptions = {}): Promise<ContainerSide> {
  const { container, protocol } = request;
  const endpoint = (options.endpoints ?? engineEndpoints()).find((e) => e.engine === container.engine);
  const title = engineTitle(container.engine);
  let inspect: ContainerInspect | undefined;
  let inspectProblem: string | undefined;
  if (endpoint) {
    try {
      inspect = await inspectContainerNetwork(endpoint, container.id, options.timeoutMs ?? 2000);
    } catch (err) {
      inspectProblem = err instanceof Error ? err.message : String(err);
    }
  } else {
    inspectProblem = `No ${title} endpoint is configured.`;
  }
  const published = inspect?.ports.find((p) => p.protocol === protocol && p.hostPort === request.hostPort);
  const containerPort = request.containerPort ?? published?.containerPort;
  const containerIp = request.containerIp ?? inspect?.addresses.find((a) => !a.includes(':')) ?? inspect?.addresses[0];
  const side: ContainerSide = { ...(inspect ? { inspect } : {}), ...(containerIp ? { containerIp } : {}), ...(containerPort ? { containerPort } : {}), check: { method: 'none' }, ...(endpoint ? { endpointEnv: endpointEnv(endpoint) } : {}) };
  if (inspect?.networkMode === 'host') {
    side.check = { method: 'none', note: "The container shares the host's network (--network=host): its own process holds the host port, so the host side is the container side." };
    return side;
  }
  if (containerPort === undefined) {
    side.check = { method: 'none', note: inspectProblem ? `The container port could not be told: ${inspectProblem.replace(/\.?$/, '.')}` : 'The container port could not be told (the engine does not list the mapping).' };
    return side;
  }
  if (inspect && inspect.state !== undefined && inspect.state !== 'running') {
    side.check = { method: 'none', listening: false, note: `The container is ${inspect.state}, so nothing in it listens.` };
    return side;
  }
  let tableProblem: string | undefined;
  if (inspect?.pid !== undefined) {
    try {
      const bound = listenersInNamespace(inspect.pid, containerPort, protocol, options.procRoot);
      side.check = { method: 'netns', listening: bound.length > 0, boundAddresses: bound };
      return side;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      tableProblem =
        code === 'EACCES' || code === 'EPERM'
          ? `the container's socket tables (/proc/${inspect.pid}/net) may not be read here (permission denied: /proc may be mounted with hidepid)`
          : `the container's socket tables (/proc/${inspect.pid}/net) could not be read (${code ?? (err as Error).message})`;
    }
  } else {
    tableProblem = inspectProblem ? `the engine did not say which process runs the container (${inspectProblem})` : 'the engine did not say which process runs the container';
  }
  if (protocol === 'tcp' && containerIp !== undefined) {
    const result = await testConnection({ host: containerIp, port: containerPort, protocol: 'tcp', timeoutMs: options.timeoutMs ?? 2000, signal: options.signal });
    if (result.ok) {
      side.check = { method: 'connect', listening: true, note: `A connection from this machine to ${containerIp}:${containerPort} succeeded.` };
    } else if (result.failure?.kind === 'refused') {
      side.check = { method: 'connect', listening: false, note: `A connection from this machine to ${containerIp}:${containerPort} was refused.` };
    } else {
      side.check = {
        method: 'none',
        note: `Could not check: ${tableProblem}, and a connection from this machine to ${containerIp}:${containerPort} failed (${result.failure?.message ?? 'no answer'}) — the container's network may not be reachable from here (Docker Desktop, a rootless engine).`,
      };
    }
    return side;
  }
  side.check = { method: 'none', note: `Could not check: ${tableProblem}${protocol === 'udp' ? ' (UDP has no connection to try)' : ', and the container has no address to connect to'}.` };
  return side;
}
