// Starts and stops code-server for one run. Everything it writes (user data, extensions, logs, XDG
// folders) goes into the run folder, so runs never see each other's state nor the user's $HOME.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { freePort } from './freePort';
import { codeServerCommand, ensureCodeServer } from './install';
import { HostError, privateTmpDir } from './paths';
import { killTree, trackGroup, untrackGroup } from './processTree';

export interface ServerOptions {
  /** The run folder (created by the caller). */
  runDir: string;
  /** Folder the workbench opens, or a `.code-workspace` file (a multi-root workspace). */
  workspace: string;
  /** Extra user settings (a colour theme, …) merged over the defaults below. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and therefore its extension host. */
  env?: Record<string, string>;
  /** A .vsix to install into the run's extensions folder before starting. */
  vsix?: string;
  /** Fixed port (npm start); default: a free one. */
  port?: number;
  /** Workspace trust on, as VS Code ships: the folder opens in Restricted Mode (no start-up prompt), for
   *  the tests of what the extension does before a folder is trusted. Default: trust off. */
  workspaceTrust?: boolean;
}

export interface CodeServer {
  /** code-server's pid, which is also its process group (the extension host is in it). */
  readonly pid: number;
  readonly port: number;
  readonly origin: string;
  readonly logFile: string;
  /** Workbench URL opening the workspace, with optional payload entries (`vscode-remote://` URIs). */
  url(payload?: Array<[string, string]>): string;
  stop(): Promise<void>;
}

/** Without these a walkthrough and a workspace-trust dialog cover the UI. */
const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  // The fixture workspace sits inside the project's git repository: no "open the parent repo?" toast.
  'git.openRepositoryInParentFolders': 'never',
  // code-server would toast "your application on port N is available" for every listener a test opens.
  'remote.autoForwardPorts': false,
  // code-server registers a tunnel provider, so the extension host scans /proc for candidate ports every
  // few seconds even with auto-forwarding off — unless the source is terminal output. With thousands of
  // test listeners that scan took seconds of the same extension host our extension runs in.
  'remote.autoForwardPortsSource': 'output',
  // TypeScript would fetch @types packages for the fixture's JavaScript from the npm registry: tests must
  // not depend on the network, and the download competes with the TypeScript server's first answers.
  'typescript.disableAutomaticTypeAcquisition': true,
};

/** code-server serves the server's file system under this fixed remote authority. */
export function remoteUri(absPath: string): string {
  return `vscode-remote://remote${encodeURI(absPath)}`;
}

function baseEnv(runDir: string, extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const kind of ['DATA', 'CONFIG', 'CACHE', 'STATE']) {
    env[`XDG_${kind}_HOME`] = path.join(runDir, 'xdg', kind.toLowerCase());
  }
  env.TMPDIR = privateTmpDir();
  // No extension gallery (code-server defaults to open-vsx.org): tests must not depend on the network.
  env.EXTENSIONS_GALLERY = '{}';
  // Run from a VS Code or code-server terminal, VSCODE_IPC_HOOK_CLI & co. would make code-server hand the
  // folder to that instance instead of starting its own.
  for (const key of Object.keys(env).filter((k) => k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE')) {
    delete env[key];
  }
  return env;
}

function commonArgs(runDir: string): string[] {
  return [
    '--config', path.join(runDir, 'config.yaml'),
    '--user-data-dir', path.join(runDir, 'ud'),
    '--extensions-dir', path.join(runDir, 'ext'),
  ];
}

/** Installs a .vsix with `code-server --install-extension` (a short-lived process). */
async function installVsix(runDir: string, vsix: string, env: NodeJS.ProcessEnv): Promise<void> {
  const [node, entry] = codeServerCommand();
  const logFile = path.join(runDir, 'install-extension.log');
  const log = fs.openSync(logFile, 'w');
  const child = spawn(node, [entry, ...commonArgs(runDir), '--install-extension', vsix], {
    stdio: ['ignore', log, log],
    env,
    detached: true,
  });
  trackGroup(child.pid!);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  fs.closeSync(log);
  untrackGroup(child.pid!);
  if (code !== 0) {
    throw new HostError(`installing ${path.basename(vsix)} failed (exit ${code}); see ${logFile}`);
  }
}

function healthy(origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${origin}/healthz`, { timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

/** Starts code-server and resolves once /healthz answers. The process runs in its own process group,
 *  registered for teardown. Retries on a fresh port if the chosen one was taken meanwhile. */
export async function startCodeServer(options: ServerOptions): Promise<CodeServer> {
  await ensureCodeServer();
  const { runDir } = options;
  const settingsFile = path.join(runDir, 'ud', 'User', 'settings.json');
  // Test runs start from an empty folder; `npm start` reuses its folder and keeps the user's settings.
  if (!fs.existsSync(settingsFile)) {
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    const trust = options.workspaceTrust
      ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }
      : {};
    fs.writeFileSync(settingsFile, JSON.stringify({ ...DEFAULT_SETTINGS, ...trust, ...options.settings }, null, 2));
  }
  // An empty config file: else code-server creates ~/.config/code-server/config.yaml with a password.
  fs.writeFileSync(path.join(runDir, 'config.yaml'), 'auth: none\n');
  const env = baseEnv(runDir, options.env);
  if (options.vsix) {
    await installVsix(runDir, options.vsix, env);
  }

  const logFile = path.join(runDir, 'code-server.log');
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const origin = `http://127.0.0.1:${port}`;
    const [node, entry] = codeServerCommand();
    const log = fs.openSync(logFile, 'a');
    const child = spawn(
      node,
      [
        entry,
        ...commonArgs(runDir),
        '--auth', 'none',
        '--bind-addr', `127.0.0.1:${port}`,
        '--disable-telemetry',
        '--disable-update-check',
        ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
        '--disable-getting-started-override',
        '--ignore-last-opened',
        options.workspace,
      ],
      // detached: its own process group, so teardown reaches the extension host too.
      { stdio: ['ignore', log, log], env, detached: true },
    );
    fs.closeSync(log);
    const pgid = child.pid!;
    trackGroup(pgid);
    let exited = false;
    child.on('exit', () => (exited = true));

    const deadline = Date.now() + 60_000;
    while (!exited && Date.now() < deadline && !(await healthy(origin))) {
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    if (!exited && Date.now() < deadline) {
      return {
        pid: pgid,
        port,
        origin,
        logFile,
        url(payload = []): string {
          const kind = options.workspace.endsWith('.code-workspace') ? 'workspace' : 'folder';
          const query = [`${kind}=${encodeURIComponent(options.workspace)}`];
          if (payload.length > 0) {
            query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
          }
          return `${origin}/?${query.join('&')}`;
        },
        stop: async () => {
          await killTree(pgid);
          untrackGroup(pgid);
        },
      };
    }
    await killTree(pgid);
    const inUse = /EADDRINUSE/.test(fs.readFileSync(logFile, 'utf8'));
    if (!(inUse && options.port === undefined && attempt < 3)) {
      throw new HostError(`code-server did not start${exited ? '' : ' within 60 s'}; see ${logFile}`);
    }
  }
}
