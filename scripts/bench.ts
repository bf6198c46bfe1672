// Benchmark: one-shot and steady-state scan times against ss, lsof and systeminformation, measured in
// the same run on the same machine, at three sizes (the machine as it is, ~200 listeners over 20
// processes, ~5,000 listeners over 50 processes). Prints medians of RUNS runs and ratios.
// Run: npm run bench (compiles first). Figures only: nothing here asserts a time.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LinuxBackend } from '../src/inspector/linux/linuxBackend';
import { LinuxScanner } from '../src/inspector/linux/linuxScanner';
import { ProjectResolver } from '../src/inspector/projectResolver';
import { PROJECT_RULES } from '../src/model/projects';
import { ConnectionTracker } from '../src/model/serverActivity';
import type { ListenerProcess } from '../test/support/listeners';
import { startListener } from '../test/support/listeners';

const RUNS = Number(process.env.BENCH_RUNS ?? 11);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(fn: () => unknown | Promise<unknown>, runs = RUNS): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

function has(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

/** Wall time of an external command, like a user would see it (spawn included). */
function wall(file: string, args: string[]): () => void {
  return () => {
    const r = spawnSync(file, args, { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 256 << 20 });
    if (r.error) {
      throw r.error;
    }
  };
}

async function startFleet(processes: number, socketsEach: number): Promise<ListenerProcess[]> {
  const fleet: ListenerProcess[] = [];
  for (let p = 0; p < processes; p++) {
    const sockets = Array.from({ length: socketsEach }, (_, i) => ({
      protocol: i % 10 === 9 ? ('udp' as const) : ('tcp' as const),
      host: i % 2 ? '::1' : '127.0.0.1',
    }));
    fleet.push(await startListener({ sockets }));
  }
  return fleet;
}

interface Row {
  scenario: string;
  listeners: number;
  figures: Record<string, number | undefined>;
}

async function measure(scenario: string): Promise<Row> {
  const listeners = execFileSync('ss', ['-H', '-ltnu'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).length;
  const figures: Record<string, number | undefined> = {};
  figures['ours one-shot (fresh scanner, in-process)'] = await time(() => new LinuxScanner().scan());
  const steady = new LinuxScanner();
  steady.scan();
  figures['ours steady-state (cached owners)'] = await time(() => steady.scan());
  // What the extension adds per refresh (#16): each owner's project (cached per process after its first
  // sight) and the connection tracker's bookkeeping.
  const projects = new ProjectResolver(PROJECT_RULES);
  const tracker = new ConnectionTracker();
  await projects.annotate(steady.scan());
  figures['ours steady-state + projects and activity'] = await time(async () => {
    const snap = steady.scan();
    await projects.annotate(snap);
    tracker.observe(snap);
  });
  const backend = new LinuxBackend({ workerPath: path.join(__dirname, '../src/inspector/linux/inspectorWorker.js') });
  await backend.snapshot();
  figures['ours steady-state via worker thread'] = await time(() => backend.snapshot());
  backend.dispose();
  // The bundle is what users run; fall back to the tsc output when it has not been built.
  const bundled = path.join(__dirname, '../../dist/cli.js');
  const cli = fs.existsSync(bundled) ? bundled : path.join(__dirname, '../src/cli/main.js');
  figures['ours CLI `list --json` (process wall time)'] = await time(wall(process.execPath, [cli, 'list', '--json']));
  figures['ss -ltnup (process wall time)'] = await time(wall('ss', ['-ltnup']));
  if (has('lsof')) {
    figures['lsof -nP -iTCP -sTCP:LISTEN -iUDP (wall)'] = await time(wall('lsof', ['-nP', '-iTCP', '-sTCP:LISTEN', '-iUDP']), Math.min(RUNS, 11));
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional, measured only if present
    const si = require('systeminformation') as { networkConnections(): Promise<unknown[]> };
    figures['systeminformation.networkConnections()'] = await time(() => si.networkConnections(), Math.min(RUNS, 11));
  } catch {
    figures['systeminformation.networkConnections()'] = undefined;
  }
  return { scenario, listeners, figures };
}

function print(row: Row): void {
  const ss = row.figures['ss -ltnup (process wall time)']!;
  const oneShot = row.figures['ours one-shot (fresh scanner, in-process)']!;
  console.log(`\n## ${row.scenario} — ${row.listeners} listening sockets (median of ${RUNS} runs)`);
  for (const [name, ms] of Object.entries(row.figures)) {
    if (ms === undefined) {
      console.log(`  ${name.padEnd(48)} n/a`);
      continue;
    }
    console.log(`  ${name.padEnd(48)} ${ms.toFixed(2).padStart(9)} ms   ×${(ms / ss).toFixed(2)} of ss   ×${(ms / oneShot).toFixed(2)} of ours one-shot`);
  }
}

async function main(): Promise<void> {
  if (process.platform !== 'linux') {
    console.log('The benchmark measures the Linux back-end against ss; run it on Linux.');
    return;
  }
  const rows: Row[] = [];
  rows.push(await measure('machine as it is'));
  print(rows[0]);
  let fleet = await startFleet(20, 10);
  try {
    rows.push(await measure('~200 listeners over 20 processes'));
    print(rows[1]);
  } finally {
    await Promise.all(fleet.map((f) => f.stop()));
  }
  fleet = await startFleet(50, 100);
  try {
    rows.push(await measure('~5,000 listeners over 50 processes'));
    print(rows[2]);
  } finally {
    await Promise.all(fleet.map((f) => f.stop()));
  }
  const outDir = path.join(__dirname, '../../.test-output');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'bench.json'), JSON.stringify({ runs: RUNS, at: new Date().toISOString(), rows }, null, 2));
  console.log(`\nFigures written to ${path.relative(process.cwd(), path.join(outDir, 'bench.json'))}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
