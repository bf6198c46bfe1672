// The facts a troubleshooting report is built from, and the report. Plain data: gathered once (see
// gather.ts), then turned into Markdown by a pure function, so the report is testable without a network.
import type { FirewallFindings } from '../../inspector/firewall/types';
import type { ConnectionResult } from '../../inspector/probe/types';
import type { ContainerInfo, ConnectionSummary, ListeningSocket, Protocol } from '../../core/types';
import type { ContainerSide } from '../../inspector/containers/containerSide';
import type { ReservedPortRange } from '../../inspector/windows/excludedPorts';
import type { LastHolder } from '../activity/describe';
import type { ActivityEvent, UnusualActivity } from '../activity/types';

/** A line in a workspace file that mentions the port (from the hover's port finder). */
export interface ConfigMention {
  /** Path shown to the user, e.g. workspace-relative `docker-compose.yml`. Untrusted text. */
  file: string;
  /** 1-based line number. */
  line: number;
  /** The line's text (trimmed by the builder). Untrusted text. */
  text: string;
  /** Link target for the line, e.g. `file:///home/me/app/compose.yml#L12` (a `vscode.Uri` string plus
   *  `#L<line>`). Only `file:` and `vscode-*:` URIs without spaces, quotes or brackets become links. */
  target?: string;
}

/** Why an address was tested. */
export type ConnectionTestReason = 'bound' | 'wildcard' | 'dual-stack' | 'requested' | 'nothing-listening';

/** One connection test and why it was run. */
export interface ConnectionTest {
  /** The address connected to (`127.0.0.1` for a socket bound to `0.0.0.0`). */
  target: string;
  /** The bound address it stands for (`0.0.0.0`), when it stands for one. */
  boundAddress?: string;
  reason: ConnectionTestReason;
  result: ConnectionResult;
}

/** What the activity log knows about the port. */
export interface TroubleshootActivity {
  /** Who held the port last (the newest close), if anyone did while the log was kept. */
  lastHolder?: LastHolder;
  /** The port's events, oldest first (the newest few are shown). */
  events: ActivityEvent[];
  /** Unusual activity on the port. */
  unusual: UnusualActivity[];
}

/** The container that publishes the port (or whose process holds it), host side and container side. */
export interface TroubleshootContainer {
  /** Untrusted names and labels: escape where shown. */
  container: ContainerInfo;
  /** The host sockets it holds on the port, with the processes that hold them for it (docker-proxy, …). */
  hostSide: Array<{ protocol: Protocol; address: string; port: number; forwarders: Array<{ pid: number; name: string }> }>;
  /** What the engine and the container's own socket tables said; undefined when it was not asked. */
  side?: ContainerSide;
}

/** Everything gathered about one port. */
export interface TroubleshootFacts {
  port: number;
  /** The host the user asked about, validated (no brackets). */
  host?: string;
  /** The protocol asked about; both when absent. */
  protocol?: Protocol;
  platform: NodeJS.Platform;
  /** The scan ran as root: a hidden owner is then in another pid namespace, and sudo would not help. */
  asRoot?: boolean;
  /** When the facts were gathered (ms since the epoch). */
  now: number;
  /** The snapshot's time and back-end. */
  snapshotTakenAt: number;
  backend: string;
  /** Sockets on the port (of the protocol asked about). */
  sockets: ListeningSocket[];
  /** With a protocol asked about: sockets on the same port number with the other protocol. */
  otherProtocolSockets: ListeningSocket[];
  /** The snapshot's connection summary (ephemeral range). */
  connections?: ConnectionSummary;
  tests: ConnectionTest[];
  /** Undefined when the firewall was not checked. */
  firewall?: FirewallFindings;
  /** The containers behind the port's sockets (usually one). */
  containers?: TroubleshootContainer[];
  /** Undefined when there is no activity log. */
  activity?: TroubleshootActivity;
  /** Undefined when the workspace was not searched. */
  configMentions?: ConfigMention[];
  /** The port ranges Windows reserves that hold the port (of the protocol asked about); undefined when
   *  they were not read (not Windows, or netsh failed). */
  reservedRanges?: ReservedPortRange[];
  /** What went wrong while gathering, in plain words (a step that could not run). */
  problems: string[];
}

/** A step's verdict: fine, worth a look, the problem, or information only. */
export type StepVerdict = 'ok' | 'warn' | 'fail' | 'info';

/** The six steps of the checklist, and the Container section that stands before them. */
export type StepId = 'container' | 'listening' | 'reachable' | 'firewall' | 'nothing-listening' | 'configuration' | 'next-steps';

/** One step of the report. */
export interface TroubleshootStep {
  id: StepId;
  title: string;
  verdict: StepVerdict;
  /** One line of plain words (may hold process names: escape it where shown). */
  summary: string;
  /** The step's body as Markdown, every untrusted string escaped. */
  markdown: string;
}

/** A copyable command with what it is for. */
export interface NextStepCommand {
  /** Plain words, e.g. `Who is listening on the port`. */
  purpose: string;
  command: string;
}

/** The finished report. */
export interface TroubleshootReport {
  /** Plain words, e.g. `Troubleshooting port 3000/tcp`. */
  title: string;
  steps: TroubleshootStep[];
  /** The Container section, when a container publishes the port (not numbered: it stands before the steps). */
  container?: TroubleshootStep;
  /** The commands of the last step, for a "copy" button. */
  commands: NextStepCommand[];
  /** The whole document as Markdown, safe to render with untrusted content: no link, image, HTML or
   *  command URI can come from process text, file text, banners or rule text. */
  markdown: string;
}
