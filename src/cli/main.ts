// Entry point of the `port-inspector` command (bundled to dist/cli.js).
import { createBackend } from '../inspector';
import { InspectorError } from '../core/types';
import type { Backend } from '../core/types';
import { ProjectResolver } from '../inspector/projectResolver';
import { PROJECT_RULES } from '../model/projects';
import { serversCommand } from './servers';
import { plainText } from '../core/displayText';
import { HELP, UsageError, parseArgs } from './args';
import type { CliIo } from './commands';
import { killCommand, listCommand, terminalConfirm, testCommand, whoCommand } from './commands';

declare const PORT_INSPECTOR_VERSION: string | undefined;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    io.err(`port-inspector: ${plainText((err as Error).message, 300)}`);
    return 2;
  }
  if (args.command === 'help') {
    io.out(HELP);
    return 0;
  }
  if (args.command === 'version') {
    io.out(typeof PORT_INSPECTOR_VERSION === 'string' ? PORT_INSPECTOR_VERSION : 'dev');
    return 0;
  }
  // The CLI is one-shot: scanning in this thread saves starting a worker.
  const scanner = createBackend({ linux: { useWorker: false } });
  // Every snapshot names each owner's project (resolved once per process, then cached).
  const projects = new ProjectResolver(PROJECT_RULES);
  const backend: Backend = {
    id: scanner.id,
    snapshot: async (options) => {
      const snap = await scanner.snapshot(options);
      await projects.annotate(snap);
      return snap;
    },
    dispose: () => scanner.dispose(),
  };
  try {
    switch (args.command) {
      case 'list':
        return await listCommand(args, backend, io);
      case 'who':
        return await whoCommand(args, backend, io);
      case 'kill':
        return await killCommand(args, backend, io);
      case 'test':
        return await testCommand(args, io);
      // Loaded only when used: the matcher and the child-process plumbing cost the other commands nothing.
      case 'explain':
        return await (await import('./conflictCommands')).explainCommand(args, backend, io);
      case 'run':
        return await (await import('./conflictCommands')).runCommand(args, backend, io);
      case 'servers':
        return await serversCommand(args, backend, io);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`port-inspector: ${plainText(err.message, 300)}`);
      return 2;
    }
    const message = err instanceof InspectorError ? err.message : `unexpected error: ${(err as Error).message}`;
    io.err(`port-inspector: ${plainText(message, 300)}`);
    return 1;
  } finally {
    backend.dispose();
  }
}

/** Runs the CLI on this process's terminal and sets the exit code. */
export function runCli(argv: readonly string[] = process.argv.slice(2)): void {
  const io: CliIo = {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    confirm: process.stdin.isTTY && process.stdout.isTTY ? terminalConfirm : undefined,
    passthrough: (stream, chunk) => (stream === 'out' ? process.stdout : process.stderr).write(chunk),
  };
  main(argv, io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: Error) => {
      process.stderr.write(`port-inspector: unexpected error: ${plainText(err.message, 300)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) {
  runCli();
}
