// Messages between LinuxBackend (extension host thread) and inspectorWorker (scan thread).
import type { Snapshot } from '../../core/types';
import type { LinuxScannerOptions } from './linuxScanner';
import type { SocketsUpdate } from './snapshotDelta';

export interface ScanRequest {
  id: number;
  type: 'scan';
  connections: boolean;
  /** The sockets revision the host holds (snapshotDelta.ts): the reply is a delta against it, or full. */
  base: number;
}

export type ScanReply =
  | { id: number; ok: true; snapshot: Omit<Snapshot, 'sockets'>; sockets: SocketsUpdate }
  | { id: number; ok: false; message: string; code: string; detail?: string };

export type WorkerData = LinuxScannerOptions;
