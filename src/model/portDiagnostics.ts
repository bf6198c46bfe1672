// Problems worth underlining in a file, found from its port mentions and the shared snapshot:
//  - information: a port the file binds (a host side of a mapping, a port a program listens on) is
//    already held by a process that is not this workspace's own;
//  - warning: one compose file maps the same host port twice.
//
// "Not this workspace's own" is judged per owner process, in this order:
//  1. started from one of this window's integrated terminals → this workspace's (no diagnostic);
//  2. its working directory is known and lies under a workspace folder → this workspace's;
//  3. its working directory is known and lies elsewhere → outside (the diagnostic names the folder);
//  4. otherwise (another user's process, a container's proxy, Windows where the directory is not read, a
//     process that exited) → unknown: still reported, without claiming where it runs.
// A container holding the port (through docker-proxy, conmon, …) is placed by its compose labels instead
// (placeContainer): started from this very file, or from a compose file in a workspace folder → this
// workspace's; from a compose file elsewhere → outside (the message names the container and that file);
// no labels → unknown, and the message names the container.
// Limits: a server started from the workspace folder for an unrelated project, or a project whose server
// `cd`s elsewhere, is misjudged.
// Messages are plain text (diagnostics render no Markdown), made inert with plainText.
import type { ContainerInfo, ListeningSocket, ProcessInfo, Protocol, Snapshot } from '../core/types';
import type { DuplicateHostPort, PortMention } from './portFinder';
import { MAX_RANGE_LOOKUP, socketsInRange, clashingSockets } from './portStatus';
import { plainText } from '../core/displayText';
import type { Translate } from './translate';
import { formatMessage } from './translate';

/** Where a process holding a port was started, as far as can be told. */
export type OwnerPlace = { kind: 'workspace' } | { kind: 'outside'; cwd: string } | { kind: 'unknown' };

/** A span of the document with a message, for a diagnostic's related information. */
export interface DiagnosticSpan {
  /** Offsets in the text, and the 0-based line of `start`. */
  start: number;
  end: number;
  line: number;
  message: string;
}

/** A diagnostic, independent of the editor. */
export interface PortDiagnostic extends DiagnosticSpan {
  level: 'information' | 'warning';
  code: 'port-in-use' | 'duplicate-host-port';
  port: number;
  protocol: Protocol;
  related?: DiagnosticSpan[];
}

/** Mentions with these roles bind the port on this machine; for the others (a connection target, a URL, an
 *  undirected setting such as `DB_PORT=5432`) a taken port is usually the point. */
const BINDING_ROLES = new Set(['host', 'listen']);

/** True for the mentions whose port must be free for the file to work. */
export function bindsPort(mention: PortMention): boolean {
  return BINDING_ROLES.has(mention.role) && !mention.commented;
}

function normalise(path: string, caseInsensitive: boolean): string {
  let p = path.replace(/\\/g, '/').replace(/\/+$/, '');
  if (caseInsensitive) {
    p = p.toLowerCase();
  }
  return p === '' ? '/' : p;
}

/** True when `path` is `folder` or inside it. Windows and macOS paths compare case-insensitively. */
export function isUnderFolder(path: string, folder: string, caseInsensitive = false): boolean {
  const p = normalise(path, caseInsensitive);
  const f = normalise(folder, caseInsensitive);
  return p === f || p.startsWith(f === '/' ? '/' : `${f}/`);
}

/** What is known about one owner process, to place it. */
export interface OwnerFacts {
  /** The process's working directory, when it could be read. */
  cwd?: string;
  /** True when it was started from one of this window's integrated terminals. */
  inTerminal?: boolean;
}

/** Applies the rule in the file comment to one owner. */
export function placeOwner(facts: OwnerFacts, workspaceFolders: readonly string[], caseInsensitive = false): OwnerPlace {
  if (facts.inTerminal) {
    return { kind: 'workspace' };
  }
  if (facts.cwd === undefined || facts.cwd === '') {
    return { kind: 'unknown' };
  }
  return workspaceFolders.some((f) => isUnderFolder(facts.cwd as string, f, caseInsensitive)) ? { kind: 'workspace' } : { kind: 'outside', cwd: facts.cwd };
}

/** How the caller places owners (from working directories and terminals it has gathered). */
export type PlaceOf = (owner: ProcessInfo) => OwnerPlace;

/** How the caller places a container (see placeContainer). */
export type PlaceContainerOf = (container: ContainerInfo) => OwnerPlace;

/** The project name Compose gives a file's folder when none is set: its name, lower case, without the
 *  characters a project name may not hold. */
export function defaultComposeProject(file: string): string {
  const parts = file.replace(/\\/g, '/').split('/');
  return (parts[parts.length - 2] ?? '').toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

/**
 * Where a container belongs, from its compose labels: its config files include `document` (this file
 * started it) or lie in a workspace folder → `workspace`; they lie elsewhere → `outside`, with the first
 * file as the place; no config files, but the project is the one Compose names after the document's folder
 * → `workspace`; otherwise `unknown`.
 */
export function placeContainer(container: ContainerInfo, document: string | undefined, workspaceFolders: readonly string[], caseInsensitive = false): OwnerPlace {
  const compose = container.compose;
  if (!compose) {
    return { kind: 'unknown' };
  }
  const files = compose.configFiles ?? [];
  if (files.length > 0) {
    const mine = document !== undefined && files.some((f) => normalise(f, caseInsensitive) === normalise(document, caseInsensitive));
    if (mine || files.some((f) => workspaceFolders.some((w) => isUnderFolder(f, w, caseInsensitive)))) {
      return { kind: 'workspace' };
    }
    return { kind: 'outside', cwd: files[0] };
  }
  return document !== undefined && compose.project !== '' && compose.project === defaultComposeProject(document) ? { kind: 'workspace' } : { kind: 'unknown' };
}

function who(socket: ListeningSocket, t: Translate): string {
  const c = socket.container;
  if (c) {
    const facts = [...(c.compose ? [t('compose service "{0}" of project "{1}"', plainText(c.compose.service, 60), plainText(c.compose.project, 60))] : []), ...(c.image ? [plainText(c.image, 80)] : [])];
    return facts.length > 0 ? t('container {0} ({1})', plainText(c.name, 80), facts.join(', ')) : t('container {0}', plainText(c.name, 80));
  }
  if (!socket.ownerVisible || socket.owners.length === 0) {
    return t('a process Port Inspector cannot see (another user\u2019s, or in a container)');
  }
  const o = socket.owners[0];
  const name = plainText(o.name, 40) || t('a process');
  return socket.owners.length > 1 ? t('{0} (pid {1}) and {2} more', name, o.pid, socket.owners.length - 1) : t('{0} (pid {1})', name, o.pid);
}

/** The first holder that is not this workspace's, with its place; undefined when every holder is. */
function foreignHolder(sockets: readonly ListeningSocket[], placeOf: PlaceOf, placeContainerOf: PlaceContainerOf): { socket: ListeningSocket; place: OwnerPlace } | undefined {
  let unknown: ListeningSocket | undefined;
  for (const s of sockets) {
    if (s.container) {
      // Its owners are the engine's forwarders, which run where the engine runs: the container is placed.
      const place = placeContainerOf(s.container);
      if (place.kind === 'outside') {
        return { socket: s, place };
      }
      if (place.kind === 'unknown') {
        unknown ??= s;
      }
      continue;
    }
    if (!s.ownerVisible || s.owners.length === 0) {
      unknown ??= s;
      continue;
    }
    const places = s.owners.map(placeOf);
    if (places.some((p) => p.kind === 'workspace')) {
      continue;
    }
    const outside = places.find((p) => p.kind === 'outside');
    if (outside) {
      return { socket: s, place: outside };
    }
    unknown ??= s;
  }
  return unknown ? { socket: unknown, place: { kind: 'unknown' } } : undefined;
}

/**
 * Information diagnostics for the binding mentions whose port (or a port of whose range) is held by a
 * process that is not this workspace's own.
 */
export function takenPortDiagnostics(
  mentions: readonly PortMention[],
  snapshot: Pick<Snapshot, 'sockets'>,
  placeOf: PlaceOf,
  t: Translate = formatMessage,
  placeContainerOf: PlaceContainerOf = () => ({ kind: 'unknown' }),
): PortDiagnostic[] {
  const out: PortDiagnostic[] = [];
  for (const m of mentions) {
    if (!bindsPort(m)) {
      continue;
    }
    const range = m.range !== undefined && m.range[1] !== m.range[0] ? m.range : undefined;
    const taken = range ? socketsInRange(snapshot, range, m.protocol, m.hostAddress) : new Map([[m.port, clashingSockets(snapshot, m.port, m.protocol, m.hostAddress)]]);
    const foreign: Array<{ port: number; socket: ListeningSocket; place: OwnerPlace }> = [];
    for (const [port, sockets] of taken) {
      const holder = sockets.length > 0 ? foreignHolder(sockets, placeOf, placeContainerOf) : undefined;
      if (holder) {
        foreign.push({ port, ...holder });
      }
    }
    if (foreign.length === 0) {
      continue;
    }
    const { port, socket, place } = foreign[0];
    const shown = range ? t('{0}/{1} (in {2}–{3})', port, m.protocol, range[0], Math.min(range[1], range[0] + MAX_RANGE_LOOKUP - 1)) : `${port}/${m.protocol}`;
    let message =
      place.kind === 'outside' && socket.container
        ? t('Port {0} is already in use by {1}, started outside this workspace (from {2}).', shown, who(socket, t), plainText(place.cwd, 160))
        : place.kind === 'outside'
        ? t('Port {0} is already in use by {1}, started outside this workspace (in {2}).', shown, who(socket, t), plainText(place.cwd, 120))
        : t('Port {0} is already in use by {1}.', shown, who(socket, t));
    if (foreign.length > 1) {
      message += ` ${t('Other ports of the range are taken too: {0} in all.', foreign.length)}`;
    }
    out.push({ start: m.start, end: m.end, line: m.line, level: 'information', code: 'port-in-use', port, protocol: m.protocol, message });
  }
  return out;
}

/** Other mappings a duplicate-port warning points at. */
const MAX_RELATED = 10;

function ports(d: DuplicateHostPort): string {
  return d.range ? `${d.range[0]}–${d.range[1]}/${d.protocol}` : `${d.port}/${d.protocol}`;
}

/** A warning on every mapping of a host port that one compose file maps more than once, each pointing at
 *  the others. */
export function duplicateDiagnostics(duplicates: readonly DuplicateHostPort[], t: Translate = formatMessage): PortDiagnostic[] {
  const out: PortDiagnostic[] = [];
  for (const d of duplicates) {
    for (const m of d.mentions) {
      // Each warning names a bounded number of the others: 2,000 services on one port must not make
      // 2,000 × 2,000 related locations.
      const othersCount = d.mentions.length - 1;
      const others = d.mentions.slice(0, MAX_RELATED + 1).filter((o) => o !== m).slice(0, MAX_RELATED);
      const more = othersCount > others.length ? ` ${t('and {0} more', othersCount - others.length)}` : '';
      const lines = others.map((o) => o.line + 1).join(', ') + more;
      const also = othersCount > 1 ? t('also on lines {0}', lines) : t('also on line {0}', lines);
      out.push({
        start: m.start,
        end: m.end,
        line: m.line,
        level: 'warning',
        code: 'duplicate-host-port',
        port: d.port,
        protocol: d.protocol,
        message: t(
          'Host port {0} is mapped more than once in this file ({1}): Docker cannot bind it twice, so the second container fails to start with "port is already allocated".',
          ports(d),
          also,
        ),
        related: others.map((o) => ({ start: o.start, end: o.end, line: o.line, message: t('Host port {0} is also mapped here.', ports(d)) })),
      });
    }
  }
  return out;
}
