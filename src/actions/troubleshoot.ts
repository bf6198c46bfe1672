// "Troubleshoot Port" and "Port Activity": the networking guides' checklist, run for one port, and the
// history of who held it. Both open a Markdown preview built by pure code (src/model/troubleshoot,
// src/model/activity) in which every untrusted string is already escaped.
import * as vscode from 'vscode';
import type { Protocol, Snapshot } from '../core/types';
import { readFirewall } from '../inspector/firewall';
import { testConnection } from '../inspector/probe';
import { readReservedPortRanges } from '../inspector/windows/excludedPorts';
import type { ActivityLog } from '../model/activity';
import { activityMarkdown } from '../model/activity';
import { fileKindOf } from '../model/portFinder';
import type { ConfigMention } from '../model/troubleshoot';
import { buildTroubleshootReport, configMentionsIn, gatherTroubleshootFacts } from '../model/troubleshoot';
import { showMarkdown } from '../services/reportDocuments';
import { settings } from '../services/settings';

export interface TroubleshootDeps {
  /** A snapshot taken now, through the refresh manager (so every surface shows what the report saw). */
  snapshot(): Promise<Snapshot>;
  activity(): ActivityLog;
}

/** Files searched for mentions of the port, and how much of them is read. */
const CONFIG_GLOB = '**/{.env*,*compose*.y*ml,Dockerfile*,*.json,*.y*ml,*.toml,*.ini,*.properties,*.conf,Caddyfile,Makefile,*.sh,*.js,*.ts,*.py,*.go}';
const CONFIG_EXCLUDE = '**/{node_modules,.git,dist,out,build,.vscode-test}/**';
const CONFIG_FILES_MAX = 400;
const CONFIG_FILE_BYTES_MAX = 512 * 1024;

/** Workspace files that mention the port, with links to their lines. Bounded in files and bytes. */
async function workspaceMentions(port: number, protocol: Protocol | undefined, token: vscode.CancellationToken): Promise<ConfigMention[]> {
  const uris = await vscode.workspace.findFiles(CONFIG_GLOB, CONFIG_EXCLUDE, CONFIG_FILES_MAX, token);
  const mentions: ConfigMention[] = [];
  for (const uri of uris) {
    if (token.isCancellationRequested) {
      break;
    }
    const name = uri.path.split('/').pop() ?? '';
    if (!fileKindOf(name)) {
      continue;
    }
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.byteLength > CONFIG_FILE_BYTES_MAX || !new TextDecoder().decode(bytes.subarray(0, 8000)).includes(String(port))) {
        continue;
      }
      const text = new TextDecoder().decode(bytes);
      mentions.push(
        ...configMentionsIn(vscode.workspace.asRelativePath(uri), text, port, {
          protocol,
          target: (line: number) => uri.with({ fragment: `L${line + 1}` }).toString(),
        }),
      );
    } catch {
      // Unreadable or vanished: not a mention.
    }
  }
  return mentions;
}

/** Runs the checklist for a port and opens the report. Returns the report's Markdown (for tests). */
export async function troubleshootPort(question: { port: number; protocol?: Protocol; host?: string }, deps: TroubleshootDeps): Promise<string> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Troubleshooting port {0}…', question.port), cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        const snapshot = await deps.snapshot();
        const facts = await gatherTroubleshootFacts({
          port: question.port,
          host: question.host,
          protocol: question.protocol,
          snapshot,
          probe: testConnection,
          firewall: (query) => readFirewall({ ...query, signal: abort.signal }),
          activity: deps.activity(),
          configMentions: () => workspaceMentions(question.port, question.protocol, token),
          reservedRanges: (protocols) => readReservedPortRanges({ protocols, signal: abort.signal }),
          timeoutMs: settings.values().testConnectionTimeoutMs,
          signal: abort.signal,
        });
        const report = buildTroubleshootReport(facts);
        await showMarkdown(report.title, report.markdown);
        return report.markdown;
      } finally {
        sub.dispose();
      }
    },
  );
}

/** Opens the activity of one port (or of every port) as a report; its Markdown. */
export async function showActivityReport(activity: ActivityLog, question?: { port: number; protocol?: Protocol }): Promise<string> {
  const content = activityMarkdown(activity, question?.port, question?.protocol);
  await showMarkdown(question ? `Port activity ${question.port}` : 'Port activity', content);
  return content;
}
