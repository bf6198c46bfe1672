// The dashboard's HTML shell: a Content Security Policy that allows nothing but our own stylesheet and
// the one script carrying this load's nonce. No data is ever put into this HTML: rows arrive as
// messages after the webview says it is ready, and the webview renders them as DOM text.
import type * as Crypto from 'node:crypto';

export interface DashboardHtmlOptions {
  /** `webview.cspSource`: the origin local resources are served from. */
  cspSource: string;
  /** `webview.asWebviewUri` of dist/webview.js and media/dashboard.css. */
  scriptUri: string;
  styleUri: string;
  /** A fresh nonce per load; see {@link newNonce}. */
  nonce: string;
  /** `document.documentElement.lang`. */
  language?: string;
}

/** 128 random bits, base64: unguessable, and only ever used for one HTML document. */
export function newNonce(): string {
  // crypto loads with the first dashboard, not at start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { randomBytes } = require('node:crypto') as typeof Crypto;
  return randomBytes(16).toString('base64');
}

/** The policy: `default-src 'none'`; styles, images and fonts only from the extension's own files;
 *  scripts only with the nonce (no inline handlers, no eval); no connections, frames or forms. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Escapes a value for a double-quoted attribute (the values come from VS Code, but an HTML builder
 *  should not rely on its callers knowing that). */
function attr(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The whole document. */
export function dashboardHtml(options: DashboardHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(options.nonce)) {
    throw new Error('The dashboard nonce must be base64 text of at least 16 characters.');
  }
  const nonce = options.nonce;
  const csp = attr(contentSecurityPolicy(options.cspSource, nonce));
  const lang = /^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$/.test(options.language ?? '') ? options.language : 'en';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(options.styleUri)}">
<title>Ports Dashboard</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
<script nonce="${nonce}" src="${attr(options.scriptUri)}"></script>
</body>
</html>`;
}
