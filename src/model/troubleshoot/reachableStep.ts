// Step 2, "Reachable?": the local connection test to each bound address, and what answered there.
import { describeConnectionResult, formatConnectionResult } from '../../inspector/probe/resultText';
import { md } from './markdown';
import type { ConnectionTest, ConnectionTestReason, StepVerdict, TroubleshootFacts, TroubleshootStep } from './types';

const REASONS: Readonly<Record<ConnectionTestReason, string>> = {
  bound: 'the bound address',
  wildcard: 'stands in for the wildcard',
  'dual-stack': 'IPv4 through the IPv6 wildcard',
  requested: 'the host you asked about',
  'nothing-listening': 'to confirm nothing answers',
};

function icon(test: ConnectionTest): string {
  return test.result.ok === true ? '✅' : test.result.ok === false ? '❌' : 'ℹ️';
}

function testLines(test: ConnectionTest): string[] {
  const stands = test.boundAddress && test.boundAddress !== test.target ? ` for ${md(test.boundAddress, 60)}` : '';
  const head = `- ${icon(test)} ${md(formatConnectionResult(test.result), 400)} *(${REASONS[test.reason]}${stands})*`;
  // Details, one per line, minus the target and the verdict the head line already gives.
  const details = describeConnectionResult(test.result).filter((l) => !/^(Target|Result): /.test(l));
  return [head, ...details.map((l) => `  - ${md(l, 300)}`)];
}

/** Step 2. */
export function reachableStep(facts: TroubleshootFacts): TroubleshootStep {
  const tests = facts.tests;
  if (tests.length === 0) {
    return {
      id: 'reachable',
      title: 'Reachable?',
      verdict: 'info',
      summary: 'No connection test was run.',
      markdown: 'No connection test was run.',
    };
  }
  const lines = tests.flatMap(testLines);
  const listening = facts.sockets.length > 0;
  const ok = tests.filter((t) => t.result.ok === true);
  const failed = tests.filter((t) => t.result.ok === false);
  const unknown = tests.filter((t) => t.result.ok === undefined);
  let verdict: StepVerdict;
  let summary: string;
  if (!listening) {
    if (ok.length > 0) {
      verdict = 'warn';
      summary = 'Something answered although no listening socket is visible.';
      lines.push(
        '',
        '⚠️ Something answered although no socket on this port is visible here: a process in another network namespace or container, ' +
          'a VM or WSL forwarding the port, or a proxy (Docker Desktop, an SSH tunnel) that the listing cannot see.',
      );
    } else {
      verdict = 'info';
      summary = 'Nothing answered, as expected with nothing listening.';
    }
  } else if (ok.length === tests.length) {
    verdict = 'ok';
    summary = `Every test connected (${ok.length} of ${tests.length}).`;
  } else if (ok.length > 0) {
    verdict = 'warn';
    summary = `${ok.length} of ${tests.length} tests connected; the others failed or could not tell.`;
  } else if (unknown.length === tests.length) {
    verdict = 'info';
    summary = 'UDP cannot be confirmed by a connection test.';
  } else {
    verdict = 'fail';
    summary = `The port is listening but no test connected (${failed.length} failed).`;
    lines.push(
      '',
      'A listening socket that refuses or times out locally usually means a full accept queue (the server is stuck), a firewall rule on this machine (step 3), ' +
        'or a socket in another network namespace than this one.',
    );
  }
  if (facts.host !== undefined && !tests.some((t) => t.reason === 'requested')) {
    lines.push('', `The host ${md(facts.host, 100)} was not tested.`);
  }
  return { id: 'reachable', title: 'Reachable?', verdict, summary, markdown: lines.join('\n') };
}
