// Benchmark: the cost of the port checks that run on the extension host's thread, on the worst files of
// issue #20 — 2,000 compose services mapping 8080, 300 mapping one 1,000-port range, 50 long Caddyfile
// lines. Prints the median time and the heap growth of each step. Figures only: nothing here asserts.
// Run: npm run bench:files (compiles first).
import { duplicateHostPorts, findPorts } from '../src/model/portFinder';
import { duplicateDiagnostics } from '../src/model/portDiagnostics';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

const composeOf = (mappings: readonly string[]): string =>
  ['services:', ...mappings.map((p, k) => `  s${k}:\n    image: x\n    ports:\n      - "${p}"`)].join('\n') + '\n';

function measure(label: string, fn: () => unknown): void {
  const samples: number[] = [];
  const cpu: number[] = [];
  let heap = 0;
  for (let i = 0; i < RUNS; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage().heapUsed;
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    heap = Math.max(heap, process.memoryUsage().heapUsed - before);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // CPU time too: on a loaded machine the wall time mostly measures waiting for a core.
  console.log(`${label.padEnd(52)} ${median(samples).toFixed(1).padStart(7)} ms wall, ${median(cpu).toFixed(1).padStart(7)} ms CPU (median of ${RUNS}), heap +${(heap / 1e6).toFixed(1)} MB`);
}

const sameport = composeOf(Array.from({ length: 2000 }, () => '8080:80'));
const onerange = composeOf(Array.from({ length: 300 }, () => '20000-20999:20000-20999'));
const caddy = Array.from({ length: 50 }, (_, k) => `site${k}.example:${8000 + k} { reverse_proxy ${Array.from({ length: 400 }, (_, j) => `127.0.0.1:${3000 + j}`).join(' ')} }`).join('\n');

for (const [name, text] of [['2,000 services mapping 8080', sameport], ['300 services mapping 20000-20999', onerange]] as const) {
  const mentions = findPorts(text, 'compose');
  measure(`duplicate check, ${name}`, () => duplicateDiagnostics(duplicateHostPorts(mentions)));
  measure(`finder (findPorts), ${name}`, () => findPorts(text, 'compose'));
}
measure('finder (findPorts), 50 long Caddyfile lines', () => findPorts(caddy, 'caddy'));
