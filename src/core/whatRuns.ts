// A name that says what runs: `node 24400` is every Node server; `vite (node)`, `next dev (node)`,
// `uvicorn main:app (python)` tell them apart. Read from the command line of a process whose executable
// is a runtime (node, python, java, ruby, dotnet, bun, deno, php). Pure and used by every surface and
// the CLI, so a process has the same name everywhere. The command line is untrusted (a process writes
// its own argv) and its arguments were joined by spaces: the result is plain, bounded, NOT escaped.
import type { ProcessInfo } from '../core/types';

/** What a runtime process runs. */
export interface WhatRuns {
  /** `vite`, `next dev`, `uvicorn main:app`, `manage.py runserver`. */
  name: string;
  /** `node`, `python`, …; absent when the executable is not a runtime. */
  runtime?: string;
}

/** Longest name kept (a command line can be 128 kB). */
const NAME_MAX = 60;

/** Executable name (no directory, no `.exe`, no version suffix) → runtime. */
function runtimeOf(executable: string): string | undefined {
  const base = executable.replace(/^.*[\\/]/, '').replace(/\.exe$/i, '').toLowerCase();
  if (/^node(js)?(\d+)?$/.test(base)) {
    return 'node';
  }
  if (/^python(\d+(\.\d+)?)?[mtw]?$/.test(base) || base === 'pypy' || base === 'pypy3') {
    return 'python';
  }
  if (base === 'java' || base === 'javaw') {
    return 'java';
  }
  if (/^ruby(\d+(\.\d+)*)?$/.test(base)) {
    return 'ruby';
  }
  if (base === 'dotnet' || base === 'bun' || base === 'deno') {
    return base;
  }
  if (/^php(\d+(\.\d+)?)?(-cli)?$/.test(base)) {
    return 'php';
  }
  return undefined;
}

/** Options of each runtime that take the next word as their value (so it is not the script). */
const VALUE_OPTIONS: Record<string, ReadonlySet<string>> = {
  node: new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-e', '--eval', '-p', '--print', '--conditions', '-C', '--env-file', '--title', '--inspect-port', '--stack-size']),
  python: new Set(['-W', '-X', '-Q']),
  java: new Set(['-cp', '-classpath', '--class-path', '-p', '--module-path', '--add-modules', '--add-opens', '--add-exports', '-splash']),
  ruby: new Set(['-I', '-r', '-C', '-E']),
  dotnet: new Set(['--roll-forward', '--fx-version', '--additionalprobingpath', '--depsfile', '--runtimeconfig']),
  bun: new Set(['--cwd', '--env-file', '-r', '--preload', '--port', '--config', '-c']),
  deno: new Set(['--config', '-c', '--import-map', '--location', '--env-file', '--port']),
  php: new Set(['-c', '-d', '-t', '-z']),
};

/** Tools known by a folder on their path (`…/code-server/out/node/entry.js` is code-server). */
const KNOWN_BY_PATH: ReadonlyArray<[RegExp, string]> = [
  [/(^|\/)code-server(\/|$)/, 'code-server'],
  [/(^|\/)\.vscode-server\/|(^|\/)vscode-server\//, 'vscode-server'],
];

/** Package managers and tools whose next plain word says what they do (`next dev`, `npm run dev`). */
const TAKES_SUBCOMMAND = new Set([
  'next', 'nuxt', 'nuxi', 'vite', 'astro', 'remix', 'ng', 'webpack', 'webpack-cli', 'react-scripts', 'nest', 'gatsby',
  'svelte-kit', 'vitepress', 'vitest', 'jest', 'storybook', 'parcel', 'expo', 'firebase', 'netlify', 'vercel', 'wrangler',
  'npm', 'npx', 'yarn', 'pnpm', 'bun', 'turbo', 'nx', 'lerna', 'tsx', 'ts-node', 'nodemon', 'serve', 'http-server',
  'uvicorn', 'hypercorn', 'daphne', 'flask', 'fastapi', 'django-admin', 'manage.py', 'streamlit', 'jupyter', 'jupyter-lab',
  'mkdocs', 'rails', 'rackup', 'puma', 'jekyll', 'bundle', 'artisan', 'symfony', 'run', 'task', 'watch',
]);

/** Is `word` a value a subcommand position may hold: `dev`, `main:app`, `run`, `start` — not an option,
 *  a path, a number or an address. */
function plainWord(word: string | undefined): word is string {
  return word !== undefined && /^[A-Za-z][\w.:-]*$/.test(word) && !/^\d/.test(word) && !word.includes('/') && !/:\d+$/.test(word);
}

function bounded(name: string): string {
  return name.length > NAME_MAX ? `${name.slice(0, NAME_MAX - 1)}…` : name;
}

/** `vite` from `node_modules/.bin/vite`, `node_modules/vite/bin/vite.js`, `node_modules/@nestjs/cli/bin/nest.js`. */
function nodeModulesTool(script: string): string | undefined {
  const bin = /node_modules\/\.bin\/([^/]+)$/.exec(script);
  if (bin) {
    return bin[1].replace(/\.(c|m)?js$/, '');
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(script);
  if (!pkg) {
    return undefined;
  }
  const [, name, rest] = pkg;
  if (name === 'npm' && /npm-cli\.js$/.test(rest)) {
    return 'npm';
  }
  if (name === 'npm' && /npx-cli\.js$/.test(rest)) {
    return 'npx';
  }
  // A scoped package's bin file names the tool (`@nestjs/cli/bin/nest.js` → nest); else the package.
  const file = rest.replace(/^.*\//, '').replace(/\.(c|m)?js$/, '');
  if (name.startsWith('@') || /^(bin|dist\/bin|lib\/bin)\//.test(rest)) {
    return /^(index|cli|main)$/.test(file) ? name.replace(/^@[^/]+\//, '') : file;
  }
  return name;
}

function baseName(p: string): string {
  return p.replace(/^.*[\\/]/, '');
}

/** The script word's own name: a known tool, else the file's base name. */
function scriptName(script: string): string {
  const normalized = script.replace(/\\/g, '/');
  for (const [re, name] of KNOWN_BY_PATH) {
    if (re.test(normalized)) {
      return name;
    }
  }
  const tool = nodeModulesTool(normalized);
  if (tool) {
    return tool;
  }
  const base = baseName(normalized);
  // A bin directory holds tools run as scripts (`venv/bin/uvicorn`, `/usr/bin/npm`): their name.
  return /(^|\/)(bin|Scripts)\/[^/]+$/.test(normalized) ? base.replace(/\.(c|m)?js$|\.py$|-script\.py$/, '') : base;
}

/** Adds the next plain word when the tool takes a subcommand (`next dev`, `uvicorn main:app`). */
function withSubcommand(name: string, rest: readonly string[]): string {
  let i = 0;
  let result = name;
  // `bundle exec rails server`, `npm exec vite`, `npx vite`: the tool after the launcher is what runs.
  if ((name === 'bundle' || name === 'npm' || name === 'pnpm' || name === 'yarn') && rest[0] === 'exec' && rest[1] !== undefined) {
    result = scriptName(rest[1]);
    i = 2;
  } else if (name === 'npx' && plainWord(rest[0])) {
    result = rest[0];
    i = 1;
  }
  const base = result.replace(/^.*\//, '');
  if (TAKES_SUBCOMMAND.has(base) && plainWord(rest[i])) {
    result = `${result} ${rest[i]}`;
    // `npm run dev`, `yarn run dev`: the script's name after `run`.
    if (/^(npm|yarn|pnpm|bun|deno) (run|task)$/.test(result) && plainWord(rest[i + 1])) {
      result = `${result} ${rest[i + 1]}`;
    }
  }
  return result;
}

/** The first non-option word of `args` for `runtime`, and what follows it. */
function afterOptions(runtime: string, args: readonly string[]): { word?: string; rest: string[]; flag?: string } {
  const takesValue = VALUE_OPTIONS[runtime] ?? new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      return { word: args[i + 1], rest: args.slice(i + 2) };
    }
    // Inline code (`node -e …`, `python -c …`, `ruby -e …`): no script names what runs.
    if (((runtime === 'node' || runtime === 'bun' || runtime === 'deno') && /^(-e|--eval|-p|--print)$/.test(a)) || (runtime === 'python' && a === '-c') || (runtime === 'ruby' && a === '-e') || (runtime === 'php' && a === '-r')) {
      return { rest: [] };
    }
    if (!a.startsWith('-') || a === '-') {
      return { word: a, rest: args.slice(i + 1) };
    }
    // Options that name what runs: `python -m module`, `java -jar app.jar`, `java -m mod/Main`, `php -S host:port`.
    if ((runtime === 'python' && a === '-m') || (runtime === 'java' && (a === '-jar' || a === '-m' || a === '--module')) || (runtime === 'php' && a === '-S')) {
      return { word: args[i + 1], rest: args.slice(i + 2), flag: a };
    }
    if (runtime === 'python' && a.startsWith('-m') && a.length > 2) {
      return { word: a.slice(2), rest: args.slice(i + 1), flag: '-m' };
    }
    if (takesValue.has(a)) {
      i++;
    }
  }
  return { rest: [] };
}

function javaName(word: string, flag: string | undefined): string {
  if (flag === '-jar') {
    return baseName(word);
  }
  const cls = word.replace(/^.*\//, ''); // module/class → class
  return cls.replace(/^.*\./, '') || cls;
}

/**
 * What a process runs, from its command line, when its executable is a runtime; else its own name.
 * `node node_modules/.bin/vite --port 5173` → `{name: 'vite', runtime: 'node'}`.
 */
export function whatRuns(p: Pick<ProcessInfo, 'name' | 'command'>): WhatRuns {
  const words = (p.command ?? '').split(' ').filter((w) => w !== '');
  const runtime = (words[0] !== undefined ? runtimeOf(words[0]) : undefined) ?? runtimeOf(p.name);
  if (!runtime || words.length === 0 || runtimeOf(words[0]) === undefined) {
    return { name: p.name };
  }
  const { word, rest, flag } = afterOptions(runtime, words.slice(1));
  if (word === undefined || word === '') {
    return { name: p.name, runtime };
  }
  let name: string;
  switch (runtime) {
    case 'java':
      name = javaName(word, flag);
      break;
    case 'php':
      name = flag === '-S' ? 'built-in server' : withSubcommand(scriptName(word), rest);
      break;
    case 'python':
      name = flag === '-m' ? withSubcommand(word, rest) : withSubcommand(scriptName(word), rest);
      break;
    case 'dotnet':
    case 'bun':
    case 'deno':
      // `dotnet run`, `dotnet watch run`, `bun run dev`, `deno task dev`: the runtime's own subcommands.
      if (/^(run|watch|task|x|exec|serve|start|dev)$/.test(word)) {
        name = [runtime, word, ...(plainWord(rest[0]) ? [rest[0]] : [])].join(' ');
      } else {
        name = scriptName(word);
      }
      break;
    default:
      name = withSubcommand(scriptName(word), rest);
  }
  return { name: bounded(name), runtime };
}

/** `vite (node)`, or the process name when it runs no runtime. Plain, NOT escaped. */
export function processLabel(p: Pick<ProcessInfo, 'name' | 'command'>): string {
  const cached = labels.get(p);
  if (cached !== undefined) {
    return cached;
  }
  const w = whatRuns(p);
  const label = !w.runtime || w.name.split(' ')[0] === w.runtime ? w.name || p.name : `${w.name} (${w.runtime})`;
  labels.set(p, label);
  return label;
}

/** Labels by owner object: the sockets of one process share its ProcessInfo (and unchanged rows keep
 *  theirs from scan to scan), so `list` at 5,000 sockets reads each command line once, not per socket
 *  (profiled: 60 ms of a 660 ms `list`). Name and command never change on an object once scanned. */
const labels = new WeakMap<object, string>();
