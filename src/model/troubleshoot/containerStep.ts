// The Container section of the report: the container that publishes the port, its host side (the
// forwarder and the host address) and its container side (its address and port, and whether anything
// listens there — "published but nothing listens" is the classic container failure), and the command for
// its logs. Every name, label and image comes from whoever made the container: all escaped.
import { shellSafeContainerRef } from '../../core/containerProcesses';
import type { ContainerInfo } from '../../core/types';
import { clockTime } from '../activity/describe';
import { addressExposure } from '../exposure';
import { formatDuration } from '../serverActivity';
import { addressCode, code, md } from './markdown';
import type { NextStepCommand, StepVerdict, TroubleshootContainer, TroubleshootFacts, TroubleshootStep } from './types';

const ENGINE_TITLES = { docker: 'Docker', podman: 'Podman' } as const;
const USERLAND_PROXIES: ReadonlySet<string> = new Set(['docker-proxy', 'rootlesskit-docker-proxy', 'rootlessport', 'rootlesskit']);
/** What may stand unquoted in a shell command: an endpoint like `unix:///run/user/1000/docker.sock`. */
const SHELL_SAFE = /^[A-Za-z0-9_./:@%+=,-]{1,300}$/;

/** `docker logs --tail 50 shop-web-1`, with the engine's endpoint when it is not the default one. Only a
 *  shell-safe name (else the short id) and a shell-safe endpoint go in: the command is safe to paste. */
export function containerLogsCommand(c: Pick<ContainerInfo, 'engine' | 'id' | 'name'>, endpointEnv?: { name: string; value: string }, platform: NodeJS.Platform = 'linux'): string {
  const tool = c.engine === 'docker' ? 'docker' : 'podman';
  const env = endpointEnv && platform !== 'win32' && /^[A-Z_]+$/.test(endpointEnv.name) && SHELL_SAFE.test(endpointEnv.value) ? `${endpointEnv.name}=${endpointEnv.value} ` : '';
  return `${env}${tool} logs --tail 50 ${shellSafeContainerRef(c)}`;
}

function isLoopback(address: string): boolean {
  return addressExposure(address).scope === 'loopback';
}

interface Judged {
  verdict: StepVerdict;
  summary: string;
  lines: string[];
}

/** The verdict on the container side, with its explanation. Plain words in `summary`; `lines` Markdown. */
function judge(entry: TroubleshootContainer): Judged {
  const c = entry.container;
  const name = c.name;
  const side = entry.side;
  const hostPort = entry.hostSide[0]?.port;
  const state = side?.inspect?.state ?? c.state;
  if (!side) {
    return { verdict: 'info', summary: `Port ${hostPort} is published by container ${name}; its container side was not checked.`, lines: [] };
  }
  if (side.inspect?.networkMode === 'host') {
    return { verdict: 'ok', summary: `Container ${name} holds port ${hostPort} itself: it shares the host's network.`, lines: [] };
  }
  const port = side.containerPort;
  const target = side.containerIp !== undefined && port !== undefined ? ` → ${side.containerIp}:${port}` : port !== undefined ? ` → container port ${port}` : '';
  const check = side.check;
  if (check.listening === false) {
    const how = check.method === 'netns' ? "read from the container's own socket tables" : md(check.note ?? 'a connection was refused', 300);
    const forwarders = [...new Set(entry.hostSide.flatMap((h) => h.forwarders.map((f) => f.name)))];
    // Userland proxies accept on the host and close when the container refuses (seen: docker-proxy, a
    // connection then EOF); conmon only reserves the port while DNAT forwards, so a host test is refused.
    const accepts = forwarders.some((f) => USERLAND_PROXIES.has(f))
      ? ` On the host, ${md(forwarders.join(', '), 80)} still accepts connections and then closes them at once, so a connection test on the host side (step 2) may succeed and prove nothing.`
      : '';
    const notRunning = state !== undefined && state !== 'running';
    return {
      verdict: 'fail',
      summary: notRunning
        ? `Container ${name} publishes port ${hostPort}${target}, but it is ${state}.`
        : `Container ${name} publishes port ${hostPort}${target}, but nothing listens on port ${port} inside it.`,
      lines: [
        notRunning
          ? `❌ **The container is ${md(state, 40)}**: nothing in it listens. Start it again, or read its logs (below) for why it stopped.`
          : `❌ **Published, but nothing listens on port ${port} inside the container** (${how}). Connections forwarded to it are refused.${accepts} ` +
            `Check that the server in the container started (its logs, below) and that it listens on port ${port} — not on another port than the mapping \`${hostPort}:${port}\` says.`,
      ],
    };
  }
  if (check.listening === true) {
    const bound = check.boundAddresses ?? [];
    if (bound.length > 0 && bound.every(isLoopback)) {
      return {
        verdict: 'warn',
        summary: `Container ${name} listens on port ${port} only on ${bound.join(', ')} inside it: connections forwarded to ${side.containerIp ?? 'its address'} are refused.`,
        lines: [
          `⚠️ **Listening inside the container only on loopback** (${bound.map((a) => addressCode(a, port ?? 0)).join(', ')}): the forwarded connections arrive at ${side.containerIp !== undefined ? code(side.containerIp, 60) : "the container's own address"} and are refused. ` +
            'Make the server in the container bind all interfaces (`0.0.0.0`), for example `--host 0.0.0.0`.',
        ],
      };
    }
    const where = bound.length > 0 ? ` on ${bound.map((a) => addressCode(a, port ?? 0)).join(', ')}` : '';
    const how = check.method === 'netns' ? "read from the container's own socket tables" : md(check.note ?? 'a connection succeeded', 300);
    return {
      verdict: 'ok',
      summary: `Container ${name} publishes port ${hostPort}${target}, and something listens there inside it.`,
      lines: [`✅ **Something listens on port ${port} inside the container**${where} (${how}).`],
    };
  }
  return {
    verdict: 'info',
    summary: `Port ${hostPort} is published by container ${name}${target}; whether anything listens inside could not be checked.`,
    lines: [`ℹ️ ${md(check.note ?? 'Whether anything listens inside the container could not be checked.', 500)}`],
  };
}

function containerBlock(entry: TroubleshootContainer, facts: TroubleshootFacts): { judged: Judged; lines: string[]; command: string } {
  const c = entry.container;
  const side = entry.side;
  const state = side?.inspect?.state ?? c.state;
  const startedAt = side?.inspect?.startedAt ?? c.startedAt;
  const facts1 = [`${ENGINE_TITLES[c.engine]} container ${code(c.id.slice(0, 12), 20)}`];
  if (c.image) {
    facts1.push(`image ${code(c.image, 200)}`);
  }
  if (state) {
    facts1.push(md(state, 40));
  }
  if (startedAt !== undefined && (state === undefined || state === 'running')) {
    facts1.push(`up ${formatDuration(Math.max(0, facts.now - startedAt))} (since ${clockTime(startedAt, facts.now)})`);
  }
  const lines = [`**${md(c.name, 128)}** — ${facts1.join(', ')}.`];
  if (c.compose) {
    const files = c.compose.configFiles && c.compose.configFiles.length > 0 ? `, from ${c.compose.configFiles.slice(0, 4).map((f) => code(f, 300)).join(', ')}` : '';
    lines.push('', `Compose service **${md(c.compose.service, 100)}** of project **${md(c.compose.project, 100)}**${files}.`);
  }
  if (c.pod) {
    lines.push('', `Pod **${md(c.pod, 100)}**.`);
  }
  lines.push('');
  for (const h of entry.hostSide) {
    const forwarders = h.forwarders.length > 0 ? `, held for it by ${h.forwarders.map((f) => `${md(f.name, 64)} (pid ${f.pid})`).join(', ')}` : ', held by a process that is not visible';
    lines.push(`- **Host side**: ${h.protocol.toUpperCase()} ${addressCode(h.address, h.port)}${forwarders}.`);
  }
  if (side?.inspect?.networkMode === 'host') {
    lines.push("- **Container side**: the host's network (`--network=host`): the container's own process holds the host port.");
  } else if (side?.containerPort !== undefined) {
    lines.push(`- **Container side**: ${side.containerIp !== undefined ? addressCode(side.containerIp, side.containerPort) : `port ${side.containerPort}`}.`);
  }
  const judged = judge(entry);
  lines.push('', ...judged.lines);
  const command = containerLogsCommand(c, side?.endpointEnv, facts.platform);
  // The command holds only a shell-safe name or id and a shell-safe endpoint: nothing can close the fence.
  lines.push('', 'Its last log lines:', '', '```sh', command, '```');
  return { judged, lines: lines.filter((l, i, all) => !(l === '' && all[i - 1] === '')), command };
}

const ORDER: readonly StepVerdict[] = ['fail', 'warn', 'info', 'ok'];

/** The Container section, or undefined when no container holds the port; with its logs commands. */
export function containerStep(facts: TroubleshootFacts): { step: TroubleshootStep; commands: NextStepCommand[] } | undefined {
  const entries = facts.containers ?? [];
  if (entries.length === 0) {
    return undefined;
  }
  const blocks = entries.map((e) => containerBlock(e, facts));
  const worst = blocks.reduce((a, b) => (ORDER.indexOf(b.judged.verdict) < ORDER.indexOf(a.judged.verdict) ? b : a));
  return {
    step: {
      id: 'container',
      title: entries.length === 1 ? 'Container' : 'Containers',
      verdict: worst.judged.verdict,
      summary: worst.judged.summary,
      markdown: blocks.map((b) => b.lines.join('\n')).join('\n\n---\n\n'),
    },
    commands: blocks.map((b, i) => ({ purpose: `The last log lines of container ${shellSafeContainerRef(entries[i].container)}`, command: b.command })),
  };
}
