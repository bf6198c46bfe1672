// `npm start`: try the extension by hand without desktop VS Code. Builds it, installs the test host if
// needed, starts code-server on loopback with the project folder open and the extension in development
// mode, prints the URL, and stops everything on Ctrl+C.
//   node out/scripts/testHost/start.js [--port=<n>] [--watch]
// --watch keeps esbuild rebuilding dist/ on save; reload the browser window ("Developer: Reload Window").
// User data lives in .test-output/start/ and is kept between starts (settings, opened editors).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HostError, flag, outputDir, root, runMain, valueFlag } from './paths';
import { setInterruptExitCode, trackGroup } from './processTree';
import { remoteUri, startCodeServer } from './server';

function build(): Promise<void> {
  const child = spawn(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'inherit' });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new HostError(`the build failed (exit ${code})`)))),
  );
}

async function main(): Promise<number> {
  const portFlag = valueFlag('port');
  const port = portFlag === undefined ? undefined : Number(portFlag);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new HostError(`--port wants a port number (1-65535), got "${portFlag}"`);
  }
  await build();
  if (flag('watch')) {
    const watcher = spawn(process.execPath, ['esbuild.js', '--watch'], { cwd: root, stdio: 'inherit', detached: true });
    trackGroup(watcher.pid!);
  }
  const runDir = path.join(outputDir, 'start');
  fs.mkdirSync(runDir, { recursive: true });
  const server = await startCodeServer({ runDir, workspace: root, port });
  // Ctrl+C is how this command ends: not an error for npm to report.
  setInterruptExitCode(0);
  console.log(`\nPort Inspector in VS Code (code-server), extension in development mode:\n\n  ${server.url([['extensionDevelopmentPath', remoteUri(root)]])}\n`);
  console.log('Loopback only: from another machine, forward the port (ssh -L). Ctrl+C stops everything.');
  console.log(`Server log: ${path.relative(root, server.logFile)}`);
  await new Promise<never>(() => undefined); // until Ctrl+C; the teardown handlers stop the server
  return 0;
}

if (require.main === module) {
  runMain(main);
}
