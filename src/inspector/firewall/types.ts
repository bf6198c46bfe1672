// What the local firewalls say about one port. Plain data: parsed from each tool's output, shown in the
// troubleshooting report, logged. Rule text and names come from the machine's configuration (comments,
// rule names, zone names): treat them as untrusted text and escape them for the place they are shown.
import type { Protocol } from '../../core/types';

/** Which firewall a reading comes from. `macos-appfw` is the macOS Application Firewall (per app, not
 *  per port); `windows` is Windows Defender Firewall read through `netsh advfirewall`. */
export type FirewallSource = 'nftables' | 'iptables' | 'ip6tables' | 'ufw' | 'firewalld' | 'pf' | 'macos-appfw' | 'windows';

/** What a rule or policy does with the packets it matches. `other`: anything else (jump to another
 *  chain, log only, NAT redirect, queue…): see the rule's `action`. */
export type RuleVerdict = 'accept' | 'drop' | 'reject' | 'other';

/** The traffic a rule or policy filters: arriving at this machine, leaving it, passing through it
 *  (containers and VMs behind this machine), or unknown/both. */
export type RuleDirection = 'in' | 'out' | 'forward' | 'any';

/** An inclusive port range; a single port is `[p, p]`. */
export type PortSpan = readonly [low: number, high: number];

/** The port asked about. */
export interface FirewallQuery {
  port: number;
  /** Only rules that can apply to this protocol; both when absent. */
  protocol?: Protocol;
  /** Names or paths of the programs holding the port (Windows: `node.exe`). Windows rules that name one
   *  of these programs are reported even when they do not name a port. */
  programs?: readonly string[];
}

/** One rule that mentions the port asked about. */
export interface FirewallRule {
  source: FirewallSource;
  /** Where the rule lives, e.g. `inet filter, chain input`, `filter table, chain INPUT`, `zone public`. */
  location: string;
  direction: RuleDirection;
  verdict: RuleVerdict;
  /** The action in the tool's own words: `accept`, `jump other`, `DNAT`, `ALLOW IN`, `Block`. */
  action: string;
  /** Protocols the rule is limited to; empty when it applies to any protocol. */
  protocols: readonly Protocol[];
  /** Destination ports the rule names; empty for a rule that names a program instead (Windows). */
  ports: readonly PortSpan[];
  /** The rule matches every port *except* `ports` (`!= 22`, `! --dport 22`). */
  negated: boolean;
  /** Whether the rule's port condition covers the port asked about. False for a negated rule that
   *  excludes it, which is still reported: it names the port. */
  applies: boolean;
  /** One line of plain words, e.g. `Drops incoming TCP to port 3000 (inet filter, chain input).` */
  summary: string;
  /** The rule as the tool printed it (one line, capped). Untrusted text. */
  text: string;
}

/** What a chain, zone or profile does with traffic no rule decided: the "default deny" that makes a
 *  port unreachable without any rule naming it. */
export interface FirewallPolicy {
  source: FirewallSource;
  location: string;
  direction: RuleDirection;
  verdict: RuleVerdict;
  /** The policy in the tool's words: `policy drop`, `DROP`, `deny (incoming)`, `BlockInbound`. */
  action: string;
  summary: string;
}

/** What a parser found in one tool's output. */
export interface ParsedFirewall {
  rules: FirewallRule[];
  policies: FirewallPolicy[];
  /** Plain words worth showing: rules that could not be understood, an unresolved service name, … */
  notes: string[];
}

/** Why rules could not be read. */
export type UnreadableReason = 'permission' | 'missing' | 'timeout' | 'failed' | 'unparsed' | 'unsupported';

/** The outcome of reading one firewall. Never an exception: a missing tool or missing rights is an
 *  expected answer, with the command the user can run themselves. */
export type FirewallReading =
  | ({ source: FirewallSource; status: 'read'; /** What was run. */ command: string } & ParsedFirewall)
  | { source: FirewallSource; status: 'inactive'; command: string; message: string }
  | {
      source: FirewallSource;
      status: 'unreadable';
      reason: UnreadableReason;
      /** One line of plain words, e.g. `Reading nftables rules needs root.` */
      message: string;
      /** A command the user can run in a terminal to look for themselves, e.g. `sudo nft list ruleset | grep 3000`. */
      command: string;
    };

/** Every firewall reading for one port. */
export interface FirewallFindings {
  port: number;
  protocol?: Protocol;
  platform: NodeJS.Platform;
  readings: FirewallReading[];
}
