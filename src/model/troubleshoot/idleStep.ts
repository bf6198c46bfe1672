// Step 4, "Nothing listening?": who held the port recently, whether binding it needs privileges, whether
// outgoing connections can take it, and whether the workspace is configured for it. With something
// listening, the same facts are shown briefly (recent activity, unusual activity).
import { describeReservedRanges } from '../../inspector/windows/excludedPorts';
import { describeEvent } from '../activity/describe';
import { WELL_KNOWN_MAX } from '../portRange';
import { md, plural } from './markdown';
import type { StepVerdict, TroubleshootFacts, TroubleshootStep } from './types';

/** The usual ephemeral ranges when the snapshot does not say: Linux's default, and IANA's, which
 *  Windows (Vista and later) and macOS use. */
function defaultEphemeral(platform: NodeJS.Platform): { low: number; high: number } {
  return platform === 'linux' ? { low: 32768, high: 60999 } : { low: 49152, high: 65535 };
}

function privilegeText(port: number, platform: NodeJS.Platform): string | undefined {
  if (port > WELL_KNOWN_MAX) {
    return undefined;
  }
  switch (platform) {
    case 'linux':
      return (
        `Port ${port} is privileged (below 1024): binding it needs root or the \`CAP_NET_BIND_SERVICE\` capability ` +
        '(unless `net.ipv4.ip_unprivileged_port_start` was lowered, as container runtimes do) — the usual cause of `EACCES` (permission denied) when a dev server asks for port 80. ' +
        'Use a port above 1023 (8080, 3000), put a reverse proxy in front, or grant the capability to the program: ' +
        "`sudo setcap 'cap_net_bind_service=+ep' /path/to/program`."
      );
    case 'darwin':
      return (
        `Port ${port} is below 1024. Since macOS 10.14 any user may bind such a port on all interfaces (\`0.0.0.0\`), ` +
        'but binding it on one address (such as `127.0.0.1`) may still need root, which shows up as `EACCES` (permission denied).'
      );
    case 'win32':
      return `Port ${port} is below 1024. Windows has no privileged ports, but a system service often holds ports this low (80: IIS or http.sys, 445: SMB).`;
    default:
      return `Port ${port} is below 1024: on most Unix systems binding it needs root (\`EACCES\`, permission denied, otherwise).`;
  }
}

/** Step 4. */
export function idleStep(facts: TroubleshootFacts): TroubleshootStep {
  const listening = facts.sockets.length > 0;
  const lines: string[] = [];
  let verdict: StepVerdict = 'info';
  const summaryParts: string[] = [];
  const activity = facts.activity;

  if (listening) {
    lines.push('Something is listening, so this step is only background.');
  }

  // Who held it.
  if (activity?.lastHolder) {
    const text = `${activity.lastHolder.text.charAt(0).toUpperCase()}${activity.lastHolder.text.slice(1)}.`;
    lines.push('', `${listening ? 'Before the current holder, ' : ''}${md(listening ? activity.lastHolder.text : text, 300)}${listening ? '.' : ''}`);
    if (!listening) {
      summaryParts.push(text);
    }
  } else if (activity && !listening) {
    lines.push('', 'The activity log has no record of anything holding this port (it covers the time VS Code was running, up to 7 days).');
  } else if (!activity && !listening) {
    lines.push('', 'No activity log was available, so who held the port before is unknown.');
  }
  if (activity && activity.events.length > 0) {
    const recent = activity.events.slice(-8);
    lines.push('', `Recent activity on the port (${plural(activity.events.length, 'event')} recorded, newest last):`, '', ...recent.map((e) => `- ${md(describeEvent(e, facts.now), 300)}`));
  }
  if (activity && activity.unusual.length > 0) {
    verdict = 'warn';
    lines.push('', '**Unusual activity**', '', ...activity.unusual.map((u) => `- ⚠️ ${md(u.message, 400)}`));
    summaryParts.push(activity.unusual[0].message);
  }

  if (!listening) {
    const privilege = privilegeText(facts.port, facts.platform);
    if (privilege) {
      lines.push('', `⚠️ ${privilege}`);
      verdict = 'warn';
      summaryParts.push(`Port ${facts.port} is privileged (below 1024).`);
    }
    const known = facts.connections?.ephemeral;
    const range = known ?? defaultEphemeral(facts.platform);
    if (facts.port >= range.low && facts.port <= range.high) {
      const used = known ? ` ${plural(known.used, 'port')} of it ${known.used === 1 ? 'is' : 'are'} in use by outgoing connections right now.` : '';
      lines.push(
        '',
        `⚠️ Port ${facts.port} lies in ${known ? "this machine's" : 'the usual'} ephemeral range (${range.low}–${range.high}): the system hands these ports to outgoing connections, ` +
          `so a server that wants this one may now and then find it taken (\`EADDRINUSE\`).${used} Prefer a port below ${range.low}.`,
      );
      verdict = 'warn';
      summaryParts.push(`Port ${facts.port} is in the ephemeral range.`);
    }
    const reserved = facts.reservedRanges;
    if (reserved && reserved.length > 0) {
      const ranges = describeReservedRanges(reserved);
      lines.push(
        '',
        `⚠️ Port ${facts.port} lies in ${ranges.length === 1 ? 'a port range' : 'port ranges'} Windows reserves: ${ranges.join('; ')}. ` +
          'Binding it fails with `EACCES` ("An attempt was made to access a socket in a way forbidden by its access permissions") although nothing listens on it. ' +
          (reserved.some((r) => !r.administered)
            ? 'Hyper-V, WSL, Docker or WinNAT took the range; restarting WinNAT (`net stop winnat` then `net start winnat`, as administrator) usually frees it, or pick a port outside it. '
            : '') +
          (reserved.some((r) => r.administered) ? 'An administrator reserved the range marked administered (`netsh int ipv4 delete excludedportrange …` removes it). ' : '') +
          'The last command in step 6 lists every reserved range.',
      );
      verdict = 'warn';
      summaryParts.push(`Port ${facts.port} is in a range Windows reserves (${ranges[0]}).`);
    } else if (reserved) {
      lines.push('', `Port ${facts.port} is in none of the port ranges Windows reserves (for Hyper-V, WSL, Docker or by an administrator).`);
    } else if (facts.platform === 'win32') {
      lines.push(
        '',
        'ℹ️ Windows can reserve port ranges for Hyper-V, WSL or Docker; binding a port inside one fails with `EACCES` ("An attempt was made to access a socket in a way forbidden by its access permissions"). ' +
          'The last command in step 6 lists them.',
      );
    }
    const mentions = facts.configMentions ?? [];
    if (mentions.length > 0) {
      lines.push('', `${plural(mentions.length, 'place')} in the workspace ${mentions.length === 1 ? 'mentions' : 'mention'} port ${facts.port} (step 5): something is configured for it but not running.`);
      summaryParts.push(`The workspace mentions it in ${plural(mentions.length, 'place')}.`);
    }
  }

  const summary =
    summaryParts.length > 0
      ? summaryParts.join(' ')
      : listening
        ? 'Something is listening; nothing unusual recorded.'
        : activity
          ? 'Nothing held the port recently, and nothing stands in the way of binding it.'
          : 'Who held the port before is unknown (no activity log).';
  return { id: 'nothing-listening', title: 'Nothing listening?', verdict, summary, markdown: lines.join('\n').trim() };
}
