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
      return scanSourceLine(text, env.kind, (back) => (back <= i ? env.lines.text(i - back) : undefined));
    case 'other':
      return [];
  }
}

/** Keeps the first of overlapping findings (rules run most specific first), sorted by column. */
function resolve(found: Found[]): Found[] {
  const kept: Found[] = [];
  for (const f of found) {
    if (f.start < 0 || f.end <= f.start || kept.some((k) => f.start < k.end && k.start < f.end)) {
      continue;
    }
    kept.push(f);
  }
  return kept.sort((a, b) => a.start - b.start);
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

function scanLine(env: ScanEnv, i: number): PortMention[] {
  const text = env.lines.text(i);
  if (text === undefined || text.length > MAX_LINE_LENGTH || !/\d/.test(text)) {
    return [];
  }
  const found = [...scanKind(env, text, i), ...findUrls(text), ...findAddresses(text)];
  const offset = env.lines.offset(i);
  return resolve(found).map((f) => toMention(f, i, offset));
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
  'makefile', 'javascript', 'typescript', 'python', 'go', 'other',
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
