// "Find a Free Port…": near a port (searching outward) or in a range, skipping ports the last scan saw in
// use and well-known ones (below 1024), and confirming the answer by binding it. The port found goes to
// the clipboard, ready to paste into a config file or a command line.
import * as vscode from 'vscode';
import { findFreePort } from '../inspector/freePortSearch';
import { rangesContaining, readReservedPortRanges } from '../inspector/windows/excludedPorts';
import type { Protocol, Snapshot } from '../core/types';
import { ownerSummary } from '../model/describeSocket';
import type { PortQueryRules } from '../core/input';
import { parsePortQuery, portQueryProblem } from '../core/input';
import { plainText } from '../core/displayText';
import { log } from '../services/logger';
import { prompt } from '../services/prompts';

/** A validated search: outward from `near`, or upward through `range`. */
export interface FreePortSearch {
  near?: number;
  range?: [number, number];
  protocol: Protocol;
}

/** What the command did, as data (for callers and tests). */
export interface FindFreePortAnswer {
  input: string;
  /** Why the input was refused or no port was found (one plain line). */
  error?: string;
  port?: number;
  protocol?: Protocol;
  /** True once the port is on the clipboard. */
  copied?: boolean;
}

/**
 * Parses `3000` (near 3000) or `3000-3100` (that range), with an optional `/udp` or `/tcp` after it.
 * @throws Error with a one-line message.
 */
export function parseSearchInput(text: string): FreePortSearch {
  const query = parsePortQuery(text, SEARCH_INPUT);
  const protocol = query.protocol ?? 'tcp';
  return query.range ? { range: query.range, protocol } : { near: query.port, protocol };
}

/** What the search box accepts: a port or a range, with an optional protocol. */
const SEARCH_INPUT: PortQueryRules = { range: true, protocol: true };

export interface FindFreePortDeps {
  /** A fresh snapshot, or undefined when scanning fails (the binds still confirm the answer). */
  refresh(): Promise<Snapshot | undefined>;
  current(): Snapshot | undefined;
}

/** Finds a free port near / in what `arg` (or the user) says, copies it and says so. */
export async function findFreePortAction(arg: unknown, deps: FindFreePortDeps): Promise<FindFreePortAnswer | undefined> {
  const input =
    arg === undefined
      ? await vscode.window.showInputBox({
          title: vscode.l10n.t('Find a Free Port'),
          prompt: vscode.l10n.t('Near a port (3000) or in a range (3000-3100). Add /udp for UDP.'),
          placeHolder: '3000',
          validateInput: (text) => portQueryProblem(text, SEARCH_INPUT),
        })
      : String(arg);
  if (input === undefined) {
    return undefined;
  }
  let search: FreePortSearch;
  try {
    search = parseSearchInput(input);
  } catch (err) {
    const error = plainText((err as Error).message, 300);
    void prompt('error', error);
    return { input, error };
  }
  const snapshot = (await deps.refresh()) ?? deps.current();
  const inUse = (snapshot?.sockets ?? []).filter((s) => s.protocol === search.protocol);
  const avoid = new Set(inUse.map((s) => s.port));
  // Windows only (undefined elsewhere); a table that cannot be read is logged, and binding still decides.
  const reservedTables = await readReservedPortRanges({ protocols: [search.protocol] });
  reservedTables?.problems.forEach((p) => log.info(p));
  const reserved = reservedTables?.ranges ?? [];
  let port: number;
  try {
    port = await findFreePort({ near: search.near, range: search.range, protocol: search.protocol, avoid, reserved });
  } catch (err) {
    const error = plainText((err as Error).message, 300);
    void prompt('warning', error);
    return { input, error, protocol: search.protocol };
  }
  await vscode.env.clipboard.writeText(String(port));
  const proto = search.protocol.toUpperCase();
  const near = search.near;
  const taken = near !== undefined && port !== near ? inUse.find((s) => s.port === near) : undefined;
  const reservedNear = near !== undefined && port !== near ? rangesContaining(reserved, near)[0] : undefined;
  let message: string;
  if (near === undefined || port === near) {
    message = vscode.l10n.t('{0} port {1} is free (checked by binding it), copied to the clipboard.', proto, port);
  } else if (reservedNear) {
    message = vscode.l10n.t(
      '{0} {1} lies in a port range Windows reserves ({2}–{3}: binding it fails with "access denied"); the nearest free port is {4}, copied to the clipboard.',
      proto,
      near,
      reservedNear.start,
      reservedNear.end,
      port,
    );
  } else if (taken) {
    message = vscode.l10n.t('{0} {1} is in use by {2}; the nearest free port is {3}, copied to the clipboard.', proto, near, plainText(ownerSummary(taken), 60), port);
  } else if (near <= 1023) {
    message = vscode.l10n.t('Ports below 1024 are skipped (they need privileges); the nearest free {0} port is {1}, copied to the clipboard.', proto, port);
  } else {
    message = vscode.l10n.t('{0} {1} cannot be bound now; the nearest free port is {2}, copied to the clipboard.', proto, near, port);
  }
  log.info(`Find a free port (${plainText(input, 40)}): ${port}/${search.protocol}`);
  void prompt('info', message);
  return { input, port, protocol: search.protocol, copied: true };
}
