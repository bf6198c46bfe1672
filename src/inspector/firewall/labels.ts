// How each firewall is named to the user, and the command that shows its rules by hand. Pure: the report
// uses these without loading the readers.
import type { FirewallSource } from './types';

/** The macOS Application Firewall's command-line tool. */
export const APPFW = '/usr/libexec/ApplicationFirewall/socketfilterfw';

/** The command a user can run to look for the port themselves, per source. */
export function manualCommand(source: FirewallSource, port: number): string {
  switch (source) {
    case 'nftables':
      return `sudo nft list ruleset | grep ${port}`;
    case 'iptables':
      return `sudo iptables-save | grep ${port}`;
    case 'ip6tables':
      return `sudo ip6tables-save | grep ${port}`;
    case 'ufw':
      return 'sudo ufw status verbose';
    case 'firewalld':
      return 'sudo firewall-cmd --list-all-zones';
    case 'pf':
      return `sudo pfctl -sr | grep ${port}`;
    case 'macos-appfw':
      return `${APPFW} --getglobalstate --listapps`;
    case 'windows':
      return `Get-NetFirewallPortFilter | Where-Object { $_.LocalPort -contains '${port}' } | Get-NetFirewallRule`;
  }
}

/** The firewall's name as a user knows it. */
export function sourceLabel(source: FirewallSource): string {
  switch (source) {
    case 'nftables':
      return 'nftables';
    case 'iptables':
      return 'iptables (IPv4)';
    case 'ip6tables':
      return 'ip6tables (IPv6)';
    case 'ufw':
      return 'ufw';
    case 'firewalld':
      return 'firewalld';
    case 'pf':
      return 'pf';
    case 'macos-appfw':
      return 'macOS Application Firewall';
    case 'windows':
      return 'Windows Defender Firewall';
  }
}
