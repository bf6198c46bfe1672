// The Markdown of the hover on a port number in a file: what the port is, whether something on this
// machine holds it right now (from the shared snapshot), and links to act on it.
//
// The hover is a *trusted* MarkdownString (its command links must work), so this is where a process could
// inject a link: every string that comes from outside the extension (process names, command lines,
// addresses, terminal names, the user's labels, text of the file) goes through markdownText (escaped,
// never put in a code span), and the only links are the ones built here, to the extension's own commands,
// with arguments the extension encodes. `enabledCommands` lists exactly those commands, for isTrusted.
import { Commands } from '../constants';
import type { ListeningSocket, Protocol, Snapshot } from '../core/types';
import type { PortClassification } from './classify';
import { classifyPort } from './classify';
import { addressExposure } from './exposure';
import type { PortMention } from './portFinder';
import type { LabelRule } from './portLabels';
import { labelFor } from './portLabels';
import { portRefOf } from './portRef';
import { isThisMachine, MAX_RANGE_LOOKUP, socketsInRange, clashingSockets } from './portStatus';
import { markdownText } from '../core/displayText';
import type { Translate } from './translate';
import { formatMessage } from './translate';

/** Everything the hover shows, gathered by the caller. */
export interface PortHoverInput {
  mention: PortMention;
  /** The shared snapshot; undefined when there is none yet. */
  snapshot?: Pick<Snapshot, 'sockets' | 'takenAt'>;
  /** The last scan's error, when scanning fails. */
  scanError?: string;
  /** Milliseconds since the epoch, to say how old the snapshot is. */
  now: number;
  /** The user's labels (`portInspector.labels`). */
  labels?: readonly LabelRule[];
  /** Name of the integrated terminal a process was started from, if any. */
  terminalOf?: (pid: number) => string | undefined;
  /** True when the mention is the port of an `http://` or `https://` URL: a browser can open it even
   *  when the port is not a well-known web port. See {@link isHttpUrlPort}. */
  inHttpUrl?: boolean;
  t?: Translate;
}

/** The hover's Markdown and the commands its links use (to enable, and nothing else). */
export interface PortHover {
  markdown: string;
  enabledCommands: string[];
}

/** Command lines are cut to this many characters in a hover. */
export const HOVER_COMMAND_MAX = 160;
/** At most this many holders (or taken ports of a range) are listed; the rest are counted. */
export const HOVER_LIST_MAX = 4;

const ADDRESS_IN_LINK = /^[0-9A-Za-z.:%*_-]{1,64}$/;

/** First line of every port hover: `**3000/tcp**` or `**3000–3005/tcp**`. Tests look for it. */
export function hoverTitle(mention: Pick<PortMention, 'port' | 'range' | 'protocol'>): string {
  const ports = mention.range && mention.range[1] !== mention.range[0] ? `${mention.range[0]}–${mention.range[1]}` : String(mention.port);
  return `**${ports}/${mention.protocol}**`;
}

class Links {
  readonly used = new Set<string>();

  /** `[label](command:id?args)`: `label` is escaped, `args` JSON-encoded into the URI. */
  link(label: string, command: string, args?: readonly unknown[]): string {
    this.used.add(command);
    // encodeURIComponent leaves ( ) ' ! * alone; a `)` would end the Markdown link early.
    const query = args ? `?${encodeURIComponent(JSON.stringify(args)).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}` : '';
    return `[${markdownText(label, 60)}](command:${command}${query})`;
  }
}

function age(ms: number, t: Translate): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 2) {
    return t('just now');
  }
  if (s < 60) {
    return t('{0} s ago', s);
  }
  if (s < 3600) {
    return t('{0} min ago', Math.floor(s / 60));
  }
  return t('{0} h ago', Math.floor(s / 3600));
}

/** Untrusted text, escaped. Never a code span: inside one, a hostile `[x](command:…)` would be inert but
 *  still there verbatim, and the hover's rule is simpler to check as "nothing unescaped at all". */
function literal(text: string, max = 80): string {
  return markdownText(text, max);
}

function roleText(m: PortMention, t: Translate): string {
  const parts: string[] = [];
  switch (m.role) {
    case 'host':
      parts.push(t('host side of a port mapping'));
      break;
    case 'container':
      parts.push(m.mapping ? t('container side of a port mapping') : t('a port the container listens on'));
      break;
    case 'listen':
      parts.push(t('a port a program is told to listen on'));
      break;
    case 'target':
      parts.push(t('a port something connects to'));
      break;
    case 'url':
      parts.push(t('the port of an address'));
      break;
    case 'single':
      parts.push(t('a port setting'));
      break;
  }
  // A container port's written address is the host side's bind address: shown with the host side.
  if (m.hostAddress !== undefined && m.hostAddress !== '' && m.role !== 'container') {
    parts.push(t('at {0}', literal(m.hostAddress, 60)));
  }
  if (m.variable !== undefined) {
    parts.push(t('(the default of {0})', literal(`\${${m.variable}}`, 60)));
  }
  if (m.commented) {
    parts.push(t('(commented out)'));
  }
  return parts.join(' ');
}

function classificationLines(cls: PortClassification, input: PortHoverInput, t: Translate): string[] {
  const lines: string[] = [];
  const label = input.labels ? labelFor(cls.port, input.labels) : undefined;
  if (label) {
    lines.push(t('Your label: **{0}**', markdownText(label, 60)));
  }
  if (cls.iana) {
    const description = cls.iana.description ? ` — ${markdownText(cls.iana.description, 120)}` : '';
    lines.push(t('IANA: {0}', `${markdownText(cls.iana.name, 60)}${description}`));
  }
  if (cls.dev) {
    lines.push(t('Commonly: {0}', markdownText(cls.dev.runs.join(', '), 200)));
  }
  return lines;
}

function reach(sockets: readonly ListeningSocket[], t: Translate): string {
  const scopes = sockets.map((s) => ({ s, e: addressExposure(s.address) }));
  if (scopes.some((x) => x.e.scope === 'all')) {
    return t('reachable from the network');
  }
  if (scopes.every((x) => x.e.scope === 'loopback')) {
    return t('loopback only');
  }
  const specific = scopes.find((x) => x.e.scope === 'interface');
  return t('on {0} ({1})', literal(specific?.s.address ?? '', 64), markdownText((specific?.e.label ?? '').toLowerCase(), 60));
}

/** One line per distinct set of owners: who holds the port, how it was started, who can reach it. */
function holderLines(sockets: readonly ListeningSocket[], input: PortHoverInput, t: Translate): string[] {
  const groups = new Map<string, ListeningSocket[]>();
  for (const s of sockets) {
    const key = s.ownerVisible && s.owners.length > 0 ? s.owners.map((o) => o.pid).join(',') : `hidden:${s.uid ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const lines: string[] = [];
  for (const group of [...groups.values()].slice(0, HOVER_LIST_MAX)) {
    const first = group[0];
    const parts: string[] = [];
    if (first.ownerVisible && first.owners.length > 0) {
      const owner = first.owners[0];
      parts.push(t('**{0}** (pid {1})', markdownText(owner.name, 64) || t('unnamed process'), owner.pid));
      if (first.owners.length > 1) {
        parts.push(t('and {0} more processes', first.owners.length - 1));
      }
      const command = owner.command.trim();
      if (command && command !== owner.name) {
        parts.push(literal(command, HOVER_COMMAND_MAX));
      }
      const terminal = first.owners.map((o) => input.terminalOf?.(o.pid)).find((name) => name !== undefined);
      if (terminal !== undefined) {
        parts.push(t('in terminal "{0}"', markdownText(terminal, 60)));
      }
    } else {
      parts.push(first.uid !== undefined ? t('a process Port Inspector cannot see (uid {0})', first.uid) : t('a process Port Inspector cannot see'));
    }
    parts.push(reach(group, t));
    lines.push(`- ${parts.join(' · ')}`);
  }
  if (groups.size > HOVER_LIST_MAX) {
    lines.push(`- ${t('and {0} more', groups.size - HOVER_LIST_MAX)}`);
  }
  return lines;
}

/** Status of one port or range on this machine, plus the socket the action links act on. */
function liveStatus(
  input: PortHoverInput,
  port: number,
  range: readonly [number, number] | undefined,
  protocol: Protocol,
  hostAddress: string | undefined,
  t: Translate,
): { lines: string[]; socket?: ListeningSocket } {
  const snapshot = input.snapshot;
  const shown = range && range[1] !== range[0] ? `${range[0]}–${range[1]}/${protocol}` : `${port}/${protocol}`;
  if (!snapshot) {
    return { lines: [input.scanError ? t('Live status unknown: listing ports failed ({0}).', markdownText(input.scanError, 200)) : t('Live status unknown — open the Ports view or run Refresh.')] };
  }
  if (range && range[1] !== range[0]) {
    const taken = socketsInRange(snapshot, range, protocol, hostAddress);
    if (taken.size === 0) {
      const capped = range[1] - range[0] + 1 > MAX_RANGE_LOOKUP ? t(' (first {0} ports checked)', MAX_RANGE_LOOKUP) : '';
      return { lines: [t('**Free** — nothing on this machine uses {0}{1}.', shown, capped)] };
    }
    const lines = [t('**In use** — {0} of these ports:', taken.size)];
    let firstSocket: ListeningSocket | undefined;
    for (const [p, sockets] of [...taken].slice(0, HOVER_LIST_MAX)) {
      firstSocket ??= sockets[0];
      lines.push(`- ${p}/${protocol}:`, ...holderLines(sockets, input, t).map((l) => `  ${l}`));
    }
    if (taken.size > HOVER_LIST_MAX) {
      lines.push(`- ${t('and {0} more', taken.size - HOVER_LIST_MAX)}`);
    }
    return { lines: [lines[0], lines.slice(1).join('\n')], socket: firstSocket };
  }
  const sockets = clashingSockets(snapshot, port, protocol, hostAddress);
  if (sockets.length === 0) {
    return { lines: [t('**Free** — nothing on this machine uses {0}.', shown)] };
  }
  return { lines: [t('**In use** by:'), holderLines(sockets, input, t).join('\n')], socket: sockets[0] };
}

/** True when the port at `portColumn` of `lineText` belongs to an `http(s)://` URL. */
export function isHttpUrlPort(lineText: string, portColumn: number): boolean {
  return /\bhttps?:\/\/[^\s"'`<>]*:$/i.test(lineText.slice(Math.max(0, portColumn - 300), portColumn));
}

function actionLinks(socket: ListeningSocket, links: Links, t: Translate, inHttpUrl: boolean): string {
  const ref = portRefOf(socket);
  const arg = ADDRESS_IN_LINK.test(ref.address ?? '') ? ref : { port: ref.port, protocol: ref.protocol };
  const out: string[] = [];
  if (socket.ownerVisible && socket.owners.length > 0) {
    out.push(links.link(t('Free Port'), Commands.freePort, [arg]));
  }
  out.push(links.link(t('Test Connection'), Commands.testConnection, [arg]));
  if (socket.protocol === 'tcp' && (inHttpUrl || classifyPort(socket.port, socket.protocol).httpScheme)) {
    out.push(links.link(t('Open in Browser'), Commands.openInBrowser, [arg]));
  }
  out.push(links.link(t('Show in Ports View'), Commands.revealPort, [arg]));
  return out.join(' · ');
}

function sideText(port: number | undefined, range: [number, number] | undefined, protocol: Protocol): string {
  if (range && range[1] !== range[0]) {
    return `${range[0]}–${range[1]}/${protocol}`;
  }
  return `${port ?? range?.[0]}/${protocol}`;
}

/**
 * The hover for a port mention: title, role, range, label, IANA service, common use, live status (for a
 * mapping both sides: the host side from the snapshot, the container side described as inside the
 * container), action links on the socket that holds the port, and the snapshot's age.
 */
export function buildPortHover(input: PortHoverInput): PortHover {
  const t = input.t ?? formatMessage;
  const m = input.mention;
  const links = new Links();
  const cls = classifyPort(m.port, m.protocol);
  const blocks: string[] = [];
  const range = m.range && m.range[1] !== m.range[0] ? m.range : undefined;
  blocks.push(`${hoverTitle(m)} — ${roleText(m, t)}`);
  const facts = [markdownText(range ? t('{0} ports', range[1] - range[0] + 1) + ', ' + cls.rangeLabel : cls.rangeLabel, 120), ...classificationLines(cls, input, t)];
  blocks.push(facts.join('  \n'));

  let socket: ListeningSocket | undefined;
  let statusShown = false;
  if (m.role === 'container') {
    const inside = m.mapping?.containerRange ?? range;
    blocks.push(
      t(
        '**Container side** ({0}): inside the container. Only the container sees it; this machine\u2019s port list does not show it.',
        sideText(m.mapping?.containerPort ?? m.port, inside, m.protocol),
      ),
    );
    const hostPort = m.mapping?.hostPort;
    const hostRange = m.mapping?.hostRange;
    if (hostPort !== undefined || hostRange !== undefined) {
      const status = liveStatus(input, hostPort ?? (hostRange as [number, number])[0], hostRange, m.protocol, m.hostAddress, t);
      const at = m.hostAddress ? t(' at {0}', literal(m.hostAddress, 60)) : '';
      blocks.push(`${t('**Host side** ({0}){1}:', sideText(hostPort, hostRange, m.protocol), at)} ${status.lines.join('\n\n')}`);
      socket = status.socket;
      statusShown = true;
    } else if (m.mapping) {
      blocks.push(t('**Host side**: a port Docker picks when the container starts.'));
    } else {
      blocks.push(t('Not published by this line: `-p` or `ports:` choose the host port.'));
    }
  } else {
    const here = m.role === 'host' || m.role === 'listen' || m.role === 'single' ? true : isThisMachine(m.hostAddress);
    if (here === false) {
      blocks.push(t('On {0}, not this machine: its live status is not checked.', literal(m.hostAddress ?? '', 60)));
    } else {
      const status = liveStatus(input, m.port, range, m.protocol, m.hostAddress, t);
      const heading = m.mapping ? `${t('**Host side** ({0}){1}:', sideText(m.port, range, m.protocol), '')} ` : '';
      blocks.push(`${heading}${status.lines.join('\n\n')}`);
      socket = status.socket;
      statusShown = true;
    }
    if (m.role === 'host' && m.mapping && (m.mapping.containerPort !== undefined || m.mapping.containerRange !== undefined)) {
      blocks.push(
        t(
          '**Container side** ({0}): inside the container, where the traffic arrives.',
          sideText(m.mapping.containerPort, m.mapping.containerRange, m.protocol),
        ),
      );
    }
  }
  if (socket) {
    blocks.push(actionLinks(socket, links, t, input.inHttpUrl === true && socket.port === m.port));
  }
  if (statusShown) {
    const refresh = links.link(t('Refresh'), Commands.refresh);
    // Troubleshooting helps most when something is wrong: a free port that should be held, or the reverse.
    const portArg = [{ port: m.port, protocol: m.protocol }];
    const troubleshoot = links.link(t('Troubleshoot'), Commands.troubleshootPort, portArg);
    const activity = links.link(t('Activity'), Commands.showPortActivity, portArg);
    const tail = `${refresh} · ${troubleshoot} · ${activity}`;
    blocks.push(input.snapshot ? `*${t('Live status from {0}', age(input.now - input.snapshot.takenAt, t))}* · ${tail}` : tail);
  }
  return { markdown: blocks.join('\n\n'), enabledCommands: [...links.used] };
}
