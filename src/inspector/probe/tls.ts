// One TLS handshake on a fresh connection, accepting any certificate so it can be described: who it is
// for, who issued it, when it expires, and whether this machine would trust it.
import { isIP } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type * as Tls from 'node:tls';
import { printable } from './text';
import type { TlsDetails } from './types';

/** A completed handshake (the caller owns the socket), or why TLS did not work. `not-tls`: the server
 *  answered or hung up in a way that shows it does not speak TLS here. */
export type TlsOutcome =
  | { ok: true; socket: TLSSocket; details: TlsDetails }
  | { ok: false; reason: 'not-tls' | 'timeout' | 'aborted' | 'failed'; message: string };

/** Where to handshake and how long to wait. */
export interface TlsOptions {
  /** Address to connect to. */
  address: string;
  port: number;
  /** The name the user asked for: sent as SNI (unless it is an IP address) and checked against the certificate. */
  host: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** ALPN protocols to offer; none when empty. */
  alpn?: string[];
}

/** Connects and completes a TLS handshake. On success the caller owns (and must destroy) the socket. */
export function tlsHandshake(options: TlsOptions): Promise<TlsOutcome> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve({ ok: false, reason: 'aborted', message: 'The test was cancelled.' });
      return;
    }
    const hostIsIp = isIP(options.host.replace(/%.*$/, '')) !== 0;
    // `tls` loads on first use, not at start-up: it costs milliseconds and most runs never probe TLS.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tls = require('node:tls') as typeof Tls;
    const socket = tls.connect({
      host: options.address,
      port: options.port,
      // SNI must not carry an IP address (RFC 6066); without it the certificate is checked against `host`.
      servername: hostIsIp ? undefined : options.host,
      rejectUnauthorized: false,
      ALPNProtocols: options.alpn && options.alpn.length > 0 ? options.alpn : undefined,
    });
    socket.on('error', () => undefined);
    let settled = false;
    const settle = (outcome: TlsOutcome): void => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.off('secureConnect', onSecure);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (!outcome.ok) {
        socket.destroy();
      }
      resolve(outcome);
    };
    const onSecure = (): void => settle({ ok: true, socket, details: describeSession(socket, options.host) });
    const onError = (error: Error & { code?: string }): void => settle(handshakeFailure(error));
    const onClose = (): void =>
      settle({ ok: false, reason: 'not-tls', message: 'The server closed the connection during the TLS handshake.' });
    const onAbort = (): void => settle({ ok: false, reason: 'aborted', message: 'The test was cancelled.' });
    const timer = setTimeout(
      () => settle({ ok: false, reason: 'timeout', message: `No TLS handshake within ${options.timeoutMs} ms.` }),
      options.timeoutMs,
    );
    socket.once('secureConnect', onSecure);
    socket.once('error', onError);
    socket.once('close', onClose);
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function handshakeFailure(error: Error & { code?: string }): TlsOutcome {
  const code = error.code ?? '';
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|UNKNOWN_PROTOCOL|RECORD_LAYER|HTTP_REQUEST/.test(code)) {
    return { ok: false, reason: 'not-tls', message: 'The server does not speak TLS on this port.' };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return { ok: false, reason: 'not-tls', message: 'The server closed the connection during the TLS handshake.' };
  }
  return { ok: false, reason: 'failed', message: `The TLS handshake failed: ${printable(error.message, 120)}` };
}

function describeSession(socket: TLSSocket, host: string): TlsDetails {
  const cert = socket.getPeerCertificate(true) as PeerCertificate & { issuerCertificate?: PeerCertificate };
  const hasCert = cert !== null && typeof cert === 'object' && Object.keys(cert).length > 0;
  const errorCode = authorizationCode(socket.authorizationError);
  const sameName = hasCert && JSON.stringify(cert.subject) === JSON.stringify(cert.issuer);
  const selfIssued = hasCert && cert.issuerCertificate?.fingerprint256 === cert.fingerprint256;
  const details: TlsDetails = {
    protocol: socket.getProtocol() ?? 'unknown',
    subject: hasCert ? distinguishedName(cert.subject) : '(no certificate)',
    issuer: hasCert ? distinguishedName(cert.issuer) : '',
    validTo: hasCert ? isoDate(cert.valid_to) : '',
    selfSigned: errorCode === 'DEPTH_ZERO_SELF_SIGNED_CERT' || (sameName && selfIssued),
    authorized: socket.authorized,
  };
  if (!socket.authorized && errorCode) {
    details.authorizationError = plainAuthorizationError(errorCode, host);
  }
  if (typeof socket.alpnProtocol === 'string' && socket.alpnProtocol) {
    details.alpn = socket.alpnProtocol;
  }
  return details;
}

function authorizationCode(error: unknown): string {
  // Typed as Error, but Node sets it to the OpenSSL code string (or an Error with a code).
  if (typeof error === 'string') {
    return error;
  }
  if (error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string') {
    return (error as { code: string }).code;
  }
  return error ? String(error) : '';
}

function plainAuthorizationError(code: string, host: string): string {
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'the certificate is self-signed';
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'the certificate chain ends in a CA this machine does not trust';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'the certificate is issued by a CA this machine does not trust (or an intermediate certificate is missing)';
    case 'CERT_HAS_EXPIRED':
      return 'the certificate has expired';
    case 'CERT_NOT_YET_VALID':
      return 'the certificate is not valid yet';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the certificate is not for ${host}`;
    default:
      return printable(code, 120);
  }
}

function distinguishedName(name: unknown): string {
  if (!name || typeof name !== 'object') {
    return '';
  }
  const fields = name as Record<string, string | string[] | undefined>;
  const pick = (key: string): string | undefined => {
    const value = fields[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const best = pick('CN') ?? pick('O') ?? pick('OU');
  if (best) {
    return printable(best, 120);
  }
  return printable(
    Object.entries(fields)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
      .join(', '),
    120,
  );
}

function isoDate(text: string | undefined): string {
  const time = text ? Date.parse(text) : NaN;
  return Number.isNaN(time) ? '' : new Date(time).toISOString();
}

/** One line for a certificate, e.g. `TLSv1.3, certificate for localhost, self-signed, expires 2099-01-01`. */
export function summarizeTls(details: TlsDetails): string {
  const parts = [details.protocol, `certificate for ${details.subject || 'an unnamed subject'}`];
  if (details.selfSigned) {
    parts.push('self-signed');
  } else if (details.issuer) {
    parts.push(`issued by ${details.issuer}`);
  }
  if (details.authorized) {
    parts.push('trusted');
  } else if (!details.selfSigned) {
    parts.push('not trusted');
  }
  if (details.validTo) {
    const expired = Date.parse(details.validTo) < Date.now();
    parts.push(`${expired ? 'expired' : 'expires'} ${details.validTo.slice(0, 10)}`);
  }
  return parts.join(', ');
}
