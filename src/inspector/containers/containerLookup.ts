// Names the container behind each socket a container engine holds. The scan already knows each owner's
// name and command line; a forwarder (docker-proxy, conmon, dockerd, rootlessport, …) or a process whose
// cgroup is a container's is a hint, and the engine's API turns hints into containers.
//
// Cost: sockets with no hint cost one name comparison per owner; cgroups are read once per process (pid
// and start time); the engine is asked only when the set of hints changes, when its event stream says a
// container changed, or (after a failure) once per retry interval — never once per scan. A failing engine
// becomes one plain warning and the sockets keep their forwarders: the listing never breaks on it.
import * as fs from 'node:fs';
import type { ContainerEngine, ContainerHint } from '../../core/containerProcesses';
import { containerFromCgroup, hintFromProcess } from '../../core/containerProcesses';
import type { Backend, ContainerInfo, ListeningSocket, ProcessInfo, ScanOptions, Snapshot } from '../../core/types';
import type { EngineContainer, EngineEndpoint } from './engineApi';
import { EngineError, engineEndpoints, engineTitle, followEvents, inspectContainer, listContainers, podmanPods } from './engineApi';

export interface ContainerLookupOptions {
  procRoot?: string;
  /** Default: engineEndpoints() from the environment. */
  endpoints?: EngineEndpoint[];
  /** Per API call; the listing waits at most this long for an engine. */
  timeoutMs?: number;
  /** Keep an event stream open to notice container changes (the extension); a one-shot CLI does not. */
  watchEvents?: boolean;
  /** After a failure, ask again no sooner than this. */
  retryMs?: number;
}

/** A socket whose owner is hidden (another user's: docker-proxy runs as root) may be a published port. */
type Hint = ContainerHint | { kind: 'unseen'; engine?: undefined };

interface EngineState {
  endpoint: EngineEndpoint;
  containers?: EngineContainer[];
  error?: EngineError;
  key?: string;
  fetchedAt: number;
  dirty: boolean;
  closeEvents?: () => void;
  startedAt: Map<string, number>;
}

const IS_WILDCARD = new Set(['', '0.0.0.0', '::']);

function publishes(c: EngineContainer, socket: ListeningSocket, hostPort = socket.port): boolean {
  return c.ports.some(
    (p) => p.publicPort === hostPort && p.protocol === socket.protocol && (p.ip === undefined || IS_WILDCARD.has(p.ip) || p.ip === socket.address || IS_WILDCARD.has(socket.address)),
  );
}

function publicInfo(c: EngineContainer, startedAt?: number): ContainerInfo {
  const { ports: _ports, addresses: _addresses, ...info } = c;
  return startedAt !== undefined && info.startedAt === undefined ? { ...info, startedAt } : info;
}

export class ContainerLookup {
  private readonly procRoot: string;
  private readonly timeoutMs: number;
  private readonly retryMs: number;
  private readonly engines = new Map<ContainerEngine, EngineState>();
  /** `pid:startTicks` → the container of its cgroup (null: none). */
  private readonly cgroups = new Map<string, { engine: ContainerEngine; id: string } | null>();
  private disposed = false;

  constructor(private readonly options: ContainerLookupOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.timeoutMs = options.timeoutMs ?? 1500;
    this.retryMs = options.retryMs ?? 15_000;
    for (const e of options.endpoints ?? engineEndpoints()) {
      if (!this.engines.has(e.engine)) {
        this.engines.set(e.engine, { endpoint: e, fetchedAt: 0, dirty: true, startedAt: new Map() });
      }
    }
  }

  /** Sets `container` on every socket a container holds; adds a warning per engine that failed. */
  async annotate(snapshot: Snapshot): Promise<void> {
    const found: Array<{ socket: ListeningSocket; hint: Hint; owner: ProcessInfo }> = [];
    const alive = new Set<string>();
    for (const socket of snapshot.sockets) {
      if (!socket.ownerVisible && socket.owners.length === 0) {
        // Without root, docker-proxy's sockets are another user's: only the engine can say whose they are.
        found.push({ socket, hint: { kind: 'unseen' }, owner: { pid: 0, name: '', command: '' } });
        continue;
      }
      for (const owner of socket.owners) {
        const hint = hintFromProcess(owner) ?? this.memberHint(owner, alive);
        if (hint) {
          found.push({ socket, hint, owner });
          break;
        }
      }
    }
    for (const k of this.cgroups.keys()) {
      if (!alive.has(k)) {
        this.cgroups.delete(k);
      }
    }
    if (found.length === 0) {
      return;
    }
    const key = found.map((f) => `${f.owner.pid}:${f.owner.startTicks ?? f.owner.startTime ?? ''}:${f.socket.port}:${f.socket.inode ?? ''}`).sort().join(',');
    const wanted = new Set<ContainerEngine>();
    for (const f of found) {
      if (f.hint.kind === 'unseen' || (f.hint.kind === 'engine' && f.owner.name.startsWith('rootlesskit'))) {
        // rootlesskit runs rootless Docker and rootless Podman alike.
        wanted.add('docker').add('podman');
      } else {
        wanted.add(f.hint.engine);
      }
    }
    await Promise.all([...wanted].map((engine) => this.refresh(engine, key)));

    const unnamed = new Map<ContainerEngine, number>();
    let unseen = 0;
    for (const { socket, hint } of found) {
      const container = this.match(socket, hint);
      // Set or cleared every time: an unchanged socket keeps its object from scan to scan (the Linux
      // worker sends only changed rows), so a container named earlier would otherwise outlive the answer.
      if (container) {
        socket.container = container;
      } else {
        delete socket.container;
      }
      if (hint.kind === 'unseen') {
        unseen += container ? 0 : 1;
      } else if ((!container || container.image === '') && this.engines.get(hint.engine)?.error) {
        unnamed.set(hint.engine, (unnamed.get(hint.engine) ?? 0) + 1);
      }
    }
    for (const [engine, count] of unnamed) {
      const error = this.engines.get(engine)?.error;
      snapshot.warnings.push(
        `${count} port${count === 1 ? ' is' : 's are'} held by ${engineTitle(engine)}'s forwarders, shown without their containers: ${error?.message ?? 'the engine did not answer.'}`,
      );
    }
    if (unseen > 0) {
      // Hidden owners are common without any engine: only an engine that exists but refused us is news.
      for (const state of this.engines.values()) {
        if (state.error && (state.error.code === 'PERMISSION' || state.error.code === 'TIMEOUT') && !unnamed.has(state.endpoint.engine)) {
          snapshot.warnings.push(`Ports whose owner is hidden may be published by containers, but ${state.error.message}`);
        }
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.engines.values()) {
      s.closeEvents?.();
      s.closeEvents = undefined;
    }
  }

  /** The container a process's cgroup names (`--network=host`, or a process inside a container that
   *  shares the host's network). Read once per (pid, start time). */
  private memberHint(owner: ProcessInfo, alive: Set<string>): ContainerHint | undefined {
    const k = `${owner.pid}:${owner.startTicks ?? owner.startTime ?? ''}`;
    alive.add(k);
    let c = this.cgroups.get(k);
    if (c === undefined) {
      try {
        c = containerFromCgroup(fs.readFileSync(`${this.procRoot}/${owner.pid}/cgroup`, 'latin1')) ?? null;
      } catch {
        c = null;
      }
      this.cgroups.set(k, c);
    }
    return c ? { kind: 'member', engine: c.engine, id: c.id } : undefined;
  }

  private async refresh(engine: ContainerEngine, key: string): Promise<void> {
    const state = this.engines.get(engine);
    if (!state || this.disposed) {
      return;
    }
    const now = Date.now();
    if (!this.options.endpoints) {
      // DOCKER_HOST or the docker context may have changed since the last look (`docker context use`).
      this.followEndpoint(state);
    }
    const keyChanged = state.key !== key;
    let stale = state.dirty || keyChanged;
    if (state.error) {
      // A refused or missing socket fails at once, so a change is worth another try; a slow engine is
      // asked again only after the retry interval, so it cannot slow every scan.
      stale = now - state.fetchedAt >= this.retryMs || (keyChanged && state.error.code !== 'TIMEOUT');
    }
    if (!stale) {
      return;
    }
    state.fetchedAt = now;
    state.key = key;
    state.dirty = false;
    try {
      state.containers = await listContainers(state.endpoint, this.timeoutMs);
      state.error = undefined;
      if (engine === 'podman') {
        await this.fillPods(state);
      }
      await this.fillStartTimes(state);
      this.watch(state);
    } catch (err) {
      state.containers = undefined;
      state.error = err instanceof EngineError ? err : new EngineError(`${engineTitle(engine)}: ${(err as Error).message}`, 'FAILED');
    }
  }

  private followEndpoint(state: EngineState): void {
    const e = engineEndpoints().find((x) => x.engine === state.endpoint.engine);
    if (e && (e.socketPath !== state.endpoint.socketPath || e.host !== state.endpoint.host || e.port !== state.endpoint.port)) {
      state.closeEvents?.();
      state.closeEvents = undefined;
      state.endpoint = e;
      state.containers = undefined;
      state.error = undefined;
      state.dirty = true;
      state.startedAt.clear();
    }
  }

  /** A pod's port is held by its infra container's conmon: name the pod (`podman kube play`, pods). */
  private async fillPods(state: EngineState): Promise<void> {
    try {
      const pods = await podmanPods(state.endpoint, this.timeoutMs);
      for (const c of state.containers ?? []) {
        const pod = pods.get(c.id);
        if (pod !== undefined && c.pod === undefined) {
          c.pod = pod;
        }
      }
    } catch {
      // The pod is a detail: the container is still named.
    }
  }

  /** Docker's list gives no start time: inspect each container once (its id is stable while it runs). */
  private async fillStartTimes(state: EngineState): Promise<void> {
    const ids = new Set((state.containers ?? []).map((c) => c.id));
    for (const id of state.startedAt.keys()) {
      if (!ids.has(id)) {
        state.startedAt.delete(id);
      }
    }
    const missing = (state.containers ?? []).filter((c) => c.startedAt === undefined && !state.startedAt.has(c.id)).slice(0, 50);
    await Promise.all(
      missing.map(async (c) => {
        try {
          const details = await inspectContainer(state.endpoint, c.id, this.timeoutMs);
          if (details?.startedAt !== undefined) {
            state.startedAt.set(c.id, details.startedAt);
          }
        } catch {
          // The uptime is a detail: a failed inspect leaves it out.
        }
      }),
    );
  }

  private watch(state: EngineState): void {
    if (!this.options.watchEvents || state.closeEvents || this.disposed) {
      return;
    }
    state.closeEvents = followEvents(
      state.endpoint,
      () => {
        state.dirty = true;
      },
      () => {
        // The engine stopped (or restarted): ask again at the next scan.
        state.dirty = true;
        state.closeEvents = undefined;
      },
    );
  }

  private match(socket: ListeningSocket, hint: Hint): ContainerInfo | undefined {
    const engines = hint.kind === 'engine' || hint.kind === 'unseen' ? [...this.engines.values()] : [this.engines.get(hint.engine)].filter((s): s is EngineState => s !== undefined);
    for (const state of engines) {
      const list = state.containers ?? [];
      let c: EngineContainer | undefined;
      switch (hint.kind) {
        case 'conmon':
        case 'member':
          c = list.find((x) => x.id === hint.id || hint.id.startsWith(x.id));
          break;
        case 'proxy': {
          const candidates = list.filter((x) => publishes(x, socket, hint.hostPort));
          c = candidates.find((x) => hint.containerIp !== undefined && x.addresses.includes(hint.containerIp)) ?? candidates[0];
          break;
        }
        case 'engine':
        case 'unseen':
          c = list.find((x) => publishes(x, socket));
          break;
      }
      if (c) {
        return publicInfo(c, state.startedAt.get(c.id));
      }
    }
    // Without the API, conmon's and the cgroup's id (and conmon's name) still say which container it is.
    if (hint.kind === 'conmon') {
      return { engine: 'podman', id: hint.id, name: hint.name ?? hint.id.slice(0, 12), image: '' };
    }
    if (hint.kind === 'member') {
      return { engine: hint.engine, id: hint.id, name: hint.id.slice(0, 12), image: '' };
    }
    return undefined;
  }
}

/** A back-end that also names the containers behind sockets. */
export class ContainerAwareBackend implements Backend {
  readonly lookup: ContainerLookup;

  constructor(
    private readonly inner: Backend,
    options: ContainerLookupOptions = {},
  ) {
    this.lookup = new ContainerLookup(options);
  }

  get id(): string {
    return this.inner.id;
  }

  async snapshot(options?: ScanOptions): Promise<Snapshot> {
    const snapshot = await this.inner.snapshot(options);
    try {
      await this.lookup.annotate(snapshot);
    } catch (err) {
      snapshot.warnings.push(`Could not look up containers: ${(err as Error).message}`);
    }
    return snapshot;
  }

  dispose(): void {
    this.lookup.dispose();
    this.inner.dispose();
  }
}
