// Benchmark (`npm run bench`): every figure of issue #17 beside the goal, with `ss`, `lsof` and
// `node -e 0` measured in the same run. Runs are interleaved (one sample of every contender per round)
// and the medians compared, so a busy moment on a shared machine lands on all of them alike.
// Sections: sizes, start-up, then scans on the machine as it is, ~200 and ~5,000 listeners.
// Environment: BENCH_RUNS (default 11), BENCH_DIST (the dist/ to measure, default this checkout's),
// BENCH_ONLY=sizes,startup,scan,containers (default all), BENCH_SIZES=small,200,5000 (default all three).
// Figures only: nothing here asserts a time.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ContainerLookup } from '../src/inspector/containers/containerLookup';
import { LinuxBackend } from '../src/inspector/linux/linuxBackend';
import { LinuxScanner } from '../src/inspector/linux/linuxScanner';
import { RecentSockets, sameSockets } from '../src/model/snapshotDiff';
import type { ListeningSocket, Snapshot } from '../src/core/types';
import { ProjectResolver } from '../src/inspector/projectResolver';
import { PROJECT_RULES } from '../src/model/projects';
import { ConnectionTracker } from '../src/model/serverActivity';
import type { ListenerProcess } from '../test/support/listeners';
import { startListener } from '../test/support/listeners';

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const ROOT = path.join(__dirname, '../..');
const DIST = path.resolve(process.env.BENCH_DIST ?? path.join(ROOT, 'dist'));
const ONLY = new Set((process.env.BENCH_ONLY ?? 'sizes,startup,scan,containers').split(','));
const SIZES = new Set((process.env.BENCH_SIZES ?? 'small,200,5000').split(','));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

type Task = () => unknown | Promise<unknown>;

/** Medians of `runs` rounds; each round runs every task once, in order. */
async function paired(tasks: Record<string, Task>, runs = RUNS): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (const [name, fn] of Object.entries(tasks)) {
      const t = performance.now();
      await fn();
      samples[name].push(performance.now() - t);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

function has(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

/** Wall time of an external command, like a user would see it (spawn included). */
function wall(file: string, args: string[], anyExit = false): Task {
  return () => {
    const r = spawnSync(file, args, { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 256 << 20 });
    if (r.error || (r.status !== 0 && !anyExit)) {
      throw r.error ?? new Error(`${file} ${args.join(' ')} exited with ${r.status}`);
    }
  };
}

// --- what is reported

interface Figure {
  figure: string;
  value: string;
  goal: string;
  met?: boolean;
}
const report: Figure[] = [];
const raw: Record<string, unknown> = {};

function row(figure: string, value: string, goal = '', met?: boolean): void {
  report.push({ figure, value, goal, met });
  const mark = met === undefined ? '' : met ? '  met' : '  NOT met';
  console.log(`  ${figure.padEnd(58)} ${value.padEnd(44)} ${goal}${mark}`);
}

const ms = (x: number): string => `${x.toFixed(1)} ms`;
const kb = (bytes: number): string => `${Math.round(bytes / 1024).toLocaleString('en')} KB`;

// --- sizes

function sizes(): void {
  console.log(`\n## sizes (${path.relative(process.cwd(), DIST) || '.'})`);
  const file = (name: string): number => (fs.existsSync(path.join(DIST, name)) ? fs.statSync(path.join(DIST, name)).size : NaN);
  const production = fs.existsSync(path.join(DIST, 'extension.js')) && !fs.readFileSync(path.join(DIST, 'extension.js'), 'utf8').includes('//# sourceMappingURL=');
  if (!production) {
    console.log('  (a development build: run `node esbuild.js --production` or `npm run package` for the shipped sizes)');
  }
  const ext = file('extension.js');
  row('dist/extension.js', kb(ext), '≤ 350 KB', production ? ext <= 350 * 1024 : undefined);
  for (const name of fs.readdirSync(DIST).filter((n) => n.endsWith('.js') && n !== 'extension.js').sort()) {
    row(`dist/${name}`, kb(file(name)));
  }
  const vsix = fs.readdirSync(ROOT).filter((n) => n.endsWith('.vsix')).map((n) => path.join(ROOT, n));
  vsix.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (vsix[0]) {
    const size = fs.statSync(vsix[0]).size;
    row(`.vsix (${path.basename(vsix[0])})`, kb(size), '≤ 400 KB', size <= 400 * 1024);
  } else {
    row('.vsix', 'n/a (run `npm run package` first)', '≤ 400 KB');
  }
  raw.sizes = { extension: ext, vsix: vsix[0] ? fs.statSync(vsix[0]).size : undefined };
}

// --- start-up

/** `node -e` script: answers `require('vscode')` with a stub (an object whose prototype is a proxy that is every property, function
 *  and class the bundle touches while it loads), then loads the bundle. */
function loadWithStub(bundle: string): string {
  const stub = 'const S=new Proxy(function(){},{get:(t,k)=>k===Symbol.toPrimitive?()=>"":k==="prototype"?{}:S,apply:()=>S,construct:()=>S});';
  return `${stub}const M=require('module');const o=M._load;M._load=function(r,...a){return r==='vscode'?Object.create(S):o.call(this,r,...a)};const t=performance.now();require(${JSON.stringify(bundle)});process.stdout.write(String(performance.now()-t))`;
}

/** Milliseconds the child reports for the `require` alone (spawn and Node's own start excluded). */
function inChildLoad(bundle: string, sink: number[]): Task {
  return () => {
    const r = spawnSync(process.execPath, ['-e', loadWithStub(bundle)], { encoding: 'utf8' });
    if (r.status !== 0) {
      throw new Error(`loading ${bundle} failed: ${r.stderr.slice(-500)}`);
    }
    sink.push(Number(r.stdout));
  };
}

async function startup(): Promise<void> {
  console.log(`\n## start-up (median of ${RUNS} interleaved runs)`);
  const l = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] });
  const inChild: number[] = [];
  try {
    const port = l.ports[0];
    const node = process.execPath;
    const cli = path.join(DIST, 'cli.js');
    const tasks: Record<string, Task> = {
      node: wall(node, ['-e', '0']),
      stubOnly: wall(node, ['-e', loadWithStub('node:os')]),
      extension: wall(node, ['-e', loadWithStub(path.join(DIST, 'extension.js'))]),
      extensionInChild: inChildLoad(path.join(DIST, 'extension.js'), inChild),
      who: wall(node, [cli, 'who', String(port)]),
      ssPort: wall('ss', ['-Hltnp', `sport = :${port}`]),
    };
    // Warm the page cache first: the first run of anything reads it from disk.
    for (const t of Object.values(tasks)) {
      await t();
    }
    const m = await paired(tasks);
    raw.startup = m;
    row('node -e 0', ms(m.node));
    row(`ss -ltnp 'sport = :${port}'`, ms(m.ssPort));
    const load = m.extension - m.stubOnly;
    row('loading dist/extension.js (stub vscode), over Node start', `+${ms(load)} (the require alone, timed inside: ${ms(median(inChild))})`, '≤ +25 ms', load <= 25);
    const who = m.who / m.node;
    row(`CLI who ${port}, whole process`, `${ms(m.who)} = ${who.toFixed(2)} × node -e 0, ${(m.who / m.ssPort).toFixed(1)} × ss`, '≤ 1.3 × node -e 0', who <= 1.3);
  } finally {
    await l.close();
  }
}

// --- scans

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

/** Longest event-loop block on this thread during `refreshes` worker refreshes, with the host's own
 *  per-refresh work on the result (the same-sockets check and the new-socket diff). */
async function longestBlock(backend: LinuxBackend, refreshes: number): Promise<number> {
  const recent = new RecentSockets();
  let previous: Snapshot = await backend.snapshot();
  recent.update(previous, Date.now());
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  for (let i = 0; i < refreshes; i++) {
    const next = await backend.snapshot();
    sameSockets(previous, next);
    recent.update(next, Date.now());
    previous = next;
    // Give the sampler its turn between refreshes, as the refresh timer would.
    await new Promise((r) => setTimeout(r, 5));
  }
  histogram.disable();
  return histogram.max / 1e6;
}

async function scans(scenario: string, key: string): Promise<void> {
  const listeners = execFileSync('ss', ['-H', '-ltnu'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).length;
  console.log(`\n## ${scenario}: ${listeners} listening sockets (median of ${RUNS} interleaved runs)`);
  const steady = new LinuxScanner();
  steady.scan();
  // What the extension adds per refresh (#16): each owner's project (cached per process after its first
  // sight) and the connection tracker's bookkeeping.
  const projects = new ProjectResolver(PROJECT_RULES);
  const tracker = new ConnectionTracker();
  await projects.annotate(steady.scan());
  const backend = new LinuxBackend({ workerPath: path.join(__dirname, '../src/inspector/linux/inspectorWorker.js') });
  await backend.snapshot();
  const cli = path.join(DIST, 'cli.js');
  const tasks: Record<string, Task> = {
    ss: wall('ss', ['-ltnup']),
    node: wall(process.execPath, ['-e', '0']),
    oneShot: () => new LinuxScanner().scan(),
    steady: () => steady.scan(),
    worker: () => backend.snapshot(),
    list: wall(process.execPath, [cli, 'list']),
    listJson: wall(process.execPath, [cli, 'list', '--json']),
  };
  if (has('lsof')) {
    // lsof exits 1 when it could not read some process (another user's): its output still counts.
    tasks.lsof = wall('lsof', ['-nP', '-iTCP', '-sTCP:LISTEN', '-iUDP'], true);
  }
  const m = await paired(tasks);
  // What #16 adds, paired closely with the refresh it rides on (alternating, twice the runs), so that the
  // garbage of the heavier tasks above falls on both sides alike. The worker path is the extension's: an
  // unchanged socket stays the same object between refreshes there (snapshotDelta.ts), which the project
  // and activity caches key on; the in-thread scanner copies every owner on every scan.
  const workerProjects = new ProjectResolver(PROJECT_RULES);
  const workerTracker = new ConnectionTracker();
  await workerProjects.annotate(await backend.snapshot());
  Object.assign(
    m,
    await paired(
      {
        steadyAlone: () => steady.scan(),
        steadyProjects: async () => {
          const snap = steady.scan();
          await projects.annotate(snap);
          tracker.observe(snap);
        },
        workerAlone: () => backend.snapshot(),
        workerProjects: async () => {
          const snap = await backend.snapshot();
          await workerProjects.annotate(snap);
          workerTracker.observe(snap);
        },
      },
      RUNS * 2,
    ),
  );
  const block = listeners >= 1000 ? await longestBlock(backend, 30) : undefined;
  backend.dispose();
  raw[key] = { listeners, ...m, block };
  const big = listeners >= 1000;
  row('ss -ltnup', ms(m.ss));
  if (m.lsof !== undefined) {
    row('lsof -nP -iTCP -sTCP:LISTEN -iUDP', `${ms(m.lsof)} = ${(m.lsof / m.ss).toFixed(2)} × ss`);
  }
  row('node -e 0', ms(m.node));
  const one = m.oneShot / m.ss;
  row('one-shot scan (fresh scanner, in-process)', `${ms(m.oneShot)} = ${one.toFixed(2)} × ss`, big ? '≤ 0.9 × ss' : '', big ? one <= 0.9 : undefined);
  row('steady refresh (cached owners, in-thread)', `${ms(m.steady)} = ${(m.steady / m.ss).toFixed(2)} × ss`);
  row('  + projects and connection tracking (#16)', `${ms(m.steadyProjects)} = ${(m.steadyProjects / m.steadyAlone).toFixed(2)} × ${ms(m.steadyAlone)} alone`);
  const viaWorker = m.worker / m.ss;
  row('steady refresh via the worker (the extension\'s)', `${ms(m.worker)} = ${viaWorker.toFixed(2)} × ss`, big ? '≤ 0.25 × ss' : '', big ? viaWorker <= 0.25 : undefined);
  const withProjects = m.workerProjects / m.workerAlone;
  row('  + projects and connection tracking (#16)', `${ms(m.workerProjects)} = ${withProjects.toFixed(2)} × ${ms(m.workerAlone)} alone`, key === '200' ? '≤ 1.10 ×' : '', key === '200' ? withProjects <= 1.1 : undefined);
  const listGoal = 2 * m.ss + m.node;
  row('CLI list, whole process', `${ms(m.list)} = ${(m.list / m.ss).toFixed(2)} × ss`, big ? `≤ 2 × ss + node = ${ms(listGoal)}` : '', big ? m.list <= listGoal : undefined);
  row('CLI list --json, whole process', `${ms(m.listJson)} = ${(m.listJson / m.ss).toFixed(2)} × ss`);
  if (block !== undefined) {
    row('longest event-loop block, 30 worker refreshes + host diff', ms(block), '≤ 5 ms', block <= 5);
  }
}

async function main(): Promise<void> {
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`Port Inspector benchmark — Node ${process.version}, ${os.cpus().length} CPUs, load average ${load}`);
  if (ONLY.has('sizes')) {
    sizes();
  }
  if (ONLY.has('startup')) {
    await startup();
  }
  if (ONLY.has('scan')) {
    if (process.platform !== 'linux') {
      console.log('The scan figures measure the Linux back-end against ss; run them on Linux.');
    } else {
      if (SIZES.has('small')) {
        await scans('machine as it is', 'small');
      }
      for (const [size, processes, each] of [['200', 20, 10], ['5000', 50, 100]] as const) {
        if (!SIZES.has(size)) {
          continue;
        }
        const fleet = await startFleet(processes, each);
        try {
          await scans(`~${Number(size).toLocaleString('en')} listeners over ${processes} processes`, size);
        } finally {
          await Promise.all(fleet.map((f) => f.close()));
        }
      }
    }
  }
  if (ONLY.has('containers') && process.platform === 'linux') {
    await benchContainers();
  }
  console.log(`\nload average at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const outDir = path.join(ROOT, '.test-output');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'bench.json'), JSON.stringify({ runs: RUNS, at: new Date().toISOString(), node: process.version, report, raw }, null, 2));
  console.log(`Figures written to ${path.relative(process.cwd(), path.join(outDir, 'bench.json'))}`);
}

/** Median wall time of `runs` calls of `fn`, one after another. */
async function time(fn: () => unknown | Promise<unknown>, runs = RUNS): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

/** What naming containers adds to a steady refresh: the machine's scan plus 20 ports published through
 *  docker-proxy, with and without the container lookup. The engine here is a local HTTP server on a unix
 *  socket answering the container list (the lookup asks it once; what is measured is the steady state,
 *  where it is not asked at all). The real engines are exercised by test/unit/containersLive.test.ts. */
async function benchContainers(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pi-bench-engine-'));
  const sock = path.join(dir, 'docker.sock');
  const ids = Array.from({ length: 20 }, (_, i) => i.toString(16).padStart(64, 'a'));
  const list = ids.map((id, i) => ({ Id: id, Names: [`/svc-${i}`], Image: 'postgres:16', State: 'running', Ports: [{ IP: '127.0.0.1', PrivatePort: 5432, PublicPort: 40000 + i, Type: 'tcp' }], Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': `svc${i}` } }));
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.url?.includes('/containers/json') ? list : { State: { Status: 'running', StartedAt: new Date().toISOString() } }));
  });
  await new Promise<void>((resolve) => server.listen(sock, resolve));
  try {
    const scanner = new LinuxScanner();
    const published = (): ListeningSocket[] =>
      ids.map((_, i) => ({
        protocol: 'tcp',
        family: 4,
        address: '127.0.0.1',
        port: 40000 + i,
        state: 'LISTEN',
        ownerVisible: true,
        owners: [{ pid: 100000 + i, name: 'docker-proxy', command: `/usr/sbin/docker-proxy -proto tcp -host-ip 127.0.0.1 -host-port ${40000 + i} -container-ip 172.17.0.${i + 2} -container-port 5432`, startTicks: i }],
      }));
    const lookup = new ContainerLookup({ endpoints: [{ engine: 'docker', socketPath: sock, source: 'bench' }] });
    const scan = (): Snapshot => {
      const snap = scanner.scan({ connections: false });
      snap.sockets.push(...published());
      return snap;
    };
    await lookup.annotate(scan());
    const runs = Math.max(RUNS, 101);
    const scanMs = await time(() => scan(), runs);
    // The lookup alone, on copies of one scan: a scan's own variance (several ms on a busy machine)
    // would otherwise hide a difference this small.
    const base = scan();
    const lookupMs = await time(async () => {
      const snap = { ...base, sockets: base.sockets.map((x) => ({ ...x, container: undefined })), warnings: [] };
      await lookup.annotate(snap);
      if (!snap.sockets.some((x) => x.container)) {
        throw new Error('the lookup named no container');
      }
    }, runs);
    console.log('\nContainers: a steady refresh with 20 ports published through docker-proxy');
    console.log(`  scan (machine + 20 published ports)            ${scanMs.toFixed(3).padStart(9)} ms`);
    console.log(`  container lookup on it (cached, engine idle)   ${lookupMs.toFixed(3).padStart(9)} ms more`);
    lookup.dispose();
  } finally {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
