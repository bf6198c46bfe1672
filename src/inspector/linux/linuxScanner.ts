// The Linux scan, synchronous on purpose: it runs inside a worker thread (see inspectorWorker.ts), where
// blocking calls are the fastest way through thousands of small /proc reads and block nobody.
import * as fs from 'node:fs';
import { sortSockets } from '../socketOrder';
import type { ConnectionSummary, ListeningSocket, Protocol, Snapshot } from '../types';
import { InspectorError } from '../types';
import type { ProcNetEntry } from './procNetTable';
import { TCP_STATES, parseProcNetTable } from './procNetTable';
import { ProcessInfoCache } from './procProcess';
import { SocketOwnerIndex } from './socketOwnerIndex';
import { UserNames } from './userNames';

export interface LinuxScannerOptions {
  /** Where procfs is mounted; tests point it at a fabricated tree. */
  procRoot?: string;
  passwdPath?: string;
  fullWalkIntervalMs?: number;
}

export interface LinuxScanOptions {
  connections?: boolean;
}

const TABLES: ReadonlyArray<[file: string, protocol: Protocol]> = [
  ['tcp', 'tcp'],
  ['tcp6', 'tcp'],
  ['udp', 'udp'],
  ['udp6', 'udp'],
];

export class LinuxScanner {
  readonly procRoot: string;
  private readonly users: UserNames;
  private readonly index: SocketOwnerIndex;
  private readonly processes: ProcessInfoCache;

  constructor(options: LinuxScannerOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.users = new UserNames(options.passwdPath);
    this.index = new SocketOwnerIndex(this.procRoot, options.fullWalkIntervalMs);
    this.processes = new ProcessInfoCache(this.procRoot, this.users);
  }

  /** Lists listening sockets with owners. Throws InspectorError when /proc cannot be read at all. */
  scan(options: LinuxScanOptions = {}): Snapshot {
    const started = performance.now();
    const warnings: string[] = [];
    this.users.refresh();
    const entries: ProcNetEntry[] = [];
    let tablesRead = 0;
    for (const [file, protocol] of TABLES) {
      let text: string;
      try {
        text = fs.readFileSync(`${this.procRoot}/net/${file}`, 'latin1');
      } catch (err) {
        // tcp6/udp6 are absent when IPv6 is disabled: not an error.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          warnings.push(`Could not read ${this.procRoot}/net/${file}: ${(err as Error).message}`);
        }
        continue;
      }
      tablesRead++;
      for (const e of parseProcNetTable(text, protocol)) {
        entries.push(e);
      }
    }
    if (tablesRead === 0) {
      throw new InspectorError(
        `Cannot read the socket tables under ${this.procRoot}/net: is /proc mounted?`,
        'UNSUPPORTED',
        warnings.join('\n'),
      );
    }

    const listening = entries.filter((e) => e.listening);
    const wanted = new Set<number>();
    for (const e of listening) {
      if (e.inode !== 0) {
        wanted.add(e.inode);
      }
    }
    const ownersByInode = this.index.update(wanted);

    const alivePids = new Set<number>();
    const sockets: ListeningSocket[] = listening.map((e) => {
      const owners = [];
      for (const pid of ownersByInode.get(e.inode) ?? []) {
        const info = this.processes.get(pid);
        if (info) {
          owners.push({ ...info });
          alivePids.add(pid);
        }
      }
      return {
        protocol: e.protocol,
        family: e.family,
        address: e.address,
        port: e.port,
        state: e.protocol === 'tcp' ? 'LISTEN' : 'UNCONN',
        inode: e.inode,
        uid: e.uid,
        owners,
        ownerVisible: owners.length > 0,
      };
    });
    this.processes.prune(alivePids);

    const snapshot: Snapshot = {
      takenAt: Date.now(),
      backend: 'linux-proc',
      durationMs: 0,
      sockets: sortSockets(sockets),
      warnings,
    };
    if (options.connections !== false) {
      snapshot.connections = summarizeConnections(entries, readEphemeralRange(this.procRoot));
    }
    snapshot.durationMs = performance.now() - started;
    return snapshot;
  }

  /** Statistics of the last owner-index update (for the benchmark). */
  get indexStats(): SocketOwnerIndex['stats'] {
    return this.index.stats;
  }
}

/** Reads net.ipv4.ip_local_port_range (it governs IPv6 too). */
export function readEphemeralRange(procRoot: string): { low: number; high: number } | undefined {
  try {
    const [low, high] = fs.readFileSync(`${procRoot}/sys/net/ipv4/ip_local_port_range`, 'latin1').trim().split(/\s+/).map(Number);
    return Number.isInteger(low) && Number.isInteger(high) ? { low, high } : undefined;
  } catch {
    return undefined;
  }
}

/** Counts TCP states and the ephemeral ports taken by non-listening TCP sockets. */
export function summarizeConnections(
  entries: readonly ProcNetEntry[],
  ephemeral: { low: number; high: number } | undefined,
): ConnectionSummary {
  const tcpStates: Record<string, number> = {};
  const usedEphemeral = new Set<number>();
  let udpSockets = 0;
  for (const e of entries) {
    if (e.protocol === 'udp') {
      udpSockets++;
      continue;
    }
    const state = TCP_STATES[e.stateCode] ?? `0x${e.stateCode}`;
    tcpStates[state] = (tcpStates[state] ?? 0) + 1;
    if (ephemeral && !e.listening && e.port >= ephemeral.low && e.port <= ephemeral.high) {
      usedEphemeral.add(e.port);
    }
  }
  return {
    tcpStates,
    timeWait: tcpStates.TIME_WAIT ?? 0,
    udpSockets,
    ephemeral: ephemeral && { ...ephemeral, used: usedEphemeral.size },
  };
}
