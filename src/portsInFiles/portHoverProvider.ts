// The hover on a port number in a file: finds the mention under the pointer by reading only a few lines
// around it (never the whole document), then renders what the pure model says about it from the shared
// snapshot. Nothing here scans: without a snapshot yet, one shared scan is asked for and waited on briefly.
import * as vscode from 'vscode';
import { buildPortHover, isHttpUrlPort } from '../model/hoverContent';
import type { LineReader, PortFileKind } from '../model/portFinder';
import { portAtPosition } from '../model/portFinder';
import { settings } from '../services/settings';
import { log } from '../services/logger';
import { documentKind } from './documentSelector';
import type { PortData } from './portData';

/** How long a hover waits for the first scan before it says "status unknown". */
const FIRST_SCAN_WAIT_MS = 1500;

/** A document's lines for the port finder, read one at a time. */
export function lineReaderOf(document: vscode.TextDocument): LineReader {
  return {
    lineCount: document.lineCount,
    lineText: (line) => document.lineAt(line).text,
    lineOffset: (line) => document.offsetAt(new vscode.Position(line, 0)),
  };
}

const l10n: (message: string, ...args: Array<string | number>) => string = (message, ...args) => vscode.l10n.t(message, ...args);

export class PortHoverProvider implements vscode.HoverProvider {
  private firstScan: Promise<void> | undefined;

  constructor(
    private readonly data: PortData,
    private readonly kinds: () => ReadonlySet<PortFileKind>,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const kind = documentKind(document, this.kinds());
    if (!kind) {
      return undefined;
    }
    const mention = portAtPosition(lineReaderOf(document), position.line, position.character, kind);
    if (!mention) {
      return undefined;
    }
    if (!this.data.snapshot && !this.data.error) {
      await this.waitForFirstScan(token);
    }
    if (token.isCancellationRequested) {
      return undefined;
    }
    const start = document.positionAt(mention.start);
    const hover = buildPortHover({
      mention,
      inHttpUrl: mention.role === 'url' && isHttpUrlPort(document.lineAt(start.line).text, start.character),
      snapshot: this.data.snapshot,
      scanError: this.data.error?.message,
      now: Date.now(),
      labels: settings.values().labels,
      terminalOf: (pid) => this.data.terminalName(pid),
      t: l10n,
    });
    const markdown = new vscode.MarkdownString(hover.markdown);
    // Trusted only for the extension's own commands that this hover links to; no HTML, no icons syntax.
    markdown.isTrusted = { enabledCommands: hover.enabledCommands };
    markdown.supportHtml = false;
    markdown.supportThemeIcons = false;
    return new vscode.Hover(markdown, new vscode.Range(start, document.positionAt(mention.end)));
  }

  /** One scan for every hover that finds no snapshot, waited on for a moment (and never past cancellation). */
  private async waitForFirstScan(token: vscode.CancellationToken): Promise<void> {
    this.firstScan ??= this.data.requestScan().then(
      () => {
        this.firstScan = undefined;
      },
      (err: unknown) => {
        this.firstScan = undefined;
        log.warn(`Hover: the first scan failed: ${String(err)}`);
      },
    );
    let timer: NodeJS.Timeout | undefined;
    let sub: vscode.Disposable | undefined;
    await Promise.race([
      this.firstScan,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, FIRST_SCAN_WAIT_MS);
        sub = token.onCancellationRequested(() => resolve());
      }),
    ]);
    clearTimeout(timer);
    sub?.dispose();
  }
}
