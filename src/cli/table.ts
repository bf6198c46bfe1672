// Plain-text table for terminals. Cells are made inert first (no control characters can reach the
// terminal, so a process cannot inject escape sequences through its name or command line).
import { plainText } from '../core/displayText';

/** Renders rows under headers, columns padded to the widest cell; the last column is not padded. */
export function renderTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, maxCell = 60): string {
  const cells = [headers.map((h) => plainText(h)), ...rows.map((r) => r.map((c, i) => plainText(c, i === r.length - 1 ? 400 : maxCell)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i] - [...c].length)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
