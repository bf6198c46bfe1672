// The result of testing one host:port. Plain data: shown in a notification, logged, sent to a webview.
import type { Family, Protocol } from '../../core/types';

/** Why a connection test failed, in the words a user would use. */
export type FailureKind = 'refused' | 'timeout' | 'unreachable' | 'dns' | 'reset' | 'invalid' | 'cancelled' | 'other';

/** A failed test: the kind, for code, and a message, for people. */
export interface ConnectionFailure {
  kind: FailureKind;
  /** One line of plain words, e.g. `Nothing is listening on 127.0.0.1:3000 (connection refused).` */
  message: string;
  /** The system error code when there was one (`ECONNREFUSED`, `ENOTFOUND`, …). */
  code?: string;
}

/** What a TLS handshake revealed about the server's certificate. */
export interface TlsDetails {
  /** Negotiated protocol version, e.g. `TLSv1.3`. */
  protocol: string;
  /** Subject common name (or the whole subject when it has none). Untrusted text. */
  subject: string;
  /** Issuer common name or organization. Untrusted text. */
  issuer: string;
  /** Expiry as an ISO 8601 timestamp; empty when the certificate carries none that parses. */
  validTo: string;
  /** The certificate signs itself (typical of a development server). */
  selfSigned: boolean;
  /** Whether Node's trust store accepts the chain and the certificate names the host. */
  authorized?: boolean;
  /** Why it was not authorized, in plain words. */
  authorizationError?: string;
  /** Protocol chosen by ALPN, when the server chose one. */
  alpn?: string;
}

/** The head of the answer to `HEAD /`. */
export interface HttpDetails {
  /** First line of the response, e.g. `HTTP/1.1 301 Moved Permanently`. Untrusted text. */
  statusLine: string;
  status: number;
  /** `Server` header. Untrusted text. */
  server?: string;
  /** `Location` header (redirects). Untrusted text. */
  location?: string;
  /** The status line did not end within the bytes read (HTTP_HEAD_CAP): shown cut, and said so. */
  statusLineTooLong?: boolean;
}

/** The header of a DNS answer. */
export interface DnsDetails {
  /** Response code: 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED, … */
  rcode: number;
  rcodeName: string;
  /** Number of answer records. */
  answers: number;
}

/**
 * What the service behind the port turned out to be. `kind` names the innermost protocol recognised:
 * `http` for HTTPS too (then `tls` is set as well), `banner` for a server that spoke first (over TLS for
 * IMAPS and the like), `tls` for a TLS server that did not answer HTTP, `dns` for a UDP DNS answer,
 * `silent` for a server that neither spoke nor answered.
 */
export interface Identification {
  kind: 'tls' | 'http' | 'banner' | 'silent' | 'dns';
  /** One line, e.g. `HTTP 301 Moved Permanently, server test-server`. Untrusted text inside. */
  summary: string;
  tls?: TlsDetails;
  http?: HttpDetails;
  /** First line the server sent, control characters stripped, capped. Untrusted text. */
  banner?: string;
  dns?: DnsDetails;
}

/** The outcome of {@link testConnection}. */
export interface ConnectionResult {
  /**
   * `true`: a TCP connection was made (or a UDP service answered). `false`: it failed, see `failure`.
   * `undefined`: cannot tell. UDP has no handshake, so a port that does not answer may be open or closed.
   */
  ok: boolean | undefined;
  host: string;
  port: number;
  protocol: Protocol;
  /** Time spent resolving the name; absent when the host was an IP address. */
  dnsMs?: number;
  /** Time to establish the TCP connection. */
  connectMs?: number;
  totalMs: number;
  /** The address actually used (the first one the name resolved to). */
  address?: string;
  family?: Family;
  failure?: ConnectionFailure;
  identified?: Identification;
  /** Plain words worth showing: which address was tried, why UDP cannot be confirmed, … */
  note?: string;
}

/** What {@link testConnection} should test. */
export interface TestConnectionOptions {
  /** Host name or IP address (IPv6 with or without brackets). */
  host: string;
  port: number;
  /** Default `tcp`. */
  protocol?: Protocol;
  /** Bound on the name lookup and, separately, on the TCP connect. Default 3000 ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Find out what answers (greeting, TLS, HTTP). Default true. */
  identify?: boolean;
}
