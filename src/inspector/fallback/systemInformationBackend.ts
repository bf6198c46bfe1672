// The fallback back-end for FreeBSD, OpenBSD and anything else without a native one, over the
// systeminformation package. It is not the Linux path: on Linux systeminformation runs
// `netstat -tunap | grep <TCP states>`, which drops every bound UDP socket (they have no state
// there), knows only a short process name per socket and, without root, no pid for other users'
// sockets; command lines come only from a separate full process-table scan. On the BSDs it runs
// `netstat -na`, which prints no pids at all, so sockets come without owners there.
import { sortSockets } from '../../core/sockets';
import type { Backend, ListeningSocket, ScanOptions, Snapshot } from '../../core/types';
import { InspectorError } from '../../core/types';
import { listenersFromSystemInformation } from './systemInformationMapper';
import type { SiConnection, SiProcess } from './systemInformationMapper';

/** The two systeminformation calls this back-end uses; injectable so tests can feed captured data. */
export interface SystemInformationSource {
  networkConnections(): Promise<SiConnection[]>;
  processes(): Promise<{ list: SiProcess[] }>;
}

// Loaded on first use: the package is large and the other platforms never need it. The bundles load it
// from dist/systeminformation.js, a bundle of its own (esbuild.js), so they never carry or parse it.
async function loadSystemInformation(): Promise<SystemInformationSource> {
  try {
    const loaded: SystemInformationSource | { default: SystemInformationSource } = await import('systeminformation');
    // Node's import() of a CommonJS file finds named exports only when it can read them statically;
    // the module object itself is always the default export.
    return 'networkConnections' in loaded ? loaded : loaded.default;
  } catch (error) {
    throw new InspectorError(
      'The systeminformation package is missing from this installation; reinstall the extension.',
      'TOOL_MISSING',
      error instanceof Error ? error.message : String(error),
    );
  }
}

/** Lists listening sockets through systeminformation's networkConnections() and processes(). */
export class SystemInformationBackend implements Backend {
  readonly id = 'systeminformation';
  private source: Promise<SystemInformationSource> | undefined;

  constructor(source?: SystemInformationSource) {
    this.source = source ? Promise.resolve(source) : undefined;
  }

  async snapshot(options: ScanOptions = {}): Promise<Snapshot> {
    const started = Date.now();
    const warnings: string[] = [];
    this.source ??= loadSystemInformation();
    let si: SystemInformationSource;
    try {
      si = await this.source;
    } catch (error) {
      this.source = undefined;
      throw error;
    }

    const [connections, processes] = await Promise.allSettled([
      call(() => si.networkConnections()),
      call(() => si.processes()),
    ]);
    throwIfAborted(options.signal);
    if (connections.status === 'rejected') {
      throw new InspectorError(
        `systeminformation could not list network connections: ${messageOf(connections.reason)}`,
        'FAILED',
        stackOf(connections.reason),
      );
    }
    if (!Array.isArray(connections.value)) {
      throw new InspectorError('systeminformation returned network connections in an unexpected form.', 'PARSE');
    }
    let list: SiProcess[] = [];
    if (processes.status === 'fulfilled' && Array.isArray(processes.value?.list)) {
      list = processes.value.list;
    } else {
      const reason = processes.status === 'rejected' ? messageOf(processes.reason) : 'unexpected result';
      warnings.push(`systeminformation could not list processes (${reason}); command lines are missing.`);
    }

    let sockets = listenersFromSystemInformation(connections.value, list);
    // processes() answers from a cache for 500 ms after each call, so a scan right after another one
    // misses processes started in between. Ask once more when an owner is missing from the list.
    if (processes.status === 'fulfilled' && hasUnknownOwner(sockets, list)) {
      await delay(PROCESS_CACHE_MS, options.signal);
      const fresh = await call(() => si.processes()).catch(() => undefined);
      if (fresh && Array.isArray(fresh.list)) {
        sockets = listenersFromSystemInformation(connections.value, fresh.list);
      }
    }
    const takenAt = Date.now();
    return {
      takenAt,
      backend: this.id,
      durationMs: takenAt - started,
      sockets: sortSockets(sockets),
      warnings,
    };
  }

  dispose(): void {
    this.source = undefined;
  }
}

// systeminformation's cache lifetime for processes(), plus a margin.
const PROCESS_CACHE_MS = 550;

function hasUnknownOwner(sockets: ListeningSocket[], list: readonly SiProcess[]): boolean {
  const known = new Set(list.map((p) => p?.pid));
  return sockets.some((s) => s.owners.some((o) => !known.has(o.pid)));
}

// Turns a synchronous throw into a rejection, so that one failing call cannot escape allSettled.
async function call<T>(fn: () => Promise<T>): Promise<T> {
  return fn();
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', done);
      clearTimeout(timer);
      if (signal?.aborted) {
        reject(new InspectorError('The scan was cancelled.', 'FAILED'));
      } else {
        resolve();
      }
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new InspectorError('The scan was cancelled.', 'FAILED');
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}
