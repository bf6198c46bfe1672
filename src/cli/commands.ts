// The CLI's commands over the same core as the extension. Every line printed goes through plainText
// (tables) or terminalJson (which escapes every control character), so untrusted process text stays inert.
import type * as Readline from 'node:readline';
import type { FreePortResult } from '../inspector/kill/stopOwners';
import { freePort } from '../inspector/kill/stopOwners';
import type { JobMember } from '../inspector/kill/processParents';
import { jobMembers, readProcessTable } from '../inspector/kill/processParents';
import { protectedPids } from '../inspector/kill/protectedPids';
import type { ConnectionResult } from '../inspector/probe';
import { describeConnectionResult, formatConnectionResult, testConnection } from '../inspector/probe';
import type { Backend, ContainerInfo, ListeningSocket, ProjectInfo, Protocol, Snapshot } from '../core/types';
import { engineTitle } from '../inspector/containers/engineApi';
import { containerLabel, stopContainer } from '../inspector/containers/stopContainer';
import { projectLabel } from '../model/projects';
import { processLabel, whatRuns } from '../core/whatRuns';
import { classifySocket } from '../model/classify';
import { containerSummary, ownerSummary, serviceSummary } from '../model/describeSocket';
import { parseHostPort, parsePortQuery } from '../core/input';
import { plainText } from '../core/displayText';
import type { CliArgs } from './args';
import { UsageError } from './args';
import { renderTable } from './table';
import { ownersOnPort, socketsOnPort } from '../core/sockets';
import { hostPort, portLabel } from '../core/format';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Asks a yes/no question; undefined when there is no terminal to ask on. */
  confirm?(question: string): Promise<boolean>;
  /** Writes a child's output through unchanged (`run`); undefined drops it. */
  passthrough?(stream: 'out' | 'err', chunk: Buffer): void;
}

/** JSON for a terminal: JSON.stringify already escapes C0 controls; DEL, C1 and the bidi controls are
 *  escaped too, so no value can move the cursor or reorder what the terminal shows. Still valid JSON. */
export function terminalJson(value: unknown): string {
  // Escaped, not dropped: the JSON stays exact. U+061C, the zero-width characters and U+2028/2029 too.
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function protocolFilter(args: CliArgs): Protocol | undefined {
  return args.flags.has('tcp') ? 'tcp' : args.flags.has('udp') ? 'udp' : undefined;
}

function portArg(args: CliArgs, what: string): number {
  if (args.positional.length !== 1) {
    throw new UsageError(`'${args.command}' takes exactly one ${what}`);
  }
  try {
    return parsePortQuery(args.positional[0]).port;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function timeoutOption(args: CliArgs, fallback: number): number {
  const raw = args.options.get('timeout');
  if (raw === undefined) {
    return fallback;
  }
  const ms = Number(raw);
  if (!/^\d+$/.test(raw) || ms < 1 || ms > 600_000) {
    throw new UsageError(`--timeout must be a number of milliseconds from 1 to 600000, not '${raw}'`);
  }
  return ms;
}

/** The JSON form of a socket: everything the snapshot and the model know. `takenAt` gives the uptime. */
export function socketJson(s: ListeningSocket, takenAt?: number): Record<string, unknown> {
  const c = classifySocket(s);
  const owner = s.owners[0];
  return {
    protocol: s.protocol,
    family: s.family,
    address: s.address,
    port: s.port,
    state: s.state,
    range: c.range,
    service: c.iana?.name,
    serviceDescription: c.iana?.description,
    commonly: c.dev?.runs,
    exposure: c.exposure.scope,
    risk: c.risk,
    uid: s.uid,
    ownerVisible: s.ownerVisible,
    owners: s.owners,
    // What runs, the project it was started in, how long it has run and its connections now (null when
    // unknown: another user's process, or a back-end that does not count connections).
    process: owner ? processLabel(owner) : null,
    project: projectJson(owner?.project),
    uptimeMs: owner?.startTime !== undefined && takenAt !== undefined ? Math.max(0, takenAt - owner.startTime) : null,
    connections: s.connections ?? null,
    ...(s.container ? { container: containerJson(s.container) } : {}),
  };
}

/** The `container` object of the JSON output. */
export function containerJson(c: ContainerInfo): Record<string, unknown> {
  return {
    id: c.id,
    shortId: c.id.slice(0, 12),
    name: c.name,
    image: c.image,
    engine: c.engine,
    state: c.state,
    startedAt: c.startedAt !== undefined ? new Date(c.startedAt).toISOString() : undefined,
    compose: c.compose,
    pod: c.pod,
  };
}

/** `{root, name, branch, kind}` (and `repository` for a monorepo package), or null when unknown. */
export function projectJson(p: ProjectInfo | undefined): Record<string, unknown> | null {
  return p ? { root: p.root, name: p.name, branch: p.branch ?? null, kind: p.kind, ...(p.repository !== undefined && { repository: p.repository }) } : null;
}

function socketRow(s: ListeningSocket, wide: boolean): string[] {
  const c = classifySocket(s);
  const owner = s.owners[0];
  const row = [
    s.protocol,
    hostPort(s.address, s.port),
    s.ownerVisible ? s.owners.map((o) => String(o.pid)).join(',') : '-',
    owner ? processLabel(owner) : 'owner not visible',
    owner?.user ?? (s.uid !== undefined ? String(s.uid) : '?'),
    c.exposure.scope === 'loopback' ? 'loopback' : c.exposure.scope === 'all' ? 'network' : 'interface',
    (c.risk ? '! ' : '') + (serviceSummary(c) ?? ''),
  ];
  if (wide) {
    row.push(owner?.project ? projectLabel(owner.project) : '-', owner?.command ?? '');
  }
  return row;
}

export async function listCommand(args: CliArgs, backend: Backend, io: CliIo): Promise<number> {
  if (args.positional.length > 0) {
    throw new UsageError(`'list' takes no arguments (got '${args.positional[0]}')`);
  }
  let range: [number, number] | undefined;
  const portOption = args.options.get('port');
  if (portOption !== undefined) {
    try {
      const query = parsePortQuery(portOption, { range: true });
      range = query.range ?? [query.port, query.port];
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const protocol = protocolFilter(args);
  const snap = await backend.snapshot({ connections: false });
  const sockets = snap.sockets.filter(
    (s) => (!protocol || s.protocol === protocol) && (!range || (s.port >= range[0] && s.port <= range[1])),
  );
  if (args.flags.has('json')) {
    io.out(terminalJson({ takenAt: new Date(snap.takenAt).toISOString(), backend: snap.backend, sockets: sockets.map((s) => socketJson(s, snap.takenAt)), warnings: snap.warnings }));
    return 0;
  }
  const headers = ['PROTO', 'ADDRESS', 'PID', 'PROCESS', 'USER', 'EXPOSURE', 'SERVICE'];
  const wide = args.flags.has('wide');
  // The column appears only when a container holds a port: the usual table stays as it was.
  const containers = sockets.some((s) => s.container);
  if (containers) {
    headers.push('CONTAINER');
  }
  if (wide) {
    headers.push('PROJECT', 'COMMAND');
  }
  const rows = sockets.map((s) => {
    const row = socketRow(s, false);
    if (containers) {
      row.push(s.container ? containerSummary(s.container) : '');
    }
    if (wide) {
      row.push(s.owners[0]?.command ?? '');
    }
    return row;
  });
  io.out(sockets.length > 0 ? renderTable(headers, rows) : 'No listening sockets.');
  for (const w of snap.warnings) {
    io.err(`warning: ${plainText(w, 400)}`);
  }
  return 0;
}

function describeHolders(sockets: ListeningSocket[]): string[] {
  const lines: string[] = [];
  for (const s of sockets) {
    const c = classifySocket(s);
    lines.push(`${portLabel(s)} on ${hostPort(s.address, s.port)} — ${c.exposure.label}${c.risk ? ` — WARNING: ${c.risk.reason}` : ''}`);
    if (!s.ownerVisible) {
      lines.push(`  ${ownerSummary(s)}: another user's process or another container; try with sudo.`);
    }
    if (s.container) {
      const c = s.container;
      lines.push(
        `  ${engineTitle(c.engine)} container ${c.name} (id ${c.id.slice(0, 12)}${c.image ? `, image ${c.image}` : ''}${c.state ? `, ${c.state}` : ''}${c.startedAt ? `, since ${new Date(c.startedAt).toISOString()}` : ''})`,
      );
      if (c.compose) {
        lines.push(`    compose service "${c.compose.service}" of project "${c.compose.project}"${c.compose.configFiles?.length ? ` (${c.compose.configFiles.join(', ')})` : ''}`);
      }
      if (c.pod) {
        lines.push(`    pod ${c.pod}`);
      }
      lines.push(`    forwarded by (never signalled):`);
    }
    for (const o of s.owners) {
      const runs = whatRuns(o);
      const named = runs.runtime && runs.name.split(' ')[0] !== runs.runtime ? `${runs.name} (${runs.runtime}, ` : `${runs.name || o.name} (`;
      lines.push(`  ${named}pid ${o.pid}, user ${o.user ?? '?'}, parent ${o.ppid ?? '?'}${o.startTime ? `, since ${new Date(o.startTime).toISOString()}` : ''})`);
      lines.push(`    ${o.command}`);
      if (o.project) {
        lines.push(`    project ${projectLabel(o.project)} — ${o.project.root}`);
      }
    }
    if (s.connections !== undefined) {
      lines.push(`  ${s.connections} established connection${s.connections === 1 ? '' : 's'}`);
    }
  }
  const c = classifySocket(sockets[0]);
  const service = serviceSummary(c);
  lines.push(`${c.rangeLabel}${service ? ` · ${service}` : ''}`);
  return lines.map((l) => plainText(l, 500));
}

export async function whoCommand(args: CliArgs, backend: Backend, io: CliIo): Promise<number> {
  const port = portArg(args, 'port');
  const protocol = protocolFilter(args);
  const snap = await backend.snapshot({ connections: false });
  const sockets = socketsOnPort(snap, port, protocol);
  if (args.flags.has('json')) {
    io.out(terminalJson({ port, free: sockets.length === 0, sockets: sockets.map((s) => socketJson(s, snap.takenAt)) }));
  } else if (sockets.length === 0) {
    io.out(`Port ${port}${protocol ? `/${protocol}` : ''} is free: nothing is listening on it.`);
  } else {
    io.out(describeHolders(sockets).join('\n'));
  }
  return sockets.length === 0 ? 1 : 0;
}

export async function killCommand(args: CliArgs, backend: Backend, io: CliIo): Promise<number> {
  const port = portArg(args, 'port');
  const protocol = protocolFilter(args);
  const timeoutMs = timeoutOption(args, 5000);
  const snap: Snapshot = await backend.snapshot({ connections: false });
  const sockets = socketsOnPort(snap, port, protocol);
  if (sockets.length === 0) {
    io.out(`Port ${port} is free already: nothing to stop.`);
    return 0;
  }
  if (!args.flags.has('yes') && !io.confirm) {
    // A script or a pipe: nobody to ask, and stopping is not done unasked (as `run --free`).
    io.err('port-inspector: not stopping anything without a confirmation: no terminal to ask on; add --yes.');
    io.out(describeHolders(sockets).join('\n'));
    return 1;
  }
  const holders = ownersOnPort(snap, port, protocol);
  const report = (r: FreePortResult): number => {
    if (args.flags.has('json')) {
      io.out(terminalJson(r));
    } else {
      io.out(plainText(r.message, 500));
      if (r.hint) {
        io.out(`You can run it yourself: ${plainText(r.hint, 200)}`);
      }
    }
    return r.outcome === 'freed' ? 0 : 1;
  };
  // Each container that publishes the port (several: other addresses, other engines) is stopped by its
  // engine; its forwarders are never signalled. A plain process beside them is stopped as usual.
  const containers = [...new Map(sockets.filter((s) => s.container).map((s) => [s.container!.id, s.container!])).values()];
  if (containers.length > 0) {
    const beside = [...new Map(sockets.filter((s) => !s.container).flatMap((s) => s.owners).map((o) => [o.pid, o])).values()];
    if (!args.flags.has('yes') && io.confirm) {
      io.out(describeHolders(sockets).join('\n'));
      const what = [
        ...containers.map((c) => `${plainText(containerLabel(c), 120)} with ${engineTitle(c.engine)}`),
        ...(beside.length > 0 ? [`${beside.map((h) => `${plainText(processLabel(h) || h.name, 60)} ${h.pid}`).join(', ')} (SIGTERM)`] : []),
      ];
      const ok = await io.confirm(`Stop ${what.join(', and ')}? [y/N] `);
      if (!ok) {
        io.out('Nothing was stopped.');
        return 1;
      }
    }
    const deps = { snapshot: () => backend.snapshot({ connections: false }) };
    const results: FreePortResult[] = [];
    for (const container of containers) {
      results.push(await stopContainer({ port, protocol, container, timeoutMs: Math.max(timeoutMs, 10_000) }, deps));
    }
    if (beside.length > 0) {
      results.push(
        await freePort({ port, protocol, targets: beside.map((h) => ({ pid: h.pid, startTime: h.startTime, startTicks: h.startTicks })), force: args.flags.has('force'), timeoutMs }, deps),
      );
    }
    if (results.length === 1) {
      return report(results[0]);
    }
    // Several steps: each said in turn; the port's state at the end is the last step's.
    const last = results[results.length - 1];
    return report({ ...last, message: results.map((r) => r.message).join(' '), signalled: results.flatMap((r) => r.signalled), elapsedMs: results.reduce((t, r) => t + r.elapsedMs, 0) });
  }
  if (holders.length === 0) {
    return report(await freePort({ port, protocol, targets: [{ pid: 0 }] }, { snapshot: () => backend.snapshot({ connections: false }) }));
  }
  // --tree: every other process it would signal, by name, confirmed as a list (not "and its job").
  const tree = args.flags.has('tree');
  let job: JobMember[] | undefined;
  const table = tree ? await readProcessTable() : undefined;
  if (table && table.parentsUnknown === undefined) {
    job = jobMembers(
      holders.map((h) => h.pid),
      table,
      protectedPids(table.parents),
    );
  }
  const jobText = job === undefined ? (tree ? ' and its child processes' : '') : job.length === 0 ? ' (its job has no other process)' : `, and with it ${describeJob(job)}`;
  if (!args.flags.has('yes') && io.confirm) {
    io.out(describeHolders(sockets).join('\n'));
    const verb = args.flags.has('force') ? 'Force-stop (SIGKILL)' : 'Stop (SIGTERM)';
    const ok = await io.confirm(`${verb} ${holders.map((h) => `${plainText(processLabel(h) || h.name, 60)} ${h.pid}`).join(', ')}${jobText}? [y/N] `);
    if (!ok) {
      io.out('Nothing was stopped.');
      return 1;
    }
  } else if (job !== undefined && job.length > 0 && !args.flags.has('json')) {
    io.out(`Also stopping ${describeJob(job)}.`);
  }
  const result = await freePort(
    {
      port,
      protocol,
      targets: holders.map((h) => ({ pid: h.pid, startTime: h.startTime, startTicks: h.startTicks })),
      force: args.flags.has('force'),
      tree,
      ...(job !== undefined ? { job } : {}),
      timeoutMs,
    },
    { snapshot: () => backend.snapshot({ connections: false }) },
  );
  return report(result);
}

/** `node (pid 41, child), sh (pid 40, same process group)`: every process a tree stop adds. */
function describeJob(job: readonly JobMember[]): string {
  return job.map((m) => `${plainText(m.name, 40)} (pid ${m.pid}, ${m.relation === 'child' ? 'child' : 'same process group'})`).join(', ');
}

export async function testCommand(args: CliArgs, io: CliIo): Promise<number> {
  if (args.positional.length !== 1) {
    throw new UsageError(`'test' takes exactly one <host>:<port>`);
  }
  let target: { host: string; port: number };
  try {
    target = parseHostPort(args.positional[0]);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const result: ConnectionResult = await testConnection({
    host: target.host,
    port: target.port,
    protocol: args.flags.has('udp') ? 'udp' : 'tcp',
    timeoutMs: timeoutOption(args, 3000),
  });
  if (args.flags.has('json')) {
    io.out(terminalJson(result));
  } else {
    io.out(plainText(formatConnectionResult(result), 500));
    for (const line of describeConnectionResult(result)) {
      io.out(`  ${plainText(line, 500)}`);
    }
  }
  return result.ok ? 0 : 1;
}

/** Asks on the terminal; resolves false on anything but y/yes. */
export function terminalConfirm(question: string): Promise<boolean> {
  // readline loads only when there is a question to ask.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const readline = require('node:readline') as typeof Readline;
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
  });
}
