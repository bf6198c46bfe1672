// Untrusted text (process names, command lines, banners, file contents, settings) made safe for the place
// it is shown. Each surface picks the function for its medium: plain text (tree labels, terminal),
// notification text (notifications and dialogs: VS Code turns `[label](command:…)` into a link there),
// icon-safe text (status bar, quick pick: `$(name)` becomes an icon), Markdown (hovers, tooltips) or HTML
// (webview). All of them cap the length.

/** C0/C1 control characters; the bidi marks, embeddings, overrides and isolates that can make text read
 *  differently from what it is ("Trojan Source"), U+061C (Arabic letter mark) included; zero-width and
 *  invisible format characters (U+200B–U+200D, U+2060–U+2064, U+180E, U+FEFF); the line and paragraph
 *  separators U+2028/U+2029 (a line break where the surface promises one line). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;

/** Default cap for one-line display. Command lines can be 100 kB or more. */
export const DISPLAY_MAX = 200;

/** One line of inert plain text: control and bidi characters become `?` (tabs and newlines a space),
 *  runs of spaces fold, the result is capped at `max` characters with an ellipsis. */
export function plainText(text: string, max = DISPLAY_MAX): string {
  // Clean only a bounded head: a 100 kB command line shown in 200 characters must not cost 100 kB of
  // regex work per row. Four times the cap leaves room for whitespace that folding removes.
  const raw = String(text);
  const clean = (raw.length > max * 4 + 16 ? raw.slice(0, max * 4 + 16) : raw)
    .replace(/[\t\r\n]+/g, ' ')
    .replace(UNSAFE, '?')
    .replace(/ {2,}/g, ' ')
    .trim();
  return truncate(clean, max);
}

/** Breaks every `[label](target)` VS Code would turn into a link in a notification or dialog message
 *  (its `parseLinkedText` needs `](` side by side, and runs `command:` targets when clicked): a space
 *  goes between `]` and `(`. Applied to a whole message, it also covers links split across pieces. */
export function unlinkText(text: string): string {
  return text.replace(/\]\(/g, '] (');
}

/** One line of plain text for a notification or a dialog: `plainText`, with link syntax broken
 *  (`unlinkText`). The prompt seam (src/services/prompts.ts) applies it to every message it shows. */
export function notificationText(text: string, max = DISPLAY_MAX): string {
  return unlinkText(plainText(text, max));
}

/** Several lines of notification text (a modal dialog's detail): each line as `notificationText`. */
export function notificationLines(text: string, maxLine = DISPLAY_MAX, maxLines = 40): string {
  const lines = String(text).split(/\r\n|\r|\n/);
  const kept = lines.slice(0, maxLines).map((line) => {
    // Keep a line's leading indentation: the detail of a confirmation lists processes indented.
    const indent = /^ */.exec(line)?.[0].length ?? 0;
    return ' '.repeat(Math.min(indent, 8)) + notificationText(line, maxLine);
  });
  return (lines.length > maxLines ? [...kept, '…'] : kept).join('\n');
}

/** Plain text for a status bar item or a quick pick, which render `$(name)` as an icon: the escape VS
 *  Code's label renderer understands (`\$(`) keeps a process named `$(bug)` as those characters. */
export function iconSafeText(text: string, max = DISPLAY_MAX): string {
  return plainText(text, max).replace(/\\?\$\(/g, '\\$(');
}

/** Caps `text` at `max` characters (an ellipsis included), never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  let cut = Math.max(0, max - 1);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) {
    cut--;
  }
  return `${text.slice(0, cut)}…`;
}

/** Plain text made inert for Markdown: every character Markdown (or its HTML) could read as syntax is
 *  backslash-escaped, so links, `command:` URIs, images, emphasis and HTML tags stay literal text. */
export function markdownText(text: string, max = DISPLAY_MAX): string {
  return plainText(text, max).replace(/[\\`*_{}[\]()#+\-.!|<>~&:"'=$%]/g, (c) => `\\${c}`);
}

/** Plain text for an inline Markdown code span: backticks cannot be escaped inside one, so they are
 *  replaced by a look-alike, and the span is fenced by the caller with single backticks. */
export function markdownCode(text: string, max = DISPLAY_MAX): string {
  return plainText(text, max).replace(/`/g, 'ˋ');
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text escaped for HTML content and attribute values. */
export function htmlText(text: string, max = DISPLAY_MAX): string {
  return plainText(text, max).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}
