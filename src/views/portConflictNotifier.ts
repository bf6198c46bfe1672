// "Port already in use", caught where it happens: a command in an integrated terminal (shell integration),
// a task, or a debug session fails because its port is taken → one notification naming who holds the port
// now, with Free Port and Rerun (the action service's confirmed, re-checked stop, then the same command in
// the same place), Rerun on Port N (only when the command sets its port with PORT= or a flag it already
// has, and N was bound to confirm it is free) and Show in Ports.
//
// What it costs: a terminal command's output can only be read from its start, so each execution's
// output is streamed into a tail of at most 64 kB and dropped when the command ends; it is matched only
// when the command failed (non-zero exit). Tasks: VS Code gives no API to read a task's output; a
// task's exit code and its command line are known, so a failed task is checked against the port its
// command line asks for (and its terminal's shell-integration executions, when it has any, are matched
// like any terminal's). Debug sessions: the adapter's `output` events feed a tail; it is matched when
// the session ends.
import * as vscode from 'vscode';
import type { ListeningSocket, ProcessInfo, Snapshot } from '../core/types';
import { holdersOf } from '../core/holders';
import { plainText } from '../core/displayText';
import { socketsOnPort } from '../core/sockets';
import type { ConflictReport, PortConflict } from '../model/portConflict/matchConflicts';
import { findPortConflicts } from '../model/portConflict/matchConflicts';
import { portFromCommand, withPort } from '../model/portConflict/commandPort';
import { OutputTail } from '../model/portConflict/outputTail';
import { conflictingSockets } from '../model/portConflict/conflictingSockets';
import { processLabel } from '../core/whatRuns';
import { findFreePort, isPortFree } from '../inspector/freePortSearch';
import { log } from '../services/logger';
import type { PortsState } from '../services/portsState';
import type { RefreshManager } from '../services/refreshManager';
import { prompt } from '../services/prompts';
import type { ActionResult, PortActions } from '../actions/portActions';

/** A command that failed, wherever it ran, and how to run it again there. */
interface FailedRun {
  /** `"npm run dev" in terminal "web"`, `task "dev"`, `debug session "Launch"`: plain, not escaped. */
  label: string;
  commandLine?: string;
  /** Runs it again in the same place; `commandLine` replaces the command (Rerun on Port N). */
  rerun(commandLine?: string): Thenable<unknown>;
  /** Whether `rerun` can take a changed command line (only a terminal can). */
  canChangeCommand: boolean;
}

/** Only so many reads run at once; a terminal with thousands of tiny commands stays cheap. */
const MAX_READERS = 32;
/** A reader still draining after the command ended is waited for this long. */
const DRAIN_MS = 1500;
const LOG_MAX = 20;

export const FREE_AND_RERUN = 'Free Port and Rerun';
export const RERUN = 'Rerun';
export const SHOW_IN_PORTS = 'Show in Ports';

export class PortConflictNotifier implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly readers = new Map<vscode.TerminalShellExecution, { tail: OutputTail; done: Promise<void>; terminal: vscode.Terminal }>();
  /** Command lines whose terminal failure was just handled: the task that ran them is not reported again. */
  private readonly recent: Array<{ commandLine: string; at: number }> = [];
  private readonly shownLog: string[] = [];

  constructor(
    private readonly deps: {
      state: Pick<PortsState, 'terminalOf'>;
      refresh: Pick<RefreshManager, 'freshSnapshot'>;
      actions: Pick<PortActions, 'free' | 'reveal'>;
    },
    private enabled: boolean,
  ) {
    this.subscriptions.push(
      vscode.window.onDidStartTerminalShellExecution((e) => this.onStart(e)),
      vscode.window.onDidEndTerminalShellExecution((e) => void this.onEnd(e)),
      // A terminal closed mid-command may never report the end: its tails go with it.
      vscode.window.onDidCloseTerminal((t) => {
        for (const [execution, reader] of this.readers) {
          if (reader.terminal === t) {
            this.readers.delete(execution);
          }
        }
      }),
      vscode.tasks.onDidEndTaskProcess((e) => void this.onTaskEnd(e)),
      vscode.debug.registerDebugAdapterTrackerFactory('*', { createDebugAdapterTracker: (session) => this.trackerFor(session) }),
    );
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) {
      this.readers.clear();
    }
  }

  /** The notifications shown so far, newest last (tests, the log). */
  get shown(): readonly string[] {
    return this.shownLog;
  }

  dispose(): void {
    this.readers.clear();
    for (const s of this.subscriptions.splice(0)) {
      s.dispose();
    }
  }

  // --- terminals

  private onStart(e: vscode.TerminalShellExecutionStartEvent): void {
    if (!this.enabled || this.readers.size >= MAX_READERS) {
      return;
    }
    const tail = new OutputTail();
    // read() only yields what is written after the first call, so it has to start now.
    const stream = e.execution.read();
    const done = (async () => {
      try {
        for await (const data of stream) {
          tail.push(data);
        }
      } catch (err) {
        log.trace(`port conflicts: reading a command's output stopped: ${(err as Error).message}`);
      }
    })();
    this.readers.set(e.execution, { tail, done, terminal: e.terminal });
  }

  private async onEnd(e: vscode.TerminalShellExecutionEndEvent): Promise<void> {
    const reader = this.readers.get(e.execution);
    this.readers.delete(e.execution);
    if (!reader || !this.enabled || e.exitCode === undefined || e.exitCode === 0) {
      return;
    }
    await Promise.race([reader.done, new Promise((resolve) => setTimeout(resolve, DRAIN_MS))]);
    const commandLine = e.execution.commandLine.value;
    const report = findPortConflicts(reader.tail.value(), { commandLine });
    if (report.conflicts.length === 0 && report.permission.length === 0) {
      return;
    }
    this.recent.push({ commandLine, at: Date.now() });
    this.recent.splice(0, Math.max(0, this.recent.length - 10));
    const terminal = e.terminal;
    await this.notify(report, {
      label: `"${commandLine}" in terminal "${terminal.name}"`,
      commandLine,
      canChangeCommand: true,
      rerun: async (changed) => {
        terminal.show(true);
        const line = changed ?? commandLine;
        if (terminal.shellIntegration) {
          terminal.shellIntegration.executeCommand(line);
        } else {
          terminal.sendText(line, true);
        }
      },
    });
  }

  // --- tasks

  private async onTaskEnd(e: vscode.TaskProcessEndEvent): Promise<void> {
    if (!this.enabled || e.exitCode === undefined || e.exitCode === 0) {
      return;
    }
    const task = e.execution.task;
    const commandLine = taskCommandLine(task);
    if (commandLine === undefined) {
      return;
    }
    // Give a shell-integration execution in the task's terminal the chance to report it with its output.
    await new Promise((resolve) => setTimeout(resolve, DRAIN_MS));
    if (this.recent.some((r) => Date.now() - r.at < 10_000 && (r.commandLine.includes(commandLine) || commandLine.includes(r.commandLine)))) {
      return;
    }
    // No output to read: the port the command line asks for, when something else holds it now.
    const asked = portFromCommand(commandLine);
    if (!asked) {
      return;
    }
    const snapshot = await this.deps.refresh.freshSnapshot('action');
    if (!snapshot || socketsOnPort(snapshot, asked.port, 'tcp').length === 0) {
      return;
    }
    const conflict: PortConflict = {
      port: asked.port,
      protocol: 'tcp',
      inferred: true,
      source: asked.kind === 'default' ? 'default' : 'command',
      tool: 'task',
      line: commandLine,
      commandPort: asked,
    };
    await this.notify(
      { conflicts: [conflict], permission: [] },
      {
        label: `task "${task.name}"`,
        commandLine,
        canChangeCommand: false,
        rerun: () => vscode.tasks.executeTask(task),
      },
      snapshot,
    );
  }

  // --- debug sessions

  private trackerFor(session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined {
    if (!this.enabled) {
      return undefined;
    }
    const tail = new OutputTail();
    let exitCode: number | undefined;
    let ended = false;
    const end = (): void => {
      if (ended) {
        return;
      }
      ended = true;
      if (exitCode === 0) {
        return;
      }
      const report = findPortConflicts(tail.value(), { commandLine: debugCommandLine(session) });
      if (report.conflicts.length === 0 && report.permission.length === 0) {
        return;
      }
      let root = session;
      while (root.parentSession) {
        root = root.parentSession;
      }
      void this.notify(report, {
        label: `debug session "${root.name}"`,
        commandLine: debugCommandLine(root),
        canChangeCommand: false,
        rerun: () => vscode.debug.startDebugging(root.workspaceFolder, root.configuration),
      });
    };
    return {
      onDidSendMessage: (m: unknown) => {
        const msg = m as { type?: string; event?: string; body?: { output?: unknown; category?: unknown; exitCode?: unknown } };
        if (msg?.type !== 'event') {
          return;
        }
        if (msg.event === 'output' && typeof msg.body?.output === 'string' && msg.body.category !== 'telemetry') {
          tail.push(msg.body.output);
        } else if (msg.event === 'exited' && typeof msg.body?.exitCode === 'number') {
          exitCode = msg.body.exitCode;
        } else if (msg.event === 'terminated') {
          end();
        }
      },
      onWillStopSession: end,
      onExit: end,
    };
  }

  // --- the notification

  private async notify(report: ConflictReport, run: FailedRun, known?: Snapshot): Promise<void> {
    const conflict = report.conflicts[0];
    if (!conflict) {
      const hint = report.permission[0];
      const text = vscode.l10n.t('{0} failed: port {1} is below 1024 and needs privileges (it is not taken). Use a port above 1023, or give the program the right to bind it.', plainText(run.label, 200), hint.port);
      this.remember(text);
      await prompt('info', text);
      return;
    }
    const snapshot = known ?? (await this.deps.refresh.freshSnapshot('action'));
    const sockets = snapshot ? conflictingSockets(socketsOnPort(snapshot, conflict.port, conflict.protocol), conflict.host) : [];
    const rerunOn = await this.rerunPort(conflict, run, snapshot);
    const message = this.message(conflict, run, sockets);
    this.remember(message);
    const buttons = [sockets.length > 0 ? FREE_AND_RERUN : RERUN, ...(rerunOn !== undefined ? [rerunOnLabel(rerunOn)] : []), ...(sockets.length > 0 ? [SHOW_IN_PORTS] : [])];
    const answer = await prompt('warning', message, {}, ...buttons);
    if (answer === FREE_AND_RERUN) {
      await this.freeAndRerun(conflict, run);
    } else if (answer === RERUN) {
      await run.rerun();
    } else if (rerunOn !== undefined && answer === rerunOnLabel(rerunOn)) {
      // Confirmed free when offered; confirmed again now, since the user may have waited.
      if (!(await isPortFree(rerunOn, { protocol: conflict.protocol }))) {
        await prompt('info', vscode.l10n.t('Port {0} was taken meanwhile; nothing was run.', rerunOn));
        return;
      }
      await run.rerun(withPort(run.commandLine ?? '', conflict.commandPort!, rerunOn));
    } else if (answer === SHOW_IN_PORTS && sockets[0]) {
      await this.deps.actions.reveal(sockets[0]);
    }
  }

  private async freeAndRerun(conflict: PortConflict, run: FailedRun): Promise<void> {
    const fresh = await this.deps.refresh.freshSnapshot('action');
    const sockets = fresh ? conflictingSockets(socketsOnPort(fresh, conflict.port, conflict.protocol), conflict.host) : [];
    if (fresh && sockets.length === 0) {
      const answer = await prompt('info', vscode.l10n.t('Port {0} is free now: nothing to stop.', conflict.port), {}, RERUN);
      if (answer === RERUN) {
        await run.rerun();
      }
      return;
    }
    const result: ActionResult<Array<{ outcome: string }>> = await this.deps.actions.free(sockets);
    if (result.status === 'done' && result.value.length > 0 && result.value.every((r) => r.outcome === 'freed')) {
      await run.rerun();
    }
  }

  /** A free port to offer instead, when the command sets its port in a way we can change. */
  private async rerunPort(conflict: PortConflict, run: FailedRun, snapshot: Snapshot | undefined): Promise<number | undefined> {
    const cp = conflict.commandPort;
    if (!run.canChangeCommand || !run.commandLine || !cp || cp.kind === 'default' || !cp.span) {
      return undefined;
    }
    try {
      return await findFreePort({ near: conflict.port + 1, protocol: conflict.protocol, avoid: new Set(snapshot?.sockets.map((s) => s.port) ?? []), maxAttempts: 20 });
    } catch (err) {
      log.info(`port conflicts: no free port near ${conflict.port}: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** `Port 3000 is held by server.js (node), pid 4242, "node server.js" in terminal "web", up 2 h. "npm run dev" in
   *  terminal "api" failed because of it.` Plain; the prompt seam makes it inert for the notification. */
  private message(conflict: PortConflict, run: FailedRun, sockets: readonly ListeningSocket[]): string {
    const how = conflict.inferred ? vscode.l10n.t(' (port inferred from {0})', conflict.source === 'output' ? 'its output' : conflict.source === 'default' ? "the tool's default" : 'its command line') : '';
    const failed = vscode.l10n.t('{0} failed: port {1} was already in use{2}.', plainText(run.label, 200), conflict.port, how);
    if (sockets.length === 0) {
      return `${failed} ${vscode.l10n.t('It is free now.')}`;
    }
    const holders = sockets.flatMap(holdersOf);
    const parts = holders.slice(0, 2).map((h) => (h.kind === 'container' ? vscode.l10n.t('container {0} ({1})', plainText(h.container.name, 80), plainText(h.container.image, 80)) : this.describeProcess(h.process)));
    const who = parts.length > 0 ? parts.join('; ') : vscode.l10n.t("a process this user cannot see (another user's)");
    return `${failed} ${vscode.l10n.t('Port {0} is held by {1}.', conflict.port, who)}`;
  }

  private describeProcess(p: ProcessInfo): string {
    const terminal = this.deps.state.terminalOf(p.pid);
    // What runs (`server.js (node)`), as the Ports view and Free Port name it.
    const parts = [`${plainText(processLabel(p) || p.name, 60)}, pid ${p.pid}`, `"${plainText(p.command, 120)}"`];
    if (terminal) {
      parts.push(vscode.l10n.t('in terminal "{0}"', plainText(terminal.name, 60)));
    }
    if (p.startTime) {
      parts.push(vscode.l10n.t('up {0}', uptime(Date.now() - p.startTime)));
    }
    return parts.join(', ');
  }

  private remember(text: string): void {
    this.shownLog.push(text);
    this.shownLog.splice(0, Math.max(0, this.shownLog.length - LOG_MAX));
    log.info(`port conflict: ${text}`);
  }
}

function rerunOnLabel(port: number): string {
  return `Rerun on Port ${port}`;
}

function uptime(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.round(s / 60)} min` : s < 86_400 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86_400)} d`;
}

/** A task's command line as the user wrote it: a shell command, or a process and its arguments. */
function taskCommandLine(task: vscode.Task): string | undefined {
  const ex = task.execution;
  const text = (v: string | vscode.ShellQuotedString): string => (typeof v === 'string' ? v : v.value);
  if (ex instanceof vscode.ShellExecution) {
    if (ex.commandLine !== undefined) {
      return ex.commandLine;
    }
    return ex.command === undefined ? undefined : [ex.command, ...(ex.args ?? [])].map(text).join(' ');
  }
  if (ex instanceof vscode.ProcessExecution) {
    return [ex.process, ...ex.args].join(' ');
  }
  return undefined;
}

/** What a launch configuration runs, as far as a command line goes (`program`, `args`, `runtimeArgs`, env PORT). */
function debugCommandLine(session: vscode.DebugSession): string | undefined {
  const c = session.configuration as { program?: unknown; args?: unknown; runtimeArgs?: unknown; env?: Record<string, unknown> };
  const words: string[] = [];
  if (c.env && (typeof c.env.PORT === 'string' || typeof c.env.PORT === 'number')) {
    words.push(`PORT=${c.env.PORT}`);
  }
  for (const v of [c.runtimeArgs, c.program, c.args]) {
    if (typeof v === 'string') {
      words.push(v);
    } else if (Array.isArray(v)) {
      words.push(...v.filter((x): x is string => typeof x === 'string'));
    }
  }
  return words.length > 0 ? words.join(' ') : undefined;
}
