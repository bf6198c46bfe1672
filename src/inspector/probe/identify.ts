// Finds out what answers on an open TCP port, politely: at most two connections (the one already open
// and, when TLS is plausible, one TLS connection), at most one request on each, every read capped in size
// and time. Order: listen for a greeting; if TLS is likely, handshake; otherwise send one plain request
// (HEAD / for almost every port) and, if the answer looks like TLS, handshake and ask again over TLS.
import type { Socket } from 'node:net';
import { bannerComplete, recognizeBanner } from './banner';
import { buildHeadRequest, HTTP_HEAD_CAP, httpHeadComplete, looksLikeHttp2, looksLikeTlsRecord, parseHttpHead, summarizeHttp } from './http';
import { readBounded } from './read';
import { firstLine, looksLikeText } from './text';
import { summarizeTls, tlsHandshake } from './tls';
import type { Identification } from './types';

/** How long a server that talks first (SSH, SMTP, …) gets to say something. */
export const BANNER_WAIT_MS = 400;
/** After the first bytes of a greeting, how long the rest of its first line gets. */
const BANNER_REST_MS = 250;
const BANNER_CAP = 1024;
/** Upper bound on each later step (TLS handshake, waiting for an answer). */
const STEP_MAX_MS = 2000;

// Ports where TLS comes first (HTTPS and friends): no greeting to wait for, so the handshake is tried at once.
const TLS_FIRST_PORTS = new Set([443, 465, 636, 853, 993, 995, 2376, 3269, 4443, 5671, 5986, 6443, 8443, 8883, 9443, 10250]);
// Of those, the ones whose protocol greets the client after the handshake (SMTPS, IMAPS, POP3S).
const GREETING_OVER_TLS_PORTS = new Set([465, 993, 995]);

/** True for ports where a service normally speaks TLS from the first byte. */
export function isTlsFirstPort(port: number): boolean {
  return TLS_FIRST_PORTS.has(port);
}

/** The open connection to identify and what it was opened to. */
export interface IdentifyContext {
  /** The open plain connection. Identification takes it over and always destroys it. */
  socket: Socket;
  /** The name the user gave (Host header, SNI). */
  host: string;
  /** The address `socket` is connected to. */
  address: string;
  port: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** What was found; nothing when cancelled. */
export interface IdentifyOutcome {
  identified?: Identification;
  /** Worth telling the user, e.g. why the TLS handshake failed. */
  note?: string;
  cancelled?: boolean;
}

/** A plain request and how to read its answer. */
interface PlainRequest {
  payload: Buffer | string;
  done: (data: Buffer) => boolean;
  /** Service-specific reading of the answer; undefined falls back to the generic HTTP/TLS/text reading. */
  interpret?: (data: Buffer) => Identification | undefined;
}

/** The one plain request for `port`. HEAD / almost everywhere; two services get their own harmless
 *  hello instead, because they treat an HTTP request as an attack or log it as an error. */
function plainRequestFor(host: string, port: number): PlainRequest {
  if (port === 6379 || port === 6380) {
    // Redis drops connections that look like HTTP and logs "Possible SECURITY ATTACK detected".
    return { payload: 'PING\r\n', done: (d) => d.includes(0x0a), interpret: interpretRedis };
  }
  if (port === 5432) {
    // PostgreSQL's SSLRequest (length 8, code 80877103): answered with one byte, and a client that
    // disconnects afterwards is not logged as an error.
    return { payload: Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]), done: (d) => d.length >= 1, interpret: interpretPostgres };
  }
  return { payload: buildHeadRequest(host, port, false), done: httpHeadComplete };
}

function interpretRedis(data: Buffer): Identification | undefined {
  const line = firstLine(data, 160);
  if (line.startsWith('+PONG')) {
    return { kind: 'banner', summary: 'Redis-compatible server (answered PING)', banner: line };
  }
  if (/^-NOAUTH\b/.test(line)) {
    return { kind: 'banner', summary: 'Redis-compatible server (needs a password)', banner: line };
  }
  if (/^-DENIED\b/.test(line)) {
    return { kind: 'banner', summary: 'Redis-compatible server in protected mode (refuses remote clients)', banner: line };
  }
  if (/^-/.test(line)) {
    return { kind: 'banner', summary: `Answered PING with an error: ${line.slice(1)}`, banner: line };
  }
  return undefined;
}

function interpretPostgres(data: Buffer): Identification | undefined {
  if (data.length === 1 && data[0] === 0x4e) {
    return { kind: 'banner', summary: 'PostgreSQL server (TLS not enabled)', banner: '' };
  }
  if (data.length === 1 && data[0] === 0x53) {
    return { kind: 'banner', summary: 'PostgreSQL server (TLS available)', banner: '' };
  }
  if (data[0] === 0x45) {
    return { kind: 'banner', summary: 'PostgreSQL-like server (answered the TLS request with an error)', banner: firstLine(data.subarray(5), 160) };
  }
  return undefined;
}

/** Identifies the service behind `context.socket`. Never rejects; always destroys every socket it used. */
export async function identifyService(context: IdentifyContext): Promise<IdentifyOutcome> {
  const { socket, port, signal } = context;
  const stepMs = Math.min(context.timeoutMs, STEP_MAX_MS);
  let triedTls = false;
  let tlsNote: string | undefined;
  const tryTls = async (): Promise<IdentifyOutcome | undefined> => {
    triedTls = true;
    const outcome = await identifyOverTls(context, stepMs);
    if (outcome.identified || outcome.cancelled) {
      return outcome;
    }
    tlsNote = outcome.note;
    return undefined;
  };
  try {
    if (isTlsFirstPort(port)) {
      const viaTls = await tryTls();
      if (viaTls) {
        return viaTls;
      }
    } else {
      const greeting = await readBounded(socket, {
        timeoutMs: BANNER_WAIT_MS,
        afterFirstMs: BANNER_REST_MS,
        maxBytes: BANNER_CAP,
        done: bannerComplete,
        signal,
      });
      if (greeting.reason === 'aborted') {
        return { cancelled: true };
      }
      if (greeting.data.length > 0) {
        const banner = recognizeBanner(greeting.data, port);
        return { identified: { kind: 'banner', summary: banner.summary, banner: banner.banner } };
      }
      if (greeting.reason !== 'timeout') {
        return { identified: { kind: 'silent', summary: 'Accepted the connection, then closed it without sending anything.' } };
      }
    }

    if (socket.destroyed || !socket.writable) {
      return withNote({ identified: { kind: 'silent', summary: 'Accepted the connection, then closed it without sending anything.' } }, tlsNote);
    }
    const request = plainRequestFor(context.host, port);
    socket.write(request.payload);
    const reply = await readBounded(socket, { timeoutMs: stepMs, maxBytes: HTTP_HEAD_CAP, done: request.done, signal });
    if (reply.reason === 'aborted') {
      return { cancelled: true };
    }
    const data = reply.data;
    if (data.length > 0) {
      const specific = request.interpret?.(data);
      if (specific) {
        return { identified: specific };
      }
      const http = parseHttpHead(data);
      if (http) {
        return withNote({ identified: { kind: 'http', summary: summarizeHttp(http, false), http } }, tlsNote);
      }
      if (looksLikeHttp2(data)) {
        return { identified: { kind: 'http', summary: 'HTTP/2 server without TLS (answered HTTP/1.1 with an HTTP/2 frame)' } };
      }
      if (looksLikeText(data)) {
        const line = firstLine(data, 160);
        return withNote({ identified: { kind: 'banner', summary: `Answered a request with non-HTTP text: ${line}`, banner: line } }, tlsNote);
      }
      if (!triedTls) {
        const viaTls = await tryTls();
        if (viaTls) {
          return viaTls;
        }
      }
      const what = looksLikeTlsRecord(data) ? 'a TLS alert' : `${data.length} bytes of binary data`;
      return withNote({ identified: { kind: 'silent', summary: `Answered a plain request with ${what}; not HTTP.` } }, tlsNote);
    }
    if (reply.reason !== 'timeout') {
      // Closing without a word is how most TLS servers treat plain text, so it is worth one handshake.
      if (!triedTls) {
        const viaTls = await tryTls();
        if (viaTls) {
          return viaTls;
        }
      }
      return withNote({ identified: { kind: 'silent', summary: 'Closed the connection without answering a plain request.' } }, tlsNote);
    }
    return withNote(
      { identified: { kind: 'silent', summary: `Accepts connections but sent no greeting and did not answer within ${stepMs} ms.` } },
      tlsNote,
    );
  } finally {
    socket.destroy();
  }
}

function withNote(outcome: IdentifyOutcome, note: string | undefined): IdentifyOutcome {
  return note ? { ...outcome, note } : outcome;
}

/** One TLS handshake on a new connection, then one request over it (HEAD, or listening for the greeting
 *  of a mail protocol). Undefined `identified` means TLS did not work; `note` says why. */
async function identifyOverTls(context: IdentifyContext, stepMs: number): Promise<IdentifyOutcome> {
  const { port, signal } = context;
  const greetsOverTls = GREETING_OVER_TLS_PORTS.has(port);
  const handshake = await tlsHandshake({
    address: context.address,
    port,
    host: context.host,
    timeoutMs: stepMs,
    signal,
    // Offer only HTTP/1.1 so that the HEAD below is understood; a server that insists on h2 says no.
    alpn: greetsOverTls ? [] : ['http/1.1'],
  });
  if (!handshake.ok) {
    return handshake.reason === 'aborted' ? { cancelled: true } : { note: `TLS: ${handshake.message}` };
  }
  const { socket, details } = handshake;
  const tlsSummary = summarizeTls(details);
  try {
    if (greetsOverTls) {
      const greeting = await readBounded(socket, { timeoutMs: stepMs, afterFirstMs: BANNER_REST_MS, maxBytes: BANNER_CAP, done: bannerComplete, signal });
      if (greeting.reason === 'aborted') {
        return { cancelled: true };
      }
      if (greeting.data.length > 0) {
        const banner = recognizeBanner(greeting.data, port);
        return { identified: { kind: 'banner', summary: `${banner.summary}; ${tlsSummary}`, banner: banner.banner, tls: details } };
      }
      return { identified: { kind: 'tls', summary: `TLS server (${tlsSummary})`, tls: details } };
    }
    socket.write(buildHeadRequest(context.host, port, true));
    const reply = await readBounded(socket, { timeoutMs: stepMs, maxBytes: HTTP_HEAD_CAP, done: httpHeadComplete, signal });
    if (reply.reason === 'aborted') {
      return { cancelled: true };
    }
    const http = parseHttpHead(reply.data);
    if (http) {
      return { identified: { kind: 'http', summary: `${summarizeHttp(http, true)}; ${tlsSummary}`, http, tls: details } };
    }
    return { identified: { kind: 'tls', summary: `TLS server, no HTTP answer (${tlsSummary})`, tls: details } };
  } finally {
    socket.destroy();
  }
}
