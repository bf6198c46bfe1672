// `npm run test:integration`: runs test/integration in a real VS Code extension host (code-server's),
// shown by headless Chromium. Prints the host's output as it comes, then `N passed, N failed` alone on a
// line; exits non-zero on failure or timeout; always tears down every process it started.
//   node out/scripts/testHost/runTests.js [--timeout=<seconds>] [--grep=<text>] [--keep] [--extension=<dir>] [--restricted | --multi-root]
// --extension runs the tests against another copy of the extension (an unpacked .vsix, a scratch build).
// --restricted starts the host with workspace trust on, opens test/fixtures/restricted-workspace in
// Restricted Mode and runs test/integration/restricted only. --multi-root opens
// test/fixtures/multi-root.code-workspace (the fixture folder as a multi-root workspace) and runs
// test/integration/multiRoot only: tests that add and remove workspace folders.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import { launchBrowser } from './browser';
import {
  HostError,
  GREP_ENV,
  RESULTS_ENV,
  SUITE_ENV,
  SUITE_START,
  fixtureWorkspace,
  flag,
  integrationEntry,
  multiRootWorkspace,
  newRunDir,
  requireBuild,
  restrictedWorkspace,
  root,
  runMain,
  valueFlag,
} from './paths';
import { remoteUri, startCodeServer } from './server';

interface Results {
  passed: number;
  failed: number;
  pending: number;
  failures: Array<{ title: string; error: string }>;
}

async function main(): Promise<number> {
  const started = Date.now();
  // A full run took 4-5 min on a shared 2-core machine, and was cut off at 300 s under stress-ng.
  const timeoutMs = Number(valueFlag('timeout') ?? 900) * 1000;
  if (!(timeoutMs > 0)) {
    throw new HostError(`--timeout wants seconds, got "${valueFlag('timeout')}"`);
  }
  const extension = path.resolve(valueFlag('extension') ?? root);
  if (extension === root) {
    requireBuild();
  }
  if (!fs.existsSync(integrationEntry)) {
    throw new HostError(`${path.relative(root, integrationEntry)} is missing: run \`npm run compile-tests\` first`);
  }
  const runDir = newRunDir('run');
  const resultsFile = path.join(runDir, 'results.json');

  const grep = valueFlag('grep');
  const restricted = Boolean(flag('restricted'));
  const multiRoot = Boolean(flag('multi-root'));
  if (restricted && multiRoot) {
    throw new HostError('--restricted and --multi-root are separate runs');
  }
  const env: Record<string, string> = {
    [RESULTS_ENV]: resultsFile,
    ...(grep ? { [GREP_ENV]: grep } : {}),
    ...(restricted ? { [SUITE_ENV]: 'restricted' } : {}),
    ...(multiRoot ? { [SUITE_ENV]: 'multiRoot' } : {}),
  };
  const server = await startCodeServer({
    runDir,
    workspace: restricted ? restrictedWorkspace : multiRoot ? multiRootWorkspace : fixtureWorkspace,
    env,
    workspaceTrust: restricted,
    // The user's own values, which Restricted Mode uses in place of the folder's.
    settings: restricted ? { 'portInspector.labels': { '3000': 'from the user' } } : undefined,
  });
  const { page } = await launchBrowser(runDir);
  const browserLog = fs.createWriteStream(path.join(runDir, 'browser.log'));
  page.on('console', (m) => browserLog.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => browserLog.write(`[pageerror] ${e.stack ?? e.message}\n`));

  let exitCode: number | undefined;
  let signalEnd: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (signalEnd = resolve));
  await page.exposeFunction('codeAutomationExit', (code: number) => {
    exitCode = code;
    signalEnd();
  });
  // The workbench relays its own log and the extension host's console (mocha's reporter included) as
  // printf-style argument lists. Its own start-up chatter goes to the log file; the terminal gets
  // everything from the suite's first line on.
  const hostLog = fs.createWriteStream(path.join(runDir, 'host.log'));
  let suiteStarted = false;
  await page.exposeFunction('codeAutomationLog', (level: string, args: unknown) => {
    const text = Array.isArray(args) ? util.format(...(args as unknown[])) : String(args);
    hostLog.write(`[${level}] ${text}\n`);
    suiteStarted ||= text.startsWith(SUITE_START);
    if (suiteStarted) {
      (level === 'error' ? process.stderr : process.stdout).write(`${text.replace(/\n$/, '')}\n`);
    }
  });
  await page.goto(
    server.url([
      ['extensionDevelopmentPath', remoteUri(extension)],
      ['extensionTestsPath', remoteUri(integrationEntry)],
    ]),
  );

  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    ended.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
  ]);
  clearTimeout(timer);

  let results: Results | undefined;
  try {
    results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Results;
  } catch {
    // No file: the run() never finished (crash, load error, timeout).
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (timedOut) {
    console.error(`integration tests timed out after ${timeoutMs / 1000} s; logs in ${path.relative(root, runDir)}`);
  } else if (!results) {
    console.error(`the extension host ended (code ${exitCode}) without results; logs in ${path.relative(root, runDir)}`);
  }
  // Details are in mocha's report above; the titles again, where the eye lands.
  for (const f of results?.failures ?? []) {
    console.error(`FAILED: ${f.title}`);
  }
  const passed = results?.passed ?? 0;
  const failed = results ? results.failed : 1;
  console.log(`${passed} passed, ${failed} failed`);
  console.log(`(integration run: ${seconds} s)`);
  const ok = !timedOut && results !== undefined && failed === 0 && passed > 0;
  browserLog.end();
  hostLog.end();
  if (ok && !flag('keep')) {
    // Kept on failure for the logs; removed on success so runs do not pile up.
    process.once('exit', () => fs.rmSync(runDir, { recursive: true, force: true }));
  }
  return ok ? 0 : 1;
}

if (require.main === module) {
  runMain(main);
}
