// Step 3, "Firewall": the local rules that mention the port, the default policies that decide for it
// otherwise, and for each firewall that could not be read, why and what to run instead.
import { sourceLabel } from '../../inspector/firewall/labels';
import type { FirewallPolicy, FirewallReading, FirewallRule } from '../../inspector/firewall/types';
import { addressExposure } from '../exposure';
import { code, md } from './markdown';
import type { StepVerdict, TroubleshootFacts, TroubleshootStep } from './types';

const RULE_ICONS = { accept: '✅', drop: '⛔', reject: '⛔', other: '↪️' } as const;

/** Rules that block traffic arriving for the port (or passing through to a container). */
function blocking(r: FirewallRule): boolean {
  return r.applies && (r.verdict === 'drop' || r.verdict === 'reject') && r.direction !== 'out';
}

function blockingPolicy(p: FirewallPolicy): boolean {
  return (p.verdict === 'drop' || p.verdict === 'reject') && p.direction === 'in';
}

function ruleLine(r: FirewallRule): string {
  const mark = r.applies ? RULE_ICONS[r.verdict] : '➖';
  return `- ${mark} ${md(r.summary, 400)}  \n  ${code(r.text, 300)}`;
}

function readingLines(reading: FirewallReading): string[] {
  const name = sourceLabel(reading.source);
  if (reading.status === 'inactive') {
    return [`**${name}**: ${md(reading.message)}`];
  }
  if (reading.status === 'unreadable') {
    return [`**${name}**: could not read the rules. ${md(reading.message)} Run ${code(reading.command, 300)} to look yourself.`];
  }
  const lines = [`**${name}**${reading.rules.length === 0 ? ': no rule mentions this port.' : ''}`];
  if (reading.rules.length > 0) {
    lines.push('', ...reading.rules.slice(0, 30).map(ruleLine));
    if (reading.rules.length > 30) {
      lines.push(`- … and ${reading.rules.length - 30} more`);
    }
  }
  const policies = reading.policies.filter((p) => p.direction === 'in' || p.direction === 'any');
  if (policies.length > 0) {
    lines.push('', ...policies.map((p) => `- ${blockingPolicy(p) ? '⛔' : 'ℹ️'} ${md(p.summary, 300)}`));
  }
  for (const note of reading.notes) {
    lines.push('', `ℹ️ ${md(note, 400)}`);
  }
  return lines;
}

/** Step 3. */
export function firewallStep(facts: TroubleshootFacts): TroubleshootStep {
  const findings = facts.firewall;
  if (!findings) {
    return { id: 'firewall', title: 'Firewall', verdict: 'info', summary: 'The firewall was not checked.', markdown: 'The firewall was not checked.' };
  }
  const missing = findings.readings.filter((r) => r.status === 'unreadable' && r.reason === 'missing');
  const shown = findings.readings.filter((r) => !(r.status === 'unreadable' && r.reason === 'missing'));
  const read = findings.readings.filter((r): r is Extract<FirewallReading, { status: 'read' }> => r.status === 'read');
  const unreadable = shown.filter((r) => r.status === 'unreadable');
  const lines: string[] = [];
  for (const reading of shown) {
    lines.push(...readingLines(reading), '');
  }
  if (missing.length > 0) {
    lines.push(`Not installed: ${missing.map((r) => sourceLabel(r.source)).join(', ')}.`, '');
  }
  if (findings.readings.length === 0) {
    lines.push(`No firewall reader for this platform (${md(findings.platform, 20)}).`, '');
  }

  const blockers = read.flatMap((r) => r.rules.filter(blocking));
  const allowers = read.flatMap((r) => r.rules.filter((x) => x.applies && x.verdict === 'accept' && x.direction !== 'out'));
  const policyBlockers = read.flatMap((r) => r.policies.filter(blockingPolicy));
  const loopbackOnly = facts.sockets.length > 0 && facts.sockets.every((s) => addressExposure(s.address).scope === 'loopback');
  let verdict: StepVerdict;
  let summary: string;
  if (blockers.length > 0) {
    verdict = 'warn';
    summary = `${blockers.length === 1 ? 'A rule' : `${blockers.length} rules`} may block the port: ${blockers[0].summary}`;
    lines.push(
      'ℹ️ Which rule wins depends on the order of the rules and chains (nftables and iptables: the first match in each chain; pf: the last, unless `quick`); the list above only shows that they mention the port.',
    );
  } else if (policyBlockers.length > 0 && allowers.length === 0) {
    verdict = 'warn';
    summary = `No rule opens the port and a default policy drops what no rule allowed: ${policyBlockers[0].summary}`;
    lines.push(
      'ℹ️ With a default of drop or reject, connections from other machines reach the port only if some rule allows them. ' +
        'Rules that accept everything from an interface or from established connections (not listed here, as they name no port) may still let some through.',
    );
  } else if (read.length > 0) {
    verdict = 'ok';
    summary = allowers.length > 0 ? 'The firewall allows the port; no rule read here blocks it.' : 'No firewall rule read here blocks the port.';
  } else if (unreadable.length > 0) {
    verdict = 'info';
    summary = 'The firewall rules could not be read here; run the commands shown.';
  } else {
    verdict = 'info';
    summary = missing.length > 0 ? 'No firewall tool is installed or active.' : 'No firewall is active.';
  }
  if (unreadable.length > 0 && read.length > 0 && verdict === 'ok') {
    verdict = 'info';
    summary += ' Some firewalls could not be read.';
  }
  if (loopbackOnly) {
    lines.push(
      '',
      'ℹ️ The port is bound to loopback only: connections from other machines never reach it, whatever the firewall says. Loopback traffic itself normally passes the firewall.',
    );
  }
  return { id: 'firewall', title: 'Firewall', verdict, summary, markdown: lines.join('\n').trim() };
}
