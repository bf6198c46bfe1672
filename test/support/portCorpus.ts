// The port-finder corpus: fixture files under test/fixtures/ports and their hand-marked expected ports
// (expected.json). Shared by the unit test and the score script.
import * as fs from 'node:fs';
import { fileKindOf, findPorts } from '../../src/model/portFinder';
import type { PortMention } from '../../src/model/portFinder';
import { fixturePath } from './paths';

/** One hand-marked port. `missed` says why the finder is known not to find it (it still counts for recall). */
export interface ExpectedPort {
  line: number;
  port: number;
  protocol: 'tcp' | 'udp';
  role: string;
  range?: [number, number];
  missed?: string;
}

export interface FileScore {
  file: string;
  expected: ExpectedPort[];
  found: PortMention[];
  truePositives: number;
  /** Found but not expected (or expected with another role, protocol or range). */
  falsePositives: PortMention[];
  /** Expected but not found. */
  falseNegatives: ExpectedPort[];
}

/** Everything the fixture corpus expects, by file name. */
export function loadExpected(): Record<string, ExpectedPort[]> {
  return JSON.parse(fs.readFileSync(fixturePath('ports', 'expected.json'), 'utf8')) as Record<string, ExpectedPort[]>;
}

function sameRange(a: [number, number] | undefined, b: [number, number] | undefined): boolean {
  return (a === undefined && b === undefined) || (a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1]);
}

/** True when a finding is the marked port: same line, port, protocol, role and range. */
export function matches(found: PortMention, expected: ExpectedPort): boolean {
  return (
    found.line === expected.line &&
    found.port === expected.port &&
    found.protocol === expected.protocol &&
    found.role === expected.role &&
    sameRange(found.range, expected.range)
  );
}

/** Runs the finder on one fixture and pairs its findings with the marks (each mark used once). */
export function scoreFile(file: string, expected: ExpectedPort[]): FileScore {
  const kind = fileKindOf(file);
  if (kind === undefined) {
    throw new Error(`fixture ${file} has no port file kind`);
  }
  const found = findPorts(fs.readFileSync(fixturePath('ports', file), 'utf8'), kind);
  const unused = [...expected];
  const falsePositives: PortMention[] = [];
  for (const f of found) {
    const at = unused.findIndex((e) => matches(f, e));
    if (at === -1) {
      falsePositives.push(f);
    } else {
      unused.splice(at, 1);
    }
  }
  return {
    file,
    expected,
    found,
    truePositives: found.length - falsePositives.length,
    falsePositives,
    falseNegatives: unused,
  };
}

/** Scores every fixture named in expected.json. */
export function scoreCorpus(): FileScore[] {
  const expected = loadExpected();
  return Object.keys(expected).map((file) => scoreFile(file, expected[file]));
}
