// Step 1, "Listening?": which sockets hold the port, who owns them since when, what their addresses
// mean for reachability, and why several sockets or processes can share one port.
import { revealOwnerHint } from '../../inspector/kill/stopOwners';
import type { ListeningSocket, ProcessInfo } from '../../core/types';
import { clockTime } from '../activity/describe';
import type { ExposureScope } from '../exposure';
import { addressExposure } from '../exposure';
import { addressCode, code, md, plural } from './markdown';
import type { StepVerdict, TroubleshootFacts, TroubleshootStep } from './types';
import { portLabel } from '../../core/format';

const MEANINGS: Readonly<Record<ExposureScope, string>> = {
  loopback:
    '**Loopback only**: reachable from this machine only — the usual reason it works locally but not from a phone, a container or another machine. ' +
    'To accept connections from elsewhere the server has to bind all interfaces (`0.0.0.0` or `::`), for example `--host 0.0.0.0` for Vite or `HOST=0.0.0.0` for many dev servers.',
  all:
    '**All interfaces** (a wildcard address): reachable through every network interface of this machine, so from other machines too, unless a firewall stops it.',
  interface:
    '**One interface**: reachable only through that one address. Connections to `localhost` or `127.0.0.1` are refused, because the server is not bound there.',
};

const SCOPE_WORDS: Readonly<Record<ExposureScope, string>> = { loopback: 'loopback only', all: 'all interfaces', interface: 'one interface' };

function ownerLine(o: ProcessInfo, now: number): string {
  const facts = [`pid ${o.pid}`];
  const user = o.user ?? (o.uid !== undefined ? String(o.uid) : undefined);
  if (user) {
    facts.push(`user ${md(user, 32)}`);
  }
  if (o.startTime !== undefined && Number.isFinite(o.startTime)) {
    facts.push(`running since ${clockTime(o.startTime, now)}`);
  }
  const command = o.command ? `: ${code(o.command, 300)}` : '';
  return `${md(o.name, 64)} (${facts.join(', ')})${command}`;
}

function socketLines(facts: TroubleshootFacts, socket: ListeningSocket): string[] {
  const exposure = addressExposure(socket.address);
  const head = `- ${socket.protocol.toUpperCase()} ${addressCode(socket.address, socket.port)} — ${md(exposure.label)}`;
  if (!socket.ownerVisible || socket.owners.length === 0) {
    const uid = socket.uid !== undefined ? ` (uid ${socket.uid})` : '';
    return [
      `${head} — owner not visible${uid}: ` +
        (facts.asRoot
          ? 'the scan ran as root, so it is in another pid namespace (a container or a sandbox). '
          : "another user's process, or one in another container or namespace. ") +
        `To see it, run ${code(revealOwnerHint(socket.port, socket.protocol, facts.platform, facts.asRoot ?? false))}.`,
    ];
  }
  if (socket.owners.length === 1) {
    return [`${head} — ${ownerLine(socket.owners[0], facts.now)}`];
  }
  return [`${head} — held by ${socket.owners.length} processes:`, ...socket.owners.map((o) => `  - ${ownerLine(o, facts.now)}`)];
}

function who(s: ListeningSocket): string {
  if (s.owners.length === 0) {
    return s.container ? `container ${s.container.name}` : 'a process whose owner is not visible';
  }
  const first = s.owners[0];
  if (s.container) {
    // The forwarder holds the socket for the container: the container is what the user runs.
    return `container ${s.container.name} (through ${first.name}, pid ${first.pid})`;
  }
  return `${first.name} (pid ${first.pid})${s.owners.length > 1 ? ` and ${s.owners.length - 1} more` : ''}`;
}

/** Notes on several sockets or processes sharing the port. Markdown. */
function sharingNotes(sockets: readonly ListeningSocket[]): string[] {
  const notes: string[] = [];
  const byAddress = new Map<string, ListeningSocket[]>();
  for (const s of sockets) {
    const key = `${s.protocol}|${s.address}`;
    byAddress.set(key, [...(byAddress.get(key) ?? []), s]);
  }
  for (const list of byAddress.values()) {
    if (list.length > 1) {
      const s = list[0];
      const pids = [...new Set(list.flatMap((x) => x.owners.map((o) => o.pid)))];
      const how = s.protocol === 'udp' ? 'SO_REUSEPORT or SO_REUSEADDR (mDNS and multicast listeners share ports this way)' : 'SO_REUSEPORT';
      notes.push(
        `**${plural(list.length, 'socket')} on the same address** (${s.protocol.toUpperCase()} ${addressCode(s.address, s.port)}${pids.length > 0 ? `, ${plural(pids.length, 'process', 'processes')}` : ''}): ` +
          `they were opened with ${how}, and the kernel spreads new connections across them — typical of worker processes (nginx, gunicorn \`--reuse-port\`, a cluster). ` +
          'The port is free only when every one of them has closed.',
      );
    }
  }
  for (const s of sockets) {
    if (s.owners.length > 1) {
      const pids = new Set(s.owners.map((o) => o.pid));
      const parents = s.owners.filter((o) => s.owners.some((c) => c.ppid === o.pid));
      const parent = parents.length > 0 ? ` ${md(parents[0].name, 64)} (pid ${parents[0].pid}) is the parent of the others.` : '';
      notes.push(
        `**One socket held by ${pids.size} processes** (${s.protocol.toUpperCase()} ${addressCode(s.address, s.port)}): the socket was inherited — a parent opened it and its children or workers got a copy ` +
          `(node cluster, gunicorn or uWSGI workers, a supervisor, systemd socket activation).${parent} Stopping one holder does not free the port.`,
      );
    }
  }
  for (const protocol of ['tcp', 'udp'] as const) {
    const mine = sockets.filter((s) => s.protocol === protocol);
    const v4 = mine.filter((s) => s.family === 4);
    const v6 = mine.filter((s) => s.family === 6);
    if (v4.length > 0 && v6.length > 0) {
      const reach4 = new Set(v4.map((s) => addressExposure(s.address).scope));
      const reach6 = new Set(v6.map((s) => addressExposure(s.address).scope));
      const same = reach4.size === reach6.size && [...reach4].every((r) => reach6.has(r));
      const differ = same
        ? ''
        : ` ⚠️ They differ in reach: IPv4 ${[...new Set(v4.map((s) => s.address))].map((a) => code(a, 60)).join(', ')} versus IPv6 ${[...new Set(v6.map((s) => s.address))].map((a) => code(a, 60)).join(', ')} — a client may get a different answer depending on which family \`localhost\` resolves to.`;
      notes.push(`**IPv4 and IPv6 twins** (${protocol.toUpperCase()}): the port is bound in both address families, as servers that bind \`localhost\` or both wildcards do.${differ}`);
    }
    // Per address, the set of processes holding it; processes that differ between addresses mean a
    // client's choice of address picks the server.
    const byAddress = new Map<string, { pids: Set<number>; first: ListeningSocket }>();
    for (const s of mine.filter((x) => x.owners.length > 0)) {
      const entry = byAddress.get(s.address) ?? { pids: new Set<number>(), first: s };
      s.owners.forEach((o) => entry.pids.add(o.pid));
      byAddress.set(s.address, entry);
    }
    const pidSets = [...byAddress.values()].map((e) => [...e.pids].sort((a, b) => a - b).join(','));
    if (byAddress.size > 1 && new Set(pidSets).size > 1) {
      const list = [...byAddress.values()]
        .map((e) => {
          const o = e.first.owners[0];
          const holders = `${o.name} (pid ${o.pid})${e.pids.size > 1 ? ` and ${e.pids.size - 1} more` : ''}`;
          return `${md(holders, 100)} on ${addressCode(e.first.address, e.first.port)}`;
        })
        .join('; ');
      notes.push(
        `**Different processes on different addresses** (${protocol.toUpperCase()}): ${list}. Which one answers depends on the address a client connects to — \`localhost\` may reach either.`,
      );
    }
  }
  return notes;
}

/** Whether a client connecting to `host` can reach one of `sockets`; undefined when it cannot be told
 *  from the address alone (a host name other than localhost). */
export function hostReachesSockets(host: string, sockets: readonly ListeningSocket[]): boolean | undefined {
  const lower = host.toLowerCase();
  const exposure = addressExposure(host);
  const isIp = exposure.network !== 'unknown';
  if (lower !== 'localhost' && !isIp) {
    return undefined;
  }
  return sockets.some((s) => {
    const scope = addressExposure(s.address).scope;
    if (scope === 'all') {
      return true;
    }
    if (lower === 'localhost' || exposure.scope === 'loopback') {
      return scope === 'loopback';
    }
    return s.address.toLowerCase() === lower;
  });
}

/** Step 1. */
export function listeningStep(facts: TroubleshootFacts): TroubleshootStep {
  const label = portLabel(facts);
  const lines: string[] = [];
  if (facts.sockets.length === 0) {
    let summary = `Nothing is listening on port ${label}.`;
    lines.push(`Nothing is listening on port ${label} in this snapshot (taken at ${clockTime(facts.snapshotTakenAt, facts.now)}).`);
    if (facts.otherProtocolSockets.length > 0) {
      const other = facts.otherProtocolSockets[0];
      summary += ` ${other.protocol.toUpperCase()} port ${facts.port} is bound, but that is a different protocol.`;
      lines.push(
        '',
        `${other.protocol.toUpperCase()} port ${facts.port} is bound by ${md(who(other), 100)} — a different protocol: a ${(facts.protocol ?? 'tcp').toUpperCase()} client cannot reach it.`,
      );
    }
    lines.push('', 'See step 4 for why that may be.');
    return { id: 'listening', title: 'Listening?', verdict: 'fail', summary, markdown: lines.join('\n') };
  }

  for (const s of facts.sockets) {
    lines.push(...socketLines(facts, s));
  }
  const scopes = [...new Set(facts.sockets.map((s) => addressExposure(s.address).scope))];
  lines.push('', '**What the address means**', '');
  for (const scope of scopes) {
    lines.push(`- ${MEANINGS[scope]}`);
  }
  const tcpOrUdp = (p: 'tcp' | 'udp'): ListeningSocket[] => facts.sockets.filter((s) => s.protocol === p);
  for (const p of ['tcp', 'udp'] as const) {
    const list = tcpOrUdp(p);
    const loop4 = list.some((s) => s.family === 4 && addressExposure(s.address).scope === 'loopback');
    const loop6 = list.some((s) => s.family === 6 && addressExposure(s.address).scope === 'loopback');
    const wild = list.some((s) => addressExposure(s.address).scope === 'all');
    if (!wild && loop4 !== loop6) {
      lines.push(
        loop4
          ? '- Only IPv4 loopback (`127.0.0.1`) is bound: a client that resolves `localhost` to `::1` first (Node 17 and later, some browsers and tools) gets "connection refused". Use `127.0.0.1` in the URL, or bind both.'
          : '- Only IPv6 loopback (`::1`) is bound: a client that connects to `127.0.0.1`, or resolves `localhost` to it, gets "connection refused". Use `[::1]` or `localhost`, or bind both.',
      );
    }
    const v6Wild = list.filter((s) => s.family === 6 && addressExposure(s.address).scope === 'all');
    if (v6Wild.length > 0 && !list.some((s) => s.family === 4)) {
      lines.push(
        `- Only the IPv6 wildcard (${code(v6Wild[0].address, 40)}) is bound. On most systems such a socket also accepts IPv4 connections (dual stack), unless the server set IPV6_V6ONLY${facts.platform === 'linux' ? ' or `net.ipv6.bindv6only` is 1' : ''}: the connection tests in step 2 show which.`,
      );
    }
  }
  const sharing = sharingNotes(facts.sockets);
  if (sharing.length > 0) {
    lines.push('', '**Port sharing**', '', ...sharing.map((n) => `- ${n}`));
  }

  let verdict: StepVerdict = 'ok';
  const first = facts.sockets[0];
  const reach = scopes.map((s) => SCOPE_WORDS[s]).join(', ');
  let summary = `Port ${label} is listening on ${[...new Set(facts.sockets.map((s) => s.address))].slice(0, 4).join(', ')} (${reach}), held by ${who(first)}.`;
  if (facts.host !== undefined) {
    const reaches = hostReachesSockets(facts.host, facts.sockets);
    if (reaches === false) {
      verdict = 'warn';
      summary = `Port ${label} is listening, but not on an address that connections to ${facts.host} reach.`;
      lines.unshift(`⚠️ No socket accepts connections made to ${code(facts.host, 100)}: it is bound to other addresses only (see below).`, '');
    }
  }
  return { id: 'listening', title: 'Listening?', verdict, summary, markdown: lines.join('\n') };
}
