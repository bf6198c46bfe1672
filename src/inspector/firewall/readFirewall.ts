// Reads the local firewalls for one port: runs each tool (argument arrays, timeouts, never a shell) and
// hands its output to the parser. Every outcome is a reading: rules found, firewall off, or unreadable
// with the reason and a command the user can run themselves. Nothing here changes any rule.
import { promises as fs } from 'node:fs';
import { parsePort } from '../../core/input';
import { decodeConsoleText } from '../windows/consoleText';
import { run } from '../exec';
import type { RunResult } from '../exec';
import { InspectorError } from '../../core/types';
import { firewalldNoBus, firewalldNotRunning, parseFirewalldServiceXml, parseFirewalldZones } from './firewalld';
import { iptablesSaveInfo, parseIptablesSave } from './iptables';
import { APPFW, manualCommand, sourceLabel } from './labels';
import { parseAppFirewall } from './macAppFirewall';
import { netshIsEnglish, parseNetshProfiles, parseNetshRules } from './netsh';
import { parseNftRuleset } from './nftables';
import { parsePfRules, pfStatus } from './pf';
import type { ServicePorts } from './serviceNames';
import { servicePorts } from './serviceNames';
import type { FirewallFindings, FirewallQuery, FirewallReading, FirewallSource, ParsedFirewall, UnreadableReason } from './types';
import { parseUfwStatus, ufwInactive } from './ufw';

/** What to read, and how. */
export interface ReadFirewallOptions extends FirewallQuery {
  /** Default `process.platform`. */
  platform?: NodeJS.Platform;
  /** Runs every command under this prefix, e.g. `['ip', 'netns', 'exec', 'ns1']` to read the firewall
   *  of a network namespace. Without it, commands run as they are. */
  wrap?: readonly string[];
  /** Only these sources (default: every source of the platform). */
  sources?: readonly FirewallSource[];
  /** Per command. Default 5000 ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The sources read on each platform, in the order they are reported. */
export const PLATFORM_SOURCES: Readonly<Partial<Record<NodeJS.Platform, readonly FirewallSource[]>>> = {
  linux: ['nftables', 'iptables', 'ip6tables', 'ufw', 'firewalld'],
  darwin: ['macos-appfw', 'pf'],
  win32: ['windows'],
};

/** Matches the words tools use when they lack the rights to read rules. */
const PERMISSION = /permission denied|operation not permitted|must be root|need to be root|you need to be root|not permitted|access is denied|authoriz/i;

const TOOL_NAMES: Readonly<Record<FirewallSource, string>> = {
  nftables: 'nft',
  iptables: 'iptables-save',
  ip6tables: 'ip6tables-save',
  ufw: 'ufw',
  firewalld: 'firewall-cmd',
  pf: 'pfctl',
  'macos-appfw': 'socketfilterfw',
  windows: 'netsh',
};

class Runner {
  constructor(private readonly options: ReadFirewallOptions) {}

  /** Runs `tool args`, wrapped when asked. Unwrapped Unix tools missing from PATH are also looked for in
   *  /usr/sbin and /sbin: a normal user's PATH often lacks them, and "not installed" would be wrong. */
  async run(tool: string, args: string[], extra: { okExitCodes?: number[]; latin1?: boolean } = {}): Promise<RunResult> {
    const opts = {
      timeoutMs: this.options.timeoutMs ?? 5000,
      signal: this.options.signal,
      okExitCodes: extra.okExitCodes,
      encoding: extra.latin1 ? ('latin1' as const) : undefined,
      maxBuffer: 32 * 1024 * 1024,
    };
    const wrap = this.options.wrap ?? [];
    if (wrap.length > 0) {
      return run(wrap[0], [...wrap.slice(1), tool, ...args], opts);
    }
    const candidates = tool.startsWith('/') ? [tool] : [tool, `/usr/sbin/${tool}`, `/sbin/${tool}`];
    let last: unknown;
    for (const file of this.options.platform === 'win32' ? [tool] : candidates) {
      try {
        return await run(file, args, opts);
      } catch (err) {
        last = err;
        if (!(err instanceof InspectorError && err.code === 'TOOL_MISSING')) {
          throw err;
        }
      }
    }
    throw last;
  }
}

function unreadable(source: FirewallSource, reason: UnreadableReason, message: string, port: number): FirewallReading {
  return { source, status: 'unreadable', reason, message, command: manualCommand(source, port) };
}

/** Turns a failed run into a reading: missing tool, no rights, timeout, or another failure. */
function failure(source: FirewallSource, err: unknown, port: number): FirewallReading {
  const tool = TOOL_NAMES[source];
  if (err instanceof InspectorError) {
    const detail = `${err.detail ?? ''}`;
    // A wrap reports a missing program itself: `ip netns exec` says `exec of "nft" failed: No such file
    // or directory`, nsenter says `nsenter: failed to execute nft: No such file or directory`.
    if (err.code === 'TOOL_MISSING' || /exec of ".*" failed: No such file|failed to execute .*: No such file/.test(detail)) {
      return unreadable(source, 'missing', `${tool} is not installed.`, port);
    }
    if (err.code === 'TIMEOUT') {
      return unreadable(source, 'timeout', `${tool} did not answer in time.`, port);
    }
    if (err.code === 'PERMISSION' || PERMISSION.test(detail) || PERMISSION.test(err.message)) {
      return unreadable(source, 'permission', `Reading the ${sourceLabel(source)} rules needs administrator rights (root).`, port);
    }
    const line = (detail.trim().split('\n')[0] ?? '').slice(0, 160);
    return unreadable(source, 'failed', `${tool} failed${line ? `: ${line}` : '.'}`, port);
  }
  return unreadable(source, 'failed', `${tool} failed: ${(err as Error)?.message ?? String(err)}`, port);
}

function parsed(source: FirewallSource, command: string, parse: () => ParsedFirewall, port: number): FirewallReading {
  try {
    return { source, status: 'read', command, ...parse() };
  } catch (err) {
    return unreadable(source, 'unparsed', (err as Error).message, port);
  }
}

// --- one function per source

async function readNft(r: Runner, q: FirewallQuery): Promise<{ reading: FirewallReading }> {
  const result = await r.run('nft', ['-j', 'list', 'ruleset']);
  return { reading: parsed('nftables', 'nft -j list ruleset', () => parseNftRuleset(result.stdout, q), q.port) };
}

async function readIptables(r: Runner, q: FirewallQuery, source: 'iptables' | 'ip6tables'): Promise<{ reading: FirewallReading; text: string }> {
  const tool = `${source}-save`;
  const result = await r.run(tool, []);
  const text = `${result.stdout}\n${result.stderr.split('\n').filter((l) => l.startsWith('# Warning')).join('\n')}`;
  return { reading: parsed(source, tool, () => parseIptablesSave(text, q, source), q.port), text: result.stdout };
}

async function readUfw(r: Runner, q: FirewallQuery): Promise<FirewallReading> {
  // ufw exits 1 and may print "ERROR: You need to be root to run this script" on stdout.
  const result = await r.run('ufw', ['status', 'verbose'], { okExitCodes: [1] });
  if (result.exitCode !== 0) {
    const said = `${result.stdout}\n${result.stderr}`.trim();
    if (PERMISSION.test(said)) {
      return unreadable('ufw', 'permission', 'Reading the ufw rules needs administrator rights (root).', q.port);
    }
    return unreadable('ufw', 'failed', `ufw failed${said ? `: ${said.split('\n')[0].slice(0, 160)}` : '.'}`, q.port);
  }
  if (ufwInactive(result.stdout)) {
    return { source: 'ufw', status: 'inactive', command: 'ufw status verbose', message: 'ufw is installed but inactive.' };
  }
  return parsed('ufw', 'ufw status verbose', () => parseUfwStatus(result.stdout, q), q.port);
}

const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/;

/** Reads firewalld's own service definitions (no root needed) for the services the zones name. */
async function firewalldServices(text: string): Promise<Map<string, ServicePorts[]>> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^\s+services:[ \t]*(.*)$/gm)) {
    for (const n of m[1].split(/\s+/)) {
      if (SERVICE_NAME.test(n)) {
        names.add(n);
      }
    }
  }
  for (const m of text.matchAll(/service name="([^"]*)"/g)) {
    if (SERVICE_NAME.test(m[1])) {
      names.add(m[1]);
    }
  }
  const found = new Map<string, ServicePorts[]>();
  await Promise.all(
    [...names].slice(0, 100).map(async (name) => {
      for (const dir of ['/etc/firewalld/services', '/usr/lib/firewalld/services']) {
        try {
          const ports = parseFirewalldServiceXml(await fs.readFile(`${dir}/${name}.xml`, 'utf8'));
          if (ports) {
            found.set(name, ports);
            return;
          }
        } catch {
          // Not defined in this directory: try the next, then the built-in table.
        }
      }
    }),
  );
  return found;
}

async function readFirewalld(r: Runner, q: FirewallQuery): Promise<FirewallReading> {
  // firewall-cmd exits 252 ("FirewallD is not running") when the daemon is down, and 36 (DBUS_ERROR)
  // when there is not even a system bus, as in containers.
  const [result, defaultZone] = await Promise.all([
    r.run('firewall-cmd', ['--list-all-zones'], { okExitCodes: [252, 36] }),
    r.run('firewall-cmd', ['--get-default-zone']).then(
      (d) => d.stdout.trim(),
      () => undefined,
    ),
  ]);
  const said = `${result.stdout}\n${result.stderr}`;
  if (result.exitCode === 36 && firewalldNoBus(said)) {
    return {
      source: 'firewalld',
      status: 'inactive',
      command: 'firewall-cmd --list-all-zones',
      message: 'firewalld is installed but not running (there is no D-Bus system bus, which it needs).',
    };
  }
  if (result.exitCode === 36) {
    // Another D-Bus error (access denied by the bus policy, …): classified like any other failure.
    return failure('firewalld', new InspectorError("'firewall-cmd' failed.", 'FAILED', said.trim()), q.port);
  }
  if (result.exitCode === 252 || firewalldNotRunning(said)) {
    return { source: 'firewalld', status: 'inactive', command: 'firewall-cmd --list-all-zones', message: 'firewalld is installed but not running.' };
  }
  const services = await firewalldServices(result.stdout);
  return parsed(
    'firewalld',
    'firewall-cmd --list-all-zones',
    () =>
      parseFirewalldZones(result.stdout, q, {
        defaultZone: defaultZone && SERVICE_NAME.test(defaultZone) ? defaultZone : undefined,
        servicePorts: (name) => {
          const known = services.get(name);
          const builtIn = servicePorts(name);
          return known ?? (builtIn && [builtIn]);
        },
      }),
    q.port,
  );
}

async function readPf(r: Runner, q: FirewallQuery): Promise<FirewallReading> {
  const info = await r.run('pfctl', ['-si']);
  if (pfStatus(`${info.stdout}\n${info.stderr}`) === 'disabled') {
    return { source: 'pf', status: 'inactive', command: 'pfctl -si', message: 'pf is disabled (the usual state on macOS).' };
  }
  const rules = await r.run('pfctl', ['-sr']);
  return parsed('pf', 'pfctl -sr', () => parsePfRules(rules.stdout, q), q.port);
}

async function readAppFirewall(r: Runner, q: FirewallQuery): Promise<FirewallReading> {
  const [state, blockAll, apps] = await Promise.all([
    r.run(APPFW, ['--getglobalstate']),
    r.run(APPFW, ['--getblockall']).catch(() => undefined),
    r.run(APPFW, ['--listapps']).catch(() => undefined),
  ]);
  const result = parseAppFirewall(`${state.stdout}\n${blockAll?.stdout ?? ''}`, apps?.stdout ?? '', q);
  if (result.state.enabled === false) {
    return { source: 'macos-appfw', status: 'inactive', command: `${APPFW} --getglobalstate`, message: 'The macOS Application Firewall is off.' };
  }
  if (result.state.enabled === undefined) {
    return unreadable('macos-appfw', 'unparsed', 'socketfilterfw did not say whether the firewall is on.', q.port);
  }
  return { source: 'macos-appfw', status: 'read', command: `${APPFW} --getglobalstate --getblockall --listapps`, rules: result.rules, policies: result.policies, notes: result.notes };
}

async function readWindows(r: Runner, q: FirewallQuery): Promise<FirewallReading> {
  const [rules, profiles] = await Promise.all([
    // netsh exits 1 with "No rules match the specified criteria." when nothing matches.
    r.run('netsh', ['advfirewall', 'firewall', 'show', 'rule', 'name=all', 'dir=in', 'verbose'], { okExitCodes: [1], latin1: true }),
    r.run('netsh', ['advfirewall', 'show', 'allprofiles'], { latin1: true }).catch(() => undefined),
  ]);
  const text = decodeConsoleText(rules.stdout);
  if (!netshIsEnglish(text)) {
    return unreadable(
      'windows',
      'unparsed',
      'netsh answers in the language of Windows, and only English output can be read here. The PowerShell command below works in any language.',
      q.port,
    );
  }
  return parsed(
    'windows',
    'netsh advfirewall firewall show rule name=all dir=in verbose',
    () => {
      const found = parseNetshRules(text, q);
      if (profiles) {
        found.policies.push(...parseNetshProfiles(decodeConsoleText(profiles.stdout)));
      }
      return found;
    },
    q.port,
  );
}

/**
 * iptables-nft keeps its rules in nftables tables (`ip filter`, `ip6 nat`, …), so `nft list ruleset` shows
 * them again, less readably (multiport becomes an opaque `xt` match). When iptables-save says it is the
 * nf_tables variant, the nftables reading drops the chains iptables already reported.
 */
export function dropIptablesNftDuplicates(nft: FirewallReading, dumps: ReadonlyArray<{ family: 'ip' | 'ip6'; text: string }>): FirewallReading {
  if (nft.status !== 'read') {
    return nft;
  }
  const prefixes: string[] = [];
  for (const { family, text } of dumps) {
    const info = iptablesSaveInfo(text);
    if (info.backend === 'nf_tables') {
      prefixes.push(...info.chains.map((c) => `${family} ${c.table}, chain ${c.chain}`));
    }
  }
  if (prefixes.length === 0) {
    return nft;
  }
  const owned = (location: string): boolean => prefixes.some((p) => location === p || location.startsWith(`${p}, hook `));
  const rules = nft.rules.filter((r) => !owned(r.location));
  const policies = nft.policies.filter((p) => !owned(p.location));
  const dropped = nft.rules.length - rules.length;
  const notes = dropped > 0 ? [...nft.notes, `${dropped} rule${dropped === 1 ? '' : 's'} of iptables-nft tables are shown under iptables instead.`] : nft.notes;
  return { ...nft, rules, policies, notes };
}

/**
 * Reads every firewall of the platform (or `options.sources`) for `options.port`, in parallel. Never
 * fails for a firewall problem: each source becomes a reading, readable or not. Platforms without a
 * reader get no readings.
 * @throws Error (one line) only for an invalid port or protocol.
 */
export async function readFirewall(options: ReadFirewallOptions): Promise<FirewallFindings> {
  parsePort(options?.port);
  if (options.protocol !== undefined && options.protocol !== 'tcp' && options.protocol !== 'udp') {
    throw new Error(`Unknown protocol "${String(options.protocol)}": use tcp or udp.`);
  }
  const platform = options.platform ?? process.platform;
  const query: FirewallQuery = { port: options.port, protocol: options.protocol, programs: options.programs };
  const wanted = (options.sources ?? PLATFORM_SOURCES[platform] ?? []).filter((s) => (PLATFORM_SOURCES[platform] ?? []).includes(s));
  const runner = new Runner({ ...options, platform });
  const dumps: Array<{ family: 'ip' | 'ip6'; text: string }> = [];
  const guard = async (source: FirewallSource, read: () => Promise<FirewallReading>): Promise<FirewallReading> => {
    try {
      return await read();
    } catch (err) {
      return failure(source, err, options.port);
    }
  };
  const readings = await Promise.all(
    wanted.map((source) =>
      guard(source, async () => {
        switch (source) {
          case 'nftables':
            return (await readNft(runner, query)).reading;
          case 'iptables':
          case 'ip6tables': {
            const { reading, text } = await readIptables(runner, query, source);
            dumps.push({ family: source === 'iptables' ? 'ip' : 'ip6', text });
            return reading;
          }
          case 'ufw':
            return readUfw(runner, query);
          case 'firewalld':
            return readFirewalld(runner, query);
          case 'pf':
            return readPf(runner, query);
          case 'macos-appfw':
            return readAppFirewall(runner, query);
          case 'windows':
            return readWindows(runner, query);
        }
      }),
    ),
  );
  return {
    port: options.port,
    protocol: options.protocol,
    platform,
    readings: readings.map((r) => (r.source === 'nftables' ? dropIptablesNftDuplicates(r, dumps) : r)),
  };
}
