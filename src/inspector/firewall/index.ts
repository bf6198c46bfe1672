// Local firewall rules for one port: readers (they run the tools) and the pure parsers behind them.
export { parseFirewalldServiceXml, parseFirewalldZones } from './firewalld';
export { iptablesSaveInfo, parseIptablesSave } from './iptables';
export { parseAppFirewall, parseAppFirewallState } from './macAppFirewall';
export { parseNetshProfiles, parseNetshRules } from './netsh';
export { parseNftRuleset } from './nftables';
export { parsePfRules, pfStatus } from './pf';
export { manualCommand, sourceLabel } from './labels';
export { PLATFORM_SOURCES, readFirewall } from './readFirewall';
export type { ReadFirewallOptions } from './readFirewall';
export type {
  FirewallFindings,
  FirewallPolicy,
  FirewallQuery,
  FirewallReading,
  FirewallRule,
  FirewallSource,
  ParsedFirewall,
  PortSpan,
  RuleDirection,
  RuleVerdict,
  UnreadableReason,
} from './types';
export { parseUfwStatus, ufwInactive } from './ufw';
