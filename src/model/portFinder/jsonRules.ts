// JSON and JSONC: port keys (`"port": 9229`, `"PORT": "3000"`), devcontainer `forwardPorts` and
// `portsAttributes` keys, `appPort` mappings, and command strings (package.json `scripts`, `runArgs`,
// `postStartCommand`) read with the shell rules.
import { parseDockerMapping } from './dockerMapping';
import type { JsonContext, JsonToken, OpenContainer } from './jsonContext';
import { keyBefore } from './jsonContext';
import { foundOf, isPortKey, keyWords, parsePortValue, roleOfKey } from './portValues';
import type { Found } from './portValues';
import { addressSetting, scanShell } from './shellRules';
import { parseHostPort } from './urlFinder';
import type { PortRole } from './types';

const COMMAND_WORDS = new Set(['command', 'commands', 'cmd', 'args', 'script', 'scripts', 'entrypoint', 'exec']);

function isCommandKey(key: string | undefined): boolean {
  return key !== undefined && keyWords(key).some((w) => COMMAND_WORDS.has(w));
}

/** A port written as a JSON number or a string holding only a port (`3000`, `"3000"`, `"3000-3005"`). */
function plainPort(t: JsonToken, role: PortRole, context: string, commented: boolean): Found | undefined {
  const value = parsePortValue(t.text, 0);
  if (!value || value.next !== t.text.length || value.hostAddress !== undefined) {
    return undefined;
  }
  return foundOf({ ...value, start: value.start + t.at, end: value.end + t.at }, role, context, { commented });
}

function shift(found: Found[] | Found | undefined, by: number): Found[] {
  const list = found === undefined ? [] : Array.isArray(found) ? found : [found];
  return list.map((f) => ({ ...f, start: f.start + by, end: f.end + by }));
}

function valueRule(line: string, t: JsonToken, key: string | undefined, top: OpenContainer | undefined, commented: boolean): Found[] {
  if (!top || (t.kind !== 'string' && t.kind !== 'number')) {
    return [];
  }
  if (top.kind === 'object' && key !== undefined) {
    if (isPortKey(key)) {
      const plain = plainPort(t, roleOfKey(key), 'json-port-key', commented);
      if (plain) {
        return [plain];
      }
      if (t.kind === 'string') {
        return shift(parseHostPort(t.text, 0, 'single', 'json-port-key', commented) ?? parseDockerMapping(t.text, 0, 'json-port-mapping', commented), t.at);
      }
      return [];
    }
    if (t.kind === 'string') {
      const address = addressSetting(key, t.text, 'json-address');
      // Any other string may hold a command (`scripts`, `postStartCommand`) or a connection string
      // (`Host=db;Port=5432`): the shell rules read both.
      return address ? shift({ ...address, ...(commented ? { commented } : {}) }, t.at) : scanShell(line, { commented }, t.at, t.end);
    }
    return [];
  }
  if (top.kind === 'array' && top.key !== undefined) {
    if (top.key === 'forwardPorts') {
      const plain = plainPort(t, 'single', 'devcontainer-forward-ports', commented);
      return plain ? [plain] : t.kind === 'string' ? shift(parseHostPort(t.text, 0, 'single', 'devcontainer-forward-ports', commented), t.at) : [];
    }
    if (isPortKey(top.key)) {
      const plain = plainPort(t, 'single', 'json-port-key', commented);
      return plain ? [plain] : t.kind === 'string' ? shift(parseDockerMapping(t.text, 0, 'json-port-mapping', commented), t.at) : [];
    }
  }
  return [];
}

/** Runs the rules over a line's tokens, starting from the containers open before them. */
function walk(line: string, tokens: JsonToken[], stack: OpenContainer[], lineIndex: number, commented: boolean, out: Found[]): void {
  let key: string | undefined;
  // Where an exec-form argument list on this line starts (`["-p", "8080:80"]`), to read it as a command.
  let shellFrom: number | undefined;
  tokens.forEach((t, index) => {
    const top = stack[stack.length - 1];
    if (t.kind === '{' || t.kind === '[') {
      const opened: OpenContainer = { kind: t.kind === '{' ? 'object' : 'array', key: keyBefore(tokens, index), line: lineIndex };
      stack.push(opened);
      if (opened.kind === 'array' && isCommandKey(opened.key) && shellFrom === undefined) {
        shellFrom = t.end;
      }
      key = undefined;
      return;
    }
    if (t.kind === '}' || t.kind === ']') {
      stack.pop();
      key = undefined;
      return;
    }
    if (t.kind === ',') {
      key = undefined;
      return;
    }
    if (t.kind === 'string' && tokens[index + 1]?.kind === ':') {
      key = t.text;
      // devcontainer `portsAttributes` and VS Code's `remote.portsAttributes`: each key is a port or a range.
      if (top?.kind === 'object' && (top.key === 'portsAttributes' || top.key === 'remote.portsAttributes')) {
        const f = plainPort(t, 'single', 'devcontainer-ports-attributes', commented);
        if (f) {
          out.push(f);
        }
      }
      return;
    }
    if (top?.kind === 'array' && isCommandKey(top.key) && t.kind === 'string' && shellFrom === undefined) {
      shellFrom = t.at - 1;
    }
    out.push(...valueRule(line, t, top?.kind === 'object' ? key : undefined, top, commented));
  });
  if (shellFrom !== undefined) {
    // Exec-form arrays split flag and value into elements: `"-p", "8080:80"`.
    out.push(...scanShell(line, { commented }, shellFrom, Math.min(line.length, tokens[tokens.length - 1].end + 1)));
  }
}

/** One line of a JSON file. */
export function scanJsonLine(ctx: JsonContext, i: number): Found[] {
  const line = ctx.lines.text(i);
  if (line === undefined) {
    return [];
  }
  const { tokens, comment } = ctx.tokens(i);
  const stack = ctx.stackAt(i);
  const out: Found[] = [];
  walk(line, tokens, stack, i, false, out);
  if (comment.length > 0) {
    walk(line, comment, stack.length > 0 ? stack : [{ kind: 'object', line: i }], i, true, out);
  }
  return out;
}
