// The Ports view's structure as data: which rows, in which groups, in which order, with which text. Pure,
// so the grouping, filtering and sorting rules are unit-tested without a workbench; src/views only turns
// these rows into TreeItems. Text here is plain and NOT escaped: each surface escapes for its medium.
import { compareSockets } from '../core/sockets';
import type { ContainerInfo, ListeningSocket, ProcessInfo, ProjectInfo } from '../core/types';
import { isWorkspaceProject, projectLabel, projectsOfSocket } from './projects';
import type { SocketClassification } from './classify';
import { classifySocket } from './classify';
import { containerSummary, ownerSummary, serviceSummary } from './describeSocket';
import { parsePortRange } from '../core/input';
import type { LabelRule } from './portLabels';
import { labelFor } from './portLabels';
import type { PortRange } from './portRange';
import { hostPort, portLabel } from '../core/format';
import { socketKey } from '../core/sockets';
import { processLabel } from '../core/whatRuns';

/** How rows are grouped: by IANA range, under their owning process, under their project, under their
 *  container's compose project (or the container, or the pod), or not at all. */
export type Grouping = 'range' | 'process' | 'project' | 'container' | 'none';
export const GROUPINGS: readonly Grouping[] = ['none', 'range', 'process', 'project', 'container'];

/** Row order: by port (then protocol, address), or by owner name (then pid, port). */
export type SortOrder = 'port' | 'process';
export const SORT_ORDERS: readonly SortOrder[] = ['port', 'process'];

/** Options of {@link buildPortsTree}. */
export interface PortsTreeOptions {
  grouping: Grouping;
  sortBy: SortOrder;
  /** Filter text as typed; see {@link parseFilter}. */
  filter?: string;
  showUdp: boolean;
  /** Show sockets whose owner is not visible (another user's process, another container). */
  showHiddenOwners: boolean;
  /** The `portInspector.labels` rules. */
  labels?: readonly LabelRule[];
  /** The name of the integrated terminal an owner pid was started from, if any. */
  terminalOf?: (pid: number) => string | undefined;
  /** True while the socket with this {@link socketKey} is newly seen. */
  isNew?: (key: string) => boolean;
  /** The open workspace's folders (file system paths): their projects come first and are marked. */
  workspaceFolders?: readonly string[];
}

/** A row for one socket. */
export interface SocketRow {
  readonly kind: 'socket';
  /** Unique in the tree (a socket with two owners appears under both in process grouping). */
  readonly id: string;
  /** {@link socketKey}: the same socket has the same key under every grouping. */
  readonly key: string;
  readonly socket: ListeningSocket;
  readonly classification: SocketClassification;
  /** `3000/tcp` */
  readonly label: string;
  /** `node 4242 · Vite · in terminal "dev"`; plain, untrusted text inside. */
  readonly description: string;
  /** The user's label for the port, from `portInspector.labels`. */
  readonly userLabel?: string;
  /** Name of the terminal the (first) owner was started from. Untrusted text. */
  readonly terminal?: string;
  /** Pid of the owner that runs in `terminal`. */
  readonly terminalPid?: number;
  readonly isNew: boolean;
}

/** A group row: a port range, or a process (or "owner not visible"). */
export interface GroupRow {
  readonly kind: 'group';
  readonly id: string;
  readonly grouping: Exclude<Grouping, 'none'>;
  /** `Registered (1024–49151)` or a process name. Untrusted text for process groups. */
  readonly label: string;
  /** `3 ports` or `pid 4242 · 2 ports · in terminal "dev"`. */
  readonly description: string;
  readonly range?: PortRange;
  /** The process, for process groups (absent for the hidden-owner group). */
  readonly owner?: ProcessInfo;
  readonly terminal?: string;
  /** For project groups (absent for the "no project" group). */
  readonly project?: ProjectInfo;
  /** A project group of one of the workspace's folders. */
  readonly inWorkspace?: boolean;
  /** For container groups: what groups them — a compose project, a pod, or one container (absent for
   *  the "not in a container" group). */
  readonly containerGroup?: ContainerGroup;
  readonly children: readonly SocketRow[];
}

/** What a container group stands for. Names are untrusted text. */
export type ContainerGroup =
  | { readonly kind: 'compose'; readonly engine: ContainerInfo['engine']; readonly project: string; readonly configFiles?: readonly string[] }
  | { readonly kind: 'pod'; readonly engine: ContainerInfo['engine']; readonly pod: string }
  | { readonly kind: 'container'; readonly container: ContainerInfo };

export type PortsRow = SocketRow | GroupRow;

/** True when a command argument is one of the Ports view's rows (menus pass rows; links pass other shapes). */
export function isPortsRow(value: unknown): value is PortsRow {
  const kind = (value as { kind?: unknown } | null | undefined)?.kind;
  return typeof value === 'object' && value !== null && (kind === 'socket' || kind === 'group');
}

/** The whole tree plus counts for the view's description and empty-state message. */
export interface PortsTree {
  readonly roots: readonly PortsRow[];
  /** Sockets in the snapshot. */
  readonly total: number;
  /** Distinct sockets shown. */
  readonly shown: number;
  /** Sockets left out by showUdp / showHiddenOwners. */
  readonly hiddenByOptions: number;
  /** Sockets left out by the filter. */
  readonly hiddenByFilter: number;
  /** Set when the filter text is malformed (e.g. a backwards range): nothing matches then. */
  readonly filterError?: string;
}

/** A parsed filter. */
export type PortFilter =
  | { readonly kind: 'none' }
  | { readonly kind: 'number'; readonly value: number; readonly text: string }
  | { readonly kind: 'range'; readonly low: number; readonly high: number }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'invalid'; readonly error: string };

/**
 * Parses filter text. Empty → no filter. Digits (`3000`, `:3000`) → that port or pid, or the digits in a
 * name or command line. A range (`3000-3010`) → ports in it. Anything else → a case-insensitive
 * substring of the port label (`3000/tcp`), address, process names, command lines, user label, service
 * or terminal name.
 */
export function parseFilter(text: string | undefined): PortFilter {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') {
    return { kind: 'none' };
  }
  const digits = /^:?(\d{1,10})$/.exec(trimmed);
  if (digits) {
    return { kind: 'number', value: Number(digits[1]), text: digits[1] };
  }
  if (/^\d+\s*[-–]\s*\d+$/.test(trimmed)) {
    try {
      const [low, high] = parsePortRange(trimmed);
      return { kind: 'range', low, high };
    } catch (err) {
      return { kind: 'invalid', error: (err as Error).message };
    }
  }
  return { kind: 'text', text: trimmed.toLowerCase() };
}

interface Described {
  socket: ListeningSocket;
  key: string;
  cls: SocketClassification;
  userLabel?: string;
  service?: string;
  terminal?: string;
  terminalPid?: number;
}

function matches(d: Described, filter: PortFilter): boolean {
  const { socket } = d;
  switch (filter.kind) {
    case 'none':
      return true;
    case 'invalid':
      return false;
    case 'range':
      return socket.port >= filter.low && socket.port <= filter.high;
    case 'number':
      return (
        socket.port === filter.value ||
        socket.owners.some((o) => o.pid === filter.value || o.name.includes(filter.text) || o.command.includes(filter.text))
      );
    case 'text': {
      const needle = filter.text;
      const has = (s: string | undefined): boolean => s !== undefined && s.toLowerCase().includes(needle);
      return (
        has(portLabel(socket)) ||
        has(socket.address) ||
        has(d.userLabel) ||
        has(d.service) ||
        has(d.terminal) ||
        socket.owners.some((o) => has(o.name) || has(o.command) || has(o.user))
      );
    }
  }
}

function ownerName(s: ListeningSocket): string {
  // By the name every surface shows (`vite (node)`), so the order matches what is read.
  return s.owners[0] ? processLabel(s.owners[0]).toLowerCase() : '\uffff'; // hidden owners sort last
}

function sorter(order: SortOrder): (a: Described, b: Described) => number {
  if (order === 'process') {
    return (a, b) =>
      ownerName(a.socket).localeCompare(ownerName(b.socket)) ||
      (a.socket.owners[0]?.pid ?? 0) - (b.socket.owners[0]?.pid ?? 0) ||
      compareSockets(a.socket, b.socket);
  }
  return (a, b) => compareSockets(a.socket, b.socket);
}

const inTerminal = (name: string): string => `in terminal "${name}"`;
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function describe(socket: ListeningSocket, options: PortsTreeOptions): Described {
  const cls = classifySocket(socket);
  const userLabel = options.labels ? labelFor(socket.port, options.labels) : undefined;
  let terminal: string | undefined;
  let terminalPid: number | undefined;
  for (const o of socket.owners) {
    terminal = options.terminalOf?.(o.pid);
    if (terminal !== undefined) {
      terminalPid = o.pid;
      break;
    }
  }
  return { socket, key: socketKey(socket), cls, userLabel, service: serviceSummary(cls, userLabel), terminal, terminalPid };
}

function socketRow(d: Described, id: string, withOwner: boolean, options: PortsTreeOptions): SocketRow {
  const parts = withOwner ? [ownerSummary(d.socket)] : [hostPort(d.socket.address, d.socket.port)];
  if (d.socket.container) {
    // The container serves the port; its forwarder (docker-proxy, conmon) is a detail for the hover.
    parts[withOwner ? 0 : 1] = containerSummary(d.socket.container);
  }
  if (d.service) {
    parts.push(d.service);
  }
  if (withOwner && d.terminal !== undefined) {
    parts.push(inTerminal(d.terminal));
  }
  return {
    kind: 'socket',
    id,
    key: d.key,
    socket: d.socket,
    classification: d.cls,
    label: portLabel(d.socket),
    description: parts.join(' · '),
    ...(d.userLabel !== undefined && { userLabel: d.userLabel }),
    ...(d.terminal !== undefined && { terminal: d.terminal, terminalPid: d.terminalPid }),
    isNew: options.isNew?.(d.key) ?? false,
  };
}

/** Rows with the same label under one parent (3000/tcp on 0.0.0.0 and on ::) get their address added. */
function disambiguate(rows: SocketRow[]): SocketRow[] {
  const counts = new Map<string, number>();
  for (const r of rows) {
    counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  }
  return rows.map((r) => {
    const addr = hostPort(r.socket.address, r.socket.port);
    return (counts.get(r.label) ?? 0) > 1 && !r.description.startsWith(addr) ? { ...r, description: `${r.description} · ${r.socket.address}` } : r;
  });
}

const RANGE_GROUPS: ReadonlyArray<{ range: PortRange; label: string }> = [
  { range: 'well-known', label: 'Well-known (0–1023)' },
  { range: 'registered', label: 'Registered (1024–49151)' },
  { range: 'dynamic', label: 'Dynamic (49152–65535)' },
];

/**
 * Builds the Ports view's rows from a snapshot's sockets. Grouping `none` gives socket rows only;
 * `range` gives up to three range groups (empty ones left out); `process` gives a group per owner pid
 * (a socket shared by several processes appears under each) and one "owner not visible" group.
 */
export function buildPortsTree(sockets: readonly ListeningSocket[], options: PortsTreeOptions): PortsTree {
  const filter = parseFilter(options.filter);
  let hiddenByOptions = 0;
  let hiddenByFilter = 0;
  const shown: Described[] = [];
  for (const socket of sockets) {
    if ((!options.showUdp && socket.protocol === 'udp') || (!options.showHiddenOwners && !socket.ownerVisible)) {
      hiddenByOptions++;
      continue;
    }
    const d = describe(socket, options);
    if (!matches(d, filter)) {
      hiddenByFilter++;
      continue;
    }
    shown.push(d);
  }
  shown.sort(sorter(options.sortBy));
  const base = {
    total: sockets.length,
    shown: shown.length,
    hiddenByOptions,
    hiddenByFilter,
    ...(filter.kind === 'invalid' && { filterError: filter.error }),
  };

  if (options.grouping === 'range') {
    const roots: GroupRow[] = [];
    for (const { range, label } of RANGE_GROUPS) {
      const id = `range:${range}`;
      const children = disambiguate(shown.filter((d) => d.cls.range === range).map((d) => socketRow(d, `${id}/${d.key}`, true, options)));
      if (children.length > 0) {
        roots.push({ kind: 'group', id, grouping: 'range', label, description: plural(children.length, 'port', 'ports'), range, children });
      }
    }
    return { roots, ...base };
  }

  if (options.grouping === 'process') {
    return { roots: processGroups(shown, options), ...base };
  }

  if (options.grouping === 'project') {
    return { roots: projectGroups(shown, options), ...base };
  }

  if (options.grouping === 'container') {
    return { roots: containerGroups(shown, options), ...base };
  }

  return { roots: disambiguate(shown.map((d) => socketRow(d, d.key, true, options))), ...base };
}

function processGroups(shown: Described[], options: PortsTreeOptions): GroupRow[] {
  const byPid = new Map<number, { owner: ProcessInfo; items: Described[] }>();
  const hidden: Described[] = [];
  for (const d of shown) {
    if (d.socket.owners.length === 0) {
      hidden.push(d);
      continue;
    }
    for (const owner of d.socket.owners) {
      const group = byPid.get(owner.pid) ?? { owner, items: [] };
      group.items.push(d);
      byPid.set(owner.pid, group);
    }
  }
  const groups = [...byPid.values()].map(({ owner, items }): GroupRow => {
    const id = `process:${owner.pid}`;
    const terminal = options.terminalOf?.(owner.pid);
    const children = disambiguate(items.map((d) => socketRow(d, `${id}/${d.key}`, false, options)));
    const parts = [`pid ${owner.pid}`, plural(children.length, 'port', 'ports')];
    if (terminal !== undefined) {
      parts.push(inTerminal(terminal));
    }
    return {
      kind: 'group',
      id,
      grouping: 'process',
      label: processLabel(owner) || `pid ${owner.pid}`,
      description: parts.join(' · '),
      owner,
      ...(terminal !== undefined && { terminal }),
      children,
    };
  });
  const firstPort = (g: GroupRow): number => g.children[0]?.socket.port ?? 0;
  groups.sort(
    options.sortBy === 'process'
      ? (a, b) => a.label.toLowerCase().localeCompare(b.label.toLowerCase()) || (a.owner?.pid ?? 0) - (b.owner?.pid ?? 0)
      : (a, b) => firstPort(a) - firstPort(b) || (a.owner?.pid ?? 0) - (b.owner?.pid ?? 0),
  );
  if (hidden.length > 0) {
    const id = 'process:hidden';
    const children = disambiguate(hidden.map((d) => socketRow(d, `${id}/${d.key}`, true, options)));
    groups.push({
      kind: 'group',
      id,
      grouping: 'process',
      label: 'Owner not visible',
      description: plural(children.length, 'port', 'ports'),
      children,
    });
  }
  return groups;
}

/**
 * A group per project (by its root): the workspace's own projects first, marked, then other projects by
 * name, then the sockets whose owners are in no known project (system services, other users' processes).
 * A socket whose owners are in two projects appears under each.
 */
function projectGroups(shown: Described[], options: PortsTreeOptions): GroupRow[] {
  const byRoot = new Map<string, { project: ProjectInfo; items: Described[] }>();
  const none: Described[] = [];
  for (const d of shown) {
    const projects = projectsOfSocket(d.socket);
    if (projects.length === 0) {
      none.push(d);
    }
    for (const project of projects) {
      const group = byRoot.get(project.root) ?? { project, items: [] };
      group.items.push(d);
      byRoot.set(project.root, group);
    }
  }
  const folders = options.workspaceFolders ?? [];
  const groups = [...byRoot.values()].map(({ project, items }): GroupRow => {
    const id = `project:${project.root}`;
    const inWorkspace = isWorkspaceProject(project, folders);
    const children = disambiguate(items.map((d) => socketRow(d, `${id}/${d.key}`, true, options)));
    const parts = [...(inWorkspace ? ['in this workspace'] : []), plural(children.length, 'port', 'ports'), project.root];
    return { kind: 'group', id, grouping: 'project', label: projectLabel(project), description: parts.join(' · '), project, inWorkspace, children };
  });
  groups.sort((a, b) => Number(b.inWorkspace) - Number(a.inWorkspace) || a.label.toLowerCase().localeCompare(b.label.toLowerCase()) || a.id.localeCompare(b.id));
  if (none.length > 0) {
    const id = 'project:none';
    const children = disambiguate(none.map((d) => socketRow(d, `${id}/${d.key}`, true, options)));
    groups.push({ kind: 'group', id, grouping: 'project', label: 'No project (system services and others)', description: plural(children.length, 'port', 'ports'), children });
  }
  return groups;
}

/** The group a container's socket goes under: its compose project (the unit `docker compose up` starts
 *  and stops), else its pod, else the container itself. Keyed per engine: two engines may both run a
 *  project called "shop". */
function containerGroupOf(c: ContainerInfo): { id: string; group: ContainerGroup } {
  if (c.compose) {
    return { id: `container:compose:${c.engine}:${c.compose.project}`, group: { kind: 'compose', engine: c.engine, project: c.compose.project, ...(c.compose.configFiles && { configFiles: c.compose.configFiles }) } };
  }
  if (c.pod) {
    return { id: `container:pod:${c.engine}:${c.pod}`, group: { kind: 'pod', engine: c.engine, pod: c.pod } };
  }
  return { id: `container:${c.engine}:${c.id}`, group: { kind: 'container', container: c } };
}

function containerGroupLabel(g: ContainerGroup): string {
  switch (g.kind) {
    case 'compose':
      return `${g.project} (compose)`;
    case 'pod':
      return `${g.pod} (pod)`;
    case 'container':
      return g.container.name || g.container.id.slice(0, 12);
  }
}

/**
 * A group per compose project, pod or lone container, by name (compose projects first, then pods, then
 * single containers), and last the ports no container holds. Each socket row is described by its
 * container (`db (compose shop) · postgres:16`), so a project's services read at a glance.
 */
function containerGroups(shown: Described[], options: PortsTreeOptions): GroupRow[] {
  const byId = new Map<string, { group: ContainerGroup; items: Described[]; containers: Set<string> }>();
  const none: Described[] = [];
  for (const d of shown) {
    const c = d.socket.container;
    if (!c) {
      none.push(d);
      continue;
    }
    const { id, group } = containerGroupOf(c);
    const entry = byId.get(id) ?? { group, items: [], containers: new Set<string>() };
    entry.items.push(d);
    entry.containers.add(c.id);
    byId.set(id, entry);
  }
  const KIND_ORDER: Record<ContainerGroup['kind'], number> = { compose: 0, pod: 1, container: 2 };
  const groups = [...byId].map(([id, { group, items, containers }]): GroupRow => {
    const children = disambiguate(items.map((d) => socketRow(d, `${id}/${d.key}`, true, options)));
    const parts: string[] = [];
    if (group.kind === 'container') {
      parts.push(group.container.image, group.container.engine);
    } else {
      parts.push(group.engine, plural(containers.size, 'container', 'containers'));
    }
    parts.push(plural(children.length, 'port', 'ports'));
    return { kind: 'group', id, grouping: 'container', label: containerGroupLabel(group), description: parts.filter(Boolean).join(' · '), containerGroup: group, children };
  });
  groups.sort(
    (a, b) =>
      KIND_ORDER[a.containerGroup!.kind] - KIND_ORDER[b.containerGroup!.kind] ||
      a.label.toLowerCase().localeCompare(b.label.toLowerCase()) ||
      a.id.localeCompare(b.id),
  );
  if (none.length > 0) {
    const id = 'container:none';
    const children = disambiguate(none.map((d) => socketRow(d, `${id}/${d.key}`, true, options)));
    groups.push({ kind: 'group', id, grouping: 'container', label: 'Not in a container', description: plural(children.length, 'port', 'ports'), children });
  }
  return groups;
}

/** Every socket row of a tree, depth first (a socket under two process groups appears twice). */
export function socketRows(tree: Pick<PortsTree, 'roots'>): SocketRow[] {
  return tree.roots.flatMap((r) => (r.kind === 'socket' ? [r] : [...r.children]));
}
