// Name lookup and TCP connect, each bounded by a timeout and an AbortSignal. Sockets handed out always
// carry an 'error' listener, so a reset that arrives between two reads cannot crash the process.
import type * as Dns from 'node:dns';
import * as net from 'node:net';
import type { Family } from '../../core/types';
import { classifyError } from './failureKind';
import { elapsed } from './text';
import type { ConnectionFailure } from './types';
import { hostPort } from '../../core/format';

/** One address a name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: Family;
}

/** The addresses a name resolved to (in resolver order), or why it did not resolve. */
export type LookupOutcome =
  | { ok: true; addresses: ResolvedAddress[]; dnsMs?: number }
  | { ok: false; failure: ConnectionFailure; dnsMs?: number };

/**
 * Resolves `host` with the system resolver (`dns.lookup`, so /etc/hosts counts), timed. IP literals are
 * returned as they are without a lookup. The lookup itself cannot be cancelled (getaddrinfo runs on the
 * thread pool); on timeout or abort its late answer is ignored.
 */
export async function lookupHost(host: string, timeoutMs: number, signal?: AbortSignal): Promise<LookupOutcome> {
  const literal = net.isIP(host.replace(/%.*$/, ''));
  if (literal === 4 || literal === 6) {
    return { ok: true, addresses: [{ address: host, family: literal }] };
  }
  // RFC 6761 §6.4: names under .invalid never resolve and resolvers should say so at once. Answering here
  // also keeps such lookups from leaving the machine.
  if (/(^|\.)invalid\.?$/i.test(host)) {
    return { ok: false, failure: { kind: 'dns', code: 'ENOTFOUND', message: `The name ${host} does not resolve to any address (.invalid names never do).` } };
  }
  const start = performance.now();
  // `dns` loads on first use, not at start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dns = (require('node:dns') as typeof Dns).promises;
  const lookup = dns.lookup(host, { all: true });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<'timeout' | 'aborted'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    onAbort = () => resolve('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const winner = await Promise.race([lookup, stop]);
    const dnsMs = elapsed(start);
    if (winner === 'timeout') {
      lookup.catch(() => undefined);
      return { ok: false, dnsMs, failure: { kind: 'dns', message: `Looking up ${host} took longer than ${timeoutMs} ms.` } };
    }
    if (winner === 'aborted') {
      lookup.catch(() => undefined);
      return { ok: false, dnsMs, failure: { kind: 'cancelled', message: 'The test was cancelled.' } };
    }
    const addresses = winner
      .filter((a) => a.family === 4 || a.family === 6)
      .map((a) => ({ address: a.address, family: a.family as Family }));
    if (addresses.length === 0) {
      return { ok: false, dnsMs, failure: { kind: 'dns', message: `The name ${host} does not resolve to any address.` } };
    }
    return { ok: true, addresses, dnsMs };
  } catch (error) {
    return { ok: false, dnsMs: elapsed(start), failure: classifyError(error, { host, target: host }) };
  } finally {
    clearTimeout(timer);
    if (onAbort) {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** An open socket and how long the connect took, or why it failed. */
export type ConnectOutcome =
  | { ok: true; socket: net.Socket; connectMs: number }
  | { ok: false; failure: ConnectionFailure; connectMs?: number };

/** Opens a TCP connection to `address:port` within `timeoutMs`. On failure the socket is destroyed. */
export function connectTcp(address: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const target = hostPort(address, port);
    if (signal?.aborted) {
      resolve({ ok: false, failure: { kind: 'cancelled', message: 'The test was cancelled.' } });
      return;
    }
    const start = performance.now();
    const socket = net.connect({ host: address, port });
    // Stays for the socket's whole life: later errors are seen by the reads, never left unhandled.
    socket.on('error', () => undefined);
    let settled = false;
    const settle = (outcome: ConnectOutcome): void => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect);
      socket.off('error', onError);
      if (!outcome.ok) {
        socket.destroy();
      }
      resolve(outcome);
    };
    const onConnect = (): void => settle({ ok: true, socket, connectMs: elapsed(start) });
    const onError = (error: Error): void =>
      settle({ ok: false, connectMs: elapsed(start), failure: classifyError(error, { host: address, target }) });
    const onAbort = (): void => settle({ ok: false, failure: { kind: 'cancelled', message: 'The test was cancelled.' } });
    const timer = setTimeout(
      () =>
        settle({
          ok: false,
          connectMs: elapsed(start),
          failure: {
            kind: 'timeout',
            message: `${target} did not accept the connection within ${timeoutMs} ms (packets dropped by a firewall, or the server is not accepting).`,
          },
        }),
      timeoutMs,
    );
    socket.once('connect', onConnect);
    socket.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
