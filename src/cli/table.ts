// Plain-text table for terminals. Cells are made inert first (no control characters can reach the
// terminal, so a process cannot inject escape sequences through its name or command line).
import { plainText } from '../core/displayText';

/** Length in code points (what `[...text].length` counts), without building an array: a surrogate
 *  pair is one. */
function codePointLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Renders rows under headers, columns padded to the widest cell; the last column is not padded. */
export function renderTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, maxCell = 60): string {
  const cells = [headers.map((h) => plainText(h)), ...rows.map((r) => r.map((c, i) => plainText(c, i === r.length - 1 ? 400 : maxCell)))];
  // Each cell's width is measured once, and reused for the padding.
  const lengths = cells.map((r) => r.map(codePointLength));
  const widths = headers.map(() => 0);
  for (const r of lengths) {
    for (let i = 0; i < widths.length; i++) {
      widths[i] = Math.max(widths[i], r[i] ?? 0);
    }
  }
  const lines: string[] = [];
  cells.forEach((r, row) => {
    const last = r.length - 1;
    const line = r.map((c, i) => (i === last ? c : c + ' '.repeat(widths[i] - lengths[row][i]))).join('  ');
    lines.push(line.trimEnd());
  });
  return lines.join('\n');
}
