// Locates the repository from compiled test code, wherever tsc put it (out/, out-<name>/).
import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

/** The repository root: the nearest ancestor with the extension's package.json. */
export function repoRoot(): string {
  if (cached) {
    return cached;
  }
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'port-inspector') {
      cached = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`repository root not found above ${__dirname}`);
    }
    dir = parent;
  }
}

/** Absolute path of a file under test/fixtures. */
export function fixturePath(...parts: string[]): string {
  return path.join(repoRoot(), 'test', 'fixtures', ...parts);
}

/** Reads a fixture file as UTF-8 text. */
export function readFixture(...parts: string[]): string {
  return fs.readFileSync(fixturePath(...parts), 'utf8');
}
