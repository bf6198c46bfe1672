// A small client for the Docker Engine API (and Podman's Docker-compatible API, same JSON) over the
// engine's unix socket: list containers, stop / restart one, follow the event stream. Every call has a
// short timeout and every failure becomes an EngineError whose message is plain words the user can act on.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { ContainerEngine } from '../../core/containerProcesses';
import type { ContainerInfo, Protocol } from '../../core/types';

/** API version both engines serve (Docker 20.10+, Podman 3+). */
const API = '/v1.41';
const MAX_BODY = 16 * 1024 * 1024;

export class EngineError extends Error {
  constructor(
    message: string,
    readonly code: 'NO_ENGINE' | 'NOT_RUNNING' | 'PERMISSION' | 'TIMEOUT' | 'NOT_FOUND' | 'FAILED',
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** Where an engine's API is: a unix socket path, or `host:port` for plain TCP. */
export interface EngineEndpoint {
  engine: ContainerEngine;
  socketPath?: string;
  host?: string;
  port?: number;
  /** Where it came from, for messages: `DOCKER_HOST`, `docker context "x"`, `default`. */
  source: string;
}

/** One published port as the engine reports it. */
export interface EnginePort {
  ip?: string;
  privatePort: number;
  publicPort?: number;
  protocol: Protocol;
}

/** A container as the list endpoint reports it, plus what we derive. */
export interface EngineContainer extends ContainerInfo {
  ports: EnginePort[];
  /** Addresses on the engine's networks (docker-proxy's `-container-ip`). */
  addresses: string[];
}

function parseHost(value: string, engine: ContainerEngine, source: string): EngineEndpoint | undefined {
  if (value.startsWith('unix://')) {
    return { engine, socketPath: value.slice('unix://'.length), source };
  }
  const m = /^tcp:\/\/([^/:]+|\[[^\]]+\]):(\d+)\/?$/.exec(value);
  if (m) {
    return { engine, host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]), source };
  }
  // ssh:// and npipe:// are not spoken here.
  return undefined;
}

/** The docker context's endpoint, from ~/.docker (no `docker` spawn): config.json names the current
 *  context, whose meta.json sits under the SHA-256 of its name. */
function dockerContextHost(env: NodeJS.ProcessEnv, home: string): { host: string; name: string } | undefined {
  try {
    const configDir = env.DOCKER_CONFIG ?? path.join(home, '.docker');
    const name = env.DOCKER_CONTEXT ?? (JSON.parse(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8')) as { currentContext?: unknown }).currentContext;
    if (typeof name !== 'string' || name === '' || name === 'default') {
      return undefined;
    }
    const digest = createHash('sha256').update(name).digest('hex');
    const meta = JSON.parse(fs.readFileSync(path.join(configDir, 'contexts', 'meta', digest, 'meta.json'), 'utf8')) as { Endpoints?: { docker?: { Host?: unknown } } };
    const host = meta.Endpoints?.docker?.Host;
    return typeof host === 'string' ? { host, name } : undefined;
  } catch {
    return undefined;
  }
}

/** Where to find each engine: DOCKER_HOST, then the docker context, then /var/run/docker.sock — or, for a
 *  user whose machine has no rootful Docker socket but who runs rootless Docker, its default socket
 *  `$XDG_RUNTIME_DIR/docker.sock` (rootless Docker works without DOCKER_HOST for the engine, but its
 *  users often never set it for other tools); Podman's CONTAINER_HOST, then its rootful and rootless
 *  default sockets. `exists` is for tests. */
export function engineEndpoints(
  env: NodeJS.ProcessEnv = process.env,
  home = os.homedir(),
  uid = process.getuid?.() ?? 0,
  exists: (file: string) => boolean = fs.existsSync,
): EngineEndpoint[] {
  const result: EngineEndpoint[] = [];
  const runtimeDir = env.XDG_RUNTIME_DIR ?? `/run/user/${uid}`;
  const docker =
    (env.DOCKER_HOST ? parseHost(env.DOCKER_HOST, 'docker', 'DOCKER_HOST') : undefined) ??
    (() => {
      const ctx = dockerContextHost(env, home);
      return ctx ? parseHost(ctx.host, 'docker', `docker context "${ctx.name}"`) : undefined;
    })() ??
    (uid !== 0 && !exists('/var/run/docker.sock') && exists(path.join(runtimeDir, 'docker.sock'))
      ? { engine: 'docker' as const, socketPath: path.join(runtimeDir, 'docker.sock'), source: 'rootless default' }
      : { engine: 'docker' as const, socketPath: '/var/run/docker.sock', source: 'default' });
  result.push(docker);
  const podmanHost = env.CONTAINER_HOST ? parseHost(env.CONTAINER_HOST, 'podman', 'CONTAINER_HOST') : undefined;
  if (podmanHost) {
    result.push(podmanHost);
  } else {
    result.push({ engine: 'podman', socketPath: uid === 0 ? '/run/podman/podman.sock' : path.join(runtimeDir, 'podman', 'podman.sock'), source: 'default' });
  }
  return result;
}

export function engineTitle(engine: ContainerEngine): string {
  return engine === 'docker' ? 'Docker' : 'Podman';
}

function where(e: EngineEndpoint): string {
  return e.socketPath ?? `${e.host}:${e.port}`;
}

/** Plain words for a failed connection to the engine. */
export function describeConnectError(e: EngineEndpoint, err: NodeJS.ErrnoException): EngineError {
  const name = engineTitle(e.engine);
  switch (err.code) {
    case 'ENOENT':
      return new EngineError(`${name} is not running or not installed (no API socket at ${where(e)}).`, 'NO_ENGINE');
    case 'ECONNREFUSED':
      return new EngineError(`${name} is not running (nothing answers on ${where(e)}).`, 'NOT_RUNNING');
    case 'EACCES':
    case 'EPERM':
      return new EngineError(
        e.engine === 'docker'
          ? `Cannot read ${where(e)}: your user is not in the docker group. Fix: sudo usermod -aG docker $USER, then log out and back in.`
          : `Cannot read ${where(e)}: permission denied. Use the rootless Podman socket (systemctl --user start podman.socket) or run as root.`,
        'PERMISSION',
      );
    default:
      return new EngineError(`${name} API at ${where(e)} failed: ${err.message}`, 'FAILED');
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  timeoutMs?: number;
}

/** One API request; resolves with the status code and the body (parsed as JSON when it is JSON). */
export function engineRequest(e: EngineEndpoint, urlPath: string, options: RequestOptions = {}): Promise<{ status: number; body: unknown }> {
  const timeoutMs = options.timeoutMs ?? 2000;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        ...(e.socketPath !== undefined ? { socketPath: e.socketPath } : { host: e.host, port: e.port }),
        path: urlPath,
        method: options.method ?? 'GET',
        headers: { Host: 'localhost' },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) {
            req.destroy(new EngineError(`${engineTitle(e.engine)} sent more than ${MAX_BODY} bytes.`, 'FAILED'));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if (/json/.test(String(res.headers['content-type'] ?? '')) && text !== '') {
            try {
              body = JSON.parse(text);
            } catch {
              body = text;
            }
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new EngineError(`${engineTitle(e.engine)} did not answer within ${timeoutMs} ms (${where(e)}).`, 'TIMEOUT')));
    req.on('error', (err: NodeJS.ErrnoException) => reject(err instanceof EngineError ? err : describeConnectError(e, err)));
    req.end();
  });
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Turns one entry of `GET /containers/json` into an EngineContainer; undefined when it is not one. */
export function parseContainer(engine: ContainerEngine, raw: unknown): EngineContainer | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const id = str(r.Id);
  if (id === undefined || !/^[0-9a-f]{12,64}$/.test(id)) {
    return undefined;
  }
  const names = Array.isArray(r.Names) ? r.Names.filter((n): n is string => typeof n === 'string') : [];
  const labels = (typeof r.Labels === 'object' && r.Labels !== null ? r.Labels : {}) as Record<string, unknown>;
  const project = str(labels['com.docker.compose.project']);
  const service = str(labels['com.docker.compose.service']);
  const configFiles = str(labels['com.docker.compose.project.config_files']);
  const ports: EnginePort[] = [];
  for (const p of Array.isArray(r.Ports) ? (r.Ports as unknown[]) : []) {
    if (typeof p === 'object' && p !== null) {
      const q = p as Record<string, unknown>;
      const type = q.Type === 'udp' ? 'udp' : 'tcp';
      if (typeof q.PrivatePort === 'number') {
        ports.push({ ip: str(q.IP), privatePort: q.PrivatePort, ...(typeof q.PublicPort === 'number' ? { publicPort: q.PublicPort } : {}), protocol: type });
      }
    }
  }
  const addresses: string[] = [];
  const networks = (r.NetworkSettings as { Networks?: Record<string, { IPAddress?: unknown; GlobalIPv6Address?: unknown }> } | undefined)?.Networks;
  for (const n of Object.values(networks ?? {})) {
    for (const a of [n?.IPAddress, n?.GlobalIPv6Address]) {
      if (typeof a === 'string' && a !== '') {
        addresses.push(a);
      }
    }
  }
  // Docker reports `Created` (seconds) only; Podman's compat list adds `StartedAt` (seconds).
  const started = typeof r.StartedAt === 'number' && r.StartedAt > 0 ? r.StartedAt * 1000 : undefined;
  const pod = str(labels['io.podman.pod.name']) ?? str(r.Pod);
  return {
    engine,
    id,
    name: (names[0] ?? id.slice(0, 12)).replace(/^\//, ''),
    image: str(r.Image) ?? '',
    ...(str(r.State) !== undefined ? { state: str(r.State) } : {}),
    ...(started !== undefined ? { startedAt: started } : {}),
    ...(project !== undefined && service !== undefined
      ? { compose: { project, service, ...(configFiles ? { configFiles: configFiles.split(',').filter((f) => f !== '') } : {}) } }
      : {}),
    ...(pod ? { pod } : {}),
    ports,
    addresses,
  };
}

/** The running containers of one engine. */
export async function listContainers(e: EngineEndpoint, timeoutMs = 2000): Promise<EngineContainer[]> {
  const { status, body } = await engineRequest(e, `${API}/containers/json`, { timeoutMs });
  if (status !== 200 || !Array.isArray(body)) {
    throw new EngineError(`${engineTitle(e.engine)} answered ${status} to the container list.`, 'FAILED');
  }
  return body.map((c) => parseContainer(e.engine, c)).filter((c): c is EngineContainer => c !== undefined);
}

/** Podman's own list knows each container's pod (the Docker-compatible list does not): id → pod name. */
export async function podmanPods(e: EngineEndpoint, timeoutMs = 2000): Promise<Map<string, string>> {
  const pods = new Map<string, string>();
  const { status, body } = await engineRequest(e, '/v4.0.0/libpod/containers/json', { timeoutMs });
  if (status === 200 && Array.isArray(body)) {
    for (const c of body as Array<Record<string, unknown>>) {
      if (typeof c?.Id === 'string' && typeof c.PodName === 'string' && c.PodName !== '') {
        pods.set(c.Id, c.PodName);
      }
    }
  }
  return pods;
}

/** `docker inspect`'s start time and state of one container, for the uptime a list does not give. */
export async function inspectContainer(e: EngineEndpoint, id: string, timeoutMs = 2000): Promise<{ state?: string; startedAt?: number } | undefined> {
  const { status, body } = await engineRequest(e, `${API}/containers/${encodeURIComponent(id)}/json`, { timeoutMs });
  if (status !== 200 || typeof body !== 'object' || body === null) {
    return undefined;
  }
  const st = (body as { State?: { Status?: unknown; StartedAt?: unknown } }).State;
  const started = typeof st?.StartedAt === 'string' ? Date.parse(st.StartedAt) : NaN;
  return { state: str(st?.Status), ...(Number.isFinite(started) && started > 0 ? { startedAt: started } : {}) };
}

/** Stops (`stop`, graceful then killed after `graceSeconds`) or restarts a container. */
export async function containerAction(e: EngineEndpoint, id: string, action: 'stop' | 'restart', graceSeconds = 10): Promise<'done' | 'already-stopped'> {
  // The engine waits up to graceSeconds before it kills: the request's timeout must outlast it.
  const { status, body } = await engineRequest(e, `${API}/containers/${encodeURIComponent(id)}/${action}?t=${graceSeconds}`, {
    method: 'POST',
    timeoutMs: (graceSeconds + 20) * 1000,
  });
  if (status === 204) {
    return 'done';
  }
  if (status === 304) {
    return 'already-stopped';
  }
  const message = typeof body === 'object' && body !== null ? str((body as { message?: unknown }).message) : str(body);
  if (status === 404) {
    throw new EngineError(`The container ${id.slice(0, 12)} no longer exists (it was removed).`, 'NOT_FOUND');
  }
  throw new EngineError(`${engineTitle(e.engine)} refused to ${action} ${id.slice(0, 12)} (${status}${message ? `: ${message.trim().slice(0, 300)}` : ''}).`, 'FAILED');
}

/** Follows the engine's container events; `onEvent` runs for each (any event may change what publishes
 *  a port), `onEnd` once when the stream ends for any reason. Returns a function that closes it. The
 *  socket is unref'd: an open stream never keeps a process alive. */
export function followEvents(e: EngineEndpoint, onEvent: () => void, onEnd: (err?: Error) => void): () => void {
  let ended = false;
  const end = (err?: Error): void => {
    if (!ended) {
      ended = true;
      onEnd(err);
    }
  };
  const filters = encodeURIComponent(JSON.stringify({ type: ['container'] }));
  const req = http.request(
    { ...(e.socketPath !== undefined ? { socketPath: e.socketPath } : { host: e.host, port: e.port }), path: `${API}/events?filters=${filters}`, headers: { Host: 'localhost' } },
    (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        end(new EngineError(`${engineTitle(e.engine)} refused its event stream (${res.statusCode}).`, 'FAILED'));
        return;
      }
      res.on('data', () => onEvent());
      res.on('end', () => end());
      res.on('error', (err) => end(err));
    },
  );
  req.on('socket', (s) => s.unref());
  req.on('error', (err: NodeJS.ErrnoException) => end(describeConnectError(e, err)));
  req.end();
  return () => {
    ended = true;
    req.destroy();
  };
}
