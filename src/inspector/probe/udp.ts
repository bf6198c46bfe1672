// UDP has no handshake: a datagram to a closed port may vanish without a trace. The only honest probe is
// one that a real service answers, so only DNS (port 53) gets one: a single query for `localhost`.
import type * as Dgram from 'node:dgram';
import type * as Crypto from 'node:crypto';
import type { Family } from '../../core/types';
import { classifyError } from './failureKind';
import type { ConnectionFailure, DnsDetails } from './types';
import { hostPort } from '../../core/format';

const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

/**
 * A DNS query (RFC 1035 §4.1) for `localhost` type A, recursion desired. `localhost` because conforming
 * resolvers answer it themselves (RFC 6761 §6.3) and never forward it off the machine.
 */
export function buildDnsQuery(id: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id & 0xffff, 0);
  header.writeUInt16BE(0x0100, 2); // standard query, RD=1
  header.writeUInt16BE(1, 4); // QDCOUNT
  const name = Buffer.from([9, ...Buffer.from('localhost', 'ascii'), 0]);
  const question = Buffer.alloc(4);
  question.writeUInt16BE(1, 0); // QTYPE A
  question.writeUInt16BE(1, 2); // QCLASS IN
  return Buffer.concat([header, name, question]);
}

/** Reads the header of a DNS response to query `id`. Undefined when `data` is not such a response. */
export function parseDnsResponse(data: Buffer, id: number): DnsDetails | undefined {
  if (data.length < 12 || data.readUInt16BE(0) !== (id & 0xffff)) {
    return undefined;
  }
  const flags = data.readUInt16BE(2);
  const isResponse = (flags & 0x8000) !== 0;
  const opcode = (flags >> 11) & 0x0f;
  if (!isResponse || opcode !== 0) {
    return undefined;
  }
  const rcode = flags & 0x0f;
  return { rcode, rcodeName: RCODE_NAMES[rcode] ?? `RCODE ${rcode}`, answers: data.readUInt16BE(6) };
}

/** The DNS answer, or no answer: with `failure` when the port is known closed, `cancelled` on abort,
 *  neither when nothing came back in time (the port may be closed, filtered or not DNS). */
export type DnsProbeOutcome =
  | { answered: true; details: DnsDetails; ms: number }
  | { answered: false; failure?: ConnectionFailure; cancelled?: boolean };

/** Sends one DNS query to `address:port` over UDP and waits up to `timeoutMs` for the matching answer.
 *  A `refused` failure means the machine reported the port unreachable (ICMP), i.e. definitely closed. */
export function probeDns(address: string, family: Family, port: number, timeoutMs: number, signal?: AbortSignal): Promise<DnsProbeOutcome> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve({ answered: false, cancelled: true });
      return;
    }
    // Built-ins load on first use (here, not at start-up): most runs never probe UDP.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { randomInt } = require('node:crypto') as typeof Crypto;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const dgram = require('node:dgram') as typeof Dgram;
    const id = randomInt(0, 0x10000);
    const target = hostPort(address, port);
    const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
    const start = performance.now();
    let settled = false;
    const settle = (outcome: DnsProbeOutcome): void => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      try {
        socket.close();
      } catch {
        // Already closed after an error: nothing left to release.
      }
      resolve(outcome);
    };
    const onAbort = (): void => settle({ answered: false, cancelled: true });
    const timer = setTimeout(() => settle({ answered: false }), timeoutMs);
    socket.on('error', (error) => settle({ answered: false, failure: classifyError(error, { host: address, target }) }));
    socket.on('message', (message) => {
      const details = parseDnsResponse(message, id);
      // Anything else (a stale answer, noise) is ignored; the timer still bounds the wait.
      if (details) {
        settle({ answered: true, details, ms: Math.round(performance.now() - start) });
      }
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    // A connected UDP socket only accepts datagrams from the target, and on Linux and macOS receives the
    // ICMP "port unreachable" as ECONNREFUSED.
    // No callback: Node hands a connect error to the callback if there is one, to 'error' if not.
    socket.once('connect', () => {
      if (!settled) {
        socket.send(buildDnsQuery(id));
      }
    });
    socket.connect(port, address);
  });
}

/** One line for a DNS answer. */
export function summarizeDns(details: DnsDetails): string {
  return `DNS server answered: ${details.rcodeName}, ${details.answers} answer${details.answers === 1 ? '' : 's'}`;
}
