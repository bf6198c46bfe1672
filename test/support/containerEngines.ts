// Real container engines for tests (see ../shared/CONTAINERS.md for the facts this follows): a network
// namespace the test creates, a private data directory, a busybox image imported from the machine's
// busybox-static, dockerd or Podman started by hand with private sockets. The engines write firewall rules
// and sysctls only inside the namespace, so the host is left as it was. `dispose` stops everything.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { until } from './poll';

/** Why the engine tests cannot run here, or undefined. Only a missing tool is a reason: CI installs them. */
export function missingTool(tools: readonly string[]): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    return 'needs Linux and root (network namespaces, a private dockerd)';
  }
  for (const tool of ['ip', 'nsenter', 'busybox', ...tools]) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      const pkg: Record<string, string> = { busybox: 'busybox-static', dockerd: 'docker.io', docker: 'docker.io', 'docker-proxy': 'docker.io', newuidmap: 'uidmap', setpriv: 'util-linux', unshare: 'util-linux' };
      return `${tool} is not installed (apt-get install ${pkg[tool] ?? tool})`;
    }
  }
  return undefined;
}

const CLI = path.join(__dirname, '../../src/cli/main.js');

/** One word for `sh -c`, whatever it holds. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Where Debian's docker.io keeps dockerd-rootless.sh. */
export const ROOTLESS_DOCKER_DIR = '/usr/share/docker.io/contrib';

export class EngineSandbox {
  readonly ns: string;
  readonly dir: string;
  private dockerd: ChildProcess | undefined;
  private podmanService: ChildProcess | undefined;
  readonly dockerSock: string;
  readonly podmanSock: string;

  /** `hostNetwork`: no namespace; the engine must then be started with its networking off
   *  (startDocker's `hostNetworkFlags`), and only `--network=host` containers run. */
  constructor(
    tag: string,
    readonly hostNetwork = false,
  ) {
    this.ns = `wtc-${tag}-${process.pid}`;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `pi-${tag}-`));
    this.dockerSock = path.join(this.dir, 'docker.sock');
    this.podmanSock = path.join(this.dir, 'podman.sock');
    if (!hostNetwork) {
      execFileSync('ip', ['netns', 'add', this.ns], { stdio: 'pipe', timeout: 10_000 });
      execFileSync('ip', ['netns', 'exec', this.ns, 'ip', 'link', 'set', 'lo', 'up'], { stdio: 'pipe', timeout: 10_000 });
    }
    // The image: busybox and a page to serve.
    const root = path.join(this.dir, 'rootfs');
    fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
    fs.mkdirSync(path.join(root, 'www'), { recursive: true });
    fs.copyFileSync(execFileSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).trim(), path.join(root, 'bin', 'busybox'));
    fs.chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
    fs.writeFileSync(path.join(root, 'www', 'index.html'), 'hello from a container\n');
    fs.symlinkSync('busybox', path.join(root, 'bin', 'sh'));
  }

  /** argv prefix that runs a program inside the namespace. */
  get enter(): string[] {
    return this.hostNetwork ? ['env'] : ['nsenter', `--net=/run/netns/${this.ns}`];
  }

  /** dockerd in the host's network namespace touching nothing there: no bridge, no firewall rules, no
   *  ip_forward (measured: sysctls, iptables, nftables and links stay exactly as they were). */
  static readonly hostNetworkFlags = ['--bridge=none', '--iptables=false', '--ip6tables=false', '--ip-forward=false', '--ip-masq=false'];

  get dockerEnv(): NodeJS.ProcessEnv {
    return { ...process.env, DOCKER_HOST: `unix://${this.dockerSock}`, CONTAINER_HOST: `unix://${this.podmanSock}` };
  }

  async startDocker(extra: string[] = []): Promise<void> {
    const d = this.dir;
    this.dockerd = spawn(
      this.enter[0],
      [...this.enter.slice(1), 'dockerd', '--data-root', `${d}/docker-data`, '--exec-root', `${d}/docker-exec`, '--pidfile', `${d}/docker.pid`, '-H', `unix://${this.dockerSock}`, '--storage-driver', 'vfs', ...extra],
      { stdio: ['ignore', fs.openSync(`${d}/dockerd.log`, 'a'), fs.openSync(`${d}/dockerd.log`, 'a')] },
    );
    await until(() => spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { env: this.dockerEnv, timeout: 10_000 }).status === 0, {
      what: () => `dockerd to answer (log: ${fs.readFileSync(`${d}/dockerd.log`, 'utf8').slice(-2000)})`,
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    execFileSync('sh', ['-c', `tar -C ${d}/rootfs -c . | docker import - pi-busybox`], { env: this.dockerEnv, stdio: 'pipe', timeout: 60_000 });
  }

  docker(...args: string[]): string {
    return execFileSync('docker', args, { env: this.dockerEnv, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  /** Stops dockerd (and with it its containers and proxies); waits for it to exit. */
  async stopDocker(): Promise<void> {
    const d = this.dockerd;
    if (!d || d.exitCode !== null || d.signalCode !== null) {
      return;
    }
    const pid = Number(fs.readFileSync(`${this.dir}/docker.pid`, 'utf8'));
    const exited = new Promise((resolve) => d.once('exit', resolve));
    process.kill(pid, 'SIGTERM');
    await exited;
    // containerd and the shims follow dockerd out; every one of them names our directory.
    await until(() => spawnSync('pgrep', ['-f', '--', `${this.dir}/docker-`]).status === 1, { what: 'dockerd, containerd and the shims to exit', timeoutMs: 60_000 });
  }

  /** The CLI run inside the namespace (the ports exist only there; the pids are the host's). */
  cli(args: string[], env: NodeJS.ProcessEnv = this.dockerEnv, asUser?: number): { status: number | null; stdout: string; stderr: string } {
    const prefix = asUser !== undefined ? ['setpriv', `--reuid=${asUser}`, `--regid=${asUser}`, '--clear-groups'] : [];
    const r = spawnSync(this.enter[0], [...this.enter.slice(1), ...prefix, process.execPath, CLI, ...args], { env, encoding: 'utf8', timeout: 120_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** `ss` inside the namespace: the truth about who listens on `port`. */
  ss(port: number): string {
    return execFileSync(this.enter[0], [...this.enter.slice(1), 'ss', '-Hltnp', `sport = :${port}`], { encoding: 'utf8', timeout: 10_000 });
  }

  // --- Podman (rootful, conmon)

  private podmanConf(): string {
    const conf = path.join(this.dir, 'containers.conf');
    if (!fs.existsSync(conf)) {
      const hard = execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
      fs.writeFileSync(
        conf,
        `[containers]\ndefault_ulimits = ["nofile=${hard}:${hard}", "nproc=32768:32768"]\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n`,
      );
    }
    return conf;
  }

  /** For the CLI under test: both engines' sockets. */
  get podmanEnv(): NodeJS.ProcessEnv {
    return { ...this.dockerEnv, CONTAINERS_CONF: this.podmanConf() };
  }

  /** For `podman` itself: CONTAINER_HOST would turn it into a remote client of the service. */
  private get podmanLocalEnv(): NodeJS.ProcessEnv {
    const env = { ...this.podmanEnv };
    delete env.CONTAINER_HOST;
    return env;
  }

  podman(...args: string[]): string {
    const d = this.dir;
    return execFileSync(this.enter[0], [...this.enter.slice(1), 'podman', '--root', `${d}/podman-root`, '--runroot', `${d}/podman-run`, '--storage-driver', 'vfs', ...args], {
      env: this.podmanLocalEnv,
      encoding: 'utf8',
      timeout: 120_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  }

  async startPodman(): Promise<void> {
    const d = this.dir;
    execFileSync('sh', ['-c', `tar -C ${d}/rootfs -c . | ${this.enter.join(' ')} podman --root ${d}/podman-root --runroot ${d}/podman-run --storage-driver vfs import - pi-busybox`], {
      env: this.podmanLocalEnv,
      stdio: 'pipe',
      timeout: 120_000,
    });
    this.podmanService = spawn(
      this.enter[0],
      [...this.enter.slice(1), 'podman', '--root', `${d}/podman-root`, '--runroot', `${d}/podman-run`, '--storage-driver', 'vfs', 'system', 'service', '--time=0', `unix://${this.podmanSock}`],
      { env: this.podmanLocalEnv, stdio: ['ignore', fs.openSync(`${d}/podman.log`, 'a'), fs.openSync(`${d}/podman.log`, 'a')] },
    );
    await until(() => fs.existsSync(this.podmanSock), { what: 'the Podman API socket', timeoutMs: 60_000 });
  }

  // --- Podman rootless, as a test user (rootlessport)

  private rootless: { uid: number; service?: ChildProcess; dockerd?: ChildProcess } | undefined;

  /** The user's runtime folder: its API socket is `podman/podman.sock` there, as under /run/user/UID. */
  get rootlessRuntimeDir(): string {
    return path.join(this.dir, 'rl-run');
  }

  /**
   * A command as the rootless test user, in this namespace, inside a private mount namespace where
   * /etc/passwd, /etc/group, /etc/subuid and /etc/subgid name the user and /dev/net/tun is usable by it
   * (slirp4netns opens it; it is 0600 here): bind mounts seen by nothing else, so the host's files stay
   * as they were. No such user exists on the host: the uid is checked unused before.
   */
  private asRootless(command: string[]): string[] {
    const r = this.rootless!;
    const d = this.dir;
    const env = [
      'env',
      '-i',
      `PATH=${ROOTLESS_DOCKER_DIR}:/usr/sbin:/usr/bin:/sbin:/bin`,
      `HOME=${d}/rl-home`,
      `XDG_RUNTIME_DIR=${this.rootlessRuntimeDir}`,
      `CONTAINERS_CONF=${d}/rl-containers.conf`,
      `DOCKER_HOST=unix://${this.rootlessRuntimeDir}/docker.sock`,
    ];
    const script = [
      `mount --bind ${d}/rl-etc/passwd /etc/passwd`,
      `mount --bind ${d}/rl-etc/group /etc/group`,
      `mount --bind ${d}/rl-etc/subuid /etc/subuid`,
      `mount --bind ${d}/rl-etc/subgid /etc/subgid`,
      `mount --bind ${d}/rl-dev/tun /dev/net/tun`,
      `exec ${[...this.enter, 'setpriv', `--reuid=${r.uid}`, `--regid=${r.uid}`, '--clear-groups', ...env, ...command].map(shellQuote).join(' ')}`,
    ].join(' && ');
    return ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script];
  }

  /** The environment of the rootless user's own CLI: their home and runtime folder (where their engine's
   *  default socket is), and the other engine pointed nowhere. */
  rootlessUserEnv(without: 'docker' | 'podman'): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: path.join(this.dir, 'rl-home'),
      XDG_RUNTIME_DIR: this.rootlessRuntimeDir,
      ...(without === 'docker' ? { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } : { CONTAINER_HOST: 'unix:///nonexistent/podman.sock' }),
    };
  }

  rootlessPodman(...args: string[]): string {
    const cmd = this.asRootless(['podman', '--storage-driver', 'vfs', ...args]);
    return execFileSync(cmd[0], cmd.slice(1), { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  /** Prepares the test user `uid` (which must not exist here), imports the image into its own storage
   *  and starts its API service on the default rootless socket. */
  async startRootlessPodman(uid: number): Promise<void> {
    this.prepareRootlessUser(uid);
    const d = this.dir;
    const importCmd = this.asRootless(['podman', '--storage-driver', 'vfs', 'import', '-', 'pi-busybox']);
    this.importImage(importCmd);
    const svc = this.asRootless(['podman', '--storage-driver', 'vfs', 'system', 'service', '--time=0']);
    this.rootless!.service = spawn(svc[0], svc.slice(1), { stdio: ['ignore', fs.openSync(`${d}/rl-podman.log`, 'a'), fs.openSync(`${d}/rl-podman.log`, 'a')] });
    await until(() => fs.existsSync(path.join(this.rootlessRuntimeDir, 'podman', 'podman.sock')), { what: "the rootless user's Podman API socket", timeoutMs: 60_000 });
  }

  /** Rootless Docker for the test user `uid`: dockerd-rootless.sh (rootlesskit, slirp4netns) on the
   *  default rootless socket `$XDG_RUNTIME_DIR/docker.sock`, with the image imported. */
  async startRootlessDocker(uid: number): Promise<void> {
    this.prepareRootlessUser(uid);
    const d = this.dir;
    const cmd = this.asRootless(['dockerd-rootless.sh', '--storage-driver', 'vfs']);
    const log = fs.openSync(`${d}/rl-dockerd.log`, 'a');
    this.rootless!.dockerd = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', log, log] });
    await until(
      () => {
        if (this.rootless?.dockerd?.exitCode !== null) {
          throw new Error(`rootless dockerd exited: ${fs.readFileSync(`${d}/rl-dockerd.log`, 'utf8').slice(-800)}`);
        }
        const version = this.asRootless(['docker', 'version']);
        return fs.existsSync(path.join(this.rootlessRuntimeDir, 'docker.sock')) && spawnSync(version[0], version.slice(1), { timeout: 20_000 }).status === 0;
      },
      { what: 'rootless dockerd to answer', timeoutMs: 90_000 },
    );
    const importCmd = this.asRootless(['docker', 'import', '-', 'pi-busybox']);
    this.importImage(importCmd);
  }

  rootlessDocker(...args: string[]): string {
    const cmd = this.asRootless(['docker', ...args]);
    return execFileSync(cmd[0], cmd.slice(1), { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  /** Pipes the busybox rootfs into an engine's `import -` run as the rootless user. */
  private importImage(importCmd: string[]): void {
    execFileSync('sh', ['-c', `tar -C ${this.dir}/rootfs -c . | ${importCmd.map(shellQuote).join(' ')}`], { stdio: 'pipe', timeout: 120_000 });
  }

  private prepareRootlessUser(uid: number): void {
    if (spawnSync('getent', ['passwd', String(uid)]).status === 0 || spawnSync('pgrep', ['-u', String(uid)]).status === 0) {
      throw new Error(`uid ${uid} is in use on this machine; the rootless test needs an unused one`);
    }
    const d = this.dir;
    this.rootless = { uid };
    fs.chmodSync(d, 0o755);
    for (const sub of ['rl-home', 'rl-run', 'rl-etc', 'rl-dev']) {
      fs.mkdirSync(path.join(d, sub));
    }
    fs.chownSync(path.join(d, 'rl-home'), uid, uid);
    fs.chownSync(this.rootlessRuntimeDir, uid, uid);
    fs.chmodSync(this.rootlessRuntimeDir, 0o700);
    fs.writeFileSync(path.join(d, 'rl-etc/passwd'), `${fs.readFileSync('/etc/passwd', 'utf8')}pi-rootless:x:${uid}:${uid}::${d}/rl-home:/bin/sh\n`);
    fs.writeFileSync(path.join(d, 'rl-etc/group'), `${fs.readFileSync('/etc/group', 'utf8')}pi-rootless:x:${uid}:\n`);
    fs.writeFileSync(path.join(d, 'rl-etc/subuid'), 'pi-rootless:200000:65536\n');
    fs.writeFileSync(path.join(d, 'rl-etc/subgid'), 'pi-rootless:200000:65536\n');
    // A tun device node of our own, usable by the user, bound over /dev/net/tun in the private namespace.
    execFileSync('mknod', ['-m', '666', path.join(d, 'rl-dev/tun'), 'c', '10', '200']);
    const hard = execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
    fs.writeFileSync(path.join(d, 'rl-containers.conf'), `[containers]\ndefault_ulimits = ["nofile=${hard}:${hard}"]\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n`);
  }

  /** The rootless user's processes: podman's pause process, conmon, rootlessport, slirp4netns, the
   *  service. Empty once disposed. */
  rootlessProcesses(): string {
    return this.rootless ? spawnSync('pgrep', ['-a', '-u', String(this.rootless.uid)], { encoding: 'utf8' }).stdout.trim() : '';
  }

  private async disposeRootless(): Promise<void> {
    const r = this.rootless;
    if (!r) {
      return;
    }
    if (r.service) {
      try {
        this.rootlessPodman('rm', '-af', '-t', '0');
      } catch {
        // Nothing ran.
      }
    }
    if (r.dockerd) {
      try {
        const ids = this.rootlessDocker('ps', '-aq');
        if (ids) {
          this.rootlessDocker('rm', '-f', ...ids.split('\n'));
        }
      } catch {
        // Nothing ran, or dockerd is gone already.
      }
    }
    for (const child of [r.service, r.dockerd]) {
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      }
    }
    // What is left is the user's alone (a uid no one else has here): podman's pause process and any
    // conmon or rootlessport that outlived its container.
    spawnSync('pkill', ['-KILL', '-u', String(r.uid)]);
    await until(() => spawnSync('pgrep', ['-u', String(r.uid)]).status !== 0, { what: "the rootless user's processes to exit", timeoutMs: 30_000 });
    this.rootless = undefined;
  }

  /** Stops every container and engine, removes the namespace and the directory. Idempotent. */
  async dispose(): Promise<void> {
    await this.disposeRootless();
    if (this.podmanService) {
      try {
        this.podman('rm', '-af', '-t', '0');
      } catch {
        // Nothing ran, or Podman is gone already.
      }
      const svc = this.podmanService;
      this.podmanService = undefined;
      if (svc.exitCode === null && svc.signalCode === null) {
        const exited = new Promise((resolve) => svc.once('exit', resolve));
        svc.kill('SIGTERM');
        await exited;
      }
    }
    if (this.dockerd) {
      try {
        const ids = this.docker('ps', '-aq');
        if (ids) {
          this.docker('rm', '-f', ...ids.split('\n'));
        }
      } catch {
        // dockerd was stopped by the test itself.
      }
      await this.stopDocker();
      this.dockerd = undefined;
    }
    // Anything the engines mounted under our directory (netns files, overlay runs).
    const mounts = fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1]).filter((m) => m?.startsWith(this.dir)).reverse();
    for (const m of mounts) {
      spawnSync('umount', ['-l', m]);
    }
    if (!this.hostNetwork) {
      spawnSync('ip', ['netns', 'del', this.ns]);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
