// Uptime, connections and idleness of development servers, and which servers look forgotten. The last
// connection is tracked while scanning: a TCP listener had a connection at a scan when the socket
// tables held an established (or just-closed: TIME_WAIT, CLOSE_WAIT…) socket on its port. Before one is
// seen it is unknown — never guessed — and what is known instead is how long the port has been watched
// without one. Pure: the extension keeps one tracker across scans (and reloads), the CLI in a file.
import type { ListeningSocket, ProcessInfo, ProjectInfo, Snapshot } from '../core/types';
import { whatRuns } from '../core/whatRuns';

/** What was observed about one listening socket of one process. */
export interface Observation {
  /** When this socket of this process was first seen (ms since the epoch). */
  firstSeenAt: number;
  /** The last scan that saw a connection on it; absent while none was seen. */
  lastConnectionAt?: number;
  /** Scans that saw it (how often "no connection" was checked). */
  scans: number;
}

/** The activity of one socket, as the surfaces and the CLI show it. */
export interface ServerActivity {
  /** Since the (first) owner started; undefined when its start time is unknown. */
  uptimeMs?: number;
  /** Established connections now; undefined when the back-end does not count them (not zero). */
  connections?: number;
  /** The last scan that saw a connection; undefined when none was seen (unknown). */
  lastConnectionAt?: number;
  /** 0 while connected; since the last connection seen; undefined when none was seen. */
  idleMs?: number;
  /** How long the socket has been watched (the window "no connection seen" covers). */
  observedMs: number;
}

/** Observations kept at most this long after their socket was last seen (the CLI runs now and then). */
const FORGET_AFTER_MS = 7 * 24 * 3600_000;
const MAX_ENTRIES = 5000;

function ownerKey(o: ProcessInfo | undefined): string {
  return o ? `${o.pid}:${o.startTicks ?? o.startTime ?? ''}` : '-';
}

/** Keys already built for a socket object and its first owner: the Linux back-end hands in the same
 *  objects while a socket is unchanged, and a refresh then costs a weak-map lookup per socket. */
const keyOfSocket = new WeakMap<ListeningSocket, { owner: ProcessInfo | undefined; key: string }>();

/** The socket and the process holding it: a restarted server (same port, new process) starts afresh. */
export function activityKey(s: ListeningSocket): string {
  const owner = s.owners[0];
  const hit = keyOfSocket.get(s);
  if (hit && hit.owner === owner) {
    return hit.key;
  }
  const key = `${s.protocol}|${s.address}|${s.port}|${ownerKey(owner)}`;
  keyOfSocket.set(s, { owner, key });
  return key;
}

/** How often observations of sockets no longer seen are swept (a week's retention needs no more). */
const SWEEP_EVERY_MS = 60_000;

function hadConnection(s: ListeningSocket): boolean {
  return (s.connections ?? 0) + (s.closingConnections ?? 0) > 0;
}

export class ConnectionTracker {
  private readonly entries = new Map<string, Observation & { lastSeenAt: number }>();
  private sweptAt = Number.NEGATIVE_INFINITY;

  /** Records a snapshot. Sockets of processes no longer seen are forgotten after a week. */
  observe(snapshot: Snapshot): void {
    const at = snapshot.takenAt;
    for (const s of snapshot.sockets) {
      if (s.protocol !== 'tcp' || s.connections === undefined) {
        continue;
      }
      const key = activityKey(s);
      let e = this.entries.get(key);
      if (!e) {
        e = { firstSeenAt: at, scans: 0, lastSeenAt: at };
        this.entries.set(key, e);
      }
      e.scans++;
      e.lastSeenAt = at;
      if (hadConnection(s)) {
        e.lastConnectionAt = at;
      }
    }
    if (Math.abs(at - this.sweptAt) >= SWEEP_EVERY_MS) {
      this.sweptAt = at;
      for (const [key, e] of this.entries) {
        if (at - e.lastSeenAt > FORGET_AFTER_MS) {
          this.entries.delete(key);
        }
      }
    }
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = [...this.entries].sort((a, b) => a[1].lastSeenAt - b[1].lastSeenAt);
      for (const [key] of oldest.slice(0, this.entries.size - MAX_ENTRIES)) {
        this.entries.delete(key);
      }
    }
  }

  /** What is known about a socket at `now`. */
  activity(s: ListeningSocket, now: number): ServerActivity {
    const owner = s.owners[0];
    const e = this.entries.get(activityKey(s));
    const result: ServerActivity = { observedMs: e ? Math.max(0, now - e.firstSeenAt) : 0 };
    if (owner?.startTime !== undefined) {
      result.uptimeMs = Math.max(0, now - owner.startTime);
    }
    if (s.connections !== undefined) {
      result.connections = s.connections;
    }
    if (e?.lastConnectionAt !== undefined) {
      result.lastConnectionAt = e.lastConnectionAt;
    }
    if (s.connections !== undefined && s.connections > 0) {
      result.idleMs = 0;
    } else if (e?.lastConnectionAt !== undefined) {
      result.idleMs = Math.max(0, now - e.lastConnectionAt);
    }
    return result;
  }

  /** For storage (globalState, the CLI's state file). */
  toJSON(): Record<string, Observation & { lastSeenAt: number }> {
    return Object.fromEntries(this.entries);
  }

  /** From storage; malformed entries are dropped, never trusted. */
  static fromJSON(value: unknown): ConnectionTracker {
    const tracker = new ConnectionTracker();
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return tracker;
    }
    const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
    for (const [key, raw] of Object.entries(value as Record<string, unknown>).slice(0, MAX_ENTRIES)) {
      const e = raw as Partial<Observation & { lastSeenAt: number }> | null;
      if (typeof e !== 'object' || e === null || !num(e.firstSeenAt) || !num(e.lastSeenAt) || !num(e.scans) || (e.lastConnectionAt !== undefined && !num(e.lastConnectionAt))) {
        continue;
      }
      tracker.entries.set(key, {
        firstSeenAt: e.firstSeenAt,
        lastSeenAt: e.lastSeenAt,
        scans: e.scans,
        ...(e.lastConnectionAt !== undefined && { lastConnectionAt: e.lastConnectionAt }),
      });
    }
    return tracker;
  }
}

/** A development server: a process the user runs from a project or with a language runtime — not a
 *  system service (a daemon of another user, or a program outside any project). */
export function isDevServer(s: ListeningSocket, selfUid?: number): boolean {
  const owner = s.owners[0];
  if (!s.ownerVisible || !owner || owner.pid <= 1 || s.container) {
    return false;
  }
  if (selfUid !== undefined && owner.uid !== undefined && owner.uid !== selfUid) {
    return false;
  }
  return owner.project !== undefined || whatRuns(owner).runtime !== undefined;
}

/** What makes a server "forgotten". */
export interface ForgottenCriteria {
  /** Up at least this long (default 8 h). */
  olderThanMs: number;
  /** No connection for at least this long (default 30 min); 0 = any. */
  idleMs: number;
  /** Only servers of this project root (or inside it). */
  projectRoot?: string;
}

export const DEFAULT_OLDER_THAN_MS = 8 * 3600_000;
export const DEFAULT_IDLE_MS = 30 * 60_000;

/** True when the server has been idle at least `idleMs`: its last connection was that long ago, or none
 *  was seen while it was watched that long. */
export function idleAtLeast(a: ServerActivity, idleMs: number): boolean {
  if (idleMs <= 0) {
    return true;
  }
  if (a.idleMs !== undefined) {
    return a.idleMs >= idleMs;
  }
  return a.connections !== undefined && a.connections === 0 && a.observedMs >= idleMs;
}

function within(root: string, project: ProjectInfo | undefined): boolean {
  if (!project) {
    return false;
  }
  const r = root.replace(/[\\/]+$/, '');
  return project.root === r || project.root.startsWith(`${r}/`) || project.root.startsWith(`${r}\\`) || project.repository === r;
}

/** One row of the forgotten-servers list. */
export interface ServerEntry {
  socket: ListeningSocket;
  activity: ServerActivity;
}

/**
 * The development servers matching the criteria, oldest first. Sockets of one process are listed once
 * per port (TCP listeners only: idleness is known only for them).
 */
export function forgottenServers(snapshot: Snapshot, tracker: ConnectionTracker, criteria: ForgottenCriteria, now: number, selfUid?: number): ServerEntry[] {
  const out: ServerEntry[] = [];
  const seen = new Set<string>();
  for (const s of snapshot.sockets) {
    if (s.protocol !== 'tcp' || !isDevServer(s, selfUid)) {
      continue;
    }
    const key = `${s.port}|${ownerKey(s.owners[0])}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    if (criteria.projectRoot !== undefined && !within(criteria.projectRoot, s.owners[0].project)) {
      continue;
    }
    const activity = tracker.activity(s, now);
    if ((activity.uptimeMs ?? 0) < criteria.olderThanMs || !idleAtLeast(activity, criteria.idleMs)) {
      continue;
    }
    out.push({ socket: s, activity });
  }
  return out.sort((a, b) => (b.activity.uptimeMs ?? 0) - (a.activity.uptimeMs ?? 0) || a.socket.port - b.socket.port);
}

// The words for a duration live on the ground floor (the webview uses them too).
export { formatDuration } from '../core/format';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3600_000, d: 86_400_000 };

/** Parses `30m`, `8h`, `90s`, `2d`, `1h30m` or plain milliseconds; throws a plain message otherwise. */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    return Number(t);
  }
  const re = /(\d+(?:\.\d+)?)\s*(ms|min|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    const n = Number(m[1]);
    total += n * UNIT_MS[m[2]];
    matched = re.lastIndex;
  }
  if (t === '' || matched !== t.length || !Number.isFinite(total) || total > 365 * 86_400_000) {
    throw new Error(`"${t.slice(0, 40)}" is not a duration: use e.g. 30m, 8h, 90s or 2d`);
  }
  return Math.round(total);
}
