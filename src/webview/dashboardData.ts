// What the dashboard shows, computed on the host from the shared snapshot: one row per socket, the
// summary charts' numbers, and the difference between two sets of rows (so an update carries only what
// changed). No `vscode` import: unit-tested in plain mocha.
import type { ContainerInfo, ListeningSocket, Snapshot } from '../core/types';
import { classifySocket } from '../model/classify';
import { containerSummary, serviceSummary } from '../model/describeSocket';
import { processLabel } from '../core/whatRuns';
import { containerProject, isWorkspaceProject, projectLabel } from '../model/projects';
import type { ConnectionTracker, ForgottenCriteria, ServerActivity } from '../model/serverActivity';
import { forgottenServers } from '../model/serverActivity';
import type { LabelRule } from '../model/portLabels';
import { labelFor } from '../model/portLabels';
import type { PortRange } from '../model/portRange';
import { plainText, truncate } from '../core/displayText';
import type { DashboardRow, DashboardSummary, RiskyListener } from '../shared/protocol';
import { COMMAND_MAX } from '../shared/protocol';
import { socketKey } from '../core/sockets';

/** Who "mine only" means: the extension host's user. */
export interface CurrentUser {
  uid?: number;
  name?: string;
}

export interface RowOptions {
  labels?: readonly LabelRule[];
  /** The integrated terminal an owner pid was started from. */
  terminalOf?: (pid: number) => string | undefined;
  self: CurrentUser;
  /** The workspace's folders, for the "in this workspace" mark. */
  workspaceFolders?: readonly string[];
  /** What the connection tracker knows about a socket now (uptime, idleness); absent: nothing. */
  activityOf?: (socket: ListeningSocket) => ServerActivity;
  /** The time `activityOf` measured at: rows carry times, not durations. */
  now?: number;
  /** The sockets Show Forgotten Servers would list now ({@link forgottenSockets}). */
  forgotten?: ReadonlySet<ListeningSocket>;
}

/**
 * The sockets the forgotten-servers rule lists, by the very function Show Forgotten Servers runs (same
 * thresholds from the same settings; development servers only, never system services or containers).
 * That list names each port of a process once; every socket of that port and process is marked, since
 * Free Port frees the port on all its addresses.
 */
export function forgottenSockets(
  snapshot: Snapshot,
  tracker: ConnectionTracker,
  criteria: ForgottenCriteria,
  now: number,
  selfUid?: number,
): Set<ListeningSocket> {
  const entries = forgottenServers(snapshot, tracker, criteria, now, selfUid);
  const keys = new Set(entries.map((e) => `${e.socket.port}|${e.socket.owners[0].pid}`));
  return new Set(snapshot.sockets.filter((s) => s.protocol === 'tcp' && s.owners[0] !== undefined && keys.has(`${s.port}|${s.owners[0].pid}`)));
}

/** `shop-db-1 (docker 3f2a9c1b7e4d) · compose service "db" of project "shop" · postgres:16`. */
function containerDetail(c: ContainerInfo): string {
  const parts = [`${c.name} (${c.engine} ${c.id.slice(0, 12)})`];
  if (c.compose) {
    parts.push(`compose service "${c.compose.service}" of project "${c.compose.project}"`);
  } else if (c.pod) {
    parts.push(`pod ${c.pod}`);
  }
  if (c.image) {
    parts.push(c.image);
  }
  return parts.join(' · ');
}

const RISKY_MAX = 20;
const TOP_PROCESSES = 8;

function isMine(socket: ListeningSocket, self: CurrentUser): boolean {
  if (self.uid !== undefined) {
    // The kernel's socket uid is known even when the owner process is not visible.
    return socket.owners.some((o) => o.uid === self.uid) || (socket.owners.length === 0 && socket.uid === self.uid);
  }
  // Windows reports no uids: compare user names (DOMAIN\name or name), case-insensitively.
  const name = self.name?.toLowerCase();
  return name !== undefined && socket.owners.some((o) => o.user !== undefined && o.user.toLowerCase().split('\\').pop() === name);
}

function serviceDetail(cls: ReturnType<typeof classifySocket>, label: string | undefined): string {
  const parts: string[] = [];
  if (label) {
    parts.push(`Your label: ${label}`);
  }
  if (cls.dev) {
    parts.push(`Commonly: ${cls.dev.runs.join(', ')}`);
  }
  if (cls.iana) {
    parts.push(`IANA: ${cls.iana.name}${cls.iana.description ? ` (${cls.iana.description})` : ''}`);
  }
  return parts.join(' · ');
}

/** A command line made inert and cut to `max`. Cut before cleaning: command lines can be 100 kB, and
 *  thousands of rows share one, so cleaning the whole text on every refresh would cost seconds. */
export function commandText(command: string, max: number): string {
  if (command.length <= max * 2) {
    return plainText(command, max);
  }
  const text = plainText(command.slice(0, max * 2), max);
  // Folded whitespace can make the cut part fit: it must still say that text is missing.
  return text.endsWith('…') ? text : text.length < max ? `${text}…` : truncate(`${text}…`, max);
}

/** One table row for `socket`. Untrusted text (names, command lines, users, terminal names) is made
 *  inert with `plainText` and capped; the webview still only ever renders it as text. */
export function dashboardRow(socket: ListeningSocket, options: RowOptions): DashboardRow {
  const cls = classifySocket(socket);
  const label = options.labels ? labelFor(socket.port, options.labels) : undefined;
  const owner = socket.ownerVisible ? socket.owners[0] : undefined;
  let terminal: string | undefined;
  for (const o of socket.owners) {
    terminal = options.terminalOf?.(o.pid);
    if (terminal !== undefined) {
      break;
    }
  }
  const user = owner?.user ?? (owner?.uid !== undefined ? String(owner.uid) : socket.uid !== undefined ? String(socket.uid) : '');
  // A container's project is its compose file's folder, not its forwarder's working directory.
  const project = socket.container ? containerProject(socket.container) : owner?.project;
  const row: DashboardRow = {
    key: socketKey(socket),
    port: socket.port,
    protocol: socket.protocol,
    family: socket.family,
    address: plainText(socket.address, 100),
    exposure: cls.exposure.scope,
    exposureLabel: cls.exposure.label,
    range: cls.range,
    service: plainText(serviceSummary(cls, label) ?? '', 80),
    serviceDetail: plainText(serviceDetail(cls, label), 400),
    ownerVisible: socket.ownerVisible && socket.owners.length > 0,
    process: owner ? plainText(processLabel(owner), 100) : '',
    project: project ? plainText(projectLabel(project), 100) : '',
    inWorkspace: isWorkspaceProject(project, options.workspaceFolders ?? []),
    pids: socket.ownerVisible ? socket.owners.map((o) => o.pid) : [],
    user: plainText(user, 64),
    mine: isMine(socket, options.self),
    terminal: terminal !== undefined ? plainText(terminal, 80) : '',
    command: owner ? commandText(owner.command || owner.name, COMMAND_MAX) : '',
    web: socket.protocol === 'tcp' && cls.httpScheme !== undefined,
    forgotten: options.forgotten?.has(socket) ?? false,
  };
  const activity = options.activityOf?.(socket);
  if (activity) {
    const now = options.now ?? Date.now();
    if (activity.uptimeMs !== undefined) {
      row.startedAt = now - activity.uptimeMs;
    }
    if (activity.connections !== undefined) {
      row.connections = activity.connections;
    }
    // While connected the idle time is 0 whatever the last scan was: leaving the time out keeps the
    // row unchanged from scan to scan (nothing to send).
    if (activity.lastConnectionAt !== undefined && !(activity.connections !== undefined && activity.connections > 0)) {
      row.lastConnectionAt = activity.lastConnectionAt;
    }
    if (activity.observedMs > 0) {
      row.watchedSince = now - activity.observedMs;
    }
  }
  if (cls.risk) {
    row.risk = { level: cls.risk.level, reason: plainText(cls.risk.reason, 300) };
  }
  if (socket.container) {
    row.container = plainText(containerSummary(socket.container), 160);
    row.containerDetail = plainText(containerDetail(socket.container), 400);
  }
  return row;
}

/** Rows for every socket of a snapshot, in snapshot order, and the socket behind each row's key. */
export interface DashboardRows {
  rows: DashboardRow[];
  /** Row key → socket: what an action message's key is checked against. */
  sockets: Map<string, ListeningSocket>;
}

/** Rows for a snapshot. Keys are unique: a back-end that reports two sockets with the same identity
 *  (no inode, same owners) gets the second one suffixed, so the webview never merges two rows. */
export function dashboardRows(snapshot: Pick<Snapshot, 'sockets'>, options: RowOptions): DashboardRows {
  const rows: DashboardRow[] = [];
  const sockets = new Map<string, ListeningSocket>();
  for (const socket of snapshot.sockets) {
    const row = dashboardRow(socket, options);
    if (sockets.has(row.key)) {
      let n = 2;
      while (sockets.has(`${row.key}#${n}`)) {
        n++;
      }
      row.key = `${row.key}#${n}`;
    }
    sockets.set(row.key, socket);
    rows.push(row);
  }
  return { rows, sockets };
}

/** The summary charts' numbers for a snapshot and its rows (rows carry the classification already). */
export function dashboardSummary(snapshot: Snapshot, rows: readonly DashboardRow[], forgotten?: Pick<ForgottenCriteria, 'olderThanMs' | 'idleMs'>): DashboardSummary {
  const byRange: Record<PortRange, number> = { 'well-known': 0, registered: 0, dynamic: 0 };
  const byProtocol = { tcp: 0, udp: 0 };
  let exposed = 0;
  let hiddenOwners = 0;
  const risky: RiskyListener[] = [];
  const processes = new Map<number, { name: string; pid: number; count: number }>();
  for (const row of rows) {
    byRange[row.range]++;
    byProtocol[row.protocol]++;
    if (row.exposure !== 'loopback') {
      exposed++;
    }
    if (!row.ownerVisible) {
      hiddenOwners++;
    }
    if (row.risk) {
      risky.push({ key: row.key, port: row.port, protocol: row.protocol, address: row.address, process: row.process, level: row.risk.level, reason: row.risk.reason });
    }
    const pid = row.pids[0];
    if (pid !== undefined) {
      const p = processes.get(pid);
      if (p) {
        p.count++;
      } else {
        processes.set(pid, { name: row.process, pid, count: 1 });
      }
    }
  }
  risky.sort((a, b) => (a.level === b.level ? a.port - b.port : a.level === 'high' ? -1 : 1));
  const topProcesses = [...processes.values()].sort((a, b) => b.count - a.count || a.pid - b.pid).slice(0, TOP_PROCESSES);
  const c = snapshot.connections;
  const summary: DashboardSummary = {
    total: rows.length,
    byProtocol,
    byRange,
    exposed,
    risky: risky.slice(0, RISKY_MAX),
    riskyTotal: risky.length,
    tcpStates: Object.entries(c?.tcpStates ?? {})
      .filter(([, count]) => count > 0)
      .map(([state, count]) => ({ state: plainText(state, 20), count }))
      .sort((a, b) => b.count - a.count || a.state.localeCompare(b.state)),
    topProcesses,
    hiddenOwners,
    takenAt: snapshot.takenAt,
    backend: snapshot.backend,
    durationMs: snapshot.durationMs,
    warnings: snapshot.warnings.slice(0, 5).map((w) => plainText(w, 300)),
  };
  if (forgotten) {
    summary.forgotten = { olderThanMs: forgotten.olderThanMs, idleMs: forgotten.idleMs, count: rows.filter((r) => r.forgotten).length };
  }
  if (c) {
    summary.timeWait = c.timeWait;
    if (c.ephemeral && c.ephemeral.high >= c.ephemeral.low) {
      const { low, high, used } = c.ephemeral;
      summary.ephemeral = { low, high, size: high - low + 1, used };
    }
  }
  return summary;
}

function sameRow(a: DashboardRow, b: DashboardRow): boolean {
  return (
    a.service === b.service &&
    a.serviceDetail === b.serviceDetail &&
    a.process === b.process &&
    a.user === b.user &&
    a.mine === b.mine &&
    a.terminal === b.terminal &&
    a.command === b.command &&
    a.ownerVisible === b.ownerVisible &&
    a.pids.length === b.pids.length &&
    a.pids.every((p, i) => p === b.pids[i]) &&
    a.risk?.level === b.risk?.level &&
    a.risk?.reason === b.risk?.reason &&
    a.exposureLabel === b.exposureLabel &&
    a.web === b.web &&
    a.project === b.project &&
    a.inWorkspace === b.inWorkspace &&
    a.container === b.container &&
    a.containerDetail === b.containerDetail &&
    a.startedAt === b.startedAt &&
    a.connections === b.connections &&
    a.lastConnectionAt === b.lastConnectionAt &&
    a.watchedSince === b.watchedSince &&
    a.forgotten === b.forgotten
  );
}

/** What changed from `previous` rows (by key) to `next`: only these travel to the webview. Port,
 *  protocol and address are part of the key, so a row with the same key differs only in its owner,
 *  service or terminal. */
export function diffRows(previous: ReadonlyMap<string, DashboardRow>, next: readonly DashboardRow[]): { added: DashboardRow[]; changed: DashboardRow[]; removed: string[] } {
  const added: DashboardRow[] = [];
  const changed: DashboardRow[] = [];
  const seen = new Set<string>();
  for (const row of next) {
    seen.add(row.key);
    const old = previous.get(row.key);
    if (!old) {
      added.push(row);
    } else if (!sameRow(old, row)) {
      changed.push(row);
    }
  }
  const removed = [...previous.keys()].filter((k) => !seen.has(k));
  return { added, changed, removed };
}
