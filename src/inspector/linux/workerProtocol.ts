// Messages between LinuxBackend (extension host thread) and inspectorWorker (scan thread).
import type { Snapshot } from '../../core/types';
import type { LinuxScannerOptions } from './linuxScanner';

export interface ScanRequest {
  id: number;
  type: 'scan';
  connections: boolean;
}

export type ScanReply =
  | { id: number; ok: true; snapshot: Snapshot }
  | { id: number; ok: false; message: string; code: string; detail?: string };

export type WorkerData = LinuxScannerOptions;
