// "Troubleshoot Port" and "Port Activity": the networking guides' checklist, run for one port, and the
// history of who held it. Both open a Markdown preview built by pure code (src/model/troubleshoot,
// src/model/activity) in which every untrusted string is already escaped.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Protocol, Snapshot } from '../core/types';
import { checkContainerSide } from '../inspector/containers/containerSide';
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

/** Workspace files that mention the port, with links to their lines. Bounded in files and bytes: each
 *  file is read only up to CONFIG_FILE_BYTES_MAX (a 50 MB file costs no more than a small one), and a
 *  mention anywhere in what is read is found. */
async function workspaceMentions(port: number, protocol: Protocol | undefined, token: vscode.CancellationToken): Promise<ConfigMention[]> {
  const uris = await vscode.workspace.findFiles(CONFIG_GLOB, CONFIG_EXCLUDE, CONFIG_FILES_MAX, token);
  const mentions: ConfigMention[] = [];
  const needle = String(port);
  for (const uri of uris) {
    if (token.isCancellationRequested) {
      break;
    }
    const name = uri.path.split('/').pop() ?? '';
    if (!fileKindOf(name)) {
      continue;
    }
    try {
      const text = await readBounded(uri, CONFIG_FILE_BYTES_MAX);
      if (text === undefined || !text.includes(needle)) {
        continue;
      }
      mentions.push(
        ...configMentionsIn(vscode.workspace.asRelativePath(uri), text, port, {
          protocol,
          // `line` is 1-based already: the link goes to the line the report names.
          target: (line: number) => uri.with({ fragment: `L${line}` }).toString(),
        }),
      );
    } catch {
      // Unreadable or vanished: not a mention.
    }
  }
  return mentions;
}

/** The first `max` bytes of a file as text, cut at the last whole line when the file is longer. Local
 *  files are read through a fixed buffer, never whole; other file systems (remote, virtual) have no
 *  partial read, so a file over `max` there is skipped (undefined) after a stat. */
async function readBounded(uri: vscode.Uri, max: number): Promise<string | undefined> {
  let bytes: Uint8Array;
  let cut = false;
  if (uri.scheme === 'file') {
    const handle = await fs.promises.open(uri.fsPath, 'r');
    try {
      const buf = Buffer.alloc(max + 1);
      let len = 0;
      while (len < buf.length) {
        const { bytesRead } = await handle.read(buf, len, buf.length - len, null);
        if (bytesRead === 0) {
          break;
        }
        len += bytesRead;
      }
      cut = len > max;
      bytes = buf.subarray(0, Math.min(len, max));
    } finally {
      await handle.close();
    }
  } else {
    if ((await vscode.workspace.fs.stat(uri)).size > max) {
      return undefined;
    }
    bytes = await vscode.workspace.fs.readFile(uri);
  }
  const text = new TextDecoder().decode(bytes);
  return cut ? text.slice(0, Math.max(0, text.lastIndexOf('\n'))) : text;
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
          containerSide: (request) => checkContainerSide(request, { signal: abort.signal, timeoutMs: settings.values().testConnectionTimeoutMs }),
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
