// Port activity: what opened and closed between snapshots, remembered across reloads. Plain data that
// goes to workspace/global state as JSON, so every field is a JSON value.
import type { Protocol } from '../../core/types';
import type { ExposureScope } from '../exposure';

/** A process that held the socket, as far as the log needs to remember it. */
export interface ActivityHolder {
  pid: number;
  /** Short process name, capped at {@link HOLDER_NAME_MAX}. Untrusted text: escape it where shown. */
  name: string;
  /** Process start time (ms since the epoch), when known: tells a reused pid apart. */
  startTime?: number;
}

/** The container that held the port (it published it, or its process held it): what the log remembers
 *  of it. Names are untrusted text, capped at {@link CONTAINER_TEXT_MAX}: escape them where shown. */
export interface ActivityContainer {
  engine: 'docker' | 'podman';
  /** The short id (12 hex digits). */
  id: string;
  name: string;
  image?: string;
  /** From the compose labels. */
  compose?: { project: string; service: string };
}

/** Longest container name, image, project or service kept in an event. */
export const CONTAINER_TEXT_MAX = 128;

/** Longest process name kept in an event. */
export const HOLDER_NAME_MAX = 64;
/** Most holders kept per event (SO_REUSEPORT workers, forked servers); the rest are counted. */
export const HOLDERS_MAX = 8;

/** One port that opened or closed on one address. */
export interface ActivityEvent {
  /** When the change was seen: the time of the snapshot that shows it (ms since the epoch). */
  at: number;
  kind: 'opened' | 'closed';
  port: number;
  protocol: Protocol;
  /** Bound address as the back-end printed it (`127.0.0.1`, `::`, `fe80::1%eth0`). */
  address: string;
  /** The snapshot before `at`: the change happened between `previousAt` and `at`. For a closed port,
   *  this is when it was last seen open. */
  previousAt?: number;
  /** Up to {@link HOLDERS_MAX} holders, by pid. Empty when the owner could not be seen. */
  holders: ActivityHolder[];
  /** Holders beyond the cap. */
  moreHolders?: number;
  /** The container behind the socket: then `holders` are its forwarders (docker-proxy, conmon, …). */
  container?: ActivityContainer;
  /** The socket was there but its owner could not be seen (another user, another container). */
  ownerHidden?: boolean;
  /** Owner uid reported by the kernel, known even when the owner is hidden. */
  uid?: number;
  /** How many sockets this event stands for (SO_REUSEPORT workers open several at once). Absent: 1. */
  sockets?: number;
  /** Who could reach the address, judged from the address alone. */
  exposure: ExposureScope;
}

/** Why an event or a pattern of events deserves a look. */
export type UnusualKind = 'network-exposed' | 'well-known-port' | 'flapping';

/** Unusual activity, pointed out to the user. */
export interface UnusualActivity {
  kind: UnusualKind;
  port: number;
  protocol: 'tcp' | 'udp';
  /** The latest event behind the finding. */
  at: number;
  /** Plain words; holds untrusted process names: escape it where shown. */
  message: string;
  /** How many events the finding stands for (flapping: opens and closes inside the window). */
  count: number;
  address?: string;
}

/** The log as stored in workspace or global state. */
export interface StoredActivity {
  version: 1;
  events: ActivityEvent[];
}
