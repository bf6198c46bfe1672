// URLs with a port (`http://localhost:3000/api`, `postgres://u:p@db:5432/app`, `mongodb://a:1,b:2`) and
// literal `address:port` pairs (`127.0.0.1:8080`, `[::1]:8080`, `localhost:5173`). A bare `name:port`
// is not taken here: `node:20` and `postgres:16` are image tags.
import { foundOf, isLiteralAddress, isWildcardAddress, portOf, unbracket } from './portValues';
import type { Found } from './portValues';
import type { PortRole } from './types';

// Quantifiers are bounded so that a hostile 10,000-character line cannot make a match attempt slow.
// `*` and `+` are the wildcard hosts of .NET and http.sys URLs (`http://*:5000`, `https://+:8443`).
const HOST = String.raw`(\[[0-9A-Fa-f:.%\w]{2,60}\]|[\w.~%-]{1,253}|\*|\+|\$\{?\w{1,64}\}?|\{\{[^}]{0,60}\}\})`;
const PORT_END = String.raw`(\d{1,5})(?![\w:])(?!\.\d)`;
// The host may be empty (`PLAINTEXT://:9092`, Kafka's listeners: every interface).
const URL_RE = new RegExp(String.raw`\b[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/(?:[^\s/?#@'"<>\\]{0,256}@)?` + HOST + '?:' + PORT_END, 'g');
const MORE_HOSTS_RE = new RegExp(',' + HOST + ':' + PORT_END, 'y');
const ADDRESS_RE = new RegExp(
  String.raw`(?<![\w.:/\[\]-])(localhost|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.%\w]{2,60}\]):` + PORT_END,
  'gi',
);

export interface UrlOptions {
  /** Role of a URL port; `url` unless the caller knows better (`target` for `proxy_pass`). */
  role?: PortRole;
  context?: string;
  commented?: boolean;
}

function add(out: Found[], digits: string, at: number, host: string, role: PortRole, context: string, commented?: boolean): void {
  const port = portOf(digits);
  if (port === undefined) {
    return;
  }
  out.push(
    foundOf({ start: at, end: at + digits.length, port, next: at + digits.length }, role, context, {
      hostAddress: unbracket(host),
      commented,
    }),
  );
}

/** URLs with an explicit port in `text[from, to)`. */
export function findUrls(text: string, options: UrlOptions = {}, from = 0, to = text.length): Found[] {
  const out: Found[] = [];
  const role = options.role ?? 'url';
  const context = options.context ?? 'url';
  if (!text.includes('://', from)) {
    return out;
  }
  const slice = from === 0 && to === text.length ? text : text.slice(0, to);
  URL_RE.lastIndex = from;
  for (let m = URL_RE.exec(slice); m; m = URL_RE.exec(slice)) {
    add(out, m[2], m.index + m[0].length - m[2].length, m[1] ?? '', role, context, options.commented);
    // Multi-host connection strings: mongodb://a:27017,b:27018/db
    MORE_HOSTS_RE.lastIndex = URL_RE.lastIndex;
    for (let more = MORE_HOSTS_RE.exec(slice); more; more = MORE_HOSTS_RE.exec(slice)) {
      add(out, more[2], more.index + more[0].length - more[2].length, more[1], role, context, options.commented);
      URL_RE.lastIndex = MORE_HOSTS_RE.lastIndex;
    }
  }
  return out;
}

/** Literal `address:port` pairs in `text[from, to)`; a wildcard address is a bind (`listen`). */
export function findAddresses(text: string, options: UrlOptions = {}, from = 0, to = text.length): Found[] {
  const out: Found[] = [];
  const context = options.context ?? 'address';
  const slice = from === 0 && to === text.length ? text : text.slice(0, to);
  ADDRESS_RE.lastIndex = from;
  for (let m = ADDRESS_RE.exec(slice); m; m = ADDRESS_RE.exec(slice)) {
    const host = unbracket(m[1]);
    if (!isLiteralAddress(host)) {
      continue;
    }
    const role = options.role ?? (isWildcardAddress(host) ? 'listen' : 'url');
    add(out, m[2], m.index + m[0].length - m[2].length, m[1], role, context, options.commented);
  }
  return out;
}

const HOST_PORT_RE = /^(\[[0-9A-Fa-f:.%\w]{2,60}\]|[A-Za-z0-9_.-]{0,253}|\$\{?\w{1,64}\}?)?:(\d{1,5})$/;

/**
 * Parses `host:port` / `:port` / `[v6]:port` where the whole `text` is the address (an upstream, a bind
 * flag's value). Any host name is accepted: the caller knows it is an address.
 */
export function parseHostPort(text: string, base: number, role: PortRole, context: string, commented?: boolean): Found | undefined {
  const m = HOST_PORT_RE.exec(text);
  if (!m) {
    return undefined;
  }
  const port = portOf(m[2]);
  if (port === undefined) {
    return undefined;
  }
  const at = base + text.length - m[2].length;
  return foundOf({ start: at, end: at + m[2].length, port, next: at + m[2].length }, role, context, {
    hostAddress: m[1] ? unbracket(m[1]) : undefined,
    commented,
  });
}
