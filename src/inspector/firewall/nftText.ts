// A compact rendering of nft JSON statements, close to what `nft list ruleset` prints, so a rule can be
// shown to the user as one line.
import type { Json } from './nftJson';
import { isObj, soleKey, str } from './nftJson';

/** A value as nft writes it: `3000`, `{ 80, 443 }`, `8000-8100`, `10.0.0.0/8`, `tcp dport`. */
export function valueText(v: Json, depth = 0): string {
  if (depth > 6) {
    return '…';
  }
  if (typeof v === 'number' || typeof v === 'string') {
    return String(v);
  }
  if (typeof v === 'boolean' || v === null) {
    return String(v);
  }
  if (Array.isArray(v)) {
    return v.map((x) => valueText(x, depth + 1)).join(' : ');
  }
  if (isObj(v)) {
    if (Array.isArray(v.set)) {
      return `{ ${v.set.map((x) => valueText(x, depth + 1)).join(', ')} }`;
    }
    if (Array.isArray(v.range) && v.range.length === 2) {
      return `${valueText(v.range[0], depth + 1)}-${valueText(v.range[1], depth + 1)}`;
    }
    if (isObj(v.prefix)) {
      return `${valueText(v.prefix.addr, depth + 1)}/${valueText(v.prefix.len, depth + 1)}`;
    }
    if (isObj(v.elem)) {
      return valueText(v.elem.val, depth + 1);
    }
    if (isObj(v.payload)) {
      return `${str(v.payload.protocol) ?? str(v.payload.name) ?? '?'} ${str(v.payload.field) ?? '?'}`;
    }
    if (isObj(v.meta)) {
      return `meta ${str(v.meta.key) ?? '?'}`;
    }
    if (isObj(v.ct)) {
      return `ct ${str(v.ct.key) ?? '?'}`;
    }
    const key = soleKey(v);
    if (key) {
      const inner = v[key];
      return inner === null ? key : `${key} ${valueText(inner, depth + 1)}`;
    }
  }
  return '…';
}

/** One statement of a rule as nft writes it: `tcp dport 3000`, `jump lan`, `reject with tcp reset`. */
export function statementText(s: Json): string {
  const key = soleKey(s);
  if (!key || !isObj(s)) {
    return '…';
  }
  const body = s[key];
  switch (key) {
    case 'match': {
      if (!isObj(body)) {
        return '…';
      }
      const op = str(body.op) ?? '==';
      const shownOp = op === '==' || op === 'in' ? '' : ` ${op}`;
      return `${valueText(body.left)}${shownOp} ${valueText(body.right)}`;
    }
    case 'jump':
    case 'goto':
      return `${key} ${isObj(body) ? (str(body.target) ?? '?') : '?'}`;
    case 'reject':
      if (isObj(body) && body.type !== undefined) {
        return `reject with ${valueText(body.type)}${body.expr !== undefined ? ` ${valueText(body.expr)}` : ''}`;
      }
      return 'reject';
    case 'dnat':
    case 'snat':
      if (isObj(body)) {
        const addr = body.addr !== undefined ? valueText(body.addr) : '';
        const port = body.port !== undefined ? `:${valueText(body.port)}` : '';
        return `${key} to ${addr}${port}`;
      }
      return key;
    case 'redirect':
      return isObj(body) && body.port !== undefined ? `redirect to :${valueText(body.port)}` : 'redirect';
    case 'vmap':
      return isObj(body) ? `${valueText(body.key)} vmap ${valueText(body.data)}` : 'vmap';
    case 'xt':
      return isObj(body) ? `xt ${str(body.type) ?? ''} ${str(body.name) ?? ''}`.trim() : 'xt';
    case 'counter':
    case 'log':
    case 'limit':
    case 'queue':
    case 'masquerade':
    case 'notrack':
      return key;
    default:
      return key;
  }
}
