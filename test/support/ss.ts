// Reads the truth from `ss -H -ltnup`, normalized to the inspector's address forms.
import { execFileSync } from 'node:child_process';

export interface SsSocket {
  protocol: 'tcp' | 'udp';
  address: string;
  port: number;
  pids: number[];
}

/** Parses one local-address column: `0.0.0.0:22`, `*:3000`, `[::1]:8080`, `127.0.0.53%lo:53`,
 *  `[fe80::1]%eth0:546`, `[::ffff:127.0.0.1]:80`. ss prints `*` for a dual-stack IPv6 wildcard. */
export function parseSsLocal(text: string): { address: string; port: number } {
  const colon = text.lastIndexOf(':');
  let address = text.slice(0, colon);
  const port = Number(text.slice(colon + 1));
  address = address.replace(/%[^\]]*$/, '').replace(/^\[(.*)\](%.*)?$/, '$1');
  if (address === '*') {
    address = '::';
  }
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) {
    address = mapped[1];
  }
  return { address, port };
}

/** Every listening TCP and bound UDP socket according to ss, with owner pids. */
export function ssListening(): SsSocket[] {
  const out = execFileSync('ss', ['-H', '-ltnup'], { encoding: 'utf8' });
  const result: SsSocket[] = [];
  for (const line of out.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) {
      continue;
    }
    const { address, port } = parseSsLocal(f[4]);
    const pids = [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
    result.push({ protocol: f[0] as 'tcp' | 'udp', address, port, pids: [...new Set(pids)].sort((a, b) => a - b) });
  }
  return result;
}
