// Starts real listener processes for tests and stops them reliably.
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { ChildSpec } from './listenerChild';

export interface ListenerProcess {
  pid: number;
  ports: number[];
  child: ChildProcess;
  /** SIGKILL and wait for exit. Safe to call twice. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of running) {
    c.kill('SIGKILL');
  }
});

/** Spawns listenerChild.js (or another child speaking its protocol) with `spec`; resolves when ready. */
export async function startListener(
  spec: ChildSpec,
  options: {
    uid?: number;
    gid?: number;
    argv0Extra?: string[];
    env?: NodeJS.ProcessEnv;
    script?: string;
    /** Another program speaking the same protocol (one JSON ready line on stdout), instead of Node. */
    command?: { file: string; args: string[] };
  } = {},
): Promise<ListenerProcess> {
  const script = options.script ?? path.join(__dirname, 'listenerChild.js');
  const spawnOptions: SpawnOptions = { stdio: ['pipe', 'pipe', 'inherit'], env: options.env ?? process.env };
  if (options.uid !== undefined) {
    spawnOptions.uid = options.uid;
    spawnOptions.gid = options.gid ?? options.uid;
  }
  const child = options.command
    ? spawn(options.command.file, options.command.args, spawnOptions)
    : spawn(process.execPath, [script, JSON.stringify(spec), ...(options.argv0Extra ?? [])], spawnOptions);
  running.add(child);
  child.once('exit', () => running.delete(child));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error('listener child did not start within 10 s')), 10_000);
    rl.once('line', (l) => {
      clearTimeout(timer);
      rl.close();
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`listener child exited early with code ${code}`)));
  });
  const msg = JSON.parse(line) as { ready: boolean; pid: number; ports: number[]; error?: string };
  if (!msg.ready) {
    child.kill('SIGKILL');
    throw new Error(`listener child failed: ${msg.error}`);
  }
  return {
    pid: child.pid!,
    ports: msg.ports,
    child,
    stop: () => stopChild(child),
  };
}

/** SIGKILLs a child and resolves when it has exited (immediately if it already has). */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
