// The "real styles" port-finder corpus: files under test/fixtures/ports-real written in the styles of public
// files (SOURCES.md), and labels.json, which names every integer token of every file: `port` (a hover is
// expected), `decoy` (a hover would be wrong) or `ignored` (either is acceptable). Scored by hover, not by
// role: a port counts as found when a mention covers its digits; any mention over a decoy, or over no
// labelled token at all, is a false hover.
import * as fs from 'node:fs';
import { fileKindOf, findPorts } from '../../src/model/portFinder';
import type { PortMention } from '../../src/model/portFinder';
import { fixturePath } from './paths';

/** `line:column digits`, 0-based, the column of the first digit. */
type TokenLabel = string;

export interface RealFileLabels {
  /** The style family reported in the figures (`nginx`, `devcontainer`, `readme`, …). */
  kind: string;
  /** `tuning`: written before the finder was improved and used to improve it; `heldout`: written after
   *  (then three general fixes were made); `heldout2`: written last, never used to change the finder. */
  set: 'tuning' | 'heldout' | 'heldout2';
  port: TokenLabel[];
  ignored: TokenLabel[];
  decoy: TokenLabel[];
}

export interface RealCorpusLabels {
  files: Record<string, RealFileLabels>;
}

/** An integer token: a run of digits not inside a word (`h2`, `sha256`, `30s` and `1_000` have none). */
export const INTEGER_TOKEN = /(?<![A-Za-z0-9_])[0-9]+(?![A-Za-z0-9_])/g;

export interface RealFileScore {
  file: string;
  kind: string;
  set: RealFileLabels['set'];
  ports: number;
  found: number;
  falseHovers: number;
  missed: string[];
  wrong: string[];
}

export function loadRealLabels(): RealCorpusLabels {
  return JSON.parse(fs.readFileSync(fixturePath('ports-real', 'labels.json'), 'utf8')) as RealCorpusLabels;
}

/** Every integer token of a text as `line:column digits`. */
export function integerTokens(text: string): TokenLabel[] {
  const out: TokenLabel[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(INTEGER_TOKEN)) {
      out.push(`${i}:${m.index} ${m[0]}`);
    }
  });
  return out;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    starts.push(i + 1);
  }
  return starts;
}

/** Runs the finder on one labelled file and counts found ports and false hovers. */
export function scoreRealFile(file: string, labels: RealFileLabels): RealFileScore {
  // The full path, as an editor names the file: `/…/nginx/sites-available/x.conf` is nginx.
  const fullPath = fixturePath('ports-real', ...file.split('/'));
  const kind = fileKindOf(fullPath);
  if (kind === undefined) {
    throw new Error(`fixture ${file} has no port file kind`);
  }
  const text = fs.readFileSync(fullPath, 'utf8');
  const starts = lineStarts(text);
  const spanOf = (label: TokenLabel): [number, number] => {
    const [at, digits] = label.split(' ');
    const [line, column] = at.split(':').map(Number);
    const start = starts[line] + column;
    return [start, start + digits.length];
  };
  const mentions: PortMention[] = findPorts(text, kind);
  const covers = (m: PortMention, [s, e]: [number, number]): boolean => m.start < e && s < m.end;
  const ports = labels.port.map(spanOf);
  const ignored = labels.ignored.map(spanOf);
  const missed = labels.port.filter((_, i) => !mentions.some((m) => covers(m, ports[i])));
  const wrong = mentions
    .filter((m) => !ports.some((p) => covers(m, p)) && !ignored.some((p) => covers(m, p)))
    .map((m) => `${m.line}:${m.start - starts[m.line]} ${text.slice(m.start, m.end)} (${m.context})`);
  return {
    file,
    kind: labels.kind,
    set: labels.set,
    ports: ports.length,
    found: ports.length - missed.length,
    falseHovers: wrong.length,
    missed,
    wrong,
  };
}

export function scoreRealCorpus(): RealFileScore[] {
  const labels = loadRealLabels();
  return Object.keys(labels.files).map((file) => scoreRealFile(file, labels.files[file]));
}

export interface Figures {
  name: string;
  files: number;
  ports: number;
  found: number;
  falseHovers: number;
  recall: number;
  precision: number;
}

export function figuresOf(name: string, scores: RealFileScore[]): Figures {
  const ports = scores.reduce((n, s) => n + s.ports, 0);
  const found = scores.reduce((n, s) => n + s.found, 0);
  const falseHovers = scores.reduce((n, s) => n + s.falseHovers, 0);
  return {
    name,
    files: scores.length,
    ports,
    found,
    falseHovers,
    recall: ports === 0 ? 1 : found / ports,
    precision: found + falseHovers === 0 ? 1 : found / (found + falseHovers),
  };
}

/** Figures per style family, then per set and overall, as printable rows. */
export function figureTable(scores: RealFileScore[]): string[] {
  const kinds = [...new Set(scores.map((s) => s.kind))].sort();
  const rows = [
    ...kinds.map((k) => figuresOf(k, scores.filter((s) => s.kind === k))),
    figuresOf('ALL tuning', scores.filter((s) => s.set === 'tuning')),
    figuresOf('ALL held-out', scores.filter((s) => s.set === 'heldout')),
    figuresOf('ALL held-out 2', scores.filter((s) => s.set === 'heldout2')),
    figuresOf('ALL', scores),
  ];
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`.padStart(7);
  return [
    `${'kind'.padEnd(18)} files ports found false  recall precision`,
    ...rows.map(
      (r) =>
        `${r.name.padEnd(18)} ${String(r.files).padStart(5)} ${String(r.ports).padStart(5)} ${String(r.found).padStart(5)} ${String(r.falseHovers).padStart(5)} ${pct(r.recall)} ${pct(r.precision).padStart(9)}`,
    ),
  ];
}
