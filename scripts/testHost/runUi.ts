// `npm run test:ui`: UI tests (test/ui) drive the workbench with Playwright from this Node process, with
// mocha. The extension is loaded in development mode from the repository, or — with --vsix — installed
// from the packaged .vsix, so a packaging mistake (a file left out) cannot hide.
//   node out/scripts/testHost/runUi.js [--vsix[=<file>]] [--theme=<name>] [--grep=<text>] [--keep] [--extension=<dir>]
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { setSession } from '../../test/ui/support/session';
import { Workbench } from '../../test/ui/support/workbench';
import { launchBrowser } from './browser';
import { HostError, fixtureWorkspace, flag, newRunDir, outDir, requireBuild, root, runMain, screenshotDir, valueFlag } from './paths';
import { remoteUri, startCodeServer } from './server';

/** The .vsix `vsce package` writes for the current package.json. */
function defaultVsix(): string {
  const { name, version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(root, `${name}-${version}.vsix`);
}

async function main(): Promise<number> {
  const started = Date.now();
  const vsixFlag = flag('vsix');
  const vsix = vsixFlag === undefined ? undefined : path.resolve(vsixFlag === true ? defaultVsix() : vsixFlag);
  if (vsix && !fs.existsSync(vsix)) {
    throw new HostError(`${path.relative(root, vsix)} not found: run \`npm run package\` first`);
  }
  const extension = path.resolve(valueFlag('extension') ?? root);
  if (!vsix && extension === root) {
    requireBuild();
  }
  const mode = vsix ? 'vsix' : 'dev';
  const testDir = path.join(outDir, 'test', 'ui');
  const files = fs.existsSync(testDir)
    ? fs.readdirSync(testDir).filter((f) => f.endsWith('.test.js')).map((f) => path.join(testDir, f))
    : [];
  if (files.length === 0) {
    throw new HostError('no compiled UI tests found: run `npm run compile-tests` first');
  }

  const runDir = newRunDir(`ui-${mode}`);
  const server = await startCodeServer({
    runDir,
    workspace: fixtureWorkspace,
    vsix,
    settings: { 'workbench.colorTheme': valueFlag('theme') ?? 'Default Dark Modern' },
  });
  const { page } = await launchBrowser(runDir);
  const browserLog = fs.createWriteStream(path.join(runDir, 'browser.log'));
  page.on('console', (m) => browserLog.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => browserLog.write(`[pageerror] ${e.stack ?? e.message}\n`));
  // Development mode: the payload names the extension folder but no tests path, so the workbench stays
  // usable. The installed .vsix needs no payload at all.
  await page.goto(server.url(vsix ? [] : [['extensionDevelopmentPath', remoteUri(extension)]]));
  const workbench = new Workbench(page, {
    screenshotDir,
    screenshotPrefix: vsix ? 'vsix-' : '',
  });
  await workbench.waitReady();
  setSession({ workbench, mode });

  const mocha = new Mocha({ ui: 'bdd', timeout: 90_000, reporter: 'spec', grep: valueFlag('grep') });
  files.forEach((f) => mocha.addFile(f));
  const stats = await new Promise<Mocha.Stats>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats!));
    // A picture of the moment of failure says more than a selector timeout.
    runner.on('fail', (test) => {
      void workbench.screenshot(`failed-${test.fullTitle()}`).then((f) => console.error(`    screenshot: ${path.relative(root, f)}`));
    });
  });
  await page.waitForTimeout(200); // let a failure screenshot finish

  console.log(`${stats.passes} passed, ${stats.failures} failed`);
  console.log(`(UI run, ${mode}: ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(root, screenshotDir)})`);
  browserLog.end();
  const ok = stats.failures === 0 && stats.passes > 0;
  if (ok && !flag('keep')) {
    process.once('exit', () => fs.rmSync(runDir, { recursive: true, force: true }));
  } else if (!ok) {
    console.log(`logs in ${path.relative(root, runDir)}`);
  }
  return ok ? 0 : 1;
}

if (require.main === module) {
  runMain(main);
}
