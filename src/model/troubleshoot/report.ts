// The troubleshooting report: the checklist every networking guide gives (status, reachability,
// firewall, what held the port, configuration, next steps), each step with a verdict, as one Markdown
// document. Pure: the facts come from gather.ts (or a test).
import { parseHost } from '../../core/input';
import { clockTime } from '../activity/describe';
import { checkPort } from '../portRange';
import { configurationStep } from './configStep';
import { containerStep } from './containerStep';
import { firewallStep } from './firewallStep';
import { idleStep } from './idleStep';
import { listeningStep } from './listeningStep';
import { VERDICT_ICONS, md } from './markdown';
import { nextStepCommands } from './nextSteps';
import { reachableStep } from './reachableStep';
import type { NextStepCommand, TroubleshootFacts, TroubleshootReport, TroubleshootStep } from './types';
import { portLabel } from '../../core/format';

/** A bound address as it may go into a shell command: only when it is a valid address. */
function commandHost(address: string): string {
  try {
    return parseHost(address).host;
  } catch {
    return '127.0.0.1';
  }
}

function nextStepsStep(facts: TroubleshootFacts, extra: readonly NextStepCommand[] = []): { step: TroubleshootStep; commands: NextStepCommand[] } {
  const bound = facts.sockets.find((s) => s.address !== '0.0.0.0' && s.address !== '::' && s.address !== '*');
  const host = facts.host ?? (bound ? commandHost(bound.address) : '127.0.0.1');
  const commands = nextStepCommands({
    port: facts.port,
    protocol: facts.protocol ?? facts.sockets[0]?.protocol ?? 'tcp',
    platform: facts.platform,
    host,
    ownerHidden: facts.sockets.some((s) => !s.ownerVisible),
    nothingListening: facts.sockets.length === 0,
  }).concat(extra);
  const shell = facts.platform === 'win32' ? 'powershell' : 'sh';
  // Every value in the commands is a port number, a host that passed parseHost, or a container's
  // shell-safe name or id and endpoint (containerLogsCommand), so nothing in the fence can close it; comments carry the purpose so the block stays copyable as a whole.
  const block = ['```' + shell, ...commands.flatMap((c) => [`# ${c.purpose}`, c.command]), '```'];
  const from =
    facts.platform === 'win32'
      ? 'To test from another machine, run `Test-NetConnection` there with this machine\'s address (`ipconfig` shows it).'
      : 'To test from another machine, run `nc -vz` there with one of this machine\'s addresses.';
  return {
    step: {
      id: 'next-steps',
      title: 'Next steps',
      verdict: 'info',
      summary: `${commands.length} commands to look further by hand.`,
      markdown: [...block, '', from].join('\n'),
    },
    commands,
  };
}

/**
 * Builds the report from gathered facts. Every untrusted string (process names and command lines,
 * banners and certificate names, rule text and comments, file names and lines) is escaped, so the
 * Markdown can be rendered with untrusted content and no link, image, HTML or `command:` URI can come
 * from them. Links appear only for configuration lines whose target is a `file:`/`vscode-*:` URI.
 * @throws Error (one line) when the facts name an invalid port or host.
 */
export function buildTroubleshootReport(facts: TroubleshootFacts): TroubleshootReport {
  checkPort(facts.port);
  if (facts.port === 0) {
    throw new RangeError('Port 0 cannot be troubleshot: it means "any free port".');
  }
  const host = facts.host !== undefined ? parseHost(facts.host).host : undefined;
  const checked: TroubleshootFacts = { ...facts, host };
  const container = containerStep(checked);
  const next = nextStepsStep(checked, container?.commands);
  const steps: TroubleshootStep[] = [listeningStep(checked), reachableStep(checked), firewallStep(checked), idleStep(checked), configurationStep(checked), next.step];

  const title = `Troubleshooting port ${portLabel(checked)}${host !== undefined ? ` (host ${host})` : ''}`;
  const lines: string[] = [
    `# ${md(title, 200)}`,
    '',
    `Checked at ${clockTime(checked.now, checked.now)} on ${md(checked.platform, 20)}, from a ${md(checked.backend, 40)} snapshot taken at ${clockTime(checked.snapshotTakenAt, checked.now)}.`,
    '',
    ...(container ? [`- ${VERDICT_ICONS[container.step.verdict]} **${container.step.title}** — ${md(container.step.summary, 300)}`, ''] : []),
    ...steps.map((s, i) => `${i + 1}. ${VERDICT_ICONS[s.verdict]} **${s.title}** — ${md(s.summary, 300)}`),
  ];
  if (container) {
    // Not numbered: the steps keep the numbers they refer to each other by.
    lines.push('', `## ${VERDICT_ICONS[container.step.verdict]} ${container.step.title}`, '', container.step.markdown);
  }
  steps.forEach((s, i) => {
    lines.push('', `## ${i + 1}. ${VERDICT_ICONS[s.verdict]} ${s.title}`, '', s.markdown);
  });
  if (checked.problems.length > 0) {
    lines.push('', '## Problems while checking', '', ...checked.problems.map((p) => `- ${md(p, 300)}`));
  }
  // Steps join their parts with blank lines; never more than one in a row.
  const markdown = `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
  return { title, steps, ...(container ? { container: container.step } : {}), commands: next.commands, markdown };
}
