// Runs external programs the one safe way: execFile with an argument array (never a shell), a timeout,
// a bounded output buffer, and plain-words errors for the expected failures (missing tool, timeout).
import type * as ChildProcess from 'node:child_process';
import { InspectorError } from '../core/types';

export interface RunOptions {
  timeoutMs?: number;
  maxBuffer?: number;
  signal?: AbortSignal;
  /** Exit codes that still count as success (lsof exits 1 when it finds nothing). */
  okExitCodes?: number[];
  env?: NodeJS.ProcessEnv;
  encoding?: BufferEncoding;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Run `file` with `args`. Rejects with an {@link InspectorError}: TOOL_MISSING when the program is not
 *  installed, TIMEOUT when it ran too long, FAILED for any other non-zero exit not in `okExitCodes`. */
export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    // child_process loads with the first external program, not at start-up: on Linux a scan runs none.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { execFile } = require('node:child_process') as typeof ChildProcess;
    execFile(
      file,
      args,
      {
        timeout: timeoutMs,
        maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
        signal: options.signal,
        env: options.env ?? { ...process.env, LC_ALL: 'C', LANG: 'C' },
        encoding: options.encoding ?? 'utf8',
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        const out = String(stdout ?? '');
        const err = String(stderr ?? '');
        if (!error) {
          resolve({ stdout: out, stderr: err, exitCode: 0 });
          return;
        }
        const e = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string; code?: unknown };
        if (e.code === 'ENOENT') {
          reject(new InspectorError(`'${file}' is not installed or not on the PATH.`, 'TOOL_MISSING', e.message));
        } else if (e.code === 'EACCES') {
          reject(new InspectorError(`'${file}' cannot be run: permission denied.`, 'PERMISSION', e.message));
        } else if (e.name === 'AbortError') {
          reject(new InspectorError(`'${file}' was cancelled.`, 'FAILED', e.message));
        } else if (e.killed || e.signal === 'SIGTERM') {
          reject(new InspectorError(`'${file}' did not answer within ${timeoutMs} ms.`, 'TIMEOUT', err));
        } else if (typeof e.code === 'number' && (options.okExitCodes ?? []).includes(e.code)) {
          resolve({ stdout: out, stderr: err, exitCode: e.code });
        } else {
          const firstLine = err.trim().split('\n')[0] ?? '';
          reject(new InspectorError(`'${file}' failed${firstLine ? `: ${firstLine}` : ''}.`, 'FAILED', err));
        }
      },
    );
  });
}

/** Turns any failure of `tool` into an InspectorError: a missing tool gets `missingMessage` (where to get
 *  it, in plain words), other InspectorErrors pass through, anything else becomes FAILED. */
export function toolError(error: unknown, tool: string, missingMessage: string): InspectorError {
  if (error instanceof InspectorError && error.code === 'TOOL_MISSING') {
    return new InspectorError(missingMessage, 'TOOL_MISSING', error.detail ?? error.message);
  }
  if (error instanceof InspectorError) {
    return error;
  }
  return new InspectorError(`${tool} failed: ${error instanceof Error ? error.message : String(error)}`, 'FAILED');
}
