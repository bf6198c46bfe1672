// JSON (and JSONC) line tokens and the stack of open containers at the start of a line, so that a lone
// `3000,` inside a multi-line `"forwardPorts": [` array knows where it is. The stack is computed forward
// for a whole-file pass and backward over a bounded window for one hover; both keep only containers
// opened inside the window, so they agree.
import { MAX_LINE_LENGTH } from './lines';
import type { Lines } from './lines';

/** How far back an enclosing container is looked for. */
export const JSON_LOOKBACK_LINES = 200;
/** How many enclosing containers are kept (the innermost ones). */
const MAX_DEPTH = 8;

export interface JsonToken {
  kind: '{' | '}' | '[' | ']' | ':' | ',' | 'string' | 'number' | 'word';
  at: number;
  end: number;
  /** String content (escapes kept as written) or the number's digits. */
  text: string;
}

export interface JsonLineTokens {
  tokens: JsonToken[];
  /** Tokens of a `//` comment on the line, scanned as commented-out JSON. */
  comment: JsonToken[];
}

export interface OpenContainer {
  kind: 'object' | 'array';
  key?: string;
  line: number;
}

function tokenize(line: string, from: number, out: JsonToken[]): number {
  let i = from;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '"' || c === "'") {
      let k = i + 1;
      while (k < line.length && line[k] !== c) {
        k += line[k] === '\\' ? 2 : 1;
      }
      out.push({ kind: 'string', at: i + 1, end: Math.min(k, line.length), text: line.slice(i + 1, Math.min(k, line.length)) });
      i = k + 1;
    } else if (c === '/' && line[i + 1] === '/') {
      return i;
    } else if (c === '/' && line[i + 1] === '*') {
      const close = line.indexOf('*/', i + 2);
      if (close === -1) {
        return line.length;
      }
      i = close + 2;
    } else if ('{}[]:,'.includes(c)) {
      out.push({ kind: c as JsonToken['kind'], at: i, end: i + 1, text: c });
      i++;
    } else {
      const m = /^-?[\w.+$-]+/.exec(line.slice(i, i + 64));
      const len = m ? m[0].length : 1;
      const text = line.slice(i, i + len);
      out.push({ kind: /^\d+$/.test(text) ? 'number' : 'word', at: i, end: i + len, text });
      i += len;
    }
  }
  return -1;
}

/** Tokens of a line; lines longer than {@link MAX_LINE_LENGTH} have none (they carry no structure). */
export function jsonTokens(line: string): JsonLineTokens {
  const tokens: JsonToken[] = [];
  const comment: JsonToken[] = [];
  if (line.length > MAX_LINE_LENGTH) {
    return { tokens, comment };
  }
  const commentAt = tokenize(line, 0, tokens);
  if (commentAt !== -1 && commentAt < line.length) {
    let from = commentAt;
    while (line[from] === '/') {
      from++;
    }
    tokenize(line, from, comment);
  }
  return { tokens, comment };
}

/** The key written just before the opener at `index` (`"forwardPorts": [`). */
export function keyBefore(tokens: JsonToken[], index: number): string | undefined {
  const colon = tokens[index - 1];
  const key = tokens[index - 2];
  return colon?.kind === ':' && key?.kind === 'string' ? key.text : undefined;
}

/** Applies a line's tokens to a stack of open containers. */
export function applyTokens(stack: OpenContainer[], tokens: JsonToken[], line: number): void {
  tokens.forEach((t, index) => {
    if (t.kind === '{' || t.kind === '[') {
      stack.push({ kind: t.kind === '{' ? 'object' : 'array', key: keyBefore(tokens, index), line });
    } else if (t.kind === '}' || t.kind === ']') {
      stack.pop();
    }
  });
}

function windowed(stack: OpenContainer[], line: number): OpenContainer[] {
  const lowest = line - JSON_LOOKBACK_LINES;
  const inside = stack.filter((c) => c.line >= lowest);
  return inside.slice(Math.max(0, inside.length - MAX_DEPTH)).map((c) => ({ ...c }));
}

/** Open containers at the start of a line. */
export interface JsonContext {
  readonly lines: Lines;
  tokens(line: number): JsonLineTokens;
  stackAt(line: number): OpenContainer[];
}

/** For a whole-file pass: lines must be asked for in increasing order. */
export class ForwardJsonContext implements JsonContext {
  private stack: OpenContainer[] = [];
  private next = 0;
  private readonly cache = new Map<number, JsonLineTokens>();

  constructor(readonly lines: Lines) {}

  tokens(line: number): JsonLineTokens {
    let t = this.cache.get(line);
    if (!t) {
      t = jsonTokens(this.lines.text(line) ?? '');
      this.cache.clear();
      this.cache.set(line, t);
    }
    return t;
  }

  stackAt(line: number): OpenContainer[] {
    if (line < this.next) {
      throw new Error(`JSON lines must be scanned in order (asked for ${line} after ${this.next})`);
    }
    while (this.next < line) {
      applyTokens(this.stack, this.tokens(this.next).tokens, this.next);
      this.next++;
    }
    // Containers left open far above can never be reported again: forget them to keep the stack small.
    if (this.stack.length > 64) {
      this.stack = this.stack.slice(-64);
    }
    return windowed(this.stack, line);
  }
}

/** For one hover: walks back over the window. */
export class BackwardJsonContext implements JsonContext {
  constructor(readonly lines: Lines) {}

  tokens(line: number): JsonLineTokens {
    return jsonTokens(this.lines.text(line) ?? '');
  }

  stackAt(line: number): OpenContainer[] {
    const found: OpenContainer[] = [];
    let depth = 0;
    const lowest = Math.max(0, line - JSON_LOOKBACK_LINES);
    for (let j = line - 1; j >= lowest && found.length < MAX_DEPTH; j--) {
      const tokens = this.tokens(j).tokens;
      for (let index = tokens.length - 1; index >= 0 && found.length < MAX_DEPTH; index--) {
        const t = tokens[index];
        if (t.kind === '}' || t.kind === ']') {
          depth++;
        } else if (t.kind === '{' || t.kind === '[') {
          if (depth > 0) {
            depth--;
          } else {
            found.push({ kind: t.kind === '{' ? 'object' : 'array', key: keyBefore(tokens, index), line: j });
          }
        }
      }
    }
    return found.reverse();
  }
}
