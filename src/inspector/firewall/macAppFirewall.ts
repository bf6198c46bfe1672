// The macOS Application Firewall (System Settings › Network › Firewall). It filters by application, not
// by port, and it is the firewall most Macs have on (pf is usually off). Read without root through
// /usr/libexec/ApplicationFirewall/socketfilterfw:
//   --getglobalstate  → `Firewall is enabled. (State = 1)` | `Firewall is disabled. (State = 0)`
//   --getblockall     → `Block all DISABLED!` / `Block all ENABLED!` (older releases),
//                       `Firewall has block all state set to disabled.` / `… enabled.` (newer), or
//                       `Firewall is set to block all non-essential incoming connections`
//   --listapps        → ALF: total number of apps = 2
//                        1 :  /usr/local/bin/node
//                           ( Block incoming connections )
import { makePolicy, makeRule } from './ruleText';
import type { FirewallPolicy, FirewallQuery, FirewallRule, ParsedFirewall } from './types';

/** The Application Firewall's switches. `undefined` when the text does not say. */
export interface AppFirewallState {
  enabled?: boolean;
  blockAll?: boolean;
}

/** Reads `--getglobalstate` and `--getblockall` output (either or both, concatenated). */
export function parseAppFirewallState(text: string): AppFirewallState {
  const state: AppFirewallState = {};
  const global = /Firewall is (enabled|disabled)|State = ([0-2])/i.exec(text);
  if (global) {
    state.enabled = global[1] ? global[1].toLowerCase() === 'enabled' : global[2] !== '0';
  }
  if (/block all[^\n]*disabled/i.test(text)) {
    state.blockAll = false;
  } else if (/block all[^\n]*(?:enabled|incoming connections)/i.test(text)) {
    state.blockAll = true;
  }
  return state;
}

function baseName(path: string): string {
  const parts = path.replace(/\/+$/, '').split('/');
  return (parts[parts.length - 1] ?? '').replace(/\.app$/i, '').toLowerCase();
}

/** Program names compare by base name, case-insensitively, `.exe`/`.app` ignored. */
export function programMatches(rulePath: string, programs: readonly string[] | undefined): boolean {
  if (!programs || programs.length === 0) {
    return false;
  }
  const name = baseName(rulePath.replace(/\\/g, '/')).replace(/\.exe$/i, '');
  return programs.some((p) => baseName(p.replace(/\\/g, '/')).replace(/\.exe$/i, '') === name && name !== '');
}

/**
 * The Application Firewall as rules and policies: its global state and block-all switch become policies,
 * and the apps of `--listapps` that match `query.programs` become rules (they apply to every port).
 */
export function parseAppFirewall(stateText: string, appsText: string, query: FirewallQuery): ParsedFirewall & { state: AppFirewallState } {
  const state = parseAppFirewallState(stateText);
  const policies: FirewallPolicy[] = [];
  if (state.enabled && state.blockAll) {
    policies.push(makePolicy('macos-appfw', 'Application Firewall', 'in', 'drop', 'block all incoming connections'));
  } else if (state.enabled) {
    policies.push({
      ...makePolicy('macos-appfw', 'Application Firewall', 'in', 'other', 'on'),
      summary:
        'The macOS Application Firewall is on: incoming connections to an app it has not allowed are blocked, or macOS asks "accept incoming network connections?" the first time.',
    });
  }
  const rules: FirewallRule[] = [];
  const lines = appsText.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const app = /^\s*\d+\s*:\s*(.+?)\s*$/.exec(lines[i]);
    if (!app) {
      continue;
    }
    const verdictLine = lines.slice(i + 1, i + 3).find((l) => /\(\s*(Allow|Block) incoming connections\s*\)/i.test(l));
    const block = verdictLine ? /Block/i.test(verdictLine) : undefined;
    if (block === undefined || !programMatches(app[1], query.programs)) {
      continue;
    }
    rules.push(
      makeRule(
        {
          source: 'macos-appfw',
          location: 'Application Firewall',
          direction: 'in',
          verdict: block ? 'drop' : 'accept',
          action: block ? 'Block incoming connections' : 'Allow incoming connections',
          protocols: [],
          ports: [],
          negated: false,
          text: `${app[1]} (${block ? 'Block' : 'Allow'} incoming connections)`,
          program: baseName(app[1]),
        },
        query,
      ),
    );
  }
  return { rules, policies, notes: [], state };
}
