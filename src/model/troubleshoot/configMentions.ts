// The workspace's mentions of one port, from the hover's port finder: the command reads the files (it
// knows the workspace), this turns each file's text into the report's ConfigMention lines.
import type { Protocol } from '../../core/types';
import { fileKindOf, findPorts } from '../portFinder';
import type { ConfigMention } from './types';

/** Longest line text kept for a mention. */
const LINE_MAX = 200;

/**
 * The lines of one file that mention `port` (a range that contains it counts; commented-out lines are
 * left out). `file` is the path shown to the user; `target(line)` makes the link for a 1-based line, e.g.
 * `uri.with({ fragment: 'L' + line }).toString()`. Files the port finder does not read (lock files,
 * binaries) give nothing.
 */
export function configMentionsIn(
  file: string,
  text: string,
  port: number,
  options: { protocol?: Protocol; languageId?: string; target?: (line: number) => string } = {},
): ConfigMention[] {
  const kind = fileKindOf(file, options.languageId);
  if (!kind) {
    return [];
  }
  const lines = text.split(/\r?\n/);
  const seen = new Set<number>();
  const found: ConfigMention[] = [];
  for (const m of findPorts(text, kind)) {
    const [low, high] = m.range ?? [m.port, m.port];
    if (m.commented || port < low || port > high || (options.protocol && m.protocol !== options.protocol) || seen.has(m.line)) {
      continue;
    }
    seen.add(m.line);
    const line = m.line + 1;
    const mention: ConfigMention = { file, line, text: (lines[m.line] ?? '').trim().slice(0, LINE_MAX) };
    if (options.target) {
      mention.target = options.target(line);
    }
    found.push(mention);
  }
  return found;
}
