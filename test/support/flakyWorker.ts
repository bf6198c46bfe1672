// A scanner worker for fault tests. Behaviour chosen by FLAKY_MODE in workerData-less env:
//  - crash-once: the first instance exits as soon as it gets a request (leaving a marker file); the
//    next instance is the real worker.
//  - hang: never answers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';

const mode = process.env.FLAKY_MODE;
const marker = process.env.FLAKY_MARKER ?? '';

if (mode === 'hang') {
  parentPort?.on('message', () => undefined);
} else if (mode === 'crash-once' && !fs.existsSync(marker)) {
  parentPort?.on('message', () => {
    fs.writeFileSync(marker, 'crashed');
    process.exit(3);
  });
} else {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- load the real worker in this thread
  require(path.join(__dirname, '../../src/inspector/linux/inspectorWorker.js'));
}
