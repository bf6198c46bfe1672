// The floors of src/ (docs/ARCHITECTURE.md) hold: the lint refuses an import that runs up or sideways,
// and no module of src/ imports itself through a circle (type-only imports included: a circle of types
// is still two modules that cannot be understood one without the other).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../../..');

async function lintAs(file: string, text: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(text, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/g)].map((m) => m[1]);
  return specs.flatMap((spec) => {
    const base = path.resolve(path.dirname(file), spec);
    const hit = [`${base}.ts`, path.join(base, 'index.ts')].find((c) => fs.existsSync(c));
    return hit ? [hit] : [];
  });
}

describe('Import floors of src/', function () {
  this.timeout(60_000);

  it('the lint refuses an import that runs up a floor or across to a sibling, and accepts one that runs down', async () => {
    const up: Array<[string, string]> = [
      ['src/core/probe.ts', "import { log } from '../services/logger';\nexport const x = log;\n"],
      ['src/core/probe.ts', "import { Commands } from '../constants';\nexport const x = Commands;\n"],
      ['src/inspector/kill/probe.ts', "import { classifyPort } from '../../model/classify';\nexport const x = classifyPort;\n"],
      ['src/model/probe.ts', "import { settings } from '../services/settings';\nexport const x = settings;\n"],
      ['src/model/troubleshoot/probe.ts', "import type { HostMessage } from '../../shared/protocol';\nexport type X = HostMessage;\n"],
      ['src/services/probe.ts', "import { PortActions } from '../actions/portActions';\nexport const x = PortActions;\n"],
      ['src/services/probe.ts', "import { runCli } from '../cli/main';\nexport const x = runCli;\n"],
      ['src/actions/probe.ts', "import { PortsTreeProvider } from '../views/portsTreeProvider';\nexport const x = PortsTreeProvider;\n"],
      ['src/webview/probe.ts', "import { registerFindPort } from '../commands/findPort';\nexport const x = registerFindPort;\n"],
      ['src/views/probe.ts', "import { PortHovers } from '../portsInFiles/hovers';\nexport const x = PortHovers;\n"],
      ['webview-ui/probe.ts', "import { settings } from '../src/services/settings';\nexport const x = settings;\n"],
    ];
    for (const [file, text] of up) {
      const messages = await lintAs(file, text);
      assert.equal(messages.length, 1, `${file}: ${text.split('\n')[0]} was not refused`);
    }
    const down: Array<[string, string]> = [
      ['src/inspector/kill/probe.ts', "import { socketsOnPort } from '../../core/sockets';\nexport const x = socketsOnPort;\n"],
      ['src/model/probe.ts', "import { Commands } from '../constants';\nexport const x = Commands;\n"],
      ['src/commands/probe.ts', "import { PortActions } from '../actions/portActions';\nexport const x = PortActions;\n"],
      ['src/extension.ts', "import { PortActions } from './actions/portActions';\nexport const x = PortActions;\n"],
      ['webview-ui/probe.ts', "import type { HostMessage } from '../src/shared/protocol';\nexport type X = HostMessage;\n"],
    ];
    for (const [file, text] of down) {
      assert.deepEqual(await lintAs(file, text), [], `${file}: ${text.split('\n')[0]} was refused`);
    }
  });

  it('pure folders may not import vscode at run time (types only)', async () => {
    assert.equal((await lintAs('src/model/probe.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n")).length, 1);
    assert.deepEqual(await lintAs('src/model/probe.ts', "import type * as vscode from 'vscode';\nexport type X = vscode.Uri;\n"), []);
  });

  it('no module of src/ reaches itself through its imports', () => {
    const files = sourceFiles(path.join(root, 'src'));
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') {
        return;
      }
      if (state.get(file) === 'open') {
        circles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(root, f)).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) {
        visit(next, [...trail, file]);
      }
      state.set(file, 'done');
    };
    files.forEach((f) => visit(f, []));
    assert.ok(graph.size > 100, `only ${graph.size} files read`);
    assert.deepEqual(circles, []);
  });
});
