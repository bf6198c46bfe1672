// "Test Connection": on a listening socket (connects through loopback for a wildcard bind) or on any
// `host:port` the user types. One line in a notification, the whole story in the log.
import * as vscode from 'vscode';
import { describeConnectionResult, formatConnectionResult, testConnection as probe } from '../inspector/probe';
import type { ConnectionResult } from '../inspector/probe';
import type { ListeningSocket, Protocol } from '../core/types';
import { connectHost } from '../model/connectTarget';
import type { PortQueryRules } from '../core/input';
import { parsePortQuery, portQueryProblem } from '../core/input';
import { plainText } from '../core/displayText';
import { log } from '../services/logger';
import { prompt } from '../services/prompts';
import { settings } from '../services/settings';
import { rememberProbe } from './webSchemes';
import { hostPort, portLabel } from '../core/format';

/** Where to connect, validated. */
export interface AddressTarget {
  host: string;
  port: number;
  protocol: Protocol;
}

/** What "Test Connection to Host:Port…" did, as data (for callers and tests). */
export interface TestAddressAnswer {
  /** What was typed or passed. */
  input: string;
  /** Why the input was refused (one plain line); nothing was sent then. */
  error?: string;
  result?: ConnectionResult;
}

/**
 * Parses what the user typed: `host:port` (`localhost:3000`, `[::1]:8080`, `example.com:443`, a URL), with
 * an optional `/udp` or `/tcp` after it. @throws Error with a one-line message.
 */
export function parseAddressInput(text: string): AddressTarget {
  const { host, port, protocol } = parsePortQuery(text, ADDRESS_INPUT);
  return { host: host ?? '', port, protocol: protocol ?? 'tcp' };
}

/** What the address box accepts: a host is required (no silent guess of the machine), `/udp` allowed. */
const ADDRESS_INPUT: PortQueryRules = { host: 'required', protocol: true };

async function run(target: AddressTarget, title: string): Promise<ConnectionResult> {
  const timeoutMs = settings.values().testConnectionTimeoutMs;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      return probe({ ...target, timeoutMs, signal: abort.signal }).finally(() => sub.dispose());
    },
  );
  // What the server sent (a banner, a header) is untrusted: plain text in the notification; the log
  // strips control characters itself.
  const line = plainText(formatConnectionResult(result), 400);
  log.info(['Test connection:', ...describeConnectionResult(result).map((l) => `  ${l}`)].join('\n'));
  const showLog = vscode.l10n.t('Show Log');
  void prompt(result.ok === false ? 'warning' : 'info', line, {}, showLog).then((choice) => {
    if (choice === showLog) {
      log.show();
    }
  });
  return result;
}

/** Tests the socket with a progress notification; shows and returns the result. */
export async function testConnection(socket: ListeningSocket): Promise<ConnectionResult> {
  const host = connectHost(socket);
  const result = await run({ host, port: socket.port, protocol: socket.protocol }, vscode.l10n.t('Testing {0}…', portLabel(socket)));
  rememberProbe(socket, result.ok, result.identified);
  return result;
}

async function askAddress(): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Test Connection'),
    prompt: vscode.l10n.t('host:port — a name, an IPv4 address or an [IPv6] address in brackets, and a port from 1 to 65535. Add /udp for UDP.'),
    placeHolder: 'localhost:3000',
    ignoreFocusOut: true,
    validateInput: (text) => portQueryProblem(text, ADDRESS_INPUT),
  });
}

/** Tests the `host:port` in `arg`, or the one the user types (validated as they type). */
export async function testAddress(arg?: unknown): Promise<TestAddressAnswer | undefined> {
  const input = arg === undefined ? await askAddress() : typeof arg === 'string' ? arg : String((arg as { address?: unknown })?.address ?? '');
  if (input === undefined) {
    return undefined;
  }
  let target: AddressTarget;
  try {
    target = parseAddressInput(input);
  } catch (err) {
    // Bad input is expected, not a failure of the extension: a plain message, no "Show Log".
    const error = plainText((err as Error).message, 300);
    void prompt('error', error);
    return { input, error };
  }
  const label = `${target.protocol.toUpperCase()} ${hostPort(target.host, target.port)}`;
  const result = await run(target, vscode.l10n.t('Testing {0}…', label));
  return { input, result };
}
