// "Free Port": stops what holds one or several ports, after ONE modal confirmation that names every
// process (name, pid, user, command line, the other ports it holds, its terminal). The safe core
// (src/inspector/kill/stopOwners.ts) does the stopping: just before signalling it re-checks that the same
// process — same pid and start time — still holds the port, refuses protected processes (VS Code's own,
// with their siblings), and reports what it observed while watching the port. This file decides what to
// ask and how to say what happened; the gentlest way comes first (Ctrl+C in the owner's terminal).
import * as vscode from 'vscode';
import { reportError } from '../services/registerCommand';
import { Commands } from '../constants';
import { freePort as stopOwners, killHint, revealOwnerHint } from '../inspector/kill/stopOwners';
import type { FreePortDeps as CoreDeps, FreePortResult } from '../inspector/kill/stopOwners';
import type { JobMember } from '../inspector/kill/processParents';
import type { ProcessTable } from '../inspector/kill/processParents';
import { jobMembers, readProcessTable } from '../inspector/kill/processParents';
import { protectedPids } from '../inspector/kill/protectedPids';
import type { ListeningSocket, ProcessInfo, Protocol, Snapshot } from '../core/types';
import { plainText } from '../core/displayText';
import { log } from '../services/logger';
import { actOnHint, hintButtons } from './commandHint';
import { explainHiddenOwner } from './explainHiddenOwner';
import { prompt } from '../services/prompts';
import { settings } from '../services/settings';
import { ownersOnPort, socketsOnPort } from '../core/sockets';
import { portLabel } from '../core/format';
import { processLabel } from '../core/whatRuns';

export interface FreePortDeps {
  /** A fresh snapshot: the shared service's refresh, so the tree updates as the port is watched. */
  refresh(): Promise<Snapshot>;
  /** The integrated terminal an owner was started from. */
  terminalOf?(pid: number): vscode.Terminal | undefined;
  /** The snapshot the user is looking at, for the other ports each process holds; else a refresh. */
  current?(): Snapshot | undefined;
  /** Frees the port again, from a fresh look (offered when another process took it back). */
  again?(port: number, protocol: Protocol): Promise<unknown>;
}

/** How the user chose to stop the owners. */
type StopMode = 'terminal' | 'signal' | 'tree';

/** One port to free, as it is in the snapshot. */
interface PortPlan {
  port: number;
  protocol: Protocol;
  label: string;
  owners: ProcessInfo[];
  /** A socket on the port whose owner cannot be seen. */
  hidden: boolean;
  /** Why an owner may not be stopped (a protected process). */
  refusal?: string;
}

const isWindows = process.platform === 'win32';
/** What runs, as the Ports view names it (`vite (node)`), not the bare OS name (`node`). */
const ownerName = (o: ProcessInfo): string => plainText(processLabel(o) || o.name || '?', 60);
/** `vite (node) 24400`: the holder exactly as the Ports view's row describes it. */
const ownerWithPid = (o: ProcessInfo): string => `${ownerName(o)} ${o.pid}`;
const who = (owners: readonly ProcessInfo[]): string => owners.map(ownerWithPid).join(', ');
const seconds = (ms: number): string => (ms / 1000).toFixed(1);

/** The labels of the buttons, here so tests and the confirmation agree. */
export function freePortButtons(): { terminal: string; stop: string; tree: string; force: string; again: string } {
  return {
    terminal: vscode.l10n.t('Stop in Terminal (Ctrl+C)'),
    stop: vscode.l10n.t('Stop Process'),
    tree: vscode.l10n.t('Stop Process Tree'),
    force: isWindows ? vscode.l10n.t('Force Stop (taskkill /F)') : vscode.l10n.t('Force Stop (SIGKILL)'),
    again: vscode.l10n.t('Free Port…'),
  };
}

/** Frees several ports with one confirmation listing every process; one result per distinct port. */
export async function freePorts(sockets: readonly ListeningSocket[], deps: FreePortDeps): Promise<FreePortResult[] | undefined> {
  if (sockets.length === 0) {
    return undefined;
  }
  const snapshot = deps.current?.() ?? (await deps.refresh());
  const table = await readProcessTable();
  // siblings: inside VS Code, the extension host's siblings are VS Code's own processes (renderer, pty
  // host, file watcher); a terminal's shell is a child of the pty host, so what runs there stays stoppable.
  const protect = protectedPids(table.parents, { siblings: true });
  const plans = planPorts(sockets, snapshot, protect);

  if (plans.length === 1 && plans[0].hidden) {
    await explainHiddenOwner(socketsOnPort(snapshot, plans[0].port, plans[0].protocol).find((s) => !s.ownerVisible) ?? sockets[0]);
    return undefined;
  }
  const actionable = plans.filter((p) => !p.hidden && !p.refusal);
  const skipped = plans.filter((p) => p.hidden || p.refusal);
  if (actionable.length === 0) {
    const results = skipped.map((p) => skippedResult(p));
    const message = plainText(results.map((r) => r.message).join(' '), 600);
    const hint = [...new Set(results.flatMap((r) => (r.hint ? [r.hint] : [])))].join('; ');
    results.forEach((r) => log.info(`Free port: ${r.outcome}: ${r.message}`));
    if (hint) {
      const { open, copy } = hintButtons();
      void prompt('warning', message, {}, open, copy).then((choice) => actOnHint(choice, hint));
    } else {
      void prompt('warning', message);
    }
    return results;
  }

  const confirmed = await confirm(actionable, skipped, snapshot, table, deps);
  if (!confirmed) {
    return undefined;
  }
  const { mode, job } = confirmed;
  const results = await stop(actionable, mode, false, deps, job);
  // The result goes back to the caller (the dashboard shows it) while the notification waits for a click.
  report(actionable, results, mode, false, deps, job).catch((err: unknown) => reportError(Commands.freePort, err));
  return [...results, ...skipped.map((p) => skippedResult(p))];
}

// --- planning

function planPorts(sockets: readonly ListeningSocket[], snapshot: Snapshot, protect: ReadonlyMap<number, string>): PortPlan[] {
  const plans = new Map<string, PortPlan>();
  for (const socket of sockets) {
    const key = `${socket.protocol}|${socket.port}`;
    if (plans.has(key)) {
      continue;
    }
    // Freeing a port means every socket on it, v4 and v6, whoever holds them: the confirmation names all.
    const onPort = socketsOnPort(snapshot, socket.port, socket.protocol);
    const all = onPort.length > 0 ? onPort : [socket];
    const owners = onPort.length > 0 ? ownersOnPort(snapshot, socket.port, socket.protocol) : socket.owners;
    const hidden = all.some((s) => !s.ownerVisible || s.owners.length === 0);
    const guarded = owners.find((o) => protect.has(o.pid));
    plans.set(key, {
      port: socket.port,
      protocol: socket.protocol,
      label: portLabel(socket),
      owners,
      hidden,
      refusal: guarded
        ? vscode.l10n.t('Refused to stop {0} (pid {1}) to free {2}: {3}.', ownerName(guarded), guarded.pid, portLabel(socket), protect.get(guarded.pid) ?? '')
        : undefined,
    });
  }
  return [...plans.values()];
}

function skippedResult(plan: PortPlan): FreePortResult {
  if (plan.refusal) {
    return { outcome: 'refused', message: plan.refusal, elapsedMs: 0, signalled: [], holders: plan.owners };
  }
  return {
    outcome: 'not-permitted',
    message: vscode.l10n.t('{0} is held by a process this user cannot see; nothing was stopped.', plan.label),
    elapsedMs: 0,
    signalled: [],
    holders: plan.owners,
    hint: revealOwnerHint(plan.port, plan.protocol),
  };
}

// --- confirmation

function describeOwner(owner: ProcessInfo, freeing: readonly PortPlan[], snapshot: Snapshot, deps: FreePortDeps): string {
  const lines: string[] = [];
  const user = owner.user ? `, ${vscode.l10n.t('user {0}', plainText(owner.user, 32))}` : '';
  lines.push(`${ownerName(owner)} — pid ${owner.pid}${user}`);
  lines.push(`  ${plainText(owner.command || owner.name || '?', 300)}`);
  const mine = freeing.filter((p) => p.owners.some((o) => o.pid === owner.pid)).map((p) => p.label);
  const others = [
    ...new Set(
      snapshot.sockets
        .filter((s) => s.owners.some((o) => o.pid === owner.pid))
        .map((s) => portLabel(s))
        .filter((l) => !mine.includes(l)),
    ),
  ];
  const shown = others.slice(0, 10).join(', ') + (others.length > 10 ? vscode.l10n.t(' and {0} more', others.length - 10) : '');
  lines.push(
    others.length > 0
      ? `  ${vscode.l10n.t('Frees {0}; it also holds {1}, which close with it.', mine.join(', '), shown)}`
      : `  ${vscode.l10n.t('Frees {0}; it holds no other port.', mine.join(', '))}`,
  );
  const terminal = deps.terminalOf?.(owner.pid);
  lines.push(
    terminal
      ? `  ${vscode.l10n.t('Started from the integrated terminal "{0}".', plainText(terminal.name, 60))}`
      : `  ${vscode.l10n.t('Not started from an integrated terminal of this window.')}`,
  );
  return lines.join('\n');
}

async function confirm(
  plans: readonly PortPlan[],
  skipped: readonly PortPlan[],
  snapshot: Snapshot,
  read: ProcessTable,
  deps: FreePortDeps,
): Promise<{ mode: StopMode; job?: JobMember[] } | undefined> {
  const owners = [...new Map(plans.flatMap((p) => p.owners).map((o) => [o.pid, o])).values()].sort((a, b) => a.pid - b.pid);
  // What the tree button would signal besides the owners, by name: the user confirms a list, and the
  // stop signals no one who is not on it (Windows without WMI: taskkill /T walks the tree itself).
  const table = read.parentsUnknown === undefined ? read : undefined;
  const job = table ? jobMembers(owners.map((o) => o.pid), table, protectedPids(table.parents, { siblings: true })) : undefined;
  const inTerminal = owners.length > 0 && owners.every((o) => deps.terminalOf?.(o.pid) !== undefined);
  const timeout = seconds(settings.values().freePortTimeoutMs);
  const buttons = freePortButtons();
  const ports = plans.map((p) => p.label);
  const portList = ports.length <= 1 ? ports.join('') : vscode.l10n.t('{0} and {1}', ports.slice(0, -1).join(', '), ports[ports.length - 1]);
  const message =
    owners.length === 1
      ? vscode.l10n.t('Stop {0} to free {1}?', ownerWithPid(owners[0]), portList)
      : vscode.l10n.t('Stop {0} processes to free {1}?', owners.length, portList);
  const how = [
    inTerminal ? vscode.l10n.t('{0} sends Ctrl+C to its terminal, the way you would stop it yourself.', buttons.terminal) : '',
    isWindows
      ? vscode.l10n.t('{0} asks it to exit (taskkill without /F) and watches the port for up to {1} s.', buttons.stop, timeout)
      : vscode.l10n.t('{0} asks it to exit (SIGTERM) and watches the port for up to {1} s.', buttons.stop, timeout),
    vscode.l10n.t('{0} also stops the job it belongs to and its children, so a parent such as "npm run dev" cannot start it again.', buttons.tree) +
      (job === undefined ? '' : job.length === 0 ? ` ${vscode.l10n.t('Its job has no other process.')}` : ` ${vscode.l10n.t('It also signals: {0}.', describeJob(job))}`),
    vscode.l10n.t('If the port is still held then, you are told and can force it. Unsaved work in the process may be lost.'),
  ].filter(Boolean);
  const notStopped = skipped.map((p) => (p.refusal ? `  ${p.refusal}` : `  ${vscode.l10n.t('{0}: its owner is not visible to this user.', p.label)}`));
  const detail = [
    ...owners.map((o) => describeOwner(o, plans, snapshot, deps)),
    how.join('\n'),
    ...(notStopped.length > 0 ? [[vscode.l10n.t('Not stopped:'), ...notStopped].join('\n')] : []),
  ].join('\n\n');
  const choice = await prompt('warning', message, { modal: true, detail }, ...(inTerminal ? [buttons.terminal] : []), buttons.stop, buttons.tree);
  const mode: StopMode | undefined = choice === buttons.terminal ? 'terminal' : choice === buttons.stop ? 'signal' : choice === buttons.tree ? 'tree' : undefined;
  return mode === undefined ? undefined : { mode, ...(mode === 'tree' && job !== undefined ? { job } : {}) };
}

/** `node (pid 41, child), sh (pid 40, same process group)`, capped: the processes a tree stop adds. */
function describeJob(job: readonly JobMember[]): string {
  const shown = job.slice(0, 20).map((m) =>
    vscode.l10n.t('{0} (pid {1}, {2})', plainText(m.name, 40), m.pid, m.relation === 'child' ? vscode.l10n.t('child') : vscode.l10n.t('same process group')),
  );
  return shown.join(', ') + (job.length > 20 ? vscode.l10n.t(' and {0} more', job.length - 20) : '');
}

// --- stopping

/** Ctrl+C instead of a signal: sent once per terminal, whatever number of pids the core asks for. The
 *  core still re-checks the owners just before and watches the port after, so the outcome stays true. */
function ctrlCKill(deps: FreePortDeps): NonNullable<CoreDeps['kill']> {
  const sent = new Set<vscode.Terminal>();
  return async (pid) => {
    const terminal = deps.terminalOf?.(pid);
    if (!terminal || terminal.exitStatus !== undefined) {
      throw new Error(vscode.l10n.t('The terminal process {0} was started from is closed; nothing was sent.', pid));
    }
    if (!sent.has(terminal)) {
      sent.add(terminal);
      terminal.sendText('\u0003', false);
    }
  };
}

async function stop(plans: readonly PortPlan[], mode: StopMode, force: boolean, deps: FreePortDeps, job?: readonly JobMember[]): Promise<FreePortResult[]> {
  const timeoutMs = settings.values().freePortTimeoutMs;
  const coreDeps: CoreDeps = {
    // Each poll is a real scan through the shared service, so the tree follows along.
    snapshot: () => deps.refresh(),
    pollMs: 200,
    // A supervisor (pm2, a restart loop, systemd's 100 ms default) needs its restart delay plus a
    // runtime's start-up to take the port back; on a busy machine that is well over the core's default.
    settleMs: 1000,
    protect: (parents) => protectedPids(parents, { siblings: true }),
    ...(mode === 'terminal' && !force ? { kill: ctrlCKill(deps) } : {}),
  };
  const title =
    plans.length === 1 ? vscode.l10n.t('Freeing {0}…', plans[0].label) : vscode.l10n.t('Freeing {0} ports…', plans.length);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () =>
    // In parallel: each port is watched for up to the timeout, and a process may hold several of them.
    Promise.all(
      plans.map((p) =>
        stopOwners(
          {
            port: p.port,
            protocol: p.protocol,
            targets: p.owners.map((o) => ({ pid: o.pid, startTime: o.startTime, startTicks: o.startTicks })),
            force,
            tree: mode === 'tree',
            ...(mode === 'tree' && job !== undefined ? { job } : {}),
            timeoutMs,
          },
          coreDeps,
        ),
      ),
    ),
  );
}

// --- reporting

/** The core's message, except where Ctrl+C makes its SIGTERM advice wrong. Names inside are untrusted. */
function messageOf(plan: PortPlan, result: FreePortResult, mode: StopMode, force: boolean): string {
  if (mode === 'terminal' && !force && result.outcome === 'still-held' && result.holders.length > 0) {
    return vscode.l10n.t(
      'Port {0} is still held by {1} after {2} s: Ctrl+C did not stop it (it may be running in the background of that terminal, or ignore Ctrl+C).',
      plan.port,
      who(result.holders),
      seconds(result.elapsedMs),
    );
  }
  return result.message;
}

async function report(
  plans: readonly PortPlan[],
  results: readonly FreePortResult[],
  mode: StopMode,
  force: boolean,
  deps: FreePortDeps,
  job?: readonly JobMember[],
): Promise<void> {
  const lines = results.map((r, i) => plainText(messageOf(plans[i], r, mode, force), 400));
  results.forEach((r, i) => log.info(`Free port ${plans[i].label} (${mode}${force ? ', forced' : ''}): ${r.outcome}: ${lines[i]} [signalled: ${r.signalled.join(', ') || 'none'}]`));
  const freed = results.filter((r) => r.outcome === 'freed').length;
  const message =
    results.length === 1
      ? lines[0]
      : plainText(`${vscode.l10n.t('Freed {0} of {1} ports.', freed, results.length)} ${lines.map((l, i) => `${plans[i].label}: ${l}`).join(' ')}`, 1000);

  const buttons = freePortButtons();
  const offers: string[] = [];
  const stillHeld = plans.filter((_, i) => results[i].outcome === 'still-held' && results[i].holders.length > 0);
  if (stillHeld.length > 0 && !force) {
    offers.push(buttons.force);
  }
  const hints = [
    ...new Set(
      results
        .map((r, i) => (r.outcome === 'not-permitted' ? (r.hint ?? killHint(r.holders[0]?.pid ?? plans[i].owners[0].pid, force)) : undefined))
        .filter((h): h is string => h !== undefined),
    ),
  ];
  const hint = hints.join('; ');
  if (hint) {
    const { open, copy } = hintButtons();
    offers.push(open, copy);
  }
  const retaken = plans.filter((_, i) => results[i].outcome === 'taken-by-other');
  if (retaken.length === 1) {
    offers.push(buttons.again);
  }
  const kind = freed === results.length ? 'info' : 'warning';
  const choice = await prompt(kind, message, {}, ...offers);
  if (choice === buttons.force) {
    const forced = await stop(stillHeld, mode === 'tree' ? 'tree' : 'signal', true, deps, job);
    await report(stillHeld, forced, mode === 'tree' ? 'tree' : 'signal', true, deps, job);
  } else if (choice === buttons.again) {
    // What holds the port now is another process: a fresh confirmation names it.
    await deps.again?.(retaken[0].port, retaken[0].protocol);
  } else if (hint) {
    await actOnHint(choice, hint);
  }
}
