// The hover text of a Ports view row, as Markdown. Every untrusted string (process names, command lines,
// user names, terminal names, labels) goes through markdownText / markdownCode, so nothing a process says
// about itself can become a link, an image, a command URI or HTML. The caller renders it untrusted, with
// theme icons and HTML off.
import { revealOwnerHint, scanningAsRoot } from '../inspector/kill/stopOwners';
import type { ListeningSocket } from '../core/types';
import { markdownCode, markdownText } from '../core/displayText';
import type { SocketRow } from './portsTree';
import { hostPort, portLabel } from '../core/format';
import { projectLabel } from './projects';
import { formatDuration } from './serverActivity';
import { processLabel } from '../core/whatRuns';

/** Command lines are cut to this many characters in a hover; "Copy Command Line" copies them whole. */
export const TOOLTIP_COMMAND_MAX = 500;

/**
 * Markdown for a socket row's tooltip: addresses (this socket's, plus `siblings`: other sockets on the
 * same port and protocol), exposure and risk, range, IANA service, what developers commonly run there,
 * the user's label, every owner with user and command line, the terminal, and for a hidden owner why it
 * is hidden and how to see it.
 */
export function socketTooltipMarkdown(
  row: SocketRow,
  siblings: readonly ListeningSocket[] = [],
  platform: NodeJS.Platform = process.platform,
  asRoot = scanningAsRoot(platform),
  now: number = Date.now(),
): string {
  const { socket, classification: cls } = row;
  const lines: string[] = [];
  const title = `**${markdownText(portLabel(socket))}**${row.userLabel ? ` — ${markdownText(row.userLabel, 60)}` : ''}${row.isNew ? ' *(new)*' : ''}`;
  lines.push(title);
  const addresses = [socket, ...siblings.filter((s) => s !== socket && s.port === socket.port && s.protocol === socket.protocol)];
  const uniqueAddresses = [...new Set(addresses.map((s) => hostPort(s.address, s.port)))];
  lines.push(`Listening on ${uniqueAddresses.map((a) => `\`${markdownCode(a, 80)}\``).join(', ')} (${socket.state === 'LISTEN' ? 'listening' : markdownText(socket.state, 20)})`);
  lines.push(markdownText(cls.exposure.label));
  if (cls.risk) {
    lines.push(`⚠ **${cls.risk.level === 'high' ? 'Risky' : 'Worth a look'}:** ${markdownText(cls.risk.reason, 400)}`);
  }
  lines.push(markdownText(cls.rangeLabel));
  if (cls.iana) {
    lines.push(`IANA: ${markdownText(cls.iana.name, 60)}${cls.iana.description ? ` — ${markdownText(cls.iana.description, 120)}` : ''}`);
  }
  if (cls.dev) {
    lines.push(`Commonly: ${markdownText(cls.dev.runs.join(', '), 200)}`);
  }
  if (socket.container) {
    const c = socket.container;
    const engine = c.engine === 'docker' ? 'Docker' : 'Podman';
    lines.push(
      `${engine} container **${markdownText(c.name, 80)}** (\`${markdownCode(c.id.slice(0, 12), 12)}\`)${c.image ? `, image \`${markdownCode(c.image, 120)}\`` : ''}${c.state ? `, ${markdownText(c.state, 20)}` : ''}`,
    );
    if (c.compose) {
      const files = c.compose.configFiles?.length ? ` of ${c.compose.configFiles.map((f) => `\`${markdownCode(f, 200)}\``).join(', ')}` : '';
      lines.push(`Compose service "${markdownText(c.compose.service, 60)}" of project "${markdownText(c.compose.project, 60)}"${files}`);
    }
    if (c.pod) {
      lines.push(`Pod ${markdownText(c.pod, 60)}`);
    }
  }
  if (socket.ownerVisible && socket.owners.length > 0) {
    const owners = socket.owners.map((o) => {
      const user = o.user ?? (o.uid !== undefined ? String(o.uid) : undefined);
      const who = `${markdownText(processLabel(o), 64)} (pid ${o.pid}${user ? `, user ${markdownText(user, 32)}` : ''})`;
      const command = o.command ? `: \`${markdownCode(o.command, TOOLTIP_COMMAND_MAX)}\`` : '';
      return `- ${who}${command}`;
    });
    const heading = socket.container ? 'Forwarded by (never signalled: stop the container instead)' : socket.owners.length === 1 ? 'Owner' : 'Owners';
    lines.push(`${heading}:\n\n${owners.join('\n')}`);
    const project = socket.owners.find((o) => o.project)?.project;
    if (project) {
      lines.push(`Project: ${markdownText(projectLabel(project), 200)} — \`${markdownCode(project.root, 300)}\``);
    }
    const first = socket.owners[0];
    const activity = [
      ...(first.startTime !== undefined ? [`Up ${formatDuration(Math.max(0, now - first.startTime))}`] : []),
      ...(socket.connections !== undefined ? [`${socket.connections} established connection${socket.connections === 1 ? '' : 's'}`] : []),
    ];
    if (activity.length > 0) {
      lines.push(activity.join(' · '));
    }
  } else {
    const uid = socket.uid !== undefined ? ` ${markdownText(`(uid ${socket.uid})`)}` : '';
    lines.push(
      `Owner not visible${uid}: ` +
        (asRoot ? 'the scan runs as root, so it runs in another pid namespace (a container or a sandbox). ' : 'it belongs to another user, or runs in another container or namespace. ') +
        `To see it, run \`${markdownCode(revealOwnerHint(socket.port, socket.protocol, platform, asRoot))}\` in a terminal.`,
    );
  }
  if (row.terminal !== undefined) {
    lines.push(`Started from the integrated terminal "${markdownText(row.terminal, 60)}"${row.terminalPid !== undefined ? ` (pid ${row.terminalPid})` : ''}.`);
  }
  return lines.join('\n\n');
}
