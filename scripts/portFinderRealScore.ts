// Recall and precision of the port hovers over the real-styles corpus (test/fixtures/ports-real), per kind,
// with every miss and false hover listed. Run: npm run compile-tests && node out/scripts/portFinderRealScore.js
import { figureTable, scoreRealCorpus } from '../test/support/realPortCorpus';

function main(): void {
  const scores = scoreRealCorpus();
  for (const row of figureTable(scores)) {
    console.log(row);
  }
  const details = scores.filter((s) => s.missed.length + s.wrong.length > 0);
  if (details.length > 0) {
    console.log('\nDifferences (line:column digits):');
  }
  for (const s of details) {
    for (const m of s.missed) {
      console.log(`  ${s.file}  missed ${m}`);
    }
    for (const w of s.wrong) {
      console.log(`  ${s.file}  false hover ${w}`);
    }
  }
}

main();
