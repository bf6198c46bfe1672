// Connection test: can this machine reach host:port, how long did it take, and what answers there?
import { parseHost, parsePort } from '../../core/input';
import type { Protocol } from '../../core/types';
import { connectTcp, lookupHost } from './connect';
import { identifyService } from './identify';
import { elapsed } from './text';
import type { ConnectionResult, TestConnectionOptions } from './types';
import { probeDns, summarizeDns } from './udp';
import { hostPort } from '../../core/format';

export type {
  ConnectionFailure,
  ConnectionResult,
  DnsDetails,
  FailureKind,
  HttpDetails,
  Identification,
  TestConnectionOptions,
  TlsDetails,
} from './types';
export { describeConnectionResult, formatConnectionResult } from './resultText';

const DEFAULT_TIMEOUT_MS = 3000;
const MAX_TIMEOUT_MS = 120_000;

interface ValidOptions {
  host: string;
  port: number;
  protocol: Protocol;
  timeoutMs: number;
  identify: boolean;
  signal?: AbortSignal;
}

function validate(options: TestConnectionOptions): ValidOptions {
  if (!options || typeof options !== 'object') {
    throw new Error('testConnection needs { host, port }.');
  }
  const { host } = parseHost(options.host);
  const port = parsePort(options.port);
  const protocol = options.protocol ?? 'tcp';
  if (protocol !== 'tcp' && protocol !== 'udp') {
    throw new Error(`Unknown protocol "${String(protocol)}": use tcp or udp.`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new Error(`The timeout must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}.`);
  }
  return { host, port, protocol, timeoutMs, identify: options.identify ?? true, signal: options.signal };
}

function joinNotes(...notes: (string | undefined)[]): string | undefined {
  const present = notes.filter((n): n is string => !!n);
  return present.length > 0 ? present.join(' ') : undefined;
}

const CANCELLED = { kind: 'cancelled', message: 'The test was cancelled.' } as const;

/**
 * Tests whether `host:port` can be reached from this machine and, unless `identify` is false, what
 * answers there (a greeting, TLS certificate, HTTP status). The name is looked up first (timed on its own,
 * bounded by `timeoutMs`), then the first address is used; `timeoutMs` separately bounds the connect.
 * Identification adds at most a few seconds, each step capped. UDP cannot be confirmed by a connect:
 * only port 53 is probed (one DNS query); other UDP ports report `ok: undefined`.
 *
 * Resolves for every network outcome, including cancellation through `signal`.
 * @throws Error (one plain line) only for invalid options: a bad host, port, protocol or timeout.
 */
export async function testConnection(options: TestConnectionOptions): Promise<ConnectionResult> {
  const { host, port, protocol, timeoutMs, identify, signal } = validate(options);
  const start = performance.now();
  const finish = (rest: Omit<ConnectionResult, 'host' | 'port' | 'protocol' | 'totalMs'>): ConnectionResult => {
    const result: ConnectionResult = { ok: rest.ok, host, port, protocol, totalMs: elapsed(start) };
    // Leave absent facts out entirely rather than as `undefined` keys (cleaner logs and JSON).
    for (const [key, value] of Object.entries(rest)) {
      if (value !== undefined) {
        (result as unknown as Record<string, unknown>)[key] = value;
      }
    }
    return result;
  };
  if (signal?.aborted) {
    return finish({ ok: false, failure: { ...CANCELLED } });
  }

  const lookup = await lookupHost(host, timeoutMs, signal);
  if (!lookup.ok) {
    return finish({ ok: false, dnsMs: lookup.dnsMs, failure: lookup.failure });
  }
  const { address, family } = lookup.addresses[0];
  const dnsMs = lookup.dnsMs;
  const distinct = [...new Set(lookup.addresses.map((a) => a.address))];
  const addressNote =
    distinct.length > 1
      ? `${host} resolves to ${distinct.slice(0, 4).join(', ')}${distinct.length > 4 ? ', …' : ''}; only the first (IPv${family}) was tried.`
      : undefined;
  const reached = { dnsMs, address, family };

  if (protocol === 'udp') {
    if (port !== 53) {
      return finish({
        ok: undefined,
        ...reached,
        note: joinNotes(
          addressNote,
          'UDP has no handshake, so a connection test cannot tell whether this port is open. Nothing was sent: only port 53 is probed, with a DNS query.',
        ),
      });
    }
    const dns = await probeDns(address, family, port, timeoutMs, signal);
    if (dns.answered) {
      return finish({ ok: true, ...reached, identified: { kind: 'dns', summary: summarizeDns(dns.details), dns: dns.details }, note: addressNote });
    }
    if (dns.cancelled) {
      return finish({ ok: false, ...reached, failure: { ...CANCELLED }, note: addressNote });
    }
    if (dns.failure) {
      const failure =
        dns.failure.kind === 'refused'
          ? { ...dns.failure, message: `Nothing is listening on UDP ${hostPort(address, port)} (the machine reported the port unreachable).` }
          : dns.failure;
      return finish({ ok: false, ...reached, failure, note: addressNote });
    }
    return finish({
      ok: undefined,
      ...reached,
      note: joinNotes(
        addressNote,
        `No answer to a DNS query within ${timeoutMs} ms. UDP gives no refusal when packets are dropped, so the port may be closed, filtered, or not a DNS server.`,
      ),
    });
  }

  const connection = await connectTcp(address, port, timeoutMs, signal);
  if (!connection.ok) {
    return finish({ ok: false, ...reached, connectMs: connection.connectMs, failure: connection.failure, note: addressNote });
  }
  const connected = { ...reached, connectMs: connection.connectMs };
  if (!identify) {
    connection.socket.destroy();
    return finish({ ok: true, ...connected, note: addressNote });
  }
  const outcome = await identifyService({ socket: connection.socket, host, address, port, timeoutMs, signal });
  return finish({
    ok: true,
    ...connected,
    ...(outcome.identified ? { identified: outcome.identified } : {}),
    note: joinNotes(addressNote, outcome.note, outcome.cancelled ? 'Identification was cancelled.' : undefined),
  });
}
