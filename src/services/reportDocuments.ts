// Reports (Troubleshoot Port, Port Activity) open as read-only Markdown previews of virtual documents.
import * as vscode from 'vscode';

/** Reports are read-only virtual documents: an untitled document would be "dirty" and ask to be saved
 *  when closed. Each report gets its own URI; old ones are forgotten beyond a small number. */
export const REPORT_SCHEME = 'port-inspector-report';
const REPORTS_KEPT = 20;

export class ReportDocuments implements vscode.TextDocumentContentProvider {
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

/** The one store: registered as a content provider by the composition root. */
export const reports = new ReportDocuments();

/** Opens `content` as a Markdown preview titled `title`. */
export async function showMarkdown(title: string, content: string): Promise<void> {
  await vscode.commands.executeCommand('markdown.showPreview', reports.add(title, content));
}
