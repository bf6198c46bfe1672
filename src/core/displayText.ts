// Untrusted text (process names, command lines, banners, file contents) made safe for the place it is
// shown. Each surface picks the function for its medium: plain text (tree labels, notifications, status
// bar, terminal), Markdown (hovers, tooltips) or HTML (webview). All of them cap the length.

/** C0/C1 control characters, and the bidi controls that can make text read differently from what it is
 *  (the "Trojan Source" overrides and isolates). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

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
