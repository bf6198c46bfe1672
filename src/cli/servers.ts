// `port-inspector servers`: the development servers with their project, uptime, connections and
// idleness, and with --idle / --older-than / --project the forgotten ones. Idleness needs observations
// over time: each run records what it saw in a small state file, so "no connection for 30 min" is what
// runs over 30 min saw, and before a connection was ever seen the last connection is "unknown".
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Backend } from '../core/types';
import { plainText } from '../core/displayText';
import { hostPort } from '../core/format';
import { projectLabel } from '../model/projects';
import type { ForgottenCriteria } from '../model/serverActivity';
import { ConnectionTracker, forgottenServers, formatDuration, parseDuration } from '../model/serverActivity';
import { processLabel } from '../core/whatRuns';
import type { CliArgs } from './args';
import { UsageError } from './args';
import type { CliIo } from './commands';
import { projectJson, terminalJson } from './commands';
import { renderTable } from './table';

/** Where runs remember what they saw: $PORT_INSPECTOR_STATE_DIR, else the platform's state folder. */
export function stateFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.PORT_INSPECTOR_STATE_DIR ||
    (process.platform === 'win32'
      ? path.join(env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local'), 'port-inspector')
      : path.join(env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state'), 'port-inspector'));
  return path.join(dir, 'servers.json');
}

function loadTracker(file: string): ConnectionTracker {
  try {
    return ConnectionTracker.fromJSON(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return new ConnectionTracker(); // none yet, or unreadable: everything is unknown again
  }
}

function saveTracker(file: string, tracker: ConnectionTracker): string | undefined {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(tracker), { mode: 0o600 });
    fs.renameSync(tmp, file);
    return undefined;
  } catch (err) {
    return `could not record what this run saw in ${file}: ${(err as Error).message}`;
  }
}

function durationOption(args: CliArgs, name: string): number {
  const raw = args.options.get(name);
  if (raw === undefined) {
    return 0;
  }
  try {
    return parseDuration(raw);
  } catch (err) {
    throw new UsageError(`--${name}: ${(err as Error).message}`);
  }
}

export async function serversCommand(args: CliArgs, backend: Backend, io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (args.positional.length > 0) {
    throw new UsageError(`'servers' takes no arguments (got '${args.positional[0]}')`);
  }
  const criteria: ForgottenCriteria = { idleMs: durationOption(args, 'idle'), olderThanMs: durationOption(args, 'older-than') };
  const projectOption = args.options.get('project');
  if (projectOption !== undefined) {
    const dir = path.resolve(projectOption);
    let isDir = false;
    try {
      isDir = fs.statSync(dir).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) {
      throw new UsageError(`--project: '${plainText(projectOption, 100)}' is not a folder`);
    }
    criteria.projectRoot = fs.realpathSync(dir);
  }
  const snap = await backend.snapshot({ connections: false });
  const file = stateFile(env);
  const tracker = loadTracker(file);
  tracker.observe(snap);
  const problem = saveTracker(file, tracker);
  const selfUid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const entries = forgottenServers(snap, tracker, criteria, snap.takenAt, selfUid);
  if (args.flags.has('json')) {
    io.out(
      terminalJson({
        takenAt: new Date(snap.takenAt).toISOString(),
        servers: entries.map(({ socket, activity }) => ({
          pid: socket.owners[0].pid,
          port: socket.port,
          address: socket.address,
          process: processLabel(socket.owners[0]),
          command: socket.owners[0].command,
          project: projectJson(socket.owners[0].project),
          uptimeMs: activity.uptimeMs ?? null,
          connections: activity.connections ?? null,
          lastConnectionAt: activity.lastConnectionAt !== undefined ? new Date(activity.lastConnectionAt).toISOString() : null,
          idleMs: activity.idleMs ?? null,
          observedMs: activity.observedMs,
        })),
      }),
    );
  } else if (entries.length === 0) {
    io.out(criteria.idleMs > 0 || criteria.olderThanMs > 0 || criteria.projectRoot ? 'No development server matches.' : 'No development servers are listening.');
  } else {
    const rows = entries.map(({ socket, activity }) => [
      String(socket.port),
      String(socket.owners[0].pid),
      processLabel(socket.owners[0]),
      socket.owners[0].project ? projectLabel(socket.owners[0].project) : '-',
      formatDuration(activity.uptimeMs),
      activity.connections === undefined ? '?' : String(activity.connections),
      activity.idleMs !== undefined ? formatDuration(activity.idleMs) : `unknown (none seen in ${formatDuration(activity.observedMs)})`,
      hostPort(socket.address, socket.port),
    ]);
    io.out(renderTable(['PORT', 'PID', 'PROCESS', 'PROJECT', 'UP', 'CONNS', 'IDLE', 'ADDRESS'], rows));
  }
  if (problem) {
    io.err(`warning: ${plainText(problem, 400)}`);
  }
  return 0;
}
