// The Linux scan, synchronous on purpose: it runs inside a worker thread (see inspectorWorker.ts), where
// blocking calls are the fastest way through thousands of small /proc reads and block nobody.
import * as fs from 'node:fs';
import { sortSockets } from '../../core/sockets';
import type { ConnectionSummary, ListeningSocket, ProcessInfo, Protocol, Snapshot } from '../../core/types';
import { InspectorError } from '../../core/types';
import type { ProcNetEntry, TableTally } from './procNetTable';
import { TCP_STATES, newTally, scanProcNetTable } from './procNetTable';
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
    const listening: ProcNetEntry[] = [];
    const tally = newTally();
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
      for (const e of scanProcNetTable(text, protocol, tally)) {
        listening.push(e);
      }
    }
    if (tablesRead === 0) {
      throw new InspectorError(
        `Cannot read the socket tables under ${this.procRoot}/net: is /proc mounted?`,
        'UNSUPPORTED',
        warnings.join('\n'),
      );
    }

    const wanted = new Set<number>();
    for (const e of listening) {
      if (e.inode !== 0) {
        wanted.add(e.inode);
      }
    }
    const ownersByInode = this.index.update(wanted);

    // One read per owning process, not per socket; sockets of one process share its ProcessInfo object
    // (a worker's structured clone then copies each command line once).
    const perScan = new Map<number, ProcessInfo | undefined>();
    const sockets: ListeningSocket[] = listening.map((e) => {
      const owners: ProcessInfo[] = [];
      for (const pid of ownersByInode.get(e.inode) ?? []) {
        let info = perScan.get(pid);
        if (!perScan.has(pid)) {
          const cached = this.processes.get(pid);
          info = cached && { ...cached };
          perScan.set(pid, info);
        }
        if (info) {
          owners.push(info);
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
        ...(e.protocol === 'tcp' && {
          connections: tally.establishedByPort.get(e.port) ?? 0,
          closingConnections: tally.closingByPort.get(e.port) ?? 0,
        }),
      };
    });
    this.processes.prune(new Set(perScan.keys()));

    const snapshot: Snapshot = {
      takenAt: Date.now(),
      backend: 'linux-proc',
      durationMs: 0,
      sockets: sortSockets(sockets),
      warnings,
    };
    if (options.connections !== false) {
      snapshot.connections = summarizeConnections(tally, readEphemeralRange(this.procRoot));
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

/** TCP state counts and the ephemeral ports taken by non-listening TCP sockets. */
export function summarizeConnections(tally: TableTally, ephemeral: { low: number; high: number } | undefined): ConnectionSummary {
  const tcpStates: Record<string, number> = {};
  for (const [code, count] of tally.tcpStates) {
    const state = TCP_STATES[code] ?? `0x${code}`;
    tcpStates[state] = (tcpStates[state] ?? 0) + count;
  }
  let used = 0;
  if (ephemeral) {
    for (const port of tally.activeTcpPorts) {
      if (port >= ephemeral.low && port <= ephemeral.high) {
        used++;
      }
    }
  }
  return {
    tcpStates,
    timeWait: tcpStates.TIME_WAIT ?? 0,
    udpSockets: tally.udpSockets,
    ephemeral: ephemeral && { ...ephemeral, used },
  };
}
