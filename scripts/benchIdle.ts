// Idle cost in the real workbench (`npm run bench:idle`): the CPU time the extension host uses per
// minute while nothing changes on the machine, with every Port Inspector surface hidden, with the Ports
// view visible, with the dashboard open, and with the Ports view visible over 200 extra listeners.
// The extension host also runs VS Code's built-in extensions: the "hidden" figure is the floor the
// others are compared with. For scale, the same measure for running `ss -ltnup` at the extension's
// default cadence (every 2 s). Figures, not assertions.
//   node out/scripts/benchIdle.js [--seconds=<n per state, default 60>]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { ListenerProcess } from '../test/support/listeners';
import { startListener } from '../test/support/listeners';
import { Workbench } from '../test/ui/support/workbench';
import { launchBrowser } from './testHost/browser';
import { HostError, fixtureWorkspace, newRunDir, requireBuild, root, runMain, screenshotDir, valueFlag } from './testHost/paths';
import { remoteUri, startCodeServer } from './testHost/server';

const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** utime + stime of a process, in ms (fields 14 and 15 of /proc/<pid>/stat, after the name). */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

/** CPU time of this process's waited-for children (cutime + cstime), in ms. */
function childrenCpuMs(): number {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS;
}

/** The extension host of the code-server whose process group is `pgid`. */
function extensionHostPid(pgid: number): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp === pgid && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('--type=extensionHost')) {
        return Number(entry);
      }
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
  if (process.platform !== 'linux') {
    throw new HostError('the idle benchmark reads /proc: run it on Linux');
  }
  requireBuild();
  const seconds = Number(valueFlag('seconds') ?? 60);
  if (!(seconds >= 5)) {
    throw new HostError(`--seconds wants at least 5, got "${valueFlag('seconds')}"`);
  }
  const runDir = newRunDir('bench-idle');
  const server = await startCodeServer({ runDir, workspace: fixtureWorkspace });
  const { page } = await launchBrowser(runDir);
  await page.goto(server.url([['extensionDevelopmentPath', remoteUri(root)]]));
  const workbench = new Workbench(page, { screenshotDir });
  await workbench.waitReady();
  let host: number | undefined;
  for (let i = 0; i < 100 && host === undefined; i++) {
    host = extensionHostPid(server.pid) ?? (await sleep(300).then(() => undefined));
  }
  if (host === undefined) {
    throw new HostError('no extension host found under code-server');
  }
  // Let start-up work (extension activation, the start-up scan, built-in extensions) settle.
  await workbench.openView('Port Inspector', 'Ports');
  await sleep(10_000);

  const rows: Array<[string, number]> = [];
  const measure = async (state: string): Promise<void> => {
    await sleep(3000); // the switch itself (a visibility scan, a first render) is not idle time
    const before = cpuMs(host);
    await sleep(seconds * 1000);
    const perMinute = ((cpuMs(host) - before) * 60) / seconds;
    rows.push([state, perMinute]);
    console.log(`  ${state.padEnd(58)} ${perMinute.toFixed(0).padStart(6)} ms CPU per minute (${(perMinute / 600).toFixed(2)}% of a core)`);
  };

  console.log(`Extension host pid ${host}; ${seconds} s per state, nothing changing on the machine.`);
  await workbench.runCommand('View: Show Explorer');
  await measure('every Port Inspector surface hidden (the floor)');
  await workbench.openView('Port Inspector', 'Ports');
  await measure('Ports view visible');
  await workbench.runCommand('Port Inspector: Open Dashboard');
  await measure('dashboard open (and the Ports view visible)');
  await workbench.runCommand('View: Close All Editors');
  const fleet: ListenerProcess[] = [];
  try {
    for (let p = 0; p < 20; p++) {
      fleet.push(await startListener({ sockets: Array.from({ length: 10 }, (_, i) => ({ protocol: 'tcp' as const, host: i % 2 ? '::1' : '127.0.0.1' })) }));
    }
    await measure('Ports view visible, 200 more listeners (20 processes)');
  } finally {
    await Promise.all(fleet.map((f) => f.stop()));
  }

  // For scale: `ss -ltnup` every 2 s (the default interval) for the same time.
  const ssBefore = childrenCpuMs();
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    spawnSync('ss', ['-ltnup'], { stdio: 'ignore' });
    await sleep(2000);
  }
  const ssPerMinute = ((childrenCpuMs() - ssBefore) * 60) / seconds;
  console.log(`  ${'for scale: `ss -ltnup` every 2 s'.padEnd(58)} ${ssPerMinute.toFixed(0).padStart(6)} ms CPU per minute`);

  const floor = rows[0][1];
  console.log('\nAbove the floor (what Port Inspector itself costs):');
  for (const [state, ms] of rows.slice(1)) {
    console.log(`  ${state.padEnd(58)} ${(ms - floor).toFixed(0).padStart(6)} ms per minute`);
  }
  fs.mkdirSync(`${root}/.test-output`, { recursive: true });
  fs.writeFileSync(`${root}/.test-output/bench-idle.json`, JSON.stringify({ seconds, at: new Date().toISOString(), rows, ssPerMinute }, null, 2));
  await server.stop();
  return 0;
}

if (require.main === module) {
  runMain(main);
}
