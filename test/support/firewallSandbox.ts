// A throw-away network + mount + PID namespace for running real firewall tools (ufw, firewalld) without
// touching the host: a holder process (`unshare … sleep`) keeps the namespaces alive, commands enter them
// with nsenter, config directories are hidden behind bind mounts of temporary copies. Killing the
// holder's init kills every process started inside (the kernel tears down the PID namespace), and the
// sleep bounds its life even if the test process dies first.
import { execFile, execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Skips the running test, or every test of the suite when called from a hook, with the reason in
 *  their titles (mocha's skip takes no message). */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  // In a hook, `ctx.test` is the hook itself; in a test, the test.
  const runnable = ctx.test;
  const tests = (runnable as { type?: string } | undefined)?.type === 'hook' ? (runnable?.parent?.tests ?? []) : runnable ? [runnable] : [];
  for (const t of tests) {
    t.title += ` (skipped: ${reason})`;
  }
  ctx.skip();
}

/** Whether `tool args` runs and exits 0. */
export function has(tool: string, args: string[]): boolean {
  try {
    execFileSync(tool, args, { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

const nsLink = (pid: number | 'self', kind: string): string => fs.readlinkSync(`/proc/${pid}/ns/${kind}`);

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a program that dumps firewall state; a dump can be cut short when another program changes
 *  the ruleset meanwhile (a container engine starting), so it is tried a few times. */
function dump(tool: string, args: string[]): string {
  for (let attempt = 1; ; attempt++) {
    try {
      return execFileSync(tool, args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      if (attempt >= 3) {
        throw err;
      }
    }
  }
}

/**
 * The part of the host's firewall a test could have created there by mistake (a table, chain or rule
 * that belonged in its namespace): nftables tables, chains, sets and rules whose table or own name
 * matches `mine`, rules that mention it (a jump to a matching chain), and the iptables-save and
 * ip6tables-save lines (iptables-nft or legacy, whichever `iptables` is) that match it, e.g. a rule
 * with a matching comment (nft's JSON does not show iptables' comment matches). Only that: other
 * software (a container engine) may change the rest of the host's firewall while a test runs.
 * Counters are left out: traffic changes them.
 */
export function hostFirewall(mine: RegExp): string {
  const lines: string[] = [];
  const ruleset = JSON.parse(dump('nft', ['-j', '-s', 'list', 'ruleset'])) as { nftables?: Array<Record<string, Record<string, unknown>>> };
  for (const entry of ruleset.nftables ?? []) {
    const [kind, object] = Object.entries(entry)[0] ?? [];
    if (!object || kind === 'metainfo') {
      continue;
    }
    const { handle: _handle, ...rest } = object;
    const text = JSON.stringify(rest);
    const named = [rest.table, rest.name, rest.chain].some((n) => typeof n === 'string' && mine.test(n));
    if (named || (kind === 'rule' && mine.test(JSON.stringify(rest.expr)))) {
      lines.push(`nft ${kind} ${text}`);
    }
  }
  for (const tool of ['iptables-save', 'ip6tables-save']) {
    if (!has(tool, ['--version'])) {
      continue;
    }
    let table = '';
    for (const line of dump(tool, []).split('\n')) {
      if (line.startsWith('*')) {
        table = line;
      } else if (!line.startsWith('#') && mine.test(line)) {
        lines.push(`${tool} ${table} ${line.replace(/ \[\d+:\d+\]$/, '')}`);
      }
    }
  }
  return lines.join('\n');
}

/** What a test could have changed on the host: its part of the firewall (see {@link hostFirewall}) and
 *  a hash of each path's files (or "absent"), to prove it left them as they were. */
export function hostState(mine: RegExp, paths: readonly string[]): string {
  const lines = [hostFirewall(mine)];
  const walk = (p: string, hash: ReturnType<typeof createHash>): void => {
    const st = fs.lstatSync(p);
    hash.update(`${p} ${st.mode} ${st.isFile() ? st.size : ''}\n`);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        walk(path.join(p, name), hash);
      }
    } else if (st.isFile()) {
      hash.update(fs.readFileSync(p));
    }
  };
  for (const p of paths) {
    if (!fs.existsSync(p)) {
      lines.push(`${p}: absent`);
      continue;
    }
    const hash = createHash('sha256');
    walk(p, hash);
    lines.push(`${p}: ${hash.digest('hex')}`);
  }
  return lines.join('\n');
}

export class Sandbox {
  /** A prefix for readFirewall's `wrap`: runs a command inside the namespaces. */
  readonly wrap: readonly string[];
  private readonly daemons: ChildProcess[] = [];

  private constructor(
    /** Temporary directory (on the host) for copies of config and logs. */
    readonly dir: string,
    private readonly holder: ChildProcess,
    /** Host PID of the namespace's init (the sleep). */
    readonly init: number,
    private readonly netNs: string,
  ) {
    this.wrap = ['nsenter', `--target=${init}`, '--mount', '--net', '--pid'];
  }

  /** Makes the namespaces; they die after `maxSeconds` at the latest. Throws (one line) when this
   *  machine cannot (no unshare/nsenter, no CAP_SYS_ADMIN), or when the namespaces are not new. */
  static async create(maxSeconds: number): Promise<Sandbox> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pi-fwtools-'));
    // Without --fork the sleep would not be in the new PID namespace; --kill-child takes it down if
    // unshare itself is killed. Mount propagation private: nothing mounted inside reaches the host.
    const holder = spawn('unshare', ['--mount', '--propagation=private', '--net', '--pid', '--fork', '--kill-child', '--mount-proc', 'sleep', String(maxSeconds)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    holder.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
    holder.once('error', (err) => (stderr += err.message));
    let init = 0;
    for (let i = 0; i < 100 && holder.exitCode === null && holder.pid !== undefined; i++) {
      try {
        init = Number(fs.readFileSync(`/proc/${holder.pid}/task/${holder.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
      } catch {
        // Not there yet.
      }
      if (init > 0) {
        break;
      }
      await delay(20);
    }
    const fail = async (why: string): Promise<never> => {
      holder.kill('SIGKILL');
      await Promise.race([exited, delay(2000)]);
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(why);
    };
    if (!(init > 0)) {
      return fail(`unshare could not make the namespaces: ${stderr.trim().split('\n')[0] || 'no child appeared'}`);
    }
    try {
      // Wait until the child has made its /proc (--mount-proc) and exec'd sleep.
      for (let i = 0; i < 100 && !fs.readFileSync(`/proc/${init}/cmdline`, 'utf8').startsWith('sleep'); i++) {
        await delay(20);
      }
      for (const kind of ['net', 'mnt', 'pid']) {
        if (nsLink(init, kind) === nsLink('self', kind)) {
          return fail(`the ${kind} namespace of the sandbox is the host's`);
        }
      }
      return new Sandbox(dir, holder, init, nsLink(init, 'net'));
    } catch (err) {
      return fail(`the sandbox vanished: ${(err as Error).message}`);
    }
  }

  /** Runs a command inside; throws with its stderr when it fails. */
  run(args: readonly string[], timeoutMs = 20_000): string {
    try {
      return execFileSync(this.wrap[0], [...this.wrap.slice(1), ...args], {
        encoding: 'utf8',
        timeout: timeoutMs,
        env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      throw new Error(`${args.join(' ')} failed in the sandbox: ${(e.stderr || e.stdout || e.message).trim()}`);
    }
  }

  /** Runs a command inside without waiting the event loop; resolves with its exit code and output. */
  runAsync(args: readonly string[], timeoutMs = 5000): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
      execFile(this.wrap[0], [...this.wrap.slice(1), ...args], { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
        resolve({ code, out: `${stdout}${stderr}` });
      });
    });
  }

  /** Sets `net.*` sysctls of the sandbox's network namespace (each namespace has its own; a new one
   *  copies the host's IPv4 settings, ip_forward included). Throws if the host's values changed
   *  meanwhile: the write would then have reached the host. */
  sysctl(values: Readonly<Record<string, string>>): void {
    const file = (key: string): string => `/proc/sys/${key.replace(/\./g, '/')}`;
    const host = (): string[] => Object.keys(values).map((k) => `${k}=${fs.readFileSync(file(k), 'utf8').trim()}`);
    const before = host();
    this.run(['sysctl', '-q', '-w', ...Object.entries(values).map(([k, v]) => `${k}=${v}`)]);
    const after = host();
    if (after.join() !== before.join()) {
      throw new Error(`setting ${Object.keys(values).join(', ')} in the sandbox changed the host: ${before.join(', ')} -> ${after.join(', ')}`);
    }
  }

  /** Hides `target` inside the sandbox behind `source` (a file or directory on the host). */
  bind(source: string, target: string): void {
    this.run(['mount', '--bind', source, target]);
  }

  /** An empty tmpfs over `target` inside the sandbox. */
  tmpfs(target: string): void {
    this.run(['mount', '-t', 'tmpfs', '-o', 'mode=0755', 'tmpfs', target]);
  }

  /** Starts a long-running program inside, its output appended to `logFile`. */
  daemon(args: readonly string[], logFile: string): ChildProcess {
    const fd = fs.openSync(logFile, 'a');
    try {
      const child = spawn(this.wrap[0], [...this.wrap.slice(1), ...args], { stdio: ['ignore', fd, fd] });
      child.once('error', () => undefined);
      this.daemons.push(child);
      return child;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Host PIDs (with command lines) of processes still in the sandbox's network namespace. */
  leftovers(): string[] {
    const found: string[] = [];
    for (const name of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) {
        continue;
      }
      try {
        if (fs.readlinkSync(`/proc/${name}/ns/net`) === this.netNs) {
          found.push(`${name} ${fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`);
        }
      } catch {
        // Gone meanwhile, or a kernel thread.
      }
    }
    return found;
  }

  /** Kills everything inside (SIGKILL to the PID namespace's init takes all of it down), waits for the
   *  holder and the nsenter parents, removes the temporary directory. Idempotent. */
  async dispose(): Promise<void> {
    try {
      process.kill(this.init, 'SIGKILL');
    } catch {
      // Already gone (the sleep ran out).
    }
    const gone = (c: ChildProcess): Promise<void> =>
      c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((resolve) => c.once('exit', () => resolve()));
    await Promise.race([Promise.all([gone(this.holder), ...this.daemons.map(gone)]), delay(5000)]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
