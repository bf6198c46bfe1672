// Entry point the extension host loads in test mode (extensionTestsPath), for both launchers: the
// code-server runner and @vscode/test-electron. Runs every out/test/integration/**/*.test.js with mocha
// (11, CommonJS: mocha 12 is ESM-only and does not load here) and, when the runner asks for it, writes
// the results to a file, because the host's exit code does not reach a browser-driven runner.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Name of the environment variable; the runner in scripts/testHost uses the same literal. */
const RESULTS_ENV = 'PORT_INSPECTOR_TEST_RESULTS';
/** Same literal as in scripts/testHost/paths.ts: only tests whose title contains it run. */
const GREP_ENV = 'PORT_INSPECTOR_TEST_GREP';
/** Same literal as in scripts/testHost/paths.ts: `restricted` runs only the tests in restricted/, which
 *  need a host started with workspace trust on; `multiRoot` only those in multiRoot/, which need a
 *  multi-root workspace; every other run leaves both out. */
const SUITE_ENV = 'PORT_INSPECTOR_TEST_SUITE';

export interface TestResults {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  failures: Array<{ title: string; error: string }>;
}

function testFiles(dir: string): string[] {
  const suite = process.env[SUITE_ENV];
  const inSuite = (f: string, name: string): boolean => f.startsWith(`${name}${path.sep}`) === (suite === name);
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js') && inSuite(f, 'restricted') && inSuite(f, 'multiRoot'))
    .sort()
    .map((f) => path.join(dir, f));
}

export function run(): Promise<void> {
  // In a browser-driven host there is no TTY: colours would only add escape codes to the log.
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec', grep: process.env[GREP_ENV] || undefined });
  const files = testFiles(__dirname);
  files.forEach((f) => mocha.addFile(f));
  // The runner streams the host's output to the terminal from this line on (see scripts/testHost).
  console.log(`[integration] ${files.length} test file(s), extension host pid ${process.pid}, Node ${process.version}`);
  const started = Date.now();
  const failures: TestResults['failures'] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failed) => {
      const results: TestResults = {
        passed: runner.stats?.passes ?? 0,
        failed,
        pending: runner.stats?.pending ?? 0,
        durationMs: Date.now() - started,
        failures,
      };
      const file = process.env[RESULTS_ENV];
      if (file) {
        fs.writeFileSync(file, JSON.stringify(results, null, 2));
      }
      if (failed > 0) {
        reject(new Error(`${failed} integration test(s) failed`));
      } else {
        resolve();
      }
    });
    runner.on('fail', (test, err: Error) => failures.push({ title: test.fullTitle(), error: err.stack ?? String(err) }));
  });
}
