// The one way tests wait for something to become true: ask again until it is, within a generous limit.
// Tests never wait a fixed time for a change: on a busy 2-core machine any fixed time is sometimes too
// short. Used by the integration tests (extension host) and the UI tests (Node, Playwright) alike, so
// this module imports nothing but Node.
import * as util from 'node:util';

/** What `until` treats as "not yet". */
type Falsy = false | 0 | 0n | '' | null | undefined;

export interface UntilOptions {
  /** What is awaited, for the timeout error: "the Ports view to be visible". A function is called only
   *  when the wait gives up, so it can describe the state at that moment. */
  what: string | (() => string);
  /** Give up after this long (default 20 s: generous, for a busy machine). Checked after each attempt,
   *  so an attempt that starts before the limit still counts when it succeeds after it. */
  timeoutMs?: number;
  /** Pause between attempts (default 100 ms). */
  intervalMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_INTERVAL_MS = 100;

/**
 * Calls `condition` until it returns a truthy value, and resolves with that value. A falsy value
 * (`undefined`, `false`, `null`, `0`, `''`) or a thrown error means "not yet": the next attempt follows
 * after `intervalMs`. After `timeoutMs` it rejects with an error that names `what`, the number of
 * attempts, the last value returned and the last error thrown.
 */
export async function until<T>(condition: () => T | PromiseLike<T>, options: UntilOptions): Promise<Exclude<Awaited<T>, Falsy>> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const started = Date.now();
  let attempts = 0;
  let last: { value: unknown } | undefined;
  let lastError: { error: unknown; attempt: number } | undefined;
  for (;;) {
    attempts++;
    try {
      const value = await condition();
      if (value) {
        return value as Exclude<Awaited<T>, Falsy>;
      }
      last = { value };
    } catch (error) {
      lastError = { error, attempt: attempts };
    }
    if (Date.now() - started >= timeoutMs) {
      const what = typeof options.what === 'function' ? options.what() : options.what;
      const seen = [
        last ? `last result: ${show(last.value)}` : 'no attempt returned',
        lastError ? `last error (attempt ${lastError.attempt}): ${show(lastError.error)}` : undefined,
      ].filter(Boolean);
      throw new Error(`timed out after ${seconds(Date.now() - started)} waiting for ${what} (${attempts} attempts; ${seen.join('; ')})`, {
        cause: lastError?.error,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A value or error, on one line and not too long, for a failure message. */
function show(value: unknown): string {
  const text = value instanceof Error ? `${value.name}: ${value.message}` : util.inspect(value, { depth: 3, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 300 });
  // Playwright's call logs carry terminal colour codes: noise in a failure message.
  const line = text.replace(/\x1b\[[0-9;]*m/g, '').replace(/\s*\n\s*/g, ' ⏎ ');
  return line.length > 1000 ? `${line.slice(0, 1000)}…` : line;
}
