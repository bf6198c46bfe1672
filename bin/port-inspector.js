#!/usr/bin/env node
// Thin launcher: the CLI itself is bundled into dist/cli.js by `npm run build` (run by `npm ci` via `prepare`).
require('../dist/cli.js');
