// Connection results as text: one line for a notification, several for a log.
import type { ConnectionResult } from './types';
import { hostPort } from '../../core/format';

function ms(value: number): string {
  return value < 1 ? '<1 ms' : `${value} ms`;
}

function familyLabel(family: number | undefined): string {
  return family === 6 ? 'IPv6' : family === 4 ? 'IPv4' : '';
}

function target(result: ConnectionResult): string {
  return `${result.protocol.toUpperCase()} ${hostPort(result.host, result.port)}`;
}

/** The key facts in one line, e.g. `TCP localhost:3000 is open (127.0.0.1, 2 ms): HTTP 200 OK, server nginx`. */
export function formatConnectionResult(result: ConnectionResult): string {
  const via = result.address && result.address !== result.host ? `${result.address}, ` : '';
  if (result.ok === true) {
    const time = result.connectMs !== undefined ? ms(result.connectMs) : ms(result.totalMs);
    const verb = result.protocol === 'udp' ? 'answered' : 'is open';
    const what = result.identified ? `: ${result.identified.summary}` : '';
    return `${target(result)} ${verb} (${via}${time})${what}`;
  }
  if (result.ok === false) {
    const failure = result.failure;
    return `${target(result)} failed: ${failure ? failure.message : 'unknown reason'}`;
  }
  return `${target(result)}: cannot tell whether it is open.${result.note ? ` ${result.note}` : ''}`;
}

/** The whole story, one fact per line, for a log. */
export function describeConnectionResult(result: ConnectionResult): string[] {
  const lines = [`Target: ${target(result)}`];
  if (result.address) {
    const family = familyLabel(result.family);
    const how = result.dnsMs !== undefined ? `resolved in ${ms(result.dnsMs)}` : 'no lookup needed';
    lines.push(`Address: ${result.address}${family ? ` (${family})` : ''}, ${how}`);
  } else if (result.dnsMs !== undefined) {
    lines.push(`Lookup: ${ms(result.dnsMs)}`);
  }
  if (result.connectMs !== undefined && result.ok !== false) {
    lines.push(`Connected in ${ms(result.connectMs)}`);
  }
  if (result.ok === true) {
    lines.push('Result: open');
  } else if (result.ok === false) {
    const failure = result.failure;
    lines.push(`Result: failed (${failure?.kind ?? 'other'}${failure?.code ? `, ${failure.code}` : ''}): ${failure?.message ?? 'unknown reason'}`);
  } else {
    lines.push('Result: cannot tell');
  }
  const id = result.identified;
  if (id) {
    lines.push(`Identified (${id.kind}): ${id.summary}`);
    if (id.http) {
      lines.push(`  Status line: ${id.http.statusLine}`);
      if (id.http.server) {
        lines.push(`  Server: ${id.http.server}`);
      }
      if (id.http.location) {
        lines.push(`  Location: ${id.http.location}`);
      }
    }
    if (id.tls) {
      const t = id.tls;
      lines.push(`  TLS: ${t.protocol}${t.alpn ? `, ALPN ${t.alpn}` : ''}`);
      lines.push(`  Certificate subject: ${t.subject}`);
      lines.push(`  Certificate issuer: ${t.issuer}${t.selfSigned ? ' (self-signed)' : ''}`);
      if (t.validTo) {
        lines.push(`  Valid until: ${t.validTo}`);
      }
      if (t.authorized !== undefined) {
        lines.push(`  Trusted: ${t.authorized ? 'yes' : `no${t.authorizationError ? `, ${t.authorizationError}` : ''}`}`);
      }
    }
    if (id.banner) {
      lines.push(`  Greeting: ${id.banner}`);
    }
    if (id.dns) {
      lines.push(`  DNS response: ${id.dns.rcodeName}, ${id.dns.answers} answer${id.dns.answers === 1 ? '' : 's'}`);
    }
  }
  if (result.note) {
    lines.push(`Note: ${result.note}`);
  }
  lines.push(`Total: ${ms(result.totalMs)}`);
  return lines;
}
