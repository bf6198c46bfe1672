// The messages between the Ports dashboard (a webview) and the extension host, typed once for both
// sides. The webview bundle imports this file, so it must stay free of Node and `vscode` at run time.
// Everything the host receives is untrusted: src/shared/validateMessage.ts checks it field by field.
import type { UnusualKind } from '../model/activity/types';
import type { ExposureScope } from '../model/exposure';
import type { PortRange } from '../model/portRange';
import type { RiskLevel } from '../model/risk';

// --- ids (the panel's view type is `WebviewPanels.dashboard` in src/constants.ts)

/** The table's sortable columns (the webview decides the display order). */
export const COLUMN_IDS = [
  'port',
  'protocol',
  'address',
  'process',
  'container',
  'project',
  'pid',
  'service',
  'uptime',
  'idle',
  'exposure',
  'range',
  'user',
  'terminal',
  'command',
] as const;

/** A sortable column of the table. */
export type ColumnId = (typeof COLUMN_IDS)[number];

export type SortDirection = 'asc' | 'desc';

export const PORT_RANGES: readonly PortRange[] = ['well-known', 'registered', 'dynamic'];
export const EXPOSURE_SCOPES: readonly ExposureScope[] = ['loopback', 'all', 'interface'];

/** What a row action does. `free` stops the owner (after the shared modal confirmation);
 *  `troubleshoot` and `activity` open the port's report and history. */
export const ROW_ACTIONS = ['free', 'test', 'open', 'copyAddress', 'copyPid', 'copyCommandLine', 'reveal', 'showTerminal', 'troubleshoot', 'activity'] as const;
export type RowAction = (typeof ROW_ACTIONS)[number];

/** Actions on the owning process: the message must name an owner pid that holds the socket. */
export const PROCESS_ACTIONS: ReadonlySet<RowAction> = new Set<RowAction>(['copyPid', 'copyCommandLine', 'showTerminal']);

// --- limits (the validator enforces them; the webview respects them)

/** Longest filter text kept. */
export const FILTER_MAX_LENGTH = 200;
/** Longest socket key accepted (keys look like `tcp|127.0.0.1|3000|i12345`). */
export const KEY_MAX_LENGTH = 300;
/** Largest pid accepted: Windows pids are 32-bit; Linux caps pid_max at 2^22. */
export const PID_MAX = 0xffffffff;
/** Largest request id: the webview counts from 1. */
export const REQUEST_ID_MAX = 0x7fffffff;
/** Command lines travel in rows cut to this many characters: 5,000 rows of a process with a 35 kB
 *  command line would otherwise be a message of 100+ MB. The details pane asks for the whole line. */
export const COMMAND_MAX = 240;
/** The whole command line, as the details pane shows it (copying uses the full text on the host). */
export const FULL_COMMAND_MAX = 32_768;
/** Activity events the webview holds (the log's own cap): `init` carries up to this many, newest. */
export const ACTIVITY_HELD_MAX = 2000;
/** Activity events drawn at once; older matching ones are counted, not drawn. */
export const ACTIVITY_SHOWN_MAX = 200;

// --- UI state (persisted by the webview, restored by the serializer; never data)

/** The quick filters above the table; `any` means no filter (`all` is an exposure scope: all interfaces). */
export interface QuickFilters {
  protocol: 'any' | 'tcp' | 'udp';
  range: 'any' | PortRange;
  exposure: 'any' | ExposureScope;
  /** Only sockets whose owner runs as the extension host's user. */
  mineOnly: boolean;
  /** Only sockets whose owner's project is one of the workspace's (#16). */
  workspaceOnly: boolean;
  /** Only ports a container holds (#14). */
  containersOnly: boolean;
  /** Only development servers the forgotten-servers rule lists: up long, idle long (#16). */
  forgottenOnly: boolean;
}

/** Which events the Activity section lists: every port, the selected row's port, or the ports the
 *  table's filter text matches. */
export type ActivityScope = 'all' | 'selected' | 'filter';
export const ACTIVITY_SCOPES: readonly ActivityScope[] = ['all', 'selected', 'filter'];

/** The Activity section's own state. */
export interface ActivityUiState {
  collapsed: boolean;
  scope: ActivityScope;
  unusualOnly: boolean;
}

/** How the table is shown: what survives hiding the panel and reloading the window. */
export interface DashboardUiState {
  sort: { column: ColumnId; direction: SortDirection };
  /** Free text as typed; see `parseTableFilter` in src/shared/dashboardTable.ts. */
  filter: string;
  quick: QuickFilters;
  groupByProcess: boolean;
  /** The summary charts folded away. */
  summaryCollapsed: boolean;
  /** The Activity section. Optional in saved state from before it existed (the defaults apply). */
  activity: ActivityUiState;
}

export const DEFAULT_UI_STATE: Readonly<DashboardUiState> = Object.freeze({
  sort: Object.freeze({ column: 'port' as ColumnId, direction: 'asc' as SortDirection }),
  filter: '',
  quick: Object.freeze({ protocol: 'any' as const, range: 'any' as const, exposure: 'any' as const, mineOnly: false, workspaceOnly: false, containersOnly: false, forgottenOnly: false }),
  groupByProcess: false,
  summaryCollapsed: false,
  activity: Object.freeze({ collapsed: false, scope: 'all' as ActivityScope, unusualOnly: false }),
});

/** A deep copy of the defaults (the frozen object must not leak into mutable state). */
export function defaultUiState(): DashboardUiState {
  return copyUiState(DEFAULT_UI_STATE);
}

/** A deep copy of a UI state (what is saved must not share objects with what is edited). */
export function copyUiState(ui: Readonly<DashboardUiState>): DashboardUiState {
  return { ...ui, sort: { ...ui.sort }, quick: { ...ui.quick }, activity: { ...ui.activity } };
}

// --- data the host sends

/** One listening socket as the table shows it. Text fields are plain (control and bidi characters
 *  already made inert by the host) but still untrusted: the webview only ever sets them as textContent. */
export interface DashboardRow {
  /** `socketKey` from src/model/snapshotDiff.ts: stable across snapshots. */
  key: string;
  port: number;
  protocol: 'tcp' | 'udp';
  family: 4 | 6;
  address: string;
  exposure: ExposureScope;
  /** Plain words, e.g. `All interfaces (reachable from the network)`. */
  exposureLabel: string;
  range: PortRange;
  /** Best guess at what runs there (user label, developer default, IANA name); empty when unknown. */
  service: string;
  /** Everything known about the service, for the tooltip and the details pane. */
  serviceDetail: string;
  risk?: { level: RiskLevel; reason: string };
  ownerVisible: boolean;
  /** The first owner's name; empty when the owner is not visible. */
  process: string;
  /** The first owner's project (`shop on main`); empty when none is known. */
  project: string;
  /** That project is one of the workspace's folders (or inside one). */
  inWorkspace: boolean;
  /** Every owner pid, sorted. */
  pids: number[];
  user: string;
  /** The owner runs as the extension host's user. */
  mine: boolean;
  /** Name of the integrated terminal the owner was started from; empty when none. */
  terminal: string;
  /** The first owner's command line, cut to {@link COMMAND_MAX}. */
  command: string;
  /** A TCP port that usually serves web pages. */
  web: boolean;
  /** The container behind the port (`db (compose shop) · postgres:16`); absent for a process's port. The
   *  process fields then describe its forwarder (docker-proxy, conmon). */
  container?: string;
  /** Everything known about that container, for the tooltip and the search: name, engine, short id,
   *  compose service and project, image. */
  containerDetail?: string;
  /** When the (first) owner started, in ms since the epoch; absent when unknown. Rows carry times, not
   *  durations, so an unchanged server's row stays unchanged from scan to scan (see `rowUptimeMs`). */
  startedAt?: number;
  /** Established connections now; absent when the back-end does not count them (not zero). */
  connections?: number;
  /** The last scan that saw a connection, while none is open now; absent while connected or when none
   *  was seen (idleness is then unknown, never guessed). */
  lastConnectionAt?: number;
  /** Since when the socket has been watched for connections; absent when it is not tracked. */
  watchedSince?: number;
  /** A development server that Show Forgotten Servers would list now (same rule and settings). */
  forgotten: boolean;
}

/** One risky listener, for the summary's call-out list. */
export interface RiskyListener {
  key: string;
  port: number;
  protocol: 'tcp' | 'udp';
  address: string;
  process: string;
  level: RiskLevel;
  reason: string;
}

/** The pictures above the table, computed on the host from the same snapshot. */
export interface DashboardSummary {
  total: number;
  byProtocol: { tcp: number; udp: number };
  byRange: Record<PortRange, number>;
  /** Sockets other machines can reach (not loopback only). */
  exposed: number;
  /** The riskiest exposed listeners, high first (at most 20); `riskyTotal` counts all of them. */
  risky: RiskyListener[];
  riskyTotal: number;
  /** TCP connection states, largest first. Empty when the back-end does not report them. */
  tcpStates: Array<{ state: string; count: number }>;
  timeWait?: number;
  /** The ephemeral range and how much of it outgoing connections use: the early warning for port
   *  exhaustion. Absent when the back-end cannot tell. */
  ephemeral?: { low: number; high: number; size: number; used: number };
  /** Processes holding the most sockets (at most 8). */
  topProcesses: Array<{ name: string; pid: number; count: number }>;
  /** Sockets whose owner cannot be seen. */
  hiddenOwners: number;
  takenAt: number;
  backend: string;
  durationMs: number;
  warnings: string[];
  /** The forgotten-servers rule in force (from the settings), for the quick filter's tooltip. */
  forgotten?: { olderThanMs: number; idleMs: number; count: number };
}

/** A port that opened or closed, as the Activity section shows it. Names are plain but untrusted text:
 *  the webview only ever sets them as textContent. */
export interface DashboardActivityEntry {
  /** Counts up per panel, in the order the host recorded the events: identity for the webview. */
  id: number;
  /** When the change was seen (ms since the epoch). */
  at: number;
  kind: 'opened' | 'closed';
  port: number;
  protocol: 'tcp' | 'udp';
  address: string;
  /** Owners by pid (at most 8); empty when the owner could not be seen. */
  holders: Array<{ pid: number; name: string }>;
  /** Owners beyond those listed. */
  moreHolders?: number;
  /** The container that held the port, as every surface names one (`web (compose shop) · postgres:16`);
   *  then `holders` are its forwarders (docker-proxy, conmon, …). */
  container?: string;
  /** How many sockets the event stands for, when more than one. */
  sockets?: number;
  /** Why the event deserves a look; empty when it does not. */
  unusual: Array<{ kind: UnusualKind; reason: string }>;
}

/** Result of a row action, shown in the row (test connection) or as a short status. */
export interface ActionResult {
  requestId: number;
  key: string;
  action: RowAction;
  /** `open`/`closed`/`unknown` for a connection test; `done`/`cancelled`/`failed` otherwise. */
  status: 'open' | 'closed' | 'unknown' | 'done' | 'cancelled' | 'failed';
  /** One line of plain, untrusted text. */
  text: string;
}

// --- messages

/** Host → webview. */
export type HostMessage =
  | {
      type: 'init';
      uiState: DashboardUiState;
      rows: DashboardRow[];
      summary?: DashboardSummary;
      /** Set while scanning fails. */
      scanError?: string;
      /** No snapshot yet: the first scan is still running. */
      loading: boolean;
      /** The newest recorded activity (up to {@link ACTIVITY_HELD_MAX}), oldest first. */
      activity: DashboardActivityEntry[];
      /** Events in the log, including any not sent. */
      activityTotal: number;
    }
  | { type: 'update'; added: DashboardRow[]; changed: DashboardRow[]; removed: string[]; summary: DashboardSummary }
  /** Activity recorded since the last message (`append`), or the whole log again after it was cleared
   *  or reloaded (`replace`); oldest first. */
  | { type: 'activity'; mode: 'append' | 'replace'; entries: DashboardActivityEntry[]; total: number }
  | { type: 'scanError'; message?: string }
  | { type: 'actionResult'; result: ActionResult }
  /** The answer to `commandLine`: the owner's whole command line (up to {@link FULL_COMMAND_MAX}). */
  | { type: 'commandLine'; requestId: number; key: string; command: string }
  /** A message from the webview was malformed or named something that does not exist: nothing was done. */
  | { type: 'rejected'; requestId?: number; reason: string };

/** Webview → host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'uiState'; state: DashboardUiState }
  | { type: 'refresh' }
  | { type: 'action'; requestId: number; action: RowAction; key: string; pid?: number }
  /** Asks for the whole command line of a row's owner (rows carry it cut to {@link COMMAND_MAX}). */
  | { type: 'commandLine'; requestId: number; key: string }
  /** Troubleshoot a port named by an Activity entry (it may not be listening any more). */
  | { type: 'troubleshootPort'; port: number; protocol: 'tcp' | 'udp' }
  /** Forget the recorded activity (the host asks for confirmation first). */
  | { type: 'clearActivity' };

export type WebviewMessageType = WebviewMessage['type'];
export const WEBVIEW_MESSAGE_TYPES: readonly WebviewMessageType[] = ['ready', 'uiState', 'refresh', 'action', 'commandLine', 'troubleshootPort', 'clearActivity'];

/** What the webview stores with `setState` (and the serializer gets back after a reload). */
export interface PersistedState {
  version: 1;
  ui: DashboardUiState;
}
