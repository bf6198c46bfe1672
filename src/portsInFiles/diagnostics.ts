// Diagnostics on port numbers in open files: "already in use by a process outside this workspace"
// (information) and "mapped twice in this compose file" (warning). The rules are in the pure model
// (src/model/portDiagnostics.ts); this keeps them current:
//  - only documents shown in an editor or a tab are read, again (debounced) when they change;
//  - a file's mentions are found once per version and kept, so a new snapshot (every few seconds while the
//    Ports view is open) only re-matches ports against sockets, without reading the text again;
//  - files over MAX_CHARS are skipped, and the log says so once per file;
//  - nothing scans: when a file that binds ports is shown and the snapshot is older than STALE_MS, one
//    shared refresh is asked for (at most once per STALE_MS).
import * as vscode from 'vscode';
import type { ProcessInfo, Snapshot } from '../core/types';
import { readProcessCwds } from '../inspector/processCwd';
import type { PortDiagnostic } from '../model/portDiagnostics';
import { bindsPort, duplicateDiagnostics, placeContainer, placeOwner, takenPortDiagnostics } from '../model/portDiagnostics';
import type { PortFileKind, PortMention } from '../model/portFinder';
import { duplicateHostPorts, findPorts } from '../model/portFinder';
import { socketsInRange, clashingSockets } from '../model/portStatus';
import { log } from '../services/logger';
import { documentKind } from './documentSelector';
import type { PortData } from './portData';
import { settings } from '../services/settings';
import type { PortFileSettings } from './fileSettings';
import { affectsPortFileSettings, portFileSettings } from './fileSettings';

/** The diagnostics' `source`, shown beside each message. */
export const DIAGNOSTIC_SOURCE = 'Port Inspector';
/** Files longer than this (in characters) are not read for diagnostics: reading 1 MB of compose text
 *  takes ~300 ms of the extension host's thread on a busy machine, and real config files are tiny. */
export const MAX_CHARS = 512 * 1024;
const EDIT_DEBOUNCE_MS = 400;
const SNAPSHOT_DEBOUNCE_MS = 150;
const STALE_MS = 30_000;

interface Analysis {
  version: number;
  binding: PortMention[];
  duplicates: PortDiagnostic[];
}

const processKey = (o: ProcessInfo): string => `${o.pid}@${o.startTime ?? ''}`;
const l10n = (message: string, ...args: Array<string | number>): string => vscode.l10n.t(message, ...args);

function sizeOf(document: vscode.TextDocument): number {
  const last = document.lineAt(document.lineCount - 1);
  return document.offsetAt(last.range.end);
}

export class PortFileDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('portInspector');
  private readonly analyses = new Map<string, Analysis>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly generations = new Map<string, number>();
  /** What was last published per document, so an unchanged result (most snapshots) is not sent again. */
  private readonly published = new Map<string, string>();
  private readonly skipped = new Set<string>();
  /** processKey → working directory ('' when it cannot be read). */
  private readonly cwds = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private settings: PortFileSettings = portFileSettings(settings.values());
  private snapshotTimer: NodeJS.Timeout | undefined;
  private lastScanAsk = 0;
  /** Resolves when every analysis and publication started so far is done (for tests and the log). */
  private work: Promise<void> = Promise.resolve();

  constructor(private readonly data: PortData) {
    this.subscriptions.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) {
          this.schedule(e.document, EDIT_DEBOUNCE_MS);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.syncShown()),
      vscode.window.tabGroups.onDidChangeTabs(() => this.syncShown()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.publishAll()),
      data.onDidChange(() => this.onSnapshot()),
      settings.onDidChange((change) => {
        if (affectsPortFileSettings(change)) {
          this.settings = portFileSettings(change.values);
          this.analyses.clear();
          this.published.clear();
          this.collection.clear();
          this.syncShown();
        }
      }),
    );
    this.syncShown();
  }

  /** Resolves when the work started so far has finished. */
  whenIdle(): Promise<void> {
    return this.work;
  }

  // --- which documents

  private shownUris(): Set<string> {
    const uris = new Set(vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()));
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        if (tab.input instanceof vscode.TabInputText) {
          uris.add(tab.input.uri.toString());
        }
      }
    }
    return uris;
  }

  private syncShown(): void {
    const shown = this.shownUris();
    for (const key of [...this.analyses.keys()]) {
      if (!shown.has(key)) {
        this.forget(vscode.Uri.parse(key));
      }
    }
    for (const document of vscode.workspace.textDocuments) {
      const key = document.uri.toString();
      if (shown.has(key) && !this.analyses.has(key) && !this.timers.has(key)) {
        this.schedule(document, 0);
      }
    }
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.analyses.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.published.delete(key);
    this.collection.delete(uri);
  }

  // --- reading a document

  private schedule(document: vscode.TextDocument, delayMs: number): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.track(this.analyze(document));
      }, delayMs),
    );
  }

  private kindOf(document: vscode.TextDocument): PortFileKind | undefined {
    if (!this.settings.diagnosticsEnabled || document.isClosed) {
      return undefined;
    }
    if (!this.shownUris().has(document.uri.toString())) {
      return undefined;
    }
    return documentKind(document, this.settings.kinds);
  }

  private async analyze(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    const kind = this.kindOf(document);
    if (!kind) {
      this.forget(document.uri);
      return;
    }
    const size = sizeOf(document);
    if (size > MAX_CHARS) {
      this.forget(document.uri);
      if (!this.skipped.has(key)) {
        this.skipped.add(key);
        log.info(`Diagnostics: ${document.uri.fsPath || key} has ${size} characters, over the ${MAX_CHARS} read for port diagnostics; skipped.`);
      }
      return;
    }
    const started = performance.now();
    const text = document.getText();
    const mentions = findPorts(text, kind);
    // Only worth it when two host ports could clash; it reuses the mentions (one sweep, O(n log n)).
    const hosts = mentions.filter((m) => m.role === 'host' && !m.commented).length;
    const duplicates = kind === 'compose' && hosts > 1 ? duplicateDiagnostics(duplicateHostPorts(mentions), l10n) : [];
    const analysis: Analysis = { version: document.version, binding: mentions.filter(bindsPort), duplicates };
    this.analyses.set(key, analysis);
    log.trace(`Diagnostics: ${mentions.length} port(s) in ${key} (${kind}) in ${(performance.now() - started).toFixed(1)} ms`);
    this.askForFreshData(analysis);
    await this.publish(document);
  }

  /** A file that binds ports was just read and the data is old: ask once for a shared refresh. */
  private askForFreshData(analysis: Analysis): void {
    const now = Date.now();
    const age = now - (this.data.snapshot?.takenAt ?? 0);
    if (analysis.binding.length > 0 && age > STALE_MS && now - this.lastScanAsk > STALE_MS) {
      this.lastScanAsk = now;
      void this.data.requestScan().catch(() => undefined);
    }
  }

  // --- publishing

  private onSnapshot(): void {
    clearTimeout(this.snapshotTimer);
    this.snapshotTimer = setTimeout(() => this.publishAll(), SNAPSHOT_DEBOUNCE_MS);
  }

  private publishAll(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (this.analyses.has(document.uri.toString())) {
        this.track(this.publish(document));
      }
    }
  }

  private track(task: Promise<void>): void {
    this.work = Promise.all([this.work, task.catch((err: unknown) => log.error('Updating port diagnostics failed', err))]).then(() => undefined);
  }

  private async publish(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    const analysis = this.analyses.get(key);
    if (!analysis || analysis.version !== document.version) {
      return;
    }
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    const snapshot = this.data.snapshot;
    const taken = snapshot ? await this.takenDiagnostics(analysis.binding, snapshot, document.uri.scheme === 'file' ? document.uri.fsPath : undefined) : [];
    // A newer publication, an edit, or a close overtook this one while directories were read.
    if (this.generations.get(key) !== generation || document.isClosed || document.version !== analysis.version) {
      return;
    }
    const all = [...analysis.duplicates, ...taken];
    const signature = `${analysis.version}|${JSON.stringify(all)}`;
    if (this.published.get(key) !== signature) {
      this.published.set(key, signature);
      this.collection.set(document.uri, all.map((d) => this.toDiagnostic(document, d)));
    }
  }

  private async takenDiagnostics(binding: readonly PortMention[], snapshot: Snapshot, documentPath: string | undefined): Promise<PortDiagnostic[]> {
    if (binding.length === 0) {
      return [];
    }
    const owners = new Map<string, ProcessInfo>();
    for (const m of binding) {
      const sockets = m.range && m.range[1] !== m.range[0] ? [...socketsInRange(snapshot, m.range, m.protocol, m.hostAddress).values()].flat() : clashingSockets(snapshot, m.port, m.protocol, m.hostAddress);
      // A container is placed by its compose labels, not by its forwarders' directories.
      for (const s of sockets.filter((x) => !x.container)) {
        s.owners.forEach((o) => owners.set(processKey(o), o));
      }
    }
    const unknown = [...owners.values()].filter((o) => !this.cwds.has(processKey(o)));
    if (unknown.length > 0) {
      const found = await readProcessCwds(unknown.map((o) => o.pid)).catch(() => new Map<number, string>());
      unknown.forEach((o) => this.cwds.set(processKey(o), found.get(o.pid) ?? ''));
    }
    if (this.cwds.size > 4096) {
      // Processes come and go; keep only the ones still listening.
      const live = new Set(snapshot.sockets.flatMap((s) => s.owners.map(processKey)));
      [...this.cwds.keys()].filter((k) => !live.has(k)).forEach((k) => this.cwds.delete(k));
    }
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';
    return takenPortDiagnostics(
      binding,
      snapshot,
      (o) => placeOwner({ cwd: this.cwds.get(processKey(o)) || undefined, inTerminal: this.data.terminalName(o.pid) !== undefined }, folders, caseInsensitive),
      l10n,
      (c) => placeContainer(c, documentPath, folders, caseInsensitive),
    );
  }

  private toDiagnostic(document: vscode.TextDocument, d: PortDiagnostic): vscode.Diagnostic {
    const range = new vscode.Range(document.positionAt(d.start), document.positionAt(d.end));
    const severity = d.level === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
    const diagnostic = new vscode.Diagnostic(range, d.message, severity);
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = d.code;
    if (d.related) {
      diagnostic.relatedInformation = d.related.map(
        (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(document.uri, new vscode.Range(document.positionAt(r.start), document.positionAt(r.end))), r.message),
      );
    }
    return diagnostic;
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    clearTimeout(this.snapshotTimer);
    this.subscriptions.forEach((d) => d.dispose());
  }
}
