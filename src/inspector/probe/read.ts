// Bounded reads: every read from a remote service stops at a byte cap, a deadline, the end of the
// stream, an error or cancellation, whichever comes first, and always removes its listeners.
import type { Duplex } from 'node:stream';

/** Limits of one read. */
export interface ReadOptions {
  /** Give up when nothing at all has arrived after this long. */
  timeoutMs: number;
  /** After the first bytes, wait at most this much longer for `done` to become true. Default: no extra limit. */
  afterFirstMs?: number;
  /** Stop as soon as this many bytes have arrived (the result is cut to it). */
  maxBytes: number;
  /** Stop when the bytes so far are a complete answer. */
  done?: (data: Buffer) => boolean;
  signal?: AbortSignal;
}

/** The bytes read (at most `maxBytes`) and why reading stopped. */
export interface ReadResult {
  data: Buffer;
  /** Why reading stopped. `end`: the peer closed its side; `error`: see `error`. */
  reason: 'done' | 'cap' | 'timeout' | 'end' | 'error' | 'aborted';
  error?: Error;
}

/** Reads from `stream` until one of the limits in `options` is hit. Never rejects. */
export function readBounded(stream: Duplex, options: ReadOptions): Promise<ReadResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;

    const finish = (reason: ReadResult['reason'], error?: Error): void => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
      stream.off('error', onError);
      options.signal?.removeEventListener('abort', onAbort);
      stream.pause();
      const all = Buffer.concat(chunks, size);
      const data = all.length > options.maxBytes ? all.subarray(0, options.maxBytes) : all;
      resolve(error ? { data, reason, error } : { data, reason });
    };
    const onData = (chunk: Buffer | string): void => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
      if (size === 0 && options.afterFirstMs !== undefined) {
        clearTimeout(timer);
        timer = setTimeout(() => finish('timeout'), options.afterFirstMs);
      }
      chunks.push(buf);
      size += buf.length;
      if (size >= options.maxBytes) {
        finish('cap');
      } else if (options.done?.(Buffer.concat(chunks, size))) {
        finish('done');
      }
    };
    const onEnd = (): void => finish('end');
    const onError = (error: Error): void => finish('error', error);
    const onAbort = (): void => finish('aborted');

    if (options.signal?.aborted) {
      finish('aborted');
      return;
    }
    if (stream.destroyed || stream.readableEnded) {
      finish('end');
      return;
    }
    timer = setTimeout(() => finish('timeout'), options.timeoutMs);
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('close', onEnd);
    stream.once('error', onError);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    stream.resume();
  });
}
