// Step 5, "Configuration": the workspace files that mention the port (found by the hover's port finder),
// with links to the lines. File names and line text are untrusted; link targets are checked.
import { code, md, plural } from './markdown';
import type { TroubleshootFacts, TroubleshootStep } from './types';

/** Step 5: the workspace files that mention the port, with links to the lines. */
export function configurationStep(facts: TroubleshootFacts): TroubleshootStep {
  const mentions = facts.configMentions;
  if (mentions === undefined) {
    return { id: 'configuration', title: 'Configuration', verdict: 'info', summary: 'The workspace was not searched.', markdown: 'The workspace was not searched.' };
  }
  if (mentions.length === 0) {
    const text = `No file in the workspace mentions port ${facts.port}.`;
    return { id: 'configuration', title: 'Configuration', verdict: 'info', summary: text, markdown: text };
  }
  const shown = mentions.slice(0, 50);
  const lines = shown.map((m) => {
    const label = md(`${m.file}:${m.line}`, 200);
    const where = safeTarget(m.target) ? `[${label}](${m.target})` : label;
    return `- ${where} — ${code(m.text.trim(), 200)}`;
  });
  if (mentions.length > shown.length) {
    lines.push(`- … and ${mentions.length - shown.length} more`);
  }
  return {
    id: 'configuration',
    title: 'Configuration',
    verdict: 'info',
    summary: `${plural(mentions.length, 'place')} in the workspace ${mentions.length === 1 ? 'mentions' : 'mention'} port ${facts.port}.`,
    markdown: lines.join('\n'),
  };
}

/**
 * Link targets the report accepts: `file:` and `vscode-*:` URIs (a `vscode.Uri` string, with an optional
 * `#L<line>`), with nothing in them that could end the Markdown link or start another: no spaces,
 * brackets, parentheses, quotes, angle brackets or backslashes. `vscode.Uri.toString()` percent-encodes
 * all of these, so real targets pass; `command:` and `javascript:` never do.
 */
export function safeTarget(target: string | undefined): target is string {
  return typeof target === 'string' && target.length <= 2000 && /^(?:file|vscode-[a-z-]+):\/\/[^\s()[\]<>"'`\\]*$/.test(target);
}
