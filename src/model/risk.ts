// Is a listener exposed in a way that deserves a warning? Only what is reachable from other machines
// counts: a database on 127.0.0.1 is fine, the same database on 0.0.0.0 is worth a sentence.
import type { DevPortEntry } from './devPorts';
import { exposureConcern } from './devPorts';
import type { Exposure } from './exposure';

/** `high`: anyone who connects gets in (no password: code execution, root, all the data).
 *  `medium`: cleartext credentials, or a service with a login that should not face the network. */
export type RiskLevel = 'high' | 'medium';

/** A warning about one exposed listener. */
export interface Risk {
  readonly level: RiskLevel;
  /** One line of plain words: what it is, why that matters, where it listens. */
  readonly reason: string;
}

const NETWORK_WORDS: Readonly<Record<string, string>> = {
  private: 'a private network address',
  'link-local': 'a link-local address',
  public: 'a public address',
  multicast: 'a multicast group',
};

function where(exposure: Exposure, address: string): string {
  if (exposure.scope === 'all') {
    return 'all network interfaces';
  }
  const words = exposure.network && NETWORK_WORDS[exposure.network];
  return words ? `${address} (${words})` : address;
}

/**
 * The risk of `entry` (what usually runs on the port) listening with `exposure` on `address`, or
 * undefined when there is nothing to warn about: loopback only, an unknown port, or a service that is
 * meant to be reached (web servers, SSH, DNS, file sharing). Pass the socket's own address text; it is
 * quoted in the reason when the socket is bound to one interface.
 */
export function exposureRisk(entry: DevPortEntry | undefined, exposure: Exposure, address: string): Risk | undefined {
  if (!entry || exposure.scope === 'loopback') {
    return undefined;
  }
  const concern = exposureConcern(entry);
  if (!concern) {
    return undefined;
  }
  const name = entry.runs[0];
  const at = where(exposure, address);
  switch (concern) {
    case 'unauthenticated':
      return {
        level: 'high',
        reason: `${entry.riskNote ?? `${name} usually lets anyone in without a password`}, and it listens on ${at}.`,
      };
    case 'plaintext':
      return {
        level: 'medium',
        reason: `${entry.riskNote ?? `${name} sends passwords and data unencrypted`}, and it listens on ${at}.`,
      };
    case 'sensitive':
      return {
        level: 'medium',
        reason: entry.riskNote
          ? `${entry.riskNote}, and it listens on ${at}.`
          : `${name} listens on ${at}, so other machines can reach it; bind it to 127.0.0.1 unless they need to.`,
      };
  }
}
