// What changed between two snapshots: which sockets appeared and which went away. The Ports view uses
// it to highlight new listeners for a few seconds (as TCPView does) and the tree never keeps a row for
// a socket that is gone, because every render starts from the current snapshot.
import { socketKey } from '../core/sockets';
import type { ListeningSocket, ProcessInfo, Snapshot } from '../core/types';

/** The sockets that appeared and disappeared between two snapshots. */
export interface SnapshotDiff {
  added: ListeningSocket[];
  removed: ListeningSocket[];
}

/**
 * Compares two snapshots by {@link socketKey}. Without a previous snapshot nothing counts as added:
 * the first scan after start-up describes what was already there, not what just appeared.
 */
export function diffSnapshots(previous: Pick<Snapshot, 'sockets'> | undefined, next: Pick<Snapshot, 'sockets'>): SnapshotDiff {
  // The Linux back-end hands over the very same array when a refresh changed nothing (see
  // inspector/linux/snapshotDelta.ts): no need to look at 5,000 sockets on the extension host's thread.
  if (!previous || previous.sockets === next.sockets) {
    return { added: [], removed: [] };
  }
  const before = new Map(previous.sockets.map((s) => [socketKey(s), s]));
  const after = new Map(next.sockets.map((s) => [socketKey(s), s]));
  const added = [...after].filter(([key]) => !before.has(key)).map(([, s]) => s);
  const removed = [...before].filter(([key]) => !after.has(key)).map(([, s]) => s);
  return { added, removed };
}

/**
 * True when two snapshots list the same sockets with the same owners (every field a view shows), in any
 * order. Most scans find nothing new: surfaces that re-render everything (the Ports tree) skip those.
 */
export function sameSockets(a: Pick<Snapshot, 'sockets'>, b: Pick<Snapshot, 'sockets'>): boolean {
  if (a.sockets === b.sockets) {
    return true;
  }
  if (a.sockets.length !== b.sockets.length) {
    return false;
  }
  const before = new Map(a.sockets.map((s) => [socketKey(s), s]));
  return b.sockets.every((s) => {
    const p = before.get(socketKey(s));
    // A row the back-end carried over unchanged is the same object (snapshotDelta.ts).
    return p !== undefined && (p === s || (p.state === s.state && p.uid === s.uid && p.ownerVisible === s.ownerVisible && sameOwners(p.owners, s.owners)));
  });
}

function sameOwners(a: readonly ProcessInfo[], b: readonly ProcessInfo[]): boolean {
  return (
    a.length === b.length &&
    a.every((o, i) => {
      const q = b[i];
      return o.pid === q.pid && o.name === q.name && o.command === q.command && o.user === q.user && o.uid === q.uid && o.ppid === q.ppid && o.startTime === q.startTime;
    })
  );
}

/** Default time a new socket stays highlighted. */
export const NEW_HIGHLIGHT_MS = 5000;

/**
 * Remembers when sockets first appeared, to highlight them for `highlightMs`. Time is passed in, so the
 * class is deterministic under test. Keys of sockets that went away are forgotten at once: a socket that
 * closes and reopens within the highlight time is new again.
 */
export class RecentSockets {
  private readonly firstSeen = new Map<string, number>();
  private previous: Pick<Snapshot, 'sockets'> | undefined;

  constructor(readonly highlightMs = NEW_HIGHLIGHT_MS) {}

  /**
   * Takes the next snapshot; returns the diff against the one before. With `highlight` false the snapshot
   * only becomes the new baseline: after a long gap without scans (every view hidden), "appeared since
   * the last scan" would flag everything started in the meantime, which is not news to anyone.
   */
  update(next: Pick<Snapshot, 'sockets'>, now: number, highlight = true): SnapshotDiff {
    const diff = diffSnapshots(highlight ? this.previous : undefined, next);
    this.previous = next;
    for (const s of diff.removed) {
      this.firstSeen.delete(socketKey(s));
    }
    for (const s of diff.added) {
      this.firstSeen.set(socketKey(s), now);
    }
    for (const [key, at] of this.firstSeen) {
      if (now - at >= this.highlightMs) {
        this.firstSeen.delete(key);
      }
    }
    return diff;
  }

  /** True while the socket with `key` is within its highlight time. */
  isNew(key: string, now: number): boolean {
    const at = this.firstSeen.get(key);
    return at !== undefined && now - at < this.highlightMs;
  }

  /** Milliseconds until the next highlight ends (to schedule a re-render), or undefined when none is on. */
  nextExpiryIn(now: number): number | undefined {
    let soonest: number | undefined;
    for (const at of this.firstSeen.values()) {
      const left = at + this.highlightMs - now;
      if (left > 0 && (soonest === undefined || left < soonest)) {
        soonest = left;
      }
    }
    return soonest;
  }
}
