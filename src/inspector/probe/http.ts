// The one HTTP request the probe sends (`HEAD /`) and the reading of its answer: status line and headers
// only, never a body.
import { isIP } from 'node:net';
import { firstLine, printable } from './text';
import type { HttpDetails } from './types';

/** Most servers answer a HEAD within this many bytes of headers; more is cut off. */
export const HTTP_HEAD_CAP = 8 * 1024;

/** The `HEAD /` request, with a Host header for `host` (the name the user gave, not the address). */
export function buildHeadRequest(host: string, port: number, overTls: boolean): string {
  return [
    'HEAD / HTTP/1.1',
    `Host: ${hostHeader(host, port, overTls)}`,
    'User-Agent: port-inspector',
    'Accept: */*',
    'Connection: close',
    '',
    '',
  ].join('\r\n');
}

function hostHeader(host: string, port: number, overTls: boolean): string {
  // A zone id (`%eth0`) means nothing to the server and many reject it in Host.
  const bare = host.replace(/%.*$/, '');
  const name = isIP(bare) === 6 ? `[${bare}]` : bare;
  return port === (overTls ? 443 : 80) ? name : `${name}:${port}`;
}

/** True once the header block is complete (a blank line), so reading can stop. */
export function httpHeadComplete(data: Buffer): boolean {
  return data.includes('\r\n\r\n') || data.includes('\n\n');
}

/** Parses an HTTP response head. Undefined when `data` does not start like an HTTP response. */
export function parseHttpHead(data: Buffer): HttpDetails | undefined {
  // UTF-8, as servers send it (invalid bytes become U+FFFD, not Latin-1 mojibake).
  const text = data.toString('utf8');
  const status = /^HTTP\/(\d(?:\.\d)?) (\d{3})(?: ([^\r\n]*))?(\r?\n|$)/.exec(text);
  if (!status) {
    return undefined;
  }
  const details: HttpDetails = { statusLine: firstLine(text, 200), status: Number(status[2]) };
  if (status[4] === '') {
    // No line break in everything read: a status line longer than the cap, not "non-HTTP text".
    details.statusLineTooLong = true;
    return details;
  }
  const headEnd = text.search(/\r?\n\r?\n/);
  const lines = (headEnd === -1 ? text : text.slice(0, headEnd)).split(/\r?\n/).slice(1);
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      continue;
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = printable(line.slice(colon + 1), 200);
    if (name === 'server' && details.server === undefined && value) {
      details.server = value;
    } else if (name === 'location' && details.location === undefined && value) {
      details.location = value;
    }
  }
  return details;
}

/** True when `data` starts with a TLS record header (handshake or alert, version 3.x): a TLS server
 *  answering plain text. */
export function looksLikeTlsRecord(data: Buffer): boolean {
  return data.length >= 3 && (data[0] === 0x15 || data[0] === 0x16) && data[1] === 0x03 && data[2] <= 0x04;
}

/** True when `data` starts with an HTTP/2 SETTINGS frame: a cleartext HTTP/2-only server. */
export function looksLikeHttp2(data: Buffer): boolean {
  return data.length >= 9 && data[3] === 0x04 && data.readUInt32BE(5) === 0 && data.readUIntBE(0, 3) % 6 === 0;
}

/** One line for an HTTP answer, e.g. `HTTP 301 Moved Permanently → /login, server nginx`. */
export function summarizeHttp(http: HttpDetails, overTls: boolean): string {
  const reason = /^HTTP\/\S+ \d{3} ?(.*)$/.exec(http.statusLine)?.[1] ?? '';
  let summary = `${overTls ? 'HTTPS' : 'HTTP'} ${http.status}${reason ? ` ${reason}` : ''}`;
  if (http.location) {
    summary += ` → ${printable(http.location, 80)}`;
  }
  if (http.server) {
    summary += `, server ${printable(http.server, 60)}`;
  }
  if (http.statusLineTooLong) {
    summary += ` (status line too long: no line break in the first ${HTTP_HEAD_CAP / 1024} kB)`;
  }
  return summary;
}
