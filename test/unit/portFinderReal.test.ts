import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { findPorts, portAt } from '../../src/model/portFinder';
import type { PortFileKind } from '../../src/model/portFinder';
import { resolve } from '../../src/model/portFinder/findPorts';
import type { Found } from '../../src/model/portFinder/portValues';
import { fixturePath } from '../support/paths';
import { figuresOf, figureTable, integerTokens, loadRealLabels, scoreRealCorpus } from '../support/realPortCorpus';

function ms(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

// --- the real-styles corpus (#18)

describe('portFinder: real-styles corpus', () => {
  const labels = loadRealLabels();
  const files = Object.keys(labels.files);

  it('labels name exactly the integer tokens of every file', () => {
    for (const file of files) {
      const text = fs.readFileSync(fixturePath('ports-real', ...file.split('/')), 'utf8');
      const l = labels.files[file];
      const labelled = [...l.port, ...l.ignored, ...l.decoy].sort();
      assert.deepEqual(labelled, integerTokens(text).sort(), `labels of ${file}`);
    }
  });

  it('has at least 60 files in at least 25 kinds, and a held-out part', () => {
    const kinds = new Set(files.map((f) => labels.files[f].kind));
    assert.ok(files.length >= 60, `${files.length} files`);
    assert.ok(kinds.size >= 25, `${kinds.size} kinds`);
    assert.ok(files.some((f) => labels.files[f].set === 'heldout'));
  });

  it('finds ≥ 95 % of the ports at ≥ 98 % precision (figures per kind printed)', () => {
    const scores = scoreRealCorpus();
    for (const row of figureTable(scores)) {
      console.log(`      ${row}`);
    }
    for (const set of ['tuning', 'heldout', 'heldout2'] as const) {
      const f = figuresOf(set, scores.filter((s) => s.set === set));
      const misses = scores.filter((s) => s.set === set).flatMap((s) => [...s.missed.map((m) => `${s.file} missed ${m}`), ...s.wrong.map((w) => `${s.file} false hover ${w}`)]);
      assert.ok(f.recall >= 0.95, `${set}: recall ${f.recall.toFixed(3)}\n${misses.join('\n')}`);
      assert.ok(f.precision >= 0.98, `${set}: precision ${f.precision.toFixed(3)}\n${misses.join('\n')}`);
    }
  });
});

// --- prose

describe('portFinder: ports named in prose', () => {
  function summary(text: string, kind: PortFileKind): string[] {
    return findPorts(text, kind).map((m) => `${m.line}: ${text.slice(m.start, m.end)}/${m.protocol} ${m.role}`);
  }

  it('Markdown: a number is a port only where the text names it so', () => {
    const text = [
      'The API listens on port 3000 and the worker on ports 4000 and 4001.',
      'Released in 2024: version 2.4.1 runs 12 workers with a timeout of 3000 ms.',
      'A `timeout: 3000` is not a port, nor is the image `node:20` or issue #3000.',
      'Open http://localhost:3000 or run `lsof -i :3000`; DNS answers on 53/udp and NTP on UDP 123.',
      '',
      '| Service | Port | Replicas |',
      '| ------- | ---- | -------- |',
      '| api     | 3000 | 3        |',
      '| db      | 5432 | 1        |',
    ].join('\n');
    assert.deepEqual(summary(text, 'markdown'), [
      '0: 3000/tcp single',
      '0: 4000/tcp single',
      '0: 4001/tcp single',
      '3: 3000/tcp url',
      '3: 3000/tcp single',
      '3: 53/udp single',
      '3: 123/udp single',
      '7: 3000/tcp single',
      '8: 5432/tcp single',
    ]);
  });

  it('a comment repeating the port of the setting it explains gets the hover; other numbers do not', () => {
    const text = ['{', '  // 3000 is the web app, 5432 the database; retry 5 times, 30 s apart', '  "forwardPorts": [3000, 5432]', '}'].join('\n');
    assert.deepEqual(summary(text, 'json'), ['1: 3000/tcp single', '1: 5432/tcp single', '2: 3000/tcp single', '2: 5432/tcp single']);
  });

  it('tests asserting on ports', () => {
    const text = ['assert.equal(cfg.port, 3000);', 'expect(server.port).toBe(8080);', 'assert.equal(cfg.workers, 4);', 'if (retries === 3000) {}'].join('\n');
    assert.deepEqual(summary(text, 'typescript'), ['0: 3000/tcp single', '1: 8080/tcp single']);
  });
});

// --- cost

describe('portFinder: cost of finding ports', () => {
  function repeatTo(bytes: number, ...parts: string[]): string {
    const chunk = parts.join('\n');
    return chunk.repeat(Math.ceil(bytes / chunk.length)).slice(0, bytes);
  }
  const real = (file: string): string => fs.readFileSync(fixturePath('ports-real', ...file.split('/')), 'utf8');

  it('a 5 MB file of each of a few kinds: findPorts and portAt (times printed, generous bound)', function () {
    this.timeout(300000);
    const cases: Array<[PortFileKind, string]> = [
      ['markdown', repeatTo(5 * 1024 * 1024, real('README.md'), real('docs/architecture.md'))],
      ['nginx', repeatTo(5 * 1024 * 1024, real('nginx/sites-available/shop.example.com.conf'))],
      ['typescript', repeatTo(5 * 1024 * 1024, real('test/server.test.ts'), real('vite.config.ts'))],
    ];
    for (const [kind, text] of cases) {
      let t = process.hrtime.bigint();
      const all = findPorts(text, kind);
      const whole = ms(t);
      t = process.hrtime.bigint();
      const at = portAt(text, all[all.length - 1].start, kind);
      const one = ms(t);
      console.log(`      ${kind} ${(text.length / 1e6).toFixed(1)} MB: findPorts ${whole.toFixed(0)} ms (${all.length} ports), portAt at the end ${one.toFixed(1)} ms`);
      assert.ok(at !== undefined);
      assert.ok(whole < 120000, `findPorts took ${whole} ms`);
      assert.ok(one < 2000, `portAt took ${one} ms`);
    }
  });

  it('50 long Caddyfile lines full of addresses (the overlap filter is not quadratic)', function () {
    this.timeout(120000);
    const line = `reverse_proxy ${'localhost:3000 10.0.0.1:8080 :9000 '.repeat(280)}`.slice(0, 9990);
    const text = Array.from({ length: 50 }, () => line).join('\n');
    const t = process.hrtime.bigint();
    const all = findPorts(text, 'caddy');
    const took = ms(t);
    console.log(`      50 Caddyfile lines of ${line.length} characters: ${took.toFixed(0)} ms, ${all.length} ports`);
    assert.ok(all.length > 40000);
    assert.ok(took < 30000, `took ${took} ms`);
  });

  it('resolve keeps the first of overlapping findings, in n log n', () => {
    const found: Found[] = [];
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 200000; i++) {
      const start = Math.floor(random() * 1e6);
      found.push({ start, end: start + 1 + Math.floor(random() * 5), port: 80, protocol: 'tcp', role: 'single', context: 'x' });
    }
    const t = process.hrtime.bigint();
    const kept = resolve(found);
    const took = ms(t);
    console.log(`      resolve of ${found.length} findings: ${took.toFixed(0)} ms, ${kept.length} kept`);
    for (let i = 1; i < kept.length; i++) {
      assert.ok(kept[i - 1].end <= kept[i].start, 'sorted and disjoint');
    }
    // The first of every overlapping group wins: each dropped finding overlaps one kept before it.
    const small = resolve([
      { start: 5, end: 9, port: 1, protocol: 'tcp', role: 'single', context: 'a' },
      { start: 0, end: 6, port: 2, protocol: 'tcp', role: 'single', context: 'b' },
      { start: 9, end: 12, port: 3, protocol: 'tcp', role: 'single', context: 'c' },
      { start: 0, end: 2, port: 4, protocol: 'tcp', role: 'single', context: 'd' },
    ]);
    assert.deepEqual(small.map((f) => f.port), [4, 1, 3]);
    assert.ok(took < 5000, `took ${took} ms`);
  });
});
