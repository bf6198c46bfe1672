#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/cli.js by `npm run build` (which `npm ci` runs via `prepare`).
// Node 22.1+ can keep V8's compiled code between runs (module.enableCompileCache, in the OS temp folder):
// compiling the bundle is about a third of loading it, and a CLI starts over and over. Older Node: no-op.
require('node:module').enableCompileCache?.();
require('../dist/cli.js').runCli(process.argv.slice(2));
