// "Troubleshoot Port…" and "Port Activity": the networking guides' checklist, run for one port, and the
// history of who held it. Both open a Markdown preview built by pure code (src/model/troubleshoot,
// src/model/activity) in which every untrusted string is already escaped.
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { readFirewall } from '../inspector/firewall';
import { testConnection } from '../inspector/probe';
import type { Protocol } from '../inspector/types';
import { readReservedPortRanges } from '../inspector/windows/excludedPorts';
import type { ActivityLog } from '../model/activity';
import { describeEvent, findUnusualActivity } from '../model/activity';
import { fileKindOf } from '../model/portFinder';
import { parsePort } from '../model/input';
import { parsePortRef } from '../model/portRef';
import type { ConfigMention } from '../model/troubleshoot';
import { buildTroubleshootReport, configMentionsIn, gatherTroubleshootFacts } from '../model/troubleshoot';
import { markdownText } from '../shared/displayText';
import { readTestConnectionTimeoutMs } from '../actions/settings';
import type { InspectorService } from '../services/inspectorService';
import { registerCommand } from './registerCommand';

export interface TroubleshootDeps {
  service: InspectorService;
  activity(): ActivityLog;
}

interface PortQuestion {
  port: number;
  protocol?: Protocol;
  host?: string;
}

/** Files searched for mentions of the port, and how much of them is read. */
const CONFIG_GLOB = '**/{.env*,*compose*.y*ml,Dockerfile*,*.json,*.y*ml,*.toml,*.ini,*.properties,*.conf,Caddyfile,Makefile,*.sh,*.js,*.ts,*.py,*.go}';
const CONFIG_EXCLUDE = '**/{node_modules,.git,dist,out,build,.vscode-test}/**';
const CONFIG_FILES_MAX = 400;
const CONFIG_FILE_BYTES_MAX = 512 * 1024;

/** The port asked about: a tree row or socket, a `{port, protocol}` link argument, a number or text
 *  (`3000`, `3000/udp`, `host:3000`); undefined means ask. Throws a plain message for anything else. */
export function portQuestionFrom(arg: unknown): PortQuestion | undefined {
  if (arg === undefined || arg === null) {
    return undefined;
  }
  const row = arg as { kind?: unknown; socket?: unknown };
  const value = row.kind === 'port' && row.socket ? row.socket : arg;
  const ref = parsePortRef(value);
  if (ref) {
    return { port: ref.port, protocol: ref.protocol };
  }
  if (typeof value === 'number' || typeof value === 'string') {
    return parseQuestion(String(value));
  }
  throw new Error(vscode.l10n.t('This does not name a port.'));
}

/** `3000`, `3000/udp`, `myhost:3000`, `[::1]:3000/tcp`. */
export function parseQuestion(text: string): PortQuestion {
  const m = /^\s*(?:(\[[^\]]+\]|[^\s:/[\]]+):)?(\S+?)(?:\/(tcp|udp))?\s*$/i.exec(text);
  if (!m) {
    throw new Error(vscode.l10n.t('Type a port (3000), optionally with a host (myhost:3000) or protocol (53/udp).'));
  }
  const port = parsePort(m[2]);
  const host = m[1]?.replace(/^\[(.*)\]$/, '$1');
  if (host !== undefined && /[\s\u0000-\u001f]/.test(host)) {
    throw new Error(vscode.l10n.t('A host name cannot contain spaces or control characters.'));
  }
  return { port, host, protocol: m[3]?.toLowerCase() as Protocol | undefined };
}

async function askPort(): Promise<PortQuestion | undefined> {
  const text = await vscode.window.showInputBox({
    title: vscode.l10n.t('Troubleshoot Port'),
    prompt: vscode.l10n.t('A port, optionally with the host clients use and the protocol: 3000, myhost:3000, 53/udp'),
    validateInput: (value) => {
      try {
        parseQuestion(value);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    },
  });
  return text === undefined ? undefined : parseQuestion(text);
}

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

/** Reports are read-only virtual documents: an untitled document would be "dirty" and ask to be saved
 *  when closed. Each report gets its own URI; old ones are forgotten beyond a small number. */
const REPORT_SCHEME = 'port-inspector-report';
const REPORTS_KEPT = 20;

class ReportDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private next = 1;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '# This report is no longer available\n\nRun the command again.';
  }

  add(title: string, content: string): vscode.Uri {
    const safeTitle = title.replace(/[^\w .:-]/g, '_').slice(0, 80);
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${safeTitle}.md`, query: String(this.next++) });
    this.contents.set(uri.toString(), content);
    for (const key of this.contents.keys()) {
      if (this.contents.size <= REPORTS_KEPT) {
        break;
      }
      this.contents.delete(key);
    }
    return uri;
  }
}

const reports = new ReportDocuments();

async function showMarkdown(title: string, content: string): Promise<void> {
  await vscode.commands.executeCommand('markdown.showPreview', reports.add(title, content));
}

/** Runs the checklist for a port and opens the report. Returns the report's Markdown (for tests). */
export async function troubleshootPort(question: PortQuestion, deps: TroubleshootDeps): Promise<string> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Troubleshooting port {0}…', question.port), cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        const snapshot = await deps.service.refresh();
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
          timeoutMs: readTestConnectionTimeoutMs(),
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

/** The activity of one port (or of all ports), newest first, as a Markdown document. */
export function activityMarkdown(activity: ActivityLog, port?: number, protocol?: Protocol, now = Date.now()): string {
  const events = (port === undefined ? activity.events() : activity.forPort(port, protocol)).slice().reverse().slice(0, 500);
  const title = port === undefined ? 'Port activity' : `Port activity: ${port}${protocol ? `/${protocol}` : ''}`;
  const lines = [`# ${title}`, ''];
  if (events.length === 0) {
    lines.push('No activity recorded yet. Port Inspector records openings and closings while it scans (while one of its views is visible, or watched ports are set).');
  }
  for (const e of events) {
    lines.push(`- ${markdownText(describeEvent(e, now), 400)}`);
  }
  const unusual = findUnusualActivity(port === undefined ? activity.events() : activity.forPort(port, protocol));
  if (unusual.length > 0) {
    lines.push('', '## Unusual', '');
    for (const u of unusual.slice(0, 50)) {
      lines.push(`- ${markdownText(JSON.stringify(u).slice(0, 300), 300)}`);
    }
  }
  return lines.join('\n');
}

export function registerTroubleshootCommands(deps: TroubleshootDeps): vscode.Disposable[] {
  return [
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
    registerCommand(Commands.troubleshootPort, async (arg) => {
      const question = portQuestionFrom(arg) ?? (await askPort());
      return question ? troubleshootPort(question, deps) : undefined;
    }),
    registerCommand(Commands.showPortActivity, async (arg) => {
      const question = portQuestionFrom(arg);
      const content = activityMarkdown(deps.activity(), question?.port, question?.protocol);
      await showMarkdown(question ? `Port activity ${question.port}` : 'Port activity', content);
      return content;
    }),
  ];
}
