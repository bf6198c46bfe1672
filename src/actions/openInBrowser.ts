// "Open in Browser": for TCP ports known to speak HTTP(S) — from the dev-port table, or because a
// connection test saw HTTP or TLS answer — opens the page through `asExternalUri`, so it also works in a
// remote window (VS Code forwards the port and rewrites the URL). A port not known either way is probed
// first (one `HEAD /` at most, the same bounded probe as "Test Connection") rather than guessed.
import * as vscode from 'vscode';
import { formatConnectionResult, testConnection as probe } from '../inspector/probe';
import type { ListeningSocket } from '../core/types';
import { classifyPort } from '../model/classify';
import { browserUrl, connectHost } from '../model/connectTarget';
import { plainText } from '../core/displayText';
import { log } from '../services/logger';
import { prompt } from '../services/prompts';
import { settings } from '../services/settings';
import { probedScheme, rememberProbe, schemeOf } from './webSchemes';
import { portLabel } from '../core/format';

/** The URL the browser will be given for `socket` and `scheme`: `asExternalUri` of the local URL. */
export async function externalUrl(socket: Pick<ListeningSocket, 'address' | 'family' | 'port'>, scheme: 'http' | 'https'): Promise<vscode.Uri> {
  return vscode.env.asExternalUri(vscode.Uri.parse(browserUrl(socket, scheme)));
}

async function probeScheme(socket: ListeningSocket): Promise<{ scheme: 'http' | 'https' | 'none'; summary: string }> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking whether {0} serves web pages…', portLabel(socket)) },
    () => probe({ host: connectHost(socket), port: socket.port, protocol: 'tcp', timeoutMs: settings.values().testConnectionTimeoutMs }),
  );
  rememberProbe(socket, result.ok, result.identified);
  return { scheme: result.ok === true ? schemeOf(result.identified) : 'none', summary: plainText(formatConnectionResult(result), 300) };
}

/** Opens the socket's page; returns the URL opened, or undefined when refused or dismissed. */
export async function openInBrowser(socket: ListeningSocket): Promise<string | undefined> {
  if (socket.protocol !== 'tcp') {
    void prompt('warning', vscode.l10n.t('{0} is a UDP port: browsers speak HTTP over TCP, so there is nothing to open.', portLabel(socket)));
    return undefined;
  }
  let scheme: 'http' | 'https' | 'none' | undefined = classifyPort(socket.port, socket.protocol).httpScheme ?? probedScheme(socket);
  if (scheme === undefined) {
    const probed = await probeScheme(socket);
    scheme = probed.scheme;
    if (scheme === 'none') {
      // Say what answered and let the user decide rather than open a page that cannot load.
      const anyway = vscode.l10n.t('Open with http:// Anyway');
      const choice = await prompt('warning', vscode.l10n.t('{0} did not answer as a web server. {1}', portLabel(socket), probed.summary), {}, anyway);
      if (choice !== anyway) {
        return undefined;
      }
      scheme = 'http';
    }
  } else if (scheme === 'none') {
    const anyway = vscode.l10n.t('Open with http:// Anyway');
    const choice = await prompt('warning', vscode.l10n.t('The last connection test on {0} found no web server there.', portLabel(socket)), {}, anyway);
    if (choice !== anyway) {
      return undefined;
    }
    scheme = 'http';
  }
  const external = await externalUrl(socket, scheme);
  log.info(`Open in browser: ${browserUrl(socket, scheme)} → ${external.toString(true)}`);
  const opened = await vscode.env.openExternal(external);
  return opened ? external.toString(true) : undefined;
}
