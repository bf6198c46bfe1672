// What "inert" means for hover Markdown, shared by the tests that feed hostile text into hovers.
import * as assert from 'node:assert/strict';
import { Commands } from '../../src/constants';

// markdown-it (a declared dev dependency) renders the hover the way a
// CommonMark renderer would: the strongest check that nothing hostile becomes a link, an image or HTML.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (options: Record<string, unknown>) => { render(src: string): string };
// VS Code's hover renderer: no raw HTML (supportHtml is off), bare URLs become links (GFM autolinks).
const renderer = new MarkdownIt({ html: false, linkify: true });

/** The extension's own commands: the only command links a hover may hold. */
export const OWN_COMMANDS: ReadonlySet<string> = new Set<string>(Object.values(Commands));

/**
 * Walks the Markdown as a renderer would and fails on any `[`, `](`, `<` or `command:` that is not
 * backslash-escaped, other than the extension's own links. Code spans (only the extension's own text uses
 * them) are held to the same rule: hostile text must not appear verbatim even where it would be inert.
 */
export function assertInertHover(markdown: string): void {
  const own = /^\[[^\]\\]*(?:\\.[^\]\\]*)*\]\(command:portInspector\.[A-Za-z]+(?:\?[A-Za-z0-9%._~-]*)?\)/;
  for (let i = 0; i < markdown.length; i++) {
    const c = markdown[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      const m = own.exec(markdown.slice(i));
      assert.ok(m, `unescaped [ at ${i}: ${markdown.slice(i, i + 60)}`);
      i += m[0].length - 1;
      continue;
    }
    assert.notEqual(c, '<', `unescaped < at ${i}: ${markdown.slice(i, i + 40)}`);
    assert.ok(!markdown.startsWith('command:', i), `bare command: at ${i}: ${markdown.slice(i - 10, i + 40)}`);
    assert.ok(!markdown.startsWith('](', i), `unescaped ]( at ${i}`);
  }
  // And rendered: the only links are the extension's commands, and there are no images or HTML tags
  // other than the renderer's own.
  const html = renderer.render(markdown);
  const hrefs = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
  for (const href of hrefs) {
    const command = /^command:([\w.]+)/.exec(href)?.[1];
    assert.ok(command !== undefined && OWN_COMMANDS.has(command), `foreign link in rendered hover: ${href}`);
  }
  assert.ok(!/<img|<script|<iframe|onerror/i.test(html.replace(/&lt;[^&]*&gt;/g, '')), `HTML in rendered hover: ${html}`);
  assert.equal((html.match(/<a /g) ?? []).length, hrefs.length);
}

