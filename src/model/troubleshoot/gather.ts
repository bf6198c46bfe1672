// Gathers the facts for a troubleshooting report: connection tests to every bound address (in
// parallel, with timeouts), the firewall, the activity log and the workspace's mentions of the port.
// No vscode here: the caller passes the functions that reach the outside (testConnection, readFirewall,
// a port finder over the workspace), so the command, the CLI and tests share it.
import { hintFromProcess } from '../../core/containerProcesses';
import { socketsOnPort } from '../../core/sockets';
import type { ContainerSide, ContainerSideRequest } from '../../inspector/containers/containerSide';
import type { FirewallFindings, FirewallQuery } from '../../inspector/firewall/types';
import type { ConnectionResult, TestConnectionOptions } from '../../inspector/probe/types';
import type { ListeningSocket, Protocol, Snapshot } from '../../core/types';
import type { ReservedPortRanges } from '../../inspector/windows/excludedPorts';
import { rangesContaining } from '../../inspector/windows/excludedPorts';
import { ActivityLog } from '../activity/activityLog';
import type { ActivityEvent } from '../activity/types';
import { addressExposure } from '../exposure';
import { parseHost, parsePort } from '../../core/input';
import type { ConfigMention, ConnectionTest, ConnectionTestReason, TroubleshootActivity, TroubleshootContainer, TroubleshootFacts } from './types';

/** What to gather, and with what. */
export interface GatherOptions {
  port: number | string;
  /** A host to test as well (what a client would connect to). */
  host?: string;
  /** Both protocols when absent. */
  protocol?: Protocol;
  snapshot: Snapshot;
  /** The connection test (`testConnection` from src/inspector/probe). No tests without it. */
  probe?: (options: TestConnectionOptions) => Promise<ConnectionResult>;
  /** The firewall reader (`readFirewall` from src/inspector/firewall, with platform options bound). */
  firewall?: (query: FirewallQuery) => Promise<FirewallFindings>;
  /** The activity log, or its events. */
  activity?: ActivityLog | readonly ActivityEvent[];
  /** Mentions of the port in the workspace, or a function that finds them. */
  configMentions?: readonly ConfigMention[] | (() => Promise<readonly ConfigMention[]>);
  /** The reader of Windows' reserved port ranges (`readReservedPortRanges` from
   *  src/inspector/windows/excludedPorts); it answers undefined elsewhere. */
  reservedRanges?: (protocols: readonly Protocol[]) => Promise<ReservedPortRanges | undefined>;
  /** The container side of a published port (`checkContainerSide` from src/inspector/containers). No
   *  container side without it; the container is still named from the snapshot. */
  containerSide?: (request: ContainerSideRequest) => Promise<ContainerSide>;
  /** Default `process.platform`. */
  platform?: NodeJS.Platform;
  /** Whether the scan runs as root; default: this process's effective uid is 0 (not on Windows). */
  asRoot?: boolean;
  /** Per connection test. Default 2000 ms. */
  timeoutMs?: number;
  /** At most this many connection tests. Default 6. */
  maxTests?: number;
  signal?: AbortSignal;
  /** Default `Date.now()`. */
  now?: number;
}

const MENTIONS_MAX = 500;

interface Target {
  target: string;
  protocol: Protocol;
  reason: ConnectionTestReason;
  boundAddress?: string;
}

/** The addresses to test: each bound address (a wildcard through loopback), IPv4 through an IPv6
 *  wildcard when no IPv4 socket exists (dual stack), the host asked about, and loopback when nothing
 *  listens (to confirm that nothing answers, or find something the listing cannot see). */
export function connectionTargets(sockets: readonly ListeningSocket[], protocols: readonly Protocol[], host: string | undefined): Target[] {
  const targets: Target[] = [];
  const add = (t: Target): void => {
    if (!targets.some((x) => x.target === t.target && x.protocol === t.protocol)) {
      targets.push(t);
    }
  };
  for (const s of sockets) {
    const wildcard = addressExposure(s.address).scope === 'all';
    if (wildcard) {
      add({ target: s.family === 6 ? '::1' : '127.0.0.1', protocol: s.protocol, reason: 'wildcard', boundAddress: s.address });
      if (s.family === 6 && !sockets.some((x) => x.protocol === s.protocol && x.family === 4)) {
        add({ target: '127.0.0.1', protocol: s.protocol, reason: 'dual-stack', boundAddress: s.address });
      }
    } else {
      add({ target: s.address, protocol: s.protocol, reason: 'bound', boundAddress: s.address });
    }
  }
  if (sockets.length === 0) {
    for (const protocol of protocols) {
      add({ target: '127.0.0.1', protocol, reason: 'nothing-listening' });
      add({ target: '::1', protocol, reason: 'nothing-listening' });
    }
  }
  if (host === undefined) {
    return targets;
  }
  // The host comes first: it is what the user asked about, and the cap must not cut it.
  const requested: Target[] = [];
  for (const protocol of sockets.length > 0 ? [...new Set(sockets.map((s) => s.protocol))] : protocols) {
    const existing = targets.find((t) => t.target === host && t.protocol === protocol);
    requested.push(existing ? { ...existing, reason: 'requested' } : { target: host, protocol, reason: 'requested' });
  }
  return [...requested, ...targets.filter((t) => !(t.target === host && requested.some((r) => r.protocol === t.protocol)))];
}

function activityFacts(source: ActivityLog | readonly ActivityEvent[], port: number, protocol: Protocol | undefined, now: number): TroubleshootActivity {
  let log: ActivityLog;
  if (source instanceof ActivityLog) {
    log = source;
  } else {
    log = new ActivityLog({ maxEvents: Math.max(1, source.length) });
    log.append(source, now);
  }
  return {
    lastHolder: log.lastHolder(port, protocol, now),
    events: log.forPort(port, protocol),
    unusual: log.unusual({ port, protocol }),
  };
}

/** The containers behind `sockets`, each with its host side and what its forwarders' arguments say about
 *  the container side (docker-proxy's `-container-ip` / `-container-port`). */
export function containersOf(sockets: readonly ListeningSocket[]): Array<TroubleshootContainer & { request: ContainerSideRequest }> {
  const byId = new Map<string, TroubleshootContainer & { request: ContainerSideRequest }>();
  for (const s of sockets) {
    if (!s.container) {
      continue;
    }
    let entry = byId.get(s.container.id);
    if (!entry) {
      entry = { container: s.container, hostSide: [], request: { container: s.container, hostPort: s.port, protocol: s.protocol } };
      byId.set(s.container.id, entry);
    }
    entry.hostSide.push({ protocol: s.protocol, address: s.address, port: s.port, forwarders: s.owners.map((o) => ({ pid: o.pid, name: o.name })) });
    for (const o of s.owners) {
      const hint = hintFromProcess(o);
      if (hint?.kind === 'proxy') {
        entry.request.containerIp ??= hint.containerIp;
        entry.request.containerPort ??= hint.containerPort;
      }
    }
  }
  return [...byId.values()];
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Gathers everything the report needs about `options.port`, running the connection tests, the firewall
 * reader and the workspace search in parallel. Never fails because of what it finds: a test, reader or
 * search that throws becomes a line in `problems`.
 * @throws Error (one line) only for an invalid port, host or protocol.
 */
export async function gatherTroubleshootFacts(options: GatherOptions): Promise<TroubleshootFacts> {
  const port = parsePort(options.port);
  const host = options.host !== undefined && options.host.trim() !== '' ? parseHost(options.host).host : undefined;
  const protocol = options.protocol;
  if (protocol !== undefined && protocol !== 'tcp' && protocol !== 'udp') {
    throw new Error(`Unknown protocol "${String(protocol)}": use tcp or udp.`);
  }
  if (!options.snapshot || !Array.isArray(options.snapshot.sockets)) {
    throw new Error('gatherTroubleshootFacts needs a snapshot.');
  }
  const now = options.now ?? Date.now();
  const platform = options.platform ?? process.platform;
  const timeoutMs = options.timeoutMs ?? 2000;
  const problems: string[] = [];
  const onPort = socketsOnPort(options.snapshot, port);
  const sockets = onPort.filter((s) => protocol === undefined || s.protocol === protocol);
  const otherProtocolSockets = protocol === undefined ? [] : onPort.filter((s) => s.protocol !== protocol);
  const protocols: Protocol[] = protocol ? [protocol] : ['tcp'];

  const runTests = async (): Promise<ConnectionTest[]> => {
    const probe = options.probe;
    if (!probe) {
      return [];
    }
    const targets = connectionTargets(sockets, protocols, host).slice(0, Math.max(1, options.maxTests ?? 6));
    const results = await Promise.all(
      targets.map(async (t): Promise<ConnectionTest | undefined> => {
        try {
          const result = await probe({ host: t.target, port, protocol: t.protocol, timeoutMs, signal: options.signal });
          return { target: t.target, boundAddress: t.boundAddress, reason: t.reason, result };
        } catch (err) {
          problems.push(`The connection test to ${t.target} could not run: ${message(err)}`);
          return undefined;
        }
      }),
    );
    return results.filter((r): r is ConnectionTest => r !== undefined);
  };

  const readRules = async (): Promise<FirewallFindings | undefined> => {
    if (!options.firewall) {
      return undefined;
    }
    const programs = [...new Set(sockets.flatMap((s) => s.owners.flatMap((o) => [o.name, o.command.split(' ')[0] ?? ''])).filter((p) => p !== ''))].slice(0, 20);
    try {
      return await options.firewall({ port, protocol, programs });
    } catch (err) {
      problems.push(`The firewall could not be checked: ${message(err)}`);
      return undefined;
    }
  };

  const findMentions = async (): Promise<ConfigMention[] | undefined> => {
    const source = options.configMentions;
    if (source === undefined) {
      return undefined;
    }
    try {
      const list = typeof source === 'function' ? await source() : source;
      return [...list].slice(0, MENTIONS_MAX);
    } catch (err) {
      problems.push(`The workspace could not be searched: ${message(err)}`);
      return undefined;
    }
  };

  const readReserved = async (): Promise<TroubleshootFacts['reservedRanges']> => {
    if (!options.reservedRanges) {
      return undefined;
    }
    try {
      const found = await options.reservedRanges(protocol ? [protocol] : ['tcp', 'udp']);
      if (!found) {
        return undefined;
      }
      problems.push(...found.problems);
      return rangesContaining(found.ranges, port, protocol);
    } catch (err) {
      problems.push(`The reserved port ranges could not be read: ${message(err)}`);
      return undefined;
    }
  };

  const readContainers = async (): Promise<TroubleshootContainer[] | undefined> => {
    const found = containersOf(sockets);
    if (found.length === 0) {
      return undefined;
    }
    return Promise.all(
      found.slice(0, 4).map(async ({ request, ...entry }): Promise<TroubleshootContainer> => {
        if (!options.containerSide) {
          return entry;
        }
        try {
          return { ...entry, side: await options.containerSide(request) };
        } catch (err) {
          problems.push(`The container side of ${entry.container.name} could not be checked: ${message(err)}`);
          return entry;
        }
      }),
    );
  };

  let activity: TroubleshootActivity | undefined;
  if (options.activity) {
    try {
      activity = activityFacts(options.activity, port, protocol, now);
    } catch (err) {
      problems.push(`The activity log could not be read: ${message(err)}`);
    }
  }

  const [tests, firewall, configMentions, reservedRanges, containers] = await Promise.all([runTests(), readRules(), findMentions(), readReserved(), readContainers()]);
  return {
    port,
    host,
    protocol,
    platform,
    asRoot: options.asRoot ?? (platform !== 'win32' && process.geteuid?.() === 0),
    now,
    snapshotTakenAt: options.snapshot.takenAt,
    backend: options.snapshot.backend,
    sockets,
    otherProtocolSockets,
    connections: options.snapshot.connections,
    tests,
    firewall,
    ...(containers ? { containers } : {}),
    activity,
    configMentions,
    reservedRanges,
    problems,
  };
}
