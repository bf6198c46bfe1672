// The compose duplicate-port check against a brute-force oracle (every pair, port by port) on random
// files, and against the worst files of issue #20 with a time bound.
import * as assert from 'node:assert/strict';
import { duplicateHostPorts, findPorts } from '../../src/model/portFinder';
import { isWildcardAddress } from '../../src/model/portFinder/portValues';
import type { PortMention } from '../../src/model/portFinder/types';
import { duplicateDiagnostics } from '../../src/model/portDiagnostics';

/** A compose file with one service per mapping. */
export const composeOf = (mappings: readonly string[]): string =>
  ['services:', ...mappings.map((p, k) => `  s${k}:\n    image: x\n    ports:\n      - "${p}"`)].join('\n') + '\n';

/** protocol/port → the set of mention offsets that clash there, port by port. */
function oracle(text: string): Map<string, string> {
  const hosts = findPorts(text, 'compose').filter((m) => m.role === 'host' && !m.commented);
  const iv = (m: PortMention): [number, number] => m.range ?? [m.port, m.port];
  const claims = new Map<string, Set<number>>();
  for (let i = 0; i < hosts.length; i++) {
    for (let j = i + 1; j < hosts.length; j++) {
      const [a, b] = [hosts[i], hosts[j]];
      if (a.protocol !== b.protocol || !(a.hostAddress === b.hostAddress || isWildcardAddress(a.hostAddress) || isWildcardAddress(b.hostAddress))) {
        continue;
      }
      for (let p = Math.max(iv(a)[0], iv(b)[0]); p <= Math.min(iv(a)[1], iv(b)[1]); p++) {
        const set = claims.get(`${a.protocol}/${p}`) ?? new Set<number>();
        set.add(a.start).add(b.start);
        claims.set(`${a.protocol}/${p}`, set);
      }
    }
  }
  return new Map([...claims].map(([k, v]) => [k, [...v].sort((x, y) => x - y).join(',')]));
}

function expand(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of duplicateHostPorts(text)) {
    const [lo, hi] = d.range ?? [d.port, d.port];
    for (let p = lo; p <= hi; p++) {
      out.set(`${d.protocol}/${p}`, d.mentions.map((m) => m.start).join(','));
    }
  }
  return out;
}

describe('duplicateHostPorts: sweep against a brute-force oracle', () => {
  it('agrees port by port on 300 random compose files', () => {
    let seed = 20;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const addresses = ['', '127.0.0.1:', '127.0.0.2:', '0.0.0.0:', '[::1]:'];
    for (let f = 0; f < 300; f++) {
      const mappings: string[] = [];
      for (let k = 0, n = 2 + rnd(8); k < n; k++) {
        const lo = 3000 + rnd(12);
        const host = rnd(3) === 0 ? `${lo}-${lo + rnd(6)}` : String(lo);
        const width = host.includes('-') ? Number(host.split('-')[1]) - lo : 0;
        const container = width > 0 ? `${8000}-${8000 + width}` : '80';
        mappings.push(`${addresses[rnd(addresses.length)]}${host}:${container}${rnd(4) === 0 ? '/udp' : ''}`);
      }
      const text = composeOf(mappings);
      assert.deepEqual(expand(text), oracle(text), text);
    }
  });

  it('stays fast on the worst files: 2,000 services on one port, 300 on one 1,000-port range', function () {
    this.timeout(60_000);
    const many = composeOf(Array.from({ length: 2000 }, () => '8080:80'));
    const mentions = findPorts(many, 'compose');
    let t = performance.now();
    const dups = duplicateHostPorts(mentions);
    const diags = duplicateDiagnostics(dups);
    const manyMs = performance.now() - t;
    assert.equal(dups.length, 1);
    assert.equal(dups[0].mentions.length, 2000);
    assert.equal(diags.length, 2000);
    assert.ok(diags.every((d) => (d.related?.length ?? 0) <= 10));
    const ranges = composeOf(Array.from({ length: 300 }, () => '20000-20999:20000-20999'));
    const rangeMentions = findPorts(ranges, 'compose');
    t = performance.now();
    const rangeDups = duplicateHostPorts(rangeMentions);
    duplicateDiagnostics(rangeDups);
    const rangeMs = performance.now() - t;
    assert.deepEqual(rangeDups.map((d) => d.range), [[20000, 20999]]);
    // Tens of milliseconds on a quiet machine (`npm run bench:files` measures it); the bound here only
    // catches a return to quadratic work (4.7–11 s on these files), with room for a busy 2-core machine.
    assert.ok(manyMs < 2000 && rangeMs < 2000, `2,000 × 8080: ${manyMs.toFixed(1)} ms; 300 × range: ${rangeMs.toFixed(1)} ms`);
  });
});
