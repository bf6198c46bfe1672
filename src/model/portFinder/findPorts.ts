// The port finder's entry points: every mention in a text, the mention at one offset (reading only that
// line and a bounded window around it), and duplicate host ports in a compose file.
import { BackwardJsonContext, ForwardJsonContext } from './jsonContext';
import type { JsonContext } from './jsonContext';
import { scanJsonLine } from './jsonRules';
import { makeAssignment, portValuesAt, scanPropertiesLine, scanTomlIniLine } from './keyValueRules';
import { LocalTextLines, MAX_LINE_LENGTH, ReaderLines, TextLines } from './lines';
import type { Lines } from './lines';
import { isPortKey } from './portValues';
import type { Found } from './portValues';
import { dockerInstruction, scanApacheLine, scanCaddyLine, scanDockerfileLine, scanNginxLine } from './serverConfigRules';
import { lastCommand, scanShell } from './shellRules';
import { scanSourceLine } from './sourceRules';
import type { LineReader, PortFileKind, PortMention } from './types';
import { findAddresses, findUrls } from './urlFinder';
import { findHostPorts } from './hostPortRules';
import { scanHclLine } from './hclRules';
import { echoedPorts, findNamedPorts, tablePorts, wordyRegions } from './proseRules';
import { YAML_LOOKBACK_LINES, YamlContext } from './yamlContext';
import { scanYamlLine } from './yamlRules';

/** How many `\`-continued lines above a line are read to learn which command it belongs to. */
const CONTINUATION_LOOKBACK_LINES = 30;

interface ScanEnv {
  lines: Lines;
  kind: PortFileKind;
  yaml: YamlContext;
  json: JsonContext;
}

function continues(line: string | undefined): boolean {
  return line !== undefined && line.length <= MAX_LINE_LENGTH && /\\\s*$/.test(line);
}

/** The first line of the `\`-continued logical line that `i` belongs to (bounded). */
function logicalStart(lines: Lines, i: number): number | undefined {
  let j = i;
  while (j > 0 && continues(lines.text(j - 1))) {
    if (i - j >= CONTINUATION_LOOKBACK_LINES) {
      return undefined;
    }
    j--;
  }
  return j;
}

/** For a continuation line: the command it continues (`docker` under `docker run \`). */
function continuedCommand(lines: Lines, i: number, first: number | undefined, skipInstruction = false): string | undefined {
  if (first === undefined || first === i) {
    return undefined;
  }
  let command: string | undefined;
  for (let j = first; j < i; j++) {
    let text = lines.text(j) ?? '';
    text = text.replace(/\\\s*$/, '');
    if (j === first && skipInstruction) {
      text = text.replace(/^\s*[A-Za-z]+\s+/, '');
    }
    command = lastCommand(text, j === first ? undefined : command);
  }
  return command ?? '';
}

function scanMakefileLine(text: string, lines: Lines, i: number): Found[] {
  const first = logicalStart(lines, i);
  if (first === i && !text.startsWith('\t')) {
    const assignment = makeAssignment(text, 0);
    if (assignment) {
      return isPortKey(assignment.key)
        ? portValuesAt(text, assignment.valueAt, assignment.key, 'makefile-variable', false)
        : scanShell(text, {}, assignment.valueAt);
    }
  }
  return scanShell(text, { command: continuedCommand(lines, i, first) });
}

function scanDockerfile(text: string, lines: Lines, i: number): Found[] {
  const first = logicalStart(lines, i);
  if (first === undefined) {
    return [];
  }
  if (first === i) {
    return scanDockerfileLine(text, undefined, undefined);
  }
  const instruction = dockerInstruction(lines.text(first) ?? '');
  return scanDockerfileLine(text, instruction ?? '', continuedCommand(lines, i, first, true));
}

function scanKind(env: ScanEnv, text: string, i: number): Found[] {
  switch (env.kind) {
    case 'env':
      return scanShell(text);
    case 'compose':
    case 'yaml':
      return scanYamlLine(env.yaml, i);
    case 'json':
      return scanJsonLine(env.json, i);
    case 'dockerfile':
      return scanDockerfile(text, env.lines, i);
    case 'nginx':
      return scanNginxLine(text, (j) => env.lines.text(j), i);
    case 'apache':
      return scanApacheLine(text);
    case 'caddy':
      return scanCaddyLine(text);
    case 'properties':
      return scanPropertiesLine(text);
    case 'toml':
    case 'ini':
      return scanTomlIniLine(text, env.kind);
    case 'shell': {
      const first = logicalStart(env.lines, i);
      return scanShell(text, { command: continuedCommand(env.lines, i, first) });
    }
    case 'makefile':
      return scanMakefileLine(text, env.lines, i);
    case 'javascript':
    case 'typescript':
    case 'python':
    case 'go':
    case 'java':
    case 'csharp':
    case 'rust':
    case 'ruby':
      return scanSourceLine(text, env.kind, (back) => (back <= i ? env.lines.text(i - back) : undefined));
    case 'hcl':
      return scanHclLine(text, (j) => env.lines.text(j), i);
    case 'markdown':
      return [...tablePorts(text, i, (j) => env.lines.text(j)), ...codeSpans(text)];
    case 'other':
      return [];
  }
}

/** Markdown code spans (`` `PORT=3001 npm run dev` ``, `` `lsof -i :3000` ``) read as commands. */
function codeSpans(text: string): Found[] {
  const out: Found[] = [];
  const re = /`([^`]{1,300})`/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(...scanShell(text, {}, m.index + 1, m.index + 1 + m[1].length));
  }
  return out;
}

/**
 * Keeps the first of overlapping findings (rules run most specific first), sorted by column. The kept
 * findings never overlap, so they are held sorted by start and each candidate is checked against its two
 * neighbours found by binary search: O(n log n) comparisons instead of one scan of every kept finding.
 */
export function resolve(found: Found[]): Found[] {
  const kept: Found[] = [];
  for (const f of found) {
    if (f.start < 0 || f.end <= f.start) {
      continue;
    }
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (kept[mid].start < f.start) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    const before = kept[lo - 1];
    const after = kept[lo];
    if ((before && before.end > f.start) || (after && after.start < f.end)) {
      continue;
    }
    kept.splice(lo, 0, f);
  }
  return kept;
}

function toMention(f: Found, line: number, offset: number): PortMention {
  const mention: PortMention = {
    start: offset + f.start,
    end: offset + f.end,
    line,
    port: f.port,
    protocol: f.protocol,
    role: f.role,
    context: f.context,
  };
  if (f.hostAddress !== undefined && f.hostAddress !== '') {
    mention.hostAddress = f.hostAddress;
  }
  if (f.range) {
    mention.range = f.range;
  }
  if (f.mapping) {
    mention.mapping = f.mapping;
  }
  if (f.variable) {
    mention.variable = f.variable;
  }
  if (f.commented) {
    mention.commented = true;
  }
  return mention;
}

/** How many lines around a comment are read for the ports it may be repeating. */
const ECHO_LINES = 4;

/** Every rule but the echo over one line, resolved. */
function lineFindings(env: ScanEnv, text: string, i: number): Found[] {
  const found = [...scanKind(env, text, i), ...findUrls(text), ...findAddresses(text)];
  if (env.kind !== 'other') {
    found.push(...findHostPorts(text, env.kind), ...findNamedPorts(text));
  }
  if (env.kind === 'markdown') {
    // Documentation describes ports; it binds none (no "already in use" diagnostic on a README).
    for (const f of found) {
      if (f.role === 'listen' || f.role === 'host') {
        f.role = 'single';
      }
    }
  }
  return resolve(found);
}

/** Ports a comment or string repeats from the lines around it (`// 3000 is the dev server`), and in code, a
 *  literal that repeats a port of its own line (`{":8080", 8080}` in a test table). */
function echoes(env: ScanEnv, text: string, i: number, found: Found[]): Found[] {
  const regions = wordyRegions(text, env.kind);
  const loose = regions.some(([from, to]) => {
    const re = /\d{2,5}/g;
    re.lastIndex = from;
    for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
      if (!found.some((f) => f.start <= m.index && m.index < f.end)) {
        return true;
      }
    }
    return false;
  });
  const sameLine = CODE_KINDS.has(env.kind) && found.length > 0 ? echoedPorts(text, [[0, text.length]], new Set(found.map((f) => f.port))) : [];
  if (!loose) {
    return sameLine;
  }
  const ports = new Set(found.map((f) => f.port));
  // The neighbours are read as a hover would read them: on their own, with bounded look-back.
  const local = envFor(env.lines, env.kind, false);
  for (let j = i - ECHO_LINES; j <= i + ECHO_LINES; j++) {
    const other = j === i ? undefined : env.lines.text(j);
    if (other !== undefined && other.length <= MAX_LINE_LENGTH && /\d/.test(other)) {
      for (const f of lineFindings(local, other, j)) {
        ports.add(f.port);
      }
    }
  }
  return [...sameLine, ...(ports.size === 0 ? [] : echoedPorts(text, regions, ports))];
}

const CODE_KINDS = new Set<PortFileKind>(['javascript', 'typescript', 'python', 'go', 'java', 'csharp', 'rust', 'ruby']);

function scanLine(env: ScanEnv, i: number): PortMention[] {
  const text = env.lines.text(i);
  if (text === undefined || text.length > MAX_LINE_LENGTH || !/\d/.test(text)) {
    return [];
  }
  let found = lineFindings(env, text, i);
  const echoed = env.kind === 'other' ? [] : echoes(env, text, i, found);
  if (echoed.length > 0) {
    found = resolve([...found, ...echoed]);
  }
  const offset = env.lines.offset(i);
  return found.map((f) => toMention(f, i, offset));
}

function envFor(lines: Lines, kind: PortFileKind, wholeFile: boolean): ScanEnv {
  return {
    lines,
    kind,
    yaml: new YamlContext(lines, wholeFile),
    json: wholeFile ? new ForwardJsonContext(lines) : new BackwardJsonContext(lines),
  };
}

const KINDS = new Set<string>([
  'env', 'compose', 'yaml', 'json', 'dockerfile', 'nginx', 'apache', 'caddy', 'properties', 'toml', 'ini', 'shell',
  'makefile', 'javascript', 'typescript', 'python', 'go', 'java', 'csharp', 'rust', 'ruby', 'hcl', 'markdown', 'other',
]);

function checkKind(caller: string, kind: unknown): void {
  if (typeof kind !== 'string' || !KINDS.has(kind)) {
    throw new Error(`${caller}: unknown port file kind ${JSON.stringify(kind)}`);
  }
}

function checkInput(caller: string, text: unknown, kind: unknown): void {
  if (typeof text !== 'string') {
    throw new Error(`${caller}: the text must be a string, not ${text === null ? 'null' : typeof text}`);
  }
  checkKind(caller, kind);
}

/** Every port mention in `text`, sorted by offset. Lines longer than 10,000 characters are skipped. */
export function findPorts(text: string, kind: PortFileKind): PortMention[] {
  checkInput('findPorts', text, kind);
  const lines = new TextLines(text);
  const env = envFor(lines, kind, true);
  const out: PortMention[] = [];
  for (let i = 0; i < lines.count; i++) {
    out.push(...scanLine(env, i));
    if (i % 4096 === 4095) {
      env.yaml.forgetBefore(i - YAML_LOOKBACK_LINES - 1);
    }
  }
  return out;
}

function pick(mentions: PortMention[], offset: number): PortMention | undefined {
  return mentions.find((m) => m.start <= offset && offset < m.end) ?? mentions.find((m) => m.end === offset);
}

/**
 * The mention whose digits contain `offset` (or end just before it), as {@link findPorts} would report it.
 * Reads only the line and a bounded window of lines around it; finding the line's number is one native
 * search for line breaks before `offset`. Lines longer than 10,000 characters give undefined.
 */
export function portAt(text: string, offset: number, kind: PortFileKind): PortMention | undefined {
  checkInput('portAt', text, kind);
  if (!Number.isInteger(offset) || offset < 0 || offset > text.length) {
    return undefined;
  }
  const lines = new LocalTextLines(text, offset);
  return pick(scanLine(envFor(lines, kind, false), lines.anchorLine), offset);
}

/** {@link portAt} for an editor position (0-based line and character), through the editor's own lines. */
export function portAtPosition(reader: LineReader, line: number, character: number, kind: PortFileKind): PortMention | undefined {
  checkKind('portAtPosition', kind);
  if (!Number.isInteger(line) || line < 0 || line >= reader.lineCount) {
    return undefined;
  }
  const lines = new ReaderLines(reader);
  return pick(scanLine(envFor(lines, kind, false), line), reader.lineOffset(line) + character);
}
