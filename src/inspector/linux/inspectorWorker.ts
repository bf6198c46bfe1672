// Worker-thread entry: owns one LinuxScanner (and so its caches) for the life of the thread, and answers
// scan requests one at a time. Bundled on its own as dist/inspectorWorker.js.
import { parentPort, workerData } from 'node:worker_threads';
import { InspectorError } from '../../core/types';
import { LinuxScanner } from './linuxScanner';
import { SocketsEncoder } from './snapshotDelta';
import type { ScanReply, ScanRequest, WorkerData } from './workerProtocol';

const scanner = new LinuxScanner((workerData ?? {}) as WorkerData);
// Only what changed crosses to the host (snapshotDelta.ts); comparing happens here, off its thread.
const encoder = new SocketsEncoder();

parentPort?.on('message', (request: ScanRequest) => {
  let reply: ScanReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const { sockets, ...rest } = scanner.scan({ connections: request.connections });
    const update = encoder.encode(sockets, request.base ?? 0);
    if (update.kind === 'changed') {
      transfer.push(update.order.buffer as ArrayBuffer);
    }
    reply = { id: request.id, ok: true, snapshot: rest, sockets: update };
  } catch (err) {
    const e = err as Error;
    reply = {
      id: request.id,
      ok: false,
      message: e.message,
      code: err instanceof InspectorError ? err.code : 'FAILED',
      detail: err instanceof InspectorError ? err.detail : e.stack,
    };
  }
  parentPort?.postMessage(reply, transfer);
});
