// Precision and recall of the config-file port finder over the fixture corpus (test/fixtures/ports).
// Run: node out/scripts/portFinderScore.js
import { scoreCorpus } from '../test/support/portCorpus';
import type { FileScore } from '../test/support/portCorpus';

function percent(part: number, whole: number): string {
  return whole === 0 ? '  n/a ' : `${((100 * part) / whole).toFixed(1).padStart(5)}%`;
}

function row(name: string, tp: number, fp: number, fn: number): string {
  return `${name.padEnd(24)} ${String(tp).padStart(4)} ${String(fp).padStart(4)} ${String(fn).padStart(4)}   ${percent(tp, tp + fp)}   ${percent(tp, tp + fn)}`;
}

function main(): void {
  const scores: FileScore[] = scoreCorpus();
  console.log(`${'file'.padEnd(24)}   TP   FP   FN   precision  recall`);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const s of scores) {
    console.log(row(s.file, s.truePositives, s.falsePositives.length, s.falseNegatives.length));
    tp += s.truePositives;
    fp += s.falsePositives.length;
    fn += s.falseNegatives.length;
  }
  console.log(row('OVERALL', tp, fp, fn));
  const details = scores.filter((s) => s.falsePositives.length + s.falseNegatives.length > 0);
  if (details.length > 0) {
    console.log('\nDifferences:');
  }
  for (const s of details) {
    for (const f of s.falsePositives) {
      console.log(`  ${s.file}:${f.line}  unexpected ${f.port}/${f.protocol} ${f.role} (${f.context})`);
    }
    for (const e of s.falseNegatives) {
      console.log(`  ${s.file}:${e.line}  missed ${e.port}/${e.protocol} ${e.role}${e.missed ? ` — ${e.missed}` : ''}`);
    }
  }
}

main();
