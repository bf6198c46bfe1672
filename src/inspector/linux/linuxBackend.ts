// The Linux back-end: /proc, no external program. By default the scan runs in a worker thread so the
// extension host's event loop never waits on thousands of /proc reads; the CLI scans in-thread instead,
// which saves the thread's start-up for a one-shot run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as WorkerThreads from 'node:worker_threads';
import type { Backend, ScanOptions, Snapshot } from '../../core/types';
import { InspectorError } from '../../core/types';
import type { LinuxScannerOptions } from './linuxScanner';
import { LinuxScanner } from './linuxScanner';
import { SocketsDecoder } from './snapshotDelta';
import type { ScanReply, ScanRequest } from './workerProtocol';

export interface LinuxBackendOptions extends LinuxScannerOptions {
  /** Run scans in a worker thread (default true). */
  useWorker?: boolean;
  /** Path of the worker script; default: inspectorWorker.js beside this module (or the bundle). */
  workerPath?: string;
  /** A scan that takes longer than this kills and restarts the worker. */
  scanTimeoutMs?: number;
}

interface Pending {
  resolve(s: Snapshot): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export class LinuxBackend implements Backend {
  readonly id = 'linux-proc';
  private worker: WorkerThreads.Worker | undefined;
  private inThread: LinuxScanner | undefined;
  private readonly pending = new Map<number, Pending>();
  /** The worker's sockets as rebuilt from its updates (snapshotDelta.ts). */
  private readonly decoder = new SocketsDecoder();
  private nextId = 1;
  private crashes = 0;
  private crashReported = false;
  private disposed = false;

  constructor(private readonly options: LinuxBackendOptions = {}) {}

  async snapshot(options: ScanOptions = {}): Promise<Snapshot> {
    if (this.disposed) {
      throw new InspectorError('The inspector has been disposed.', 'FAILED');
    }
    options.signal?.throwIfAborted();
    const worker = this.options.useWorker === false ? undefined : this.ensureWorker();
    if (!worker) {
      this.inThread ??= new LinuxScanner(this.options);
      return this.inThread.scan({ connections: options.connections !== false });
    }
    const snapshot = await this.request(worker, options);
    if (this.crashes > 0 && !this.crashReported) {
      this.crashReported = true;
      snapshot.warnings.push(`The scanner thread stopped unexpectedly ${this.crashes} time(s) and was restarted.`);
    }
    return snapshot;
  }

  dispose(): void {
    this.disposed = true;
    this.failAll(new InspectorError('The inspector has been disposed.', 'FAILED'));
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private request(worker: WorkerThreads.Worker, options: ScanOptions): Promise<Snapshot> {
    const id = this.nextId++;
    const timeoutMs = this.options.scanTimeoutMs ?? 30_000;
    return new Promise<Snapshot>((resolve, reject) => {
      const onAbort = (): void => {
        const p = this.pending.get(id);
        if (p) {
          clearTimeout(p.timer);
          this.pending.delete(id);
          reject(options.signal?.reason instanceof Error ? options.signal.reason : new Error('The scan was cancelled.'));
        }
      };
      const timer = setTimeout(() => {
        this.pending.delete(id);
        options.signal?.removeEventListener('abort', onAbort);
        reject(new InspectorError(`The port scan did not finish within ${timeoutMs} ms; it was restarted.`, 'TIMEOUT'));
        this.restartWorker();
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (s) => {
          options.signal?.removeEventListener('abort', onAbort);
          resolve(s);
        },
        reject: (e) => {
          options.signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
        timer,
      });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const message: ScanRequest = { id, type: 'scan', connections: options.connections !== false, base: this.decoder.base };
      worker.postMessage(message);
    });
  }

  private ensureWorker(): WorkerThreads.Worker | undefined {
    if (this.worker) {
      return this.worker;
    }
    const workerPath = this.options.workerPath ?? path.join(__dirname, 'inspectorWorker.js');
    if (!fs.existsSync(workerPath)) {
      // A build without the worker file (or a test loading the sources another way): scan in-thread.
      return undefined;
    }
    const { procRoot, passwdPath, fullWalkIntervalMs } = this.options;
    // worker_threads loads with the first worker, not at start-up (the CLI never starts one).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Worker } = require('node:worker_threads') as typeof WorkerThreads;
    const worker = new Worker(workerPath, { workerData: { procRoot, passwdPath, fullWalkIntervalMs } });
    // A new thread holds no sockets yet: its first answer is a full list.
    this.decoder.reset();
    // The worker must not keep a CLI or a test process alive on its own.
    worker.unref();
    worker.on('message', (reply: ScanReply) => {
      if (this.worker !== worker) {
        return; // a thread being replaced
      }
      // Every answer is decoded, also one nobody waits for any more (a timed-out or cancelled scan): the
      // worker has moved its base to it, so this side must too.
      const sockets = reply.ok ? this.decoder.decode(reply.sockets) : undefined;
      const p = this.pending.get(reply.id);
      if (!p) {
        return;
      }
      clearTimeout(p.timer);
      this.pending.delete(reply.id);
      if (reply.ok) {
        if (sockets) {
          p.resolve({ ...reply.snapshot, sockets });
        } else {
          // A delta against sockets this side does not hold (cannot happen while every answer is
          // decoded in order; guarded anyway): the next request asks for the full list.
          this.decoder.reset();
          p.reject(new InspectorError('The scanner thread answered out of step; scan again.', 'FAILED'));
        }
      } else {
        p.reject(new InspectorError(reply.message, reply.code as InspectorError['code'], reply.detail));
      }
    });
    const onCrash = (err: Error | number): void => {
      if (this.worker !== worker) {
        return;
      }
      this.worker = undefined;
      if (this.disposed) {
        return;
      }
      this.crashes++;
      const detail = typeof err === 'number' ? `exit code ${err}` : err.message;
      this.failAll(new InspectorError(`The scanner thread stopped (${detail}); it will be restarted.`, 'FAILED', detail));
    };
    worker.on('error', onCrash);
    worker.on('exit', onCrash);
    this.worker = worker;
    return worker;
  }

  private restartWorker(): void {
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    this.pending.clear();
  }
}
