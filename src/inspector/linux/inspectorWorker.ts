// Worker-thread entry: owns one LinuxScanner (and so its caches) for the life of the thread, and answers
// scan requests one at a time. Bundled on its own as dist/inspectorWorker.js.
import { parentPort, workerData } from 'node:worker_threads';
import { InspectorError } from '../../core/types';
import { LinuxScanner } from './linuxScanner';
import type { ScanReply, ScanRequest, WorkerData } from './workerProtocol';

const scanner = new LinuxScanner((workerData ?? {}) as WorkerData);

parentPort?.on('message', (request: ScanRequest) => {
  let reply: ScanReply;
  try {
    reply = { id: request.id, ok: true, snapshot: scanner.scan({ connections: request.connections }) };
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
  parentPort?.postMessage(reply);
});
