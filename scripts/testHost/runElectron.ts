// `npm run test:electron`: the same integration suite in desktop VS Code, through @vscode/test-electron.
// It downloads VS Code from update.code.visualstudio.com on first use, so it needs internet (and on
// Linux a display: run it under `xvfb-run -a`). Where that server cannot be reached it fails with one
// line instead of hanging; `npm run test:integration` (code-server) is the offline equivalent.
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { GREP_ENV, HostError, RESULTS_ENV, VSCODE_VERSION, cacheDir, fixtureWorkspace, integrationEntry, newRunDir, requireBuild, root, runMain, valueFlag } from './paths';

const UPDATE_HOST = 'update.code.visualstudio.com';

/** Resolves when the update server answers at all within `timeoutMs`; rejects with the reason. */
function probe(timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: UPDATE_HOST, path: '/api/releases/stable', method: 'HEAD', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve();
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

async function main(): Promise<number> {
  requireBuild();
  if (!fs.existsSync(integrationEntry)) {
    throw new HostError(`${path.relative(root, integrationEntry)} is missing: run \`npm run compile-tests\` first`);
  }
  const cached = fs.existsSync(cacheDir) && fs.readdirSync(cacheDir).some((d) => d.startsWith('vscode-') && d.endsWith(VSCODE_VERSION));
  if (!cached) {
    await probe(10_000).catch((err: Error) => {
      throw new HostError(
        `test:electron needs internet: it downloads VS Code ${VSCODE_VERSION} from ${UPDATE_HOST}, which is unreachable here ` +
          `(${err.message}). Use \`npm run test:integration\` (code-server, works offline) instead.`,
      );
    });
  }
  // The idle timeout keeps a stalled download from hanging the run.
  const vscodeExecutablePath = await downloadAndUnzipVSCode({ version: VSCODE_VERSION, cachePath: cacheDir, timeout: 30_000 });
  const runDir = newRunDir('electron');
  const resultsFile = path.join(runDir, 'results.json');
  const launchArgs = [fixtureWorkspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'];
  if (process.getuid?.() === 0) {
    launchArgs.push('--no-sandbox'); // Chromium refuses to run as root with its sandbox
  }
  if (process.platform === 'linux' && !process.env.DISPLAY) {
    console.warn('warning: no DISPLAY; on a headless Linux machine run `xvfb-run -a npm run test:electron`');
  }
  const grep = valueFlag('grep');
  let exitCode: number;
  try {
    exitCode = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath: integrationEntry,
      launchArgs: [...launchArgs, '--user-data-dir', path.join(runDir, 'ud'), '--extensions-dir', path.join(runDir, 'ext')],
      extensionTestsEnv: { [RESULTS_ENV]: resultsFile, ...(grep ? { [GREP_ENV]: grep } : {}) },
    });
  } catch {
    exitCode = 1; // runTests rejects on a non-zero exit; the results file says why
  }
  const results = fs.existsSync(resultsFile) ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as { passed: number; failed: number }) : undefined;
  console.log(`${results?.passed ?? 0} passed, ${results?.failed ?? 1} failed`);
  return exitCode === 0 && results !== undefined && results.failed === 0 ? 0 : 1;
}

if (require.main === module) {
  runMain(main);
}
