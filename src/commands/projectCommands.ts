// "Stop All in Project…" (a project group's menu in the Ports view, or the palette) and "Show Forgotten
// Servers…": thin commands over PortActions, which confirms once, re-checks and stops.
import * as vscode from 'vscode';
import { PortActions } from '../actions/portActions';
import { Commands } from '../constants';
import { iconSafeText } from '../core/displayText';
import type { ListeningSocket, ProjectInfo } from '../core/types';
import { isPortsRow } from '../model/portsTree';
import { projectLabel } from '../model/projects';
import { forgottenCriteria } from '../model/settingsSchema';
import type { ServerEntry } from '../model/serverActivity';
import { forgottenServers, formatDuration } from '../model/serverActivity';
import { processLabel } from '../core/whatRuns';
import { prompt } from '../services/prompts';
import { registerCommand } from '../services/registerCommand';
import { settings } from '../services/settings';
import type { PortsCommandContext } from './context';

/** The project root an argument names: a project group row, or a path (palette, API). */
function projectRootOf(arg: unknown): string | undefined {
  if (isPortsRow(arg) && arg.kind === 'group' && arg.project) {
    return arg.project.root;
  }
  if (typeof arg === 'string' && arg.length > 0 && arg.length < 4096) {
    return arg;
  }
  if (arg !== undefined && !(isPortsRow(arg) && arg.kind === 'group')) {
    throw new Error(vscode.l10n.t('Stop All in Project needs a project folder.'));
  }
  return undefined;
}

async function pickProject(ctx: PortsCommandContext): Promise<string | undefined> {
  const projects = new Map<string, ProjectInfo>();
  for (const s of ctx.state.snapshot?.sockets ?? []) {
    for (const o of s.owners) {
      if (o.project) {
        projects.set(o.project.root, o.project);
      }
    }
  }
  if (projects.size === 0) {
    void prompt('info', vscode.l10n.t('No server of a known project is listening.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    [...projects.values()].map((p) => ({ label: iconSafeText(projectLabel(p), 80), description: iconSafeText(p.root, 200), root: p.root })),
    { title: vscode.l10n.t('Stop All in Project') },
  );
  return picked?.root;
}

/** Options a caller (a test, another extension) may pass instead of the quick pick. */
interface ForgottenOptions {
  olderThanMs?: number;
  idleMs?: number;
  /** Stop these ports (of the listed servers) without the quick pick; the confirmation still comes. */
  stopPorts?: number[];
}

function forgottenOptions(arg: unknown): ForgottenOptions {
  if (arg === undefined) {
    return {};
  }
  const o = arg as Record<string, unknown>;
  const ms = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
  if (typeof arg !== 'object' || arg === null || !ms(o.olderThanMs) || !ms(o.idleMs) || (o.stopPorts !== undefined && !(Array.isArray(o.stopPorts) && o.stopPorts.every((p) => Number.isInteger(p))))) {
    throw new Error(vscode.l10n.t('Show Forgotten Servers takes {olderThanMs, idleMs, stopPorts}.'));
  }
  return o as ForgottenOptions;
}

function describeEntry(e: ServerEntry): { label: string; description: string; detail: string } {
  const owner = e.socket.owners[0];
  const idle = e.activity.idleMs !== undefined ? formatDuration(e.activity.idleMs) : vscode.l10n.t('no connection seen in {0}', formatDuration(e.activity.observedMs));
  return {
    label: iconSafeText(`${e.socket.port}/tcp  ${processLabel(owner)}`, 100),
    description: iconSafeText(`${owner.project ? projectLabel(owner.project) : vscode.l10n.t('no project')} · up ${formatDuration(e.activity.uptimeMs)} · idle ${idle}`, 200),
    detail: iconSafeText(owner.command, 300),
  };
}

export function registerProjectCommands(ctx: PortsCommandContext): vscode.Disposable[] {
  const { valueOf } = PortActions;
  return [
    registerCommand(Commands.stopProject, async (arg) => {
      const root = projectRootOf(arg) ?? (await pickProject(ctx));
      return root === undefined ? undefined : valueOf(await ctx.actions.stopProject(root));
    }),
    registerCommand(Commands.showForgottenServers, async (arg) => {
      const options = forgottenOptions(arg);
      const snapshot = await ctx.refresh.freshSnapshot();
      if (!snapshot) {
        return undefined;
      }
      const fromSettings = forgottenCriteria(settings.values());
      const olderThanMs = options.olderThanMs ?? fromSettings.olderThanMs;
      const idleMs = options.idleMs ?? fromSettings.idleMs;
      const selfUid = typeof process.getuid === 'function' ? process.getuid() : undefined;
      const entries = forgottenServers(snapshot, ctx.state.connections, { olderThanMs, idleMs }, Date.now(), selfUid);
      let chosen: ListeningSocket[];
      if (options.stopPorts) {
        chosen = entries.filter((e) => options.stopPorts!.includes(e.socket.port)).map((e) => e.socket);
      } else {
        if (entries.length === 0) {
          void prompt('info', vscode.l10n.t('No forgotten development server: none up for more than {0} without a connection for {1}.', formatDuration(olderThanMs), formatDuration(idleMs)));
          return [];
        }
        const picked = await vscode.window.showQuickPick(
          entries.map((e) => ({ ...describeEntry(e), socket: e.socket })),
          { title: vscode.l10n.t('Forgotten Servers: select the ones to stop'), canPickMany: true, matchOnDescription: true, matchOnDetail: true },
        );
        chosen = (picked ?? []).map((p) => p.socket);
      }
      const listed = entries.map((e) => ({ port: e.socket.port, pid: e.socket.owners[0].pid, uptimeMs: e.activity.uptimeMs, idleMs: e.activity.idleMs, project: e.socket.owners[0].project }));
      if (chosen.length === 0) {
        return { servers: listed, stopped: undefined };
      }
      return { servers: listed, stopped: valueOf(await ctx.actions.free(chosen)) };
    }),
  ];
}
