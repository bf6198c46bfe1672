// Bundles the extension host code, the inspector worker and the CLI into dist/.
// `vscode` stays external: the extension host provides it at run time.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Entry points: each becomes dist/<name>.js. The worker must sit beside extension.js and cli.js,
 *  because both spawn it from `__dirname`. */
const nodeEntries = {
  extension: 'src/extension.ts',
  inspectorWorker: 'src/inspector/linux/inspectorWorker.ts',
  cli: 'src/cli/main.ts',
};

/** @type {import('esbuild').BuildOptions} */
const nodeOptions = {
  entryPoints: nodeEntries,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
  define: { PORT_INSPECTOR_VERSION: JSON.stringify(require('./package.json').version) },
};

/** The dashboard webview's script: a browser bundle of its own (dist/webview.js), never mixed with host
 *  code. It may import src/shared only (no Node, no `vscode`). */
/** @type {import('esbuild').BuildOptions} */
const webviewOptions = {
  entryPoints: { webview: 'webview-ui/main.ts' },
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'chrome120',
  outdir: 'dist',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

/** Prints start/finish of every build, so a watch task (and a person) can tell when a rebuild is done. */
const logBuilds = {
  name: 'log-builds',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[esbuild] build started');
    });
    build.onEnd((result) => {
      if (watch) console.log(`[esbuild] build finished with ${result.errors.length} error(s)`);
    });
  },
};

async function main() {
  const contexts = [
    await esbuild.context({ ...nodeOptions, plugins: [logBuilds] }),
    await esbuild.context({ ...webviewOptions, plugins: [logBuilds] }),
  ];
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[esbuild] watching…');
    return;
  }
  for (const c of contexts) {
    await c.rebuild();
    await c.dispose();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
