// Installs code-server (VS Code's server + web workbench, from the npm registry) into the git-ignored
// cache .vscode-test/code-server-<version>/ on first use and reuses it afterwards. It is not a normal
// dependency so that `npm ci` stays light (code-server is ~280 MB and builds native modules).
//
// Run directly (`node out/scripts/testHost/install.js`) it installs and prints where.
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHROMIUM, CODE_SERVER_VERSION, HostError, cacheDir, runMain } from './paths';
import { isTearingDown, killTree, trackGroup, untrackGroup } from './processTree';

// code-server bundles @vscode/ripgrep 1.15.11, whose postinstall downloads rg from GitHub (unreachable
// here). It first looks for this tarball in $TMPDIR, so we seed it with Debian's rg.
const RIPGREP_PKG_VERSION = '1.15.11';
const RIPGREP_TARGETS: Partial<Record<string, string>> = {
  x64: 'x86_64-unknown-linux-musl',
  arm64: 'aarch64-unknown-linux-musl',
};
const SYSTEM_RG = '/usr/bin/rg';
const GSSAPI_HEADER = '/usr/include/gssapi/gssapi.h';
/** File in the staging folder naming npm's process group, for cleaning up after a killed runner. */
const INSTALLER_PGID = 'installer.pgid';

export const codeServerDir = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
/** Written last, only after a complete install; its absence means "install (again)". */
const marker = path.join(codeServerDir, '.installed.json');
const entry = path.join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

interface Marker {
  version: string;
  /** Node's module ABI: native modules were built for it, a different Node needs a rebuild. */
  abi: string;
}

/** The command that starts code-server: [node, entry.js]. */
export function codeServerCommand(): [string, string] {
  return [process.execPath, entry];
}

/** One line per missing apt package; checked before anything slow happens. */
export function checkChromium(): void {
  if (!fs.existsSync(CHROMIUM)) {
    throw new HostError(`${CHROMIUM} not found: install chromium: apt-get install chromium`);
  }
}

function checkBuildPrerequisites(): void {
  if (process.platform !== 'linux') {
    throw new HostError('the code-server test host runs on Linux only (use `npm run test:electron` elsewhere)');
  }
  if (!fs.existsSync(SYSTEM_RG)) {
    throw new HostError(`${SYSTEM_RG} not found: install ripgrep: apt-get install ripgrep`);
  }
  if (!fs.existsSync(GSSAPI_HEADER)) {
    throw new HostError(`${GSSAPI_HEADER} not found (code-server builds a Kerberos module): apt-get install libkrb5-dev`);
  }
  if (!RIPGREP_TARGETS[process.arch]) {
    throw new HostError(`no ripgrep tarball name known for CPU architecture ${process.arch}`);
  }
  if (process.versions.node.split('.')[0] !== '20') {
    // Not fatal: the engines field says 20, but native modules are built for the running Node anyway.
    console.warn(`warning: code-server ${CODE_SERVER_VERSION} expects Node 20, this is Node ${process.versions.node}`);
  }
}

function isInstalled(): boolean {
  try {
    const m = JSON.parse(fs.readFileSync(marker, 'utf8')) as Marker;
    return m.version === CODE_SERVER_VERSION && m.abi === process.versions.modules && fs.existsSync(entry);
  } catch {
    return false;
  }
}

function execFileAsync(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile(file, args, (err) => (err ? reject(err) : resolve())));
}

/** Where node-gyp finds Node's headers without downloading them from nodejs.org (unreachable on an
 *  offline CI machine): the running Node's own install prefix, when it ships include/node. */
function nodeHeadersDir(): string | undefined {
  const prefix = path.dirname(path.dirname(process.execPath));
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
}

/** Runs npm with its output going to `logFile`; rejects with the log's tail on failure. */
function npmInstall(prefix: string, tmpDir: string, logFile: string): Promise<void> {
  const log = fs.openSync(logFile, 'w');
  const nodedir = process.env.npm_config_nodedir ?? nodeHeadersDir();
  const child = spawn(
    'npm',
    ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--omit=dev', `code-server@${CODE_SERVER_VERSION}`],
    {
      stdio: ['ignore', log, log],
      // Its own process group, killed by teardown on Ctrl+C (it runs node-gyp and postinstall children).
      detached: true,
      env: {
        ...process.env,
        // Its postinstall refuses to run as root without this…
        npm_config_unsafe_perm: 'true',
        // …and a nested `npx node-gyp` waits for a "yes" that never comes without a TTY.
        npm_config_yes: 'true',
        TMPDIR: tmpDir,
        ...(nodedir ? { npm_config_nodedir: nodedir } : {}),
      },
    },
  );
  if (child.pid !== undefined) {
    trackGroup(child.pid);
    fs.writeFileSync(path.join(prefix, INSTALLER_PGID), String(child.pid));
  }
  return new Promise((resolve, reject) => {
    child.on('error', (err) => reject(new HostError(`cannot run npm: ${err.message}`)));
    child.on('exit', (code, sig) => {
      fs.closeSync(log);
      if (code === 0 && child.pid !== undefined) {
        untrackGroup(child.pid);
      }
      if (code === 0) {
        resolve();
        return;
      }
      if (!isTearingDown()) {
        console.error(fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n'));
      }
      reject(new HostError(`installing code-server failed (npm ${sig ?? `exit ${code}`}); full log: ${logFile}`));
    });
  });
}

/** Staging folders of installs whose runner is gone (killed, machine rebooted). Their npm may still be
 *  running as an orphan and writing into the folder: stop it first. A live runner's folder belongs to
 *  a concurrent run and is left alone. */
async function removeAbandonedStaging(): Promise<void> {
  const prefix = `${path.basename(codeServerDir)}.partial-`;
  for (const name of fs.readdirSync(cacheDir)) {
    if (!name.startsWith(prefix)) {
      continue;
    }
    const dir = path.join(cacheDir, name);
    if (isAlive(Number(name.slice(prefix.length)))) {
      continue;
    }
    const npmGroup = Number(readOr(path.join(dir, INSTALLER_PGID), ''));
    // Check it is still that npm: the pid may have been reused by now.
    if (npmGroup > 0 && readOr(`/proc/${npmGroup}/cmdline`, '').includes('npm')) {
      await killTree(npmGroup, 500);
    }
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/** Makes sure code-server is installed and returns its folder. Safe to interrupt: the install happens
 *  in a staging folder that is renamed into place only when complete. */
export async function ensureCodeServer(): Promise<string> {
  if (isInstalled()) {
    return codeServerDir;
  }
  checkBuildPrerequisites();
  fs.mkdirSync(cacheDir, { recursive: true });
  // A leftover from an interrupted run, or one built for another Node: start over.
  fs.rmSync(codeServerDir, { recursive: true, force: true });
  await removeAbandonedStaging();
  const staging = `${codeServerDir}.partial-${process.pid}`;
  const tmpDir = path.join(staging, 'tmp');
  const rgCache = path.join(tmpDir, `vscode-ripgrep-cache-${RIPGREP_PKG_VERSION}`);
  fs.mkdirSync(rgCache, { recursive: true });
  await execFileAsync('tar', [
    '-czf', path.join(rgCache, `ripgrep-v13.0.0-10-${RIPGREP_TARGETS[process.arch]}.tar.gz`),
    '-C', path.dirname(SYSTEM_RG), path.basename(SYSTEM_RG),
  ]);

  const started = Date.now();
  const logFile = path.join(cacheDir, `install-code-server-${CODE_SERVER_VERSION}.log`);
  console.log(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(process.cwd(), codeServerDir)} (once; about a minute)…`);
  try {
    await npmInstall(staging, tmpDir, logFile);
    fs.rmSync(tmpDir, { recursive: true, force: true });
    fs.rmSync(path.join(staging, INSTALLER_PGID), { force: true });
    const m: Marker = { version: CODE_SERVER_VERSION, abi: process.versions.modules };
    fs.writeFileSync(path.join(staging, path.basename(marker)), JSON.stringify(m) + '\n');
    try {
      fs.renameSync(staging, codeServerDir);
    } catch (err) {
      // A concurrent run finished first: keep its copy.
      if (!isInstalled()) {
        throw err;
      }
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  console.log(`code-server installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return codeServerDir;
}

if (require.main === module) {
  runMain(async () => {
    checkChromium();
    console.log(`code-server ${CODE_SERVER_VERSION}: ${await ensureCodeServer()}`);
    return 0;
  });
}
