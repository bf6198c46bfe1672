// Watched ports: the `portInspector.watchedPorts` setting (e.g. [3000, "5432", "53/udp"]), each port's
// state in a snapshot (free, or held by whom), and the changes between two snapshots that deserve a
// notification. Settings are hand-edited JSON: a bad entry is reported and skipped, the rest apply.
import { ownersOnPort, socketsOnPort } from '../core/sockets';
import type { ListeningSocket, ProcessInfo, Protocol, Snapshot } from '../core/types';
import { parsePort } from '../core/input';

/** One watched port; without a protocol both TCP and UDP sockets on it count. */
export interface WatchedPort {
  readonly port: number;
  readonly protocol?: Protocol;
}

/** The outcome of {@link parseWatchedPorts}. */
export interface ParsedWatchedPorts {
  watched: WatchedPort[];
  errors: string[];
}

const SETTING = 'portInspector.watchedPorts';
/** More than this would not fit a status bar; the rest are reported and ignored. */
export const MAX_WATCHED_PORTS = 20;

/** `3000` or `53/udp`: the text a watched port is written as, and its identity. */
export function watchedKey(w: WatchedPort): string {
  return w.protocol ? `${w.port}/${w.protocol}` : String(w.port);
}

/**
 * Validates the setting: an array of ports given as numbers or strings (`3000`, `"3000"`, `"3000/tcp"`,
 * `"53/udp"`). Duplicates are dropped silently; anything else invalid gets one plain message. A missing
 * setting is no watched ports. Never throws.
 */
export function parseWatchedPorts(value: unknown): ParsedWatchedPorts {
  const watched: WatchedPort[] = [];
  const errors: string[] = [];
  if (value === undefined || value === null) {
    return { watched, errors };
  }
  if (!Array.isArray(value)) {
    errors.push(`${SETTING} must be a list of ports, like [3000, 5432]; got ${typeof value}.`);
    return { watched, errors };
  }
  const seen = new Set<string>();
  for (const entry of value as unknown[]) {
    let parsed: WatchedPort;
    try {
      parsed = parseEntry(entry);
    } catch (err) {
      errors.push(`${SETTING}: ${(err as Error).message} Ignored.`);
      continue;
    }
    const key = watchedKey(parsed);
    if (seen.has(key)) {
      continue;
    }
    if (watched.length >= MAX_WATCHED_PORTS) {
      errors.push(`${SETTING}: only the first ${MAX_WATCHED_PORTS} ports are watched; ${key} is ignored.`);
      continue;
    }
    seen.add(key);
    watched.push(parsed);
  }
  return { watched, errors };
}

function parseEntry(entry: unknown): WatchedPort {
  if (typeof entry === 'number') {
    return { port: parsePort(entry) };
  }
  if (typeof entry !== 'string') {
    throw new Error(`entries must be ports like 3000 or "53/udp"; got ${entry === null ? 'null' : typeof entry}.`);
  }
  const m = /^\s*([^/]*?)\s*(?:\/\s*([a-z]+)\s*)?$/i.exec(entry);
  const protocol = m?.[2]?.toLowerCase();
  if (!m || (protocol !== undefined && protocol !== 'tcp' && protocol !== 'udp')) {
    throw new Error(`"${entry.slice(0, 40)}" is not a port: write 3000, "3000/tcp" or "53/udp".`);
  }
  const port = parsePort(m[1]);
  return protocol ? { port, protocol: protocol as Protocol } : { port };
}

/** A watched port in one snapshot. */
export interface WatchedPortState {
  readonly watch: WatchedPort;
  /** Sockets on the port (of the protocol, when given). */
  readonly sockets: readonly ListeningSocket[];
  /** Distinct visible owners, by pid. */
  readonly holders: readonly ProcessInfo[];
  /** Some socket is bound to the port. */
  readonly taken: boolean;
  /** Taken, but no owner could be seen (another user's process, another container). */
  readonly ownerHidden: boolean;
}

/** The state of every watched port in `snapshot`, in the order of `watched`. */
export function watchedPortStates(snapshot: Pick<Snapshot, 'sockets'>, watched: readonly WatchedPort[]): WatchedPortState[] {
  return watched.map((watch) => {
    const sockets = socketsOnPort(snapshot, watch.port, watch.protocol);
    const holders = ownersOnPort(snapshot, watch.port, watch.protocol);
    return { watch, sockets, holders, taken: sockets.length > 0, ownerHidden: sockets.length > 0 && holders.length === 0 };
  });
}

/** A watched port that became taken or free. */
export interface WatchedPortChange {
  readonly kind: 'taken' | 'freed';
  readonly state: WatchedPortState;
}

/**
 * The taken/freed transitions from `before` to `after`. A port with no earlier state (just added to the
 * setting, or the first scan) has no transition. A change of owner while the port stays taken (a dev
 * server restarted by its file watcher between two scans) is deliberately not a change: notifying on it
 * would pop up on every save.
 */
export function diffWatchedStates(before: readonly WatchedPortState[] | undefined, after: readonly WatchedPortState[]): WatchedPortChange[] {
  if (!before) {
    return [];
  }
  const previous = new Map(before.map((s) => [watchedKey(s.watch), s]));
  const changes: WatchedPortChange[] = [];
  for (const state of after) {
    const was = previous.get(watchedKey(state.watch));
    if (was && was.taken !== state.taken) {
      changes.push({ kind: state.taken ? 'taken' : 'freed', state });
    }
  }
  return changes;
}

/** Who holds a watched port, in plain words (untrusted names inside: escape for the medium):
 *  `node (pid 4242)`, `node (pid 4242) and 2 more`, `a process whose owner is not visible`, or `nobody`. */
export function describeHolders(state: WatchedPortState): string {
  if (!state.taken) {
    return 'nobody';
  }
  if (state.holders.length === 0) {
    return 'a process whose owner is not visible';
  }
  const first = state.holders[0];
  const more = state.holders.length > 1 ? ` and ${state.holders.length - 1} more` : '';
  return `${first.name} (pid ${first.pid})${more}`;
}
