// The inspector's data model. Pure types: shared by every back-end, the model, the CLI and the extension.

/** Transport protocol of a socket. */
export type Protocol = 'tcp' | 'udp';

/** Address family of a socket. v4-mapped IPv6 sockets (`::ffff:a.b.c.d`) are reported as family 4. */
export type Family = 4 | 6;

/** A process that holds a socket open (one socket may have several: forked workers, inherited fds). */
export interface ProcessInfo {
  pid: number;
  /** Short name (Linux `comm`, macOS `lsof -c`, Windows image name). Untrusted text. */
  name: string;
  /** Full command line, arguments joined by spaces. Untrusted text; may be empty when unknown. */
  command: string;
  /** User name when it can be resolved, else the numeric uid as a string. */
  user?: string;
  uid?: number;
  /** Parent pid (0 when unknown or none). */
  ppid?: number;
  /** Process start time, milliseconds since the epoch. Together with pid it identifies a process:
   *  pids are reused, (pid, startTime) is not. */
  startTime?: number;
  /** Linux: the start time exactly as the kernel counts it (clock ticks since boot, /proc/PID/stat field
   *  22). `startTime` is derived from it and the boot time, which the kernel reports only to the second
   *  and can shift; a stop compares these ticks, exactly. */
  startTicks?: number;
  /** The project the process was started in (from its working directory), when one could be read and
   *  found; absent when unknown, never a guess. Filled after the scan (inspector/projectResolver.ts). */
  project?: ProjectInfo;
}

/** A container engine's view of a container that publishes a port or whose process holds one. */
export interface ContainerInfo {
  engine: 'docker' | 'podman';
  /** Full id; surfaces show the first 12 characters. */
  id: string;
  /** Untrusted text, like every name below. */
  name: string;
  image: string;
  state?: string;
  /** Milliseconds since the epoch. */
  startedAt?: number;
  /** From the compose labels, where present. */
  compose?: { project: string; service: string; configFiles?: string[] };
  pod?: string;
}

/** The folder a holder belongs to: the nearest one with a project marker (`.git`, `package.json`, …). */
export interface ProjectInfo {
  root: string;
  name: string;
  /** Which marker made it a project (`git`, `npm`, `python`, …). */
  kind: string;
  /** Branch of the git repository (or worktree) it belongs to. Untrusted text. */
  branch?: string;
  /** A package inside a larger repository (a monorepo): the repository's root. `name` then says both. */
  repository?: string;
}

/** One listening TCP socket or one bound UDP socket. */
export interface ListeningSocket {
  protocol: Protocol;
  family: Family;
  /** Local address as text: `127.0.0.1`, `0.0.0.0`, `::`, `::1`, `fe80::1%eth0`. */
  address: string;
  port: number;
  /** Kernel socket state: `LISTEN` for TCP listeners, `UNCONN` for bound UDP sockets. */
  state: string;
  /** Socket inode (Linux) or another back-end specific identity, used to correlate owners. */
  inode?: number;
  /** Owner uid as reported by the kernel, known even when the owning process is not visible. */
  uid?: number;
  /** Every process holding the socket, sorted by pid. Empty when no owner could be seen. */
  owners: ProcessInfo[];
  /** False when the socket's owner cannot be seen: another user's process without privileges, or a
   *  process in another pid namespace. Such sockets are listed, never dropped. */
  ownerVisible: boolean;
  /** The container behind the socket, when an engine published it or one of its processes holds it:
   *  then `owners` are the engine's forwarders (docker-proxy, conmon, …), which are never signalled. */
  container?: ContainerInfo;
  /** TCP: established connections whose local port is this socket's port, counted from the socket tables
   *  the scan reads anyway. Absent where the back-end does not count them (unknown, not zero). */
  connections?: number;
  /** TCP: other non-listening sockets on this port (TIME_WAIT, CLOSE_WAIT, …): a connection ended within
   *  the last minute or so. Counted with `connections`. */
  closingConnections?: number;
}

/** TCP connection-state counts and ephemeral port use: how port exhaustion shows up. */
export interface ConnectionSummary {
  /** Counts per TCP state name (`ESTABLISHED`, `TIME_WAIT`, `LISTEN`, …), IPv4 and IPv6 together. */
  tcpStates: Record<string, number>;
  timeWait: number;
  /** Established UDP "connections" are rare; bound-but-unconnected UDP sockets counted here. */
  udpSockets: number;
  /** The ephemeral range (Linux `ip_local_port_range`) and how many distinct local ports in it are in
   *  use by TCP sockets that are not listening (outgoing connections, TIME_WAIT). */
  ephemeral?: { low: number; high: number; used: number };
}

/** A consistent picture of the machine's listening sockets at one moment. */
export interface Snapshot {
  /** Milliseconds since the epoch when the scan finished. */
  takenAt: number;
  /** Which back-end produced it: `linux-proc`, `darwin-lsof`, `win32-netstat`, `systeminformation`. */
  backend: string;
  /** How long the scan took, in milliseconds. */
  durationMs: number;
  /** Sorted by port, then protocol, then address. */
  sockets: ListeningSocket[];
  connections?: ConnectionSummary;
  /** Non-fatal problems worth telling the user about (a tool missing for command lines, …). */
  warnings: string[];
}

export interface ScanOptions {
  signal?: AbortSignal;
  /** Also compute the connection-state summary (costs one more read on Linux). Default true. */
  connections?: boolean;
}

/** A back-end knows how to list the listening sockets of one kind of operating system. */
export interface Backend {
  readonly id: string;
  snapshot(options?: ScanOptions): Promise<Snapshot>;
  /** Frees resources (a worker thread, caches). Safe to call twice. */
  dispose(): void;
}

/** An error the user can act on: a missing tool, a permission problem. `message` is plain words. */
export class InspectorError extends Error {
  constructor(
    message: string,
    readonly code: 'TOOL_MISSING' | 'TIMEOUT' | 'PERMISSION' | 'UNSUPPORTED' | 'PARSE' | 'FAILED',
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'InspectorError';
  }
}
