// Where the test host keeps things. Compiled scripts live in <outDir>/scripts/testHost/, so the compiled
// tests are found relative to this file whatever --outDir was used (out/, out-<name>/).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../test/support/paths';
import { isTearingDown, onTeardown, teardown } from './processTree';

export const CODE_SERVER_VERSION = '4.99.4';
/** The VS Code release code-server 4.99.4 bundles; the desktop launcher downloads the same one. */
export const VSCODE_VERSION = '1.99.3';
/** Environment variable naming the file the integration `run()` writes its results to. */
export const RESULTS_ENV = 'PORT_INSPECTOR_TEST_RESULTS';
/** Runs only the integration tests whose full title contains this text (mocha's grep). */
export const GREP_ENV = 'PORT_INSPECTOR_TEST_GREP';
/** Same literal as in test/integration/index.ts: `restricted` runs only test/integration/restricted,
 *  which the default run leaves out (it needs a host started with workspace trust on); `multiRoot` only
 *  test/integration/multiRoot (it needs a multi-root workspace). */
export const SUITE_ENV = 'PORT_INSPECTOR_TEST_SUITE';
/** First line the integration `run()` prints; test/integration/index.ts uses the same literal. */
export const SUITE_START = '[integration]';
export const CHROMIUM = '/usr/bin/chromium';

export const root = repoRoot();
/** The compiled output folder holding scripts/ and test/. */
export const outDir = path.resolve(__dirname, '..', '..');
export const cacheDir = path.join(root, '.vscode-test');
export const outputDir = path.join(root, '.test-output');
export const screenshotDir = path.join(outputDir, 'screenshots');
export const fixtureWorkspace = path.join(root, 'test', 'fixtures', 'workspace');
/** A folder whose .vscode/settings.json sets the settings Restricted Mode must not take from it. */
export const restrictedWorkspace = path.join(root, 'test', 'fixtures', 'restricted-workspace');
/** A multi-root workspace (a .code-workspace file) holding the fixture folder: adding and removing
 *  folders then needs no new workspace, which a test host cannot enter. */
export const multiRootWorkspace = path.join(root, 'test', 'fixtures', 'multi-root.code-workspace');
export const integrationEntry = path.join(outDir, 'test', 'integration', 'index.js');

/** An expected failure: printed as one plain line, no stack. */
export class HostError extends Error {}

/** A fresh, empty folder for one run: .test-output/<prefix>-<time>-<pid>/. */
export function newRunDir(prefix: string): string {
  const dir = path.join(outputDir, `${prefix}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  pruneRunDirs(prefix, 5);
  return dir;
}

/** Value of `--name=value`, or true for a bare `--name`. */
export function flag(name: string): string | true | undefined {
  for (const arg of process.argv.slice(2)) {
    if (arg === `--${name}`) {
      return true;
    }
    if (arg.startsWith(`--${name}=`)) {
      return arg.slice(name.length + 3);
    }
  }
  return undefined;
}

/** Value of `--name=value`; a bare `--name` is an error. */
export function valueFlag(name: string): string | undefined {
  const value = flag(name);
  if (value === true) {
    throw new HostError(`--${name} needs a value: --${name}=…`);
  }
  return value;
}

let tmpDir: string | undefined;

/** A private temporary folder for this process's code-server and Chromium, removed at teardown: they
 *  leave sockets (vscode-ipc-*.sock, vscode-git-*.sock) and caches in $TMPDIR. Short, because a Unix
 *  socket path must fit in 107 bytes, which a folder under .test-output/ would not leave room for. */
export function privateTmpDir(): string {
  if (!tmpDir) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pi-host-'));
    tmpDir = dir;
    onTeardown(async () => fs.rmSync(dir, { recursive: true, force: true }), true);
  }
  return tmpDir;
}

/** Keeps the newest `keep` folders named <prefix>-* in .test-output (failed runs are kept for their
 *  logs; without a limit they would pile up). */
function pruneRunDirs(prefix: string, keep: number): void {
  const old = fs
    .readdirSync(outputDir)
    .filter((n) => n.startsWith(`${prefix}-`))
    .sort() // names start with an ISO time: lexical order is age order
    .slice(0, -keep);
  old.forEach((n) => fs.rmSync(path.join(outputDir, n), { recursive: true, force: true }));
}

/** Runs `main`, printing a HostError as one line and anything else with its stack, then tears down
 *  whatever is still running and exits with main's code (1 on error). */
export function runMain(main: () => Promise<number>): void {
  main()
    .catch((err: unknown) => {
      if (isTearingDown()) {
        return 1; // interrupted: the pending browser/server call failed because we closed it
      }
      console.error(err instanceof HostError ? `error: ${err.message}` : err);
      return 1;
    })
    .then(async (code) => {
      await teardown();
      process.exit(code);
    });
}

/** Fails with one line when the extension bundle is missing. */
export function requireBuild(): void {
  if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) {
    throw new HostError('dist/extension.js is missing: run `npm run build` first');
  }
}
