// What crosses from the scanner thread to the extension host: only what changed. A structured clone of
// 5,000 sockets costs the receiving thread tens of milliseconds; most refreshes change nothing. The
// worker keeps the sockets it sent last and sends, per scan, either nothing about them ('same'), or the
// new order as indexes into the last list (a transferable Int32Array) plus the rows that are new or
// changed. The host rebuilds the list reusing its unchanged objects, so an unchanged refresh hands the
// surfaces the very same array (and snapshotDiff's checks stop at `===`).
//
// Deltas are chained by revision: the host says which revision it holds; the worker answers with a
// delta only against that one, otherwise with the full list (after a restart, a dropped reply, …).
import { socketKey } from '../../core/sockets';
import type { ListeningSocket } from '../../core/types';

export type SocketsUpdate =
  | { kind: 'full'; revision: number; sockets: ListeningSocket[] }
  | { kind: 'same'; revision: number; base: number }
  | {
      kind: 'changed';
      revision: number;
      base: number;
      /** Per position: an index into the base list (that row, unchanged), or -1 for the next of `changed`. */
      order: Int32Array;
      changed: ListeningSocket[];
    };

/** Deep equality over plain data (what a snapshot is made of), whatever fields a socket grows. `known`
 *  remembers pairs of objects already found equal: the sockets of one process share its owner object,
 *  so 5,000 sockets of 50 processes compare 50 owners, not 5,000. */
export function samePlainData(a: unknown, b: unknown, known?: Map<object, object>): boolean {
  if (a === b) {
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return false;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) {
      return false;
    }
    for (let i = 0; i < a.length; i++) {
      if (!samePlainData(a[i], b[i], known)) {
        return false;
      }
    }
    return true;
  }
  if (Array.isArray(b)) {
    return false;
  }
  if (known?.get(a) === b) {
    return true;
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) {
    return false;
  }
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !samePlainData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], known)) {
      return false;
    }
  }
  known?.set(a, b);
  return true;
}

/** Worker side: encodes each scan's sockets against the last ones sent. A row is reused only when it
 *  is deeply equal to the row it points at, so the decoded list always equals the scanned one. */
export class SocketsEncoder {
  private revision = 0;
  private last: { revision: number; sockets: ListeningSocket[] } | undefined;

  /** `base`: the revision the receiver holds (0 for none). */
  encode(sockets: ListeningSocket[], base: number): SocketsUpdate {
    const revision = ++this.revision;
    const last = this.last;
    this.last = { revision, sockets };
    if (!last || last.revision !== base) {
      return { kind: 'full', revision, sockets };
    }
    const known = new Map<object, object>();
    // Scans come sorted, so a row is usually where it was: compare in place first, and look a row up
    // by its key (built only when needed) when it is not.
    let byKey: Map<string, number> | undefined;
    const order = new Int32Array(sockets.length);
    const changed: ListeningSocket[] = [];
    let same = sockets.length === last.sockets.length;
    for (let i = 0; i < sockets.length; i++) {
      if (i < last.sockets.length && samePlainData(last.sockets[i], sockets[i], known)) {
        order[i] = i;
        continue;
      }
      same = false;
      if (!byKey) {
        byKey = new Map();
        last.sockets.forEach((s, at) => byKey!.set(socketKey(s), at));
      }
      const at = byKey.get(socketKey(sockets[i]));
      if (at !== undefined && samePlainData(last.sockets[at], sockets[i], known)) {
        order[i] = at;
      } else {
        order[i] = -1;
        changed.push(sockets[i]);
      }
    }
    return same ? { kind: 'same', revision, base } : { kind: 'changed', revision, base, order, changed };
  }
}

/** Host side: rebuilds the sockets from updates. */
export class SocketsDecoder {
  private revision = 0;
  private sockets: ListeningSocket[] = [];

  /** The revision this side holds, to send with each request. */
  get base(): number {
    return this.revision;
  }

  /** The sockets after `update`, or undefined when it is a delta against a revision not held here. */
  decode(update: SocketsUpdate): ListeningSocket[] | undefined {
    if (update.kind !== 'full' && update.base !== this.revision) {
      return undefined;
    }
    switch (update.kind) {
      case 'full':
        this.sockets = update.sockets;
        break;
      case 'same':
        break;
      case 'changed': {
        const next = new Array<ListeningSocket>(update.order.length);
        let c = 0;
        for (let i = 0; i < next.length; i++) {
          const at = update.order[i];
          next[i] = at >= 0 ? this.sockets[at] : update.changed[c++];
        }
        this.sockets = next;
        break;
      }
    }
    this.revision = update.revision;
    return this.sockets;
  }

  /** Forgets what it holds (the worker restarted): the next update must be a full one. */
  reset(): void {
    this.revision = 0;
    this.sockets = [];
  }
}
