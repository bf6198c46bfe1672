// The Docker/Compose port-mapping grammar: `[[IP:]HOST:]CONTAINER[/PROTO]`, where either port may be a
// range (`3000-3005`) or a variable with a default (`${PORT:-3000}`), and IP may be `[::1]`.
import type { Protocol } from '../../core/types';
import { isLiteralAddress, portOf, rangeOf, unbracket } from './portValues';
import type { Found } from './portValues';
import type { PortMapping } from './types';

interface Part {
  text: string;
  /** Position of `text` in the parsed string. */
  at: number;
}

interface PortSide {
  port?: number;
  range?: [number, number];
  variable?: string;
  /** Position and length of the digits (a range spans both ends). */
  at: number;
  length: number;
}

function splitParts(text: string): Part[] {
  const parts: Part[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === '$' && (text[i + 1] === '{' || text[i + 1] === '(')) || c === '[') {
      if (c === '$') {
        i++;
      }
      depth++;
    } else if ((c === '}' || c === ')' || c === ']') && depth > 0) {
      depth--;
    } else if (c === ':' && depth === 0) {
      parts.push({ text: text.slice(from, i), at: from });
      from = i + 1;
    }
  }
  parts.push({ text: text.slice(from), at: from });
  return parts;
}

const VARIABLE_ONLY = /^(?:\$\{[A-Za-z_]\w*\}|\$[A-Za-z_]\w*|\$\([A-Za-z_]\w*\))$/;
const VARIABLE_DEFAULT = /^\$\{([A-Za-z_]\w*)(?::-|-|:=|=)(\d{1,5})\}$/;

/** One side of a mapping; null when the text is not a port side at all (the whole mapping is rejected),
 *  undefined when the side is empty or a variable without a default (unknown, but valid). */
function parseSide(part: Part): PortSide | null | undefined {
  const text = part.text;
  if (text === '' || VARIABLE_ONLY.test(text)) {
    return undefined;
  }
  const withDefault = VARIABLE_DEFAULT.exec(text);
  if (withDefault) {
    const port = portOf(withDefault[2]);
    const at = part.at + text.lastIndexOf(withDefault[2]);
    return port === undefined ? null : { port, variable: withDefault[1], at, length: withDefault[2].length };
  }
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!m) {
    return null;
  }
  if (m[2] !== undefined) {
    const range = rangeOf(m[1], m[2]);
    return range ? { port: range[0], range, at: part.at, length: text.length } : null;
  }
  const port = portOf(m[1]);
  return port === undefined ? null : { port, at: part.at, length: text.length };
}

function validAddress(text: string): boolean {
  if (VARIABLE_ONLY.test(text) || /^\$\{[A-Za-z_]\w*:?-[^}]*\}$/.test(text)) {
    return true;
  }
  const host = unbracket(text);
  // An unbracketed IPv6 address would have been split on its colons, so only v4 and bracketed v6 remain.
  return isLiteralAddress(host) && (text.startsWith('[') || !host.includes(':'));
}

function width(side: PortSide): number {
  return side.range ? side.range[1] - side.range[0] : 0;
}

/**
 * Parses a mapping such as `127.0.0.1:8080:80/udp` found at column `base` of a line. Returns the host and
 * container sides as findings (either may be absent: `"3000"` publishes container port 3000 on an
 * ephemeral host port), or undefined when the text is not a port mapping (`node:20`, `1000:1000` is
 * accepted only where the caller knows it is in a port context).
 */
export function parseDockerMapping(text: string, base: number, context: string, commented = false): Found[] | undefined {
  let body = text;
  let protocol: Protocol = 'tcp';
  const proto = /\/(tcp|udp|sctp)$/i.exec(body);
  if (proto) {
    const name = proto[1].toLowerCase();
    if (name === 'sctp') {
      return undefined;
    }
    protocol = name as Protocol;
    body = body.slice(0, proto.index);
  }
  const parts = splitParts(body);
  if (parts.length > 3 || body === '') {
    return undefined;
  }
  const containerPart = parts[parts.length - 1];
  const hostPart = parts.length >= 2 ? parts[parts.length - 2] : undefined;
  const addressPart = parts.length === 3 ? parts[0] : undefined;
  if (containerPart.text === '' || (addressPart && !validAddress(addressPart.text))) {
    return undefined;
  }
  const container = parseSide(containerPart);
  const host = hostPart ? parseSide(hostPart) : undefined;
  if (container === null || host === null) {
    return undefined;
  }
  if (container?.range && host && width(host) !== width(container)) {
    return undefined;
  }
  const mapping: PortMapping = {};
  if (host?.port !== undefined) {
    mapping.hostPort = host.port;
    if (host.range) {
      mapping.hostRange = host.range;
    }
  }
  if (container?.port !== undefined) {
    mapping.containerPort = container.port;
    if (container.range) {
      mapping.containerRange = container.range;
    }
  }
  const hostAddress = addressPart && addressPart.text !== '' ? unbracket(addressPart.text) : undefined;
  const found: Found[] = [];
  const sides: Array<[PortSide | undefined, 'host' | 'container']> = [
    [host, 'host'],
    [container, 'container'],
  ];
  for (const [side, role] of sides) {
    if (side?.port === undefined) {
      continue;
    }
    const f: Found = {
      start: base + side.at,
      end: base + side.at + side.length,
      port: side.port,
      protocol,
      role,
      context,
      mapping: { ...mapping },
    };
    if (hostAddress !== undefined) {
      f.hostAddress = hostAddress;
    }
    if (side.range) {
      f.range = side.range;
    }
    if (side.variable) {
      f.variable = side.variable;
    }
    if (commented) {
      f.commented = true;
    }
    found.push(f);
  }
  return found;
}
