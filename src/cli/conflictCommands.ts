// `explain` and `run`: a failed program's output in, who holds the port it wanted out — and, for `run
// --free`, the holder stopped through the same re-checked path as `kill`, then the command run once more.
// main.ts loads this module only for these two commands, so `list` and `who` do not pay for it.
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { Backend, ListeningSocket, Snapshot } from '../core/types';
import { holdersOf } from '../core/holders';
import { plainText } from '../core/displayText';
import { socketsOnPort } from '../core/sockets';
import type { ConflictReport, PortConflict } from '../model/portConflict/matchConflicts';
import { findPortConflicts } from '../model/portConflict/matchConflicts';
import { OutputTail } from '../model/portConflict/outputTail';
import { conflictingSockets } from '../model/portConflict/conflictingSockets';
import { freePort } from '../inspector/kill/stopOwners';
import type { CliArgs } from './args';
import { UsageError } from './args';
import type { CliIo } from './commands';
import { terminalJson } from './commands';

/** The output of a program, decoded (a character split across chunks stays whole), as the matcher reads it. */
class Tail {
  private readonly tail = new OutputTail();
  private readonly decoder = new StringDecoder('utf8');
  push(chunk: Buffer): void {
    this.tail.push(this.decoder.write(chunk));
  }
  value(): string {
    this.tail.push(this.decoder.end());
    return this.tail.value();
  }
}

/** A command line for display and matching (`'a b'` quoted the POSIX way); never run through a shell. */
export function quoteCommand(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function holderJson(s: ListeningSocket): Array<Record<string, unknown>> {
  return holdersOf(s).map((h) =>
    h.kind === 'process'
      ? { kind: 'process', pid: h.process.pid, name: h.process.name, command: h.process.command, user: h.process.user, address: s.address }
      : { kind: 'container', name: h.container.name, image: h.container.image, id: h.container.id, address: s.address },
  );
}

function conflictJson(c: PortConflict, snap: Snapshot | undefined): Record<string, unknown> {
  const sockets = snap ? conflictingSockets(socketsOnPort(snap, c.port, c.protocol), c.host) : [];
  return {
    port: c.port,
    protocol: c.protocol,
    host: c.host ?? null,
    inferred: c.inferred,
    portFrom: c.source,
    tool: c.tool,
    message: c.line,
    heldNow: sockets.length > 0,
    holders: sockets.flatMap(holderJson),
  };
}

const SOURCE_WORDS: Record<PortConflict['source'], string> = {
  message: '',
  output: ' (port read from the output around the message)',
  command: ' (port inferred from the command line)',
  default: " (port inferred: the tool's default)",
};

/** Plain lines naming the conflict and who holds its port now. */
function describeConflict(c: PortConflict, snap: Snapshot): string[] {
  const sockets = conflictingSockets(socketsOnPort(snap, c.port, c.protocol), c.host);
  const lines = [`Port ${c.port}/${c.protocol}${c.host ? ` on ${c.host}` : ''} was in use${SOURCE_WORDS[c.source]}: ${c.line}`];
  if (sockets.length === 0) {
    lines.push(`  It is free now: nothing listens on ${c.port}/${c.protocol} any more.`);
  }
  for (const s of sockets) {
    if (!s.ownerVisible) {
      lines.push(`  Held on ${s.address} by a process this user cannot see (another user's, or root's); try with sudo.`);
    }
    for (const h of holdersOf(s)) {
      if (h.kind === 'container') {
        lines.push(`  Held on ${s.address} by container ${h.container.name} (${h.container.image}).`);
      } else {
        const p = h.process;
        lines.push(`  Held on ${s.address} by ${p.name} (pid ${p.pid}, user ${p.user ?? '?'}${p.startTime ? `, since ${new Date(p.startTime).toISOString()}` : ''})`);
        lines.push(`    ${p.command}`);
      }
    }
  }
  return lines.map((l) => plainText(l, 500));
}

function describePermission(report: ConflictReport): string[] {
  return report.permission.map((h) =>
    plainText(`Port ${h.port} is below 1024 and needs privileges, it is not taken: ${h.line} — use a port above 1023, or grant the program CAP_NET_BIND_SERVICE.`, 500),
  );
}

async function readStdin(): Promise<string> {
  const tail = new Tail();
  for await (const chunk of process.stdin) {
    tail.push(chunk as Buffer);
  }
  return tail.value();
}

export async function explainCommand(args: CliArgs, backend: Backend, io: CliIo, input: () => Promise<string> = readStdin): Promise<number> {
  if (args.positional.length > 0) {
    throw new UsageError(`'explain' reads the output on stdin and takes no arguments (got '${args.positional[0]}'); e.g. npm run dev 2>&1 | port-inspector explain`);
  }
  if (process.stdin.isTTY && input === readStdin) {
    throw new UsageError(`'explain' reads a program's output on stdin: pipe it in, e.g. npm run dev 2>&1 | port-inspector explain`);
  }
  const report = findPortConflicts(await input(), { commandLine: args.options.get('command') });
  const snap = report.conflicts.length > 0 ? await backend.snapshot({ connections: false }) : undefined;
  if (args.flags.has('json')) {
    io.out(
      terminalJson({
        conflicts: report.conflicts.map((c) => conflictJson(c, snap)),
        permission: report.permission.map((h) => ({ port: h.port, host: h.host ?? null, tool: h.tool, message: h.line })),
      }),
    );
  } else {
    for (const c of report.conflicts) {
      io.out(describeConflict(c, snap as Snapshot).join('\n'));
    }
    for (const line of describePermission(report)) {
      io.out(line);
    }
    if (report.conflicts.length === 0 && report.permission.length === 0) {
      io.out('No port conflict found in that output.');
    }
  }
  return report.conflicts.length > 0 ? 0 : 1;
}

/** Runs argv with its output passed through; resolves with its exit code and the tail of its output. */
function runPassingThrough(argv: readonly string[], io: CliIo): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const tail = new Tail();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['inherit', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => {
      tail.push(chunk);
      io.passthrough?.('out', chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      tail.push(chunk);
      io.passthrough?.('err', chunk);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      io.err(`port-inspector: cannot run ${plainText(argv[0], 200)}: ${err.code === 'ENOENT' ? 'no such program (run takes a program and its arguments, not a shell line)' : plainText(err.message, 300)}`);
      resolve({ code: 127, output: '' });
    });
    child.on('close', (code, signal) => {
      resolve({ code: code ?? (signal ? 128 + 15 : 1), output: tail.value() });
    });
  });
}

export async function runCommand(args: CliArgs, backend: Backend, io: CliIo): Promise<number> {
  const argv = args.rest ?? args.positional;
  if (argv.length === 0) {
    throw new UsageError(`'run' needs a command: port-inspector run [--free] [--yes] -- <command…>`);
  }
  if (args.rest && args.positional.length > 0) {
    throw new UsageError(`'run' takes its command after '--' only (got '${args.positional[0]}' before it)`);
  }
  const timeoutRaw = args.options.get('timeout');
  const timeoutMs = timeoutRaw === undefined ? 5000 : Number(timeoutRaw);
  if (timeoutRaw !== undefined && (!/^\d+$/.test(timeoutRaw) || timeoutMs < 1 || timeoutMs > 600_000)) {
    throw new UsageError(`--timeout must be a number of milliseconds from 1 to 600000, not '${timeoutRaw}'`);
  }
  const first = await runPassingThrough(argv, io);
  if (first.code === 0) {
    return 0;
  }
  const report = findPortConflicts(first.output, { commandLine: quoteCommand(argv) });
  for (const line of describePermission(report)) {
    io.err(`port-inspector: ${line}`);
  }
  if (report.conflicts.length === 0) {
    return first.code;
  }
  const snap = await backend.snapshot({ connections: false });
  for (const c of report.conflicts) {
    io.err(describeConflict(c, snap).map((l) => `port-inspector: ${l}`).join('\n'));
  }
  if (!args.flags.has('free')) {
    io.err('port-inspector: run again with --free to stop the holder and rerun the command.');
    return first.code;
  }
  for (const c of report.conflicts) {
    const sockets = conflictingSockets(socketsOnPort(snap, c.port, c.protocol), c.host);
    const holders = sockets.flatMap(holdersOf);
    if (holders.some((h) => h.kind === 'container')) {
      io.err(`port-inspector: port ${c.port} is held by a container: stop it with its engine (docker stop …); nothing was stopped.`);
      return first.code;
    }
    const processes = holders.flatMap((h) => (h.kind === 'process' ? [h.process] : []));
    if (sockets.length > 0 && processes.length === 0) {
      io.err(`port-inspector: the holder of port ${c.port} is not visible to this user; nothing was stopped.`);
      return first.code;
    }
    if (processes.length === 0) {
      continue; // free by now
    }
    if (!args.flags.has('yes')) {
      if (!io.confirm) {
        io.err('port-inspector: not stopping anything without a confirmation: no terminal to ask on; add --yes.');
        return first.code;
      }
      const ok = await io.confirm(`Stop (SIGTERM) ${processes.map((p) => `${plainText(p.name, 40)} (pid ${p.pid})`).join(', ')} to free port ${c.port}, then run the command again? [y/N] `);
      if (!ok) {
        io.err('port-inspector: nothing was stopped.');
        return first.code;
      }
    }
    const result = await freePort(
      { port: c.port, protocol: c.protocol, targets: processes.map((p) => ({ pid: p.pid, startTime: p.startTime, startTicks: p.startTicks })), timeoutMs },
      { snapshot: () => backend.snapshot({ connections: false }) },
    );
    io.err(`port-inspector: ${plainText(result.message, 500)}`);
    if (result.outcome !== 'freed') {
      if (result.hint) {
        io.err(`port-inspector: you can run it yourself: ${plainText(result.hint, 200)}`);
      }
      return first.code;
    }
  }
  io.err(`port-inspector: running ${plainText(quoteCommand(argv), 300)} again.`);
  return (await runPassingThrough(argv, io)).code;
}
