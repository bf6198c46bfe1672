// Types of the config-file port finder: what a port mention in a text file is.
import type { Protocol } from '../../core/types';

/** The families of files the finder understands, in the order the `portInspector.hover.fileKinds` setting
 *  lists them. For `other`, only URLs and `address:port` are found. */
export const PORT_FILE_KINDS = [
  'env',
  'compose',
  'yaml',
  'json',
  'dockerfile',
  'nginx',
  'apache',
  'caddy',
  'properties',
  'toml',
  'ini',
  'shell',
  'makefile',
  'javascript',
  'typescript',
  'python',
  'go',
  'java',
  'csharp',
  'rust',
  'ruby',
  'hcl',
  'markdown',
  'other',
] as const;

/** One of {@link PORT_FILE_KINDS}. */
export type PortFileKind = (typeof PORT_FILE_KINDS)[number];

/**
 * What a mentioned port is for:
 * - `host`: the host side of a mapping (compose/`docker -p` host port, `published:`, `hostPort`, `nodePort`,
 *   the local side of `kubectl port-forward`);
 * - `container`: the container side (mapping container port, `target:`, `EXPOSE`, `expose:`, `containerPort`);
 * - `listen`: a program is told to listen there (`listen 80;`, `--port 5173`, `.listen(3000)`, `PORT=3000`);
 * - `target`: something connects there (`proxy_pass`, `reverse_proxy`, `ssh -p`, `targetPort`);
 * - `url`: the port of a URL or of an `address:port` written somewhere;
 * - `single`: a port setting whose direction the file does not say (`port = 8000`, `forwardPorts`).
 */
export type PortRole = 'host' | 'container' | 'listen' | 'target' | 'url' | 'single';

/** Both sides of a port mapping, so a hover on either side can show the other. Absent sides are unknown
 *  or chosen at run time (`"3000"` alone publishes container port 3000 on an ephemeral host port). */
export interface PortMapping {
  hostPort?: number;
  containerPort?: number;
  hostRange?: [number, number];
  containerRange?: [number, number];
}

/** One port number found in a text. */
export interface PortMention {
  /** Offset of the first digit in the text. For a range (`3000-3005`) the mention spans the whole range. */
  start: number;
  /** Offset just after the last digit. */
  end: number;
  /** 0-based line of the mention. */
  line: number;
  /** The port; for a range, its low end. Always 1–65535. */
  port: number;
  protocol: Protocol;
  role: PortRole;
  /** The address the port is bound to or reached at, as written (`127.0.0.1`, `::1`, `db`, `${HOST}`). */
  hostAddress?: string;
  /** For a range mention: both ends, inclusive. */
  range?: [number, number];
  /** For one side of a mapping: both sides. */
  mapping?: PortMapping;
  /** The variable whose default this port is (`${PORT:-3000}` → `PORT`). */
  variable?: string;
  /** True when the mention is in a commented-out line (`# PORT=3000`). */
  commented?: boolean;
  /** A short constant naming the rule that matched (`compose-ports`, `env-assignment`, `url`, …). */
  context: string;
}

/** A host port mapped more than once in one compose file. */
export interface DuplicateHostPort {
  /** The (lowest) duplicated port. */
  port: number;
  /** When consecutive ports are duplicated by the same mentions (overlapping ranges): both ends. */
  range?: [number, number];
  protocol: Protocol;
  /** The `host` mentions that claim the port, sorted by offset. */
  mentions: PortMention[];
}

/** Line access for {@link portAtPosition}, so an editor can look up one position without the whole text
 *  (a VS Code `TextDocument` adapts in three lines). */
export interface LineReader {
  readonly lineCount: number;
  /** The text of a line without its line break. */
  lineText(line: number): string;
  /** Offset of the line's first character in the document. */
  lineOffset(line: number): number;
}
