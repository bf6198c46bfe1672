// Which host processes belong to a container engine, and what their command lines and cgroups say about
// the container behind a socket. Pure parsing: the inspector reads /proc and asks the engine; this file
// only reads text it is given, so it is unit-tested on what real engines showed (test/unit/containerProcesses).
//
// Linux truncates a process's `comm` to 15 bytes (`containerd-shim-runc-v2` is `containerd-shim`), so a
// name is matched on its comm prefix and on the basename of argv[0].
import type { ProcessInfo, Protocol } from './types';

export type ContainerEngine = 'docker' | 'podman';

/** Processes that forward a port to a container or run the engine, by name, with the plain reason they
 *  are never signalled. */
const FORWARDERS: ReadonlyArray<readonly [name: string, engine: ContainerEngine, why: string]> = [
  ['docker-proxy', 'docker', "it is Docker's port forwarder; stopping it breaks the container's published port and leaves the container running"],
  ['dockerd', 'docker', "it is the Docker engine itself; stopping it stops every container's networking"],
  ['containerd-shim', 'docker', "it is the container runtime's shim that keeps a container alive"],
  ['containerd', 'docker', 'it is the container runtime that runs every container'],
  ['conmon', 'podman', "it is Podman's container monitor; stopping it orphans the container"],
  ['rootlessport', 'podman', "it is rootless Podman's port forwarder"],
  ['rootlesskit-docker-proxy', 'docker', "it is rootless Docker's port forwarder"],
  ['rootlesskit', 'docker', "it runs rootless Docker or Podman and forwards their ports"],
  ['pasta', 'podman', "it is rootless Podman's network forwarder (passt)"],
  ['passt', 'podman', "it is rootless Podman's network forwarder (passt)"],
  ['slirp4netns', 'podman', "it is rootless Podman's network forwarder"],
  ['com.docker.backend', 'docker', "it is Docker Desktop's back-end, which forwards the container's ports"],
  ['vpnkit', 'docker', "it is Docker Desktop's network forwarder"],
  ['wslrelay', 'docker', "it is the WSL relay that forwards ports from a WSL distribution (Docker Desktop)"],
];

const COMM_MAX = 15;

function argv0Base(command: string): string {
  const first = command.split(' ', 1)[0] ?? '';
  return first.slice(first.lastIndexOf('/') + 1);
}

function matchesName(p: Pick<ProcessInfo, 'name' | 'command'>, name: string): boolean {
  const comm = p.name.replace(/\.exe$/i, '');
  if (comm === name || (comm.length >= COMM_MAX && name.startsWith(comm))) {
    return true;
  }
  // Prefix of longer names (`containerd-shim-runc-v2`), but never `dockerd` for `dockerd-rootless.sh`.
  const base = argv0Base(p.command).replace(/\.exe$/i, '');
  return base === name || (name === 'containerd-shim' && base.startsWith('containerd-shim'));
}

/** The forwarder `p` is, with the engine and the reason it is never signalled; undefined for others. */
export function forwarderOf(p: Pick<ProcessInfo, 'name' | 'command'>): { name: string; engine: ContainerEngine; why: string } | undefined {
  for (const [name, engine, why] of FORWARDERS) {
    if (matchesName(p, name)) {
      return { name, engine, why };
    }
  }
  return undefined;
}

/** What one process says about the container behind a socket it holds. */
export type ContainerHint =
  /** docker-proxy: its arguments name the host side and the container side. */
  | { kind: 'proxy'; engine: 'docker'; protocol?: Protocol; hostIp?: string; hostPort?: number; containerIp?: string; containerPort?: number }
  /** dockerd with `--userland-proxy=false`, rootlesskit, rootlessport, Docker Desktop: they hold the host
   *  port for whichever container publishes it. */
  | { kind: 'engine'; engine: ContainerEngine }
  /** Podman's conmon: its arguments carry the container's id and name. */
  | { kind: 'conmon'; engine: 'podman'; id: string; name?: string }
  /** A process inside the container (`--network=host`): its cgroup names the container. */
  | { kind: 'member'; engine: ContainerEngine; id: string };

/** The value after `flag` in a space-joined command line (`-host-port 8080`, `-host-port=8080`). */
function argValue(args: readonly string[], ...flags: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    for (const flag of flags) {
      if (args[i] === flag) {
        return args[i + 1];
      }
      if (args[i].startsWith(`${flag}=`)) {
        return args[i].slice(flag.length + 1);
      }
    }
  }
  return undefined;
}

function portNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text)) {
    return undefined;
  }
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

const FULL_ID = /^[0-9a-f]{64}$/;

/** What a forwarder's command line says (no cgroup needed); undefined when `p` is no forwarder. */
export function hintFromProcess(p: Pick<ProcessInfo, 'name' | 'command'>): ContainerHint | undefined {
  const cached = hints.get(p);
  if (cached !== undefined) {
    return cached ?? undefined;
  }
  const hint = readHint(p);
  hints.set(p, hint ?? null);
  return hint;
}

/** Hints by owner object: a scan's sockets of one process share its ProcessInfo, so each forwarder's
 *  command line is read once per scan, not once per socket (profiled: ~65 ms of a `list` at 5,000
 *  sockets). Name and command never change on an object once scanned. */
const hints = new WeakMap<object, ContainerHint | null>();

function readHint(p: Pick<ProcessInfo, 'name' | 'command'>): ContainerHint | undefined {
  const forwarder = forwarderOf(p);
  if (!forwarder) {
    return undefined;
  }
  const args = p.command.split(' ');
  switch (forwarder.name) {
    case 'docker-proxy':
    case 'rootlesskit-docker-proxy': {
      const proto = argValue(args, '-proto', '--proto');
      return {
        kind: 'proxy',
        engine: 'docker',
        ...(proto === 'tcp' || proto === 'udp' ? { protocol: proto } : {}),
        hostIp: argValue(args, '-host-ip', '--host-ip'),
        hostPort: portNumber(argValue(args, '-host-port', '--host-port')),
        containerIp: argValue(args, '-container-ip', '--container-ip'),
        containerPort: portNumber(argValue(args, '-container-port', '--container-port')),
      };
    }
    case 'conmon': {
      const id = argValue(args, '-c', '--cid');
      if (id === undefined || !FULL_ID.test(id)) {
        return { kind: 'engine', engine: 'podman' };
      }
      const name = argValue(args, '-n', '--name');
      return { kind: 'conmon', engine: 'podman', id, ...(name ? { name } : {}) };
    }
    default:
      return { kind: 'engine', engine: forwarder.engine };
  }
}

/** The container a process runs in, from /proc/PID/cgroup: Docker's `/docker/<id>` (cgroupfs) or
 *  `docker-<id>.scope` (systemd), Podman's `libpod-<id>` (not `libpod-conmon-<id>`: that is conmon's). */
export function containerFromCgroup(text: string): { engine: ContainerEngine; id: string } | undefined {
  for (const line of text.split('\n')) {
    const path = line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1);
    let m = /\/docker[-/]([0-9a-f]{64})(?:\.scope)?(?:\/|$)/.exec(path);
    if (m) {
      return { engine: 'docker', id: m[1] };
    }
    m = /\/libpod-([0-9a-f]{64})(?:\.scope)?(?:\/|$)/.exec(path);
    if (m) {
      return { engine: 'podman', id: m[1] };
    }
  }
  return undefined;
}

/** A container name safe to type into a shell unquoted (Docker and Podman allow `[a-zA-Z0-9][a-zA-Z0-9_.-]*`);
 *  anything else is referred to by its id. */
export function shellSafeContainerRef(c: { id: string; name: string }): string {
  return /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/.test(c.name) ? c.name : c.id.slice(0, 12).replace(/[^0-9a-f]/g, '');
}
