#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/cli.js by `npm run build` (which `npm ci` runs via `prepare`).
require('../dist/cli.js').runCli(process.argv.slice(2));
