// Just enough YAML structure to know where a line sits: its parent keys (`ports:` above `- "8080:80"`)
// and the sibling fields of the list item it belongs to (`protocol: udp` next to `containerPort: 53`).
// Both look at a bounded window of lines, so one hover never reads more than a few hundred lines.
import { MAX_LINE_LENGTH } from './lines';
import type { Lines } from './lines';

/** How far back a line's parents are searched. Port lists and list items are short; a `ports:` key more
 *  than this many lines above its entry is not seen (the entry is then treated as a plain scalar). */
export const YAML_LOOKBACK_LINES = 200;
/** How far forward an item's sibling fields are read. */
export const YAML_ITEM_SPAN = 40;

/** The shape of one YAML line. */
export interface YamlLine {
  /** Column of the first character (for a comment line, of the `#`). */
  indent: number;
  /** A `- ` sequence entry. */
  isItem: boolean;
  /** Column where the entry's content starts (after `- `); equals `indent` for other lines. */
  contentIndent: number;
  /** Column where the content starts, after any comment marker and the dash. */
  contentCol: number;
  key?: string;
  /** Column of the value after `key:`; undefined when the key has no value on this line. */
  valueCol?: number;
  /** A commented-out line: scanned for mentions, never used as structure. */
  commented: boolean;
  /** Nothing structural: blank, prose comment, document marker, or too long to look at. */
  blank: boolean;
}

const KEY_RE = /^(?:"([^"]*)"|'([^']*)'|([^\s"'#:{}[\],&*!|>][^:#]*?))[ \t]*:(?=[ \t]|$)/;

/** Parses the shape of a line. */
export function yamlLine(text: string): YamlLine {
  const blank: YamlLine = { indent: 0, isItem: false, contentIndent: 0, contentCol: 0, commented: false, blank: true };
  if (text.length > MAX_LINE_LENGTH) {
    return blank;
  }
  let i = 0;
  while (text[i] === ' ' || text[i] === '\t') {
    i++;
  }
  if (i >= text.length || text.startsWith('---') || text.startsWith('...')) {
    return blank;
  }
  const indent = i;
  let commented = false;
  if (text[i] === '#') {
    commented = true;
    while (text[i] === '#') {
      i++;
    }
    while (text[i] === ' ') {
      i++;
    }
    if (i >= text.length) {
      return blank;
    }
  }
  let isItem = false;
  let contentIndent = indent;
  if (text[i] === '-' && (i + 1 === text.length || text[i + 1] === ' ')) {
    isItem = true;
    i++;
    while (text[i] === ' ') {
      i++;
    }
    // For a commented entry the `#` stands where the dash would be.
    contentIndent = commented || i === text.length ? indent + 2 : i;
  }
  const line: YamlLine = { indent, isItem, contentIndent, contentCol: i, commented, blank: false };
  const key = KEY_RE.exec(text.slice(i));
  if (key) {
    line.key = (key[1] ?? key[2] ?? key[3]).trim();
    let v = i + key[0].length;
    while (text[v] === ' ' || text[v] === '\t') {
      v++;
    }
    if (v < text.length && text[v] !== '#') {
      line.valueCol = v;
    }
  }
  return line;
}

/** A parent of a line: a key whose value holds it, or the list item it is a field of. */
export interface YamlAncestor {
  line: number;
  isItem: boolean;
  /** The key on that line (for an item, the key of its first field, if any). */
  key?: string;
  shape: YamlLine;
}

/** A field of a list item. */
export interface YamlField {
  line: number;
  key: string;
  valueCol?: number;
}

/** Structure queries over {@link Lines}; with `memoize`, results are cached for a whole-file pass. */
export class YamlContext {
  private readonly shapes = new Map<number, YamlLine>();
  private readonly memo: Map<number, YamlAncestor[]> | undefined;

  constructor(
    readonly lines: Lines,
    memoize: boolean,
  ) {
    this.memo = memoize ? new Map() : undefined;
  }

  /** Forgets cached lines above `line` (a whole-file pass never looks back further than the window). */
  forgetBefore(line: number): void {
    for (const cache of [this.shapes, this.memo]) {
      for (const key of cache?.keys() ?? []) {
        if (key < line) {
          cache?.delete(key);
        }
      }
    }
  }

  shape(line: number): YamlLine {
    let shape = this.shapes.get(line);
    if (!shape) {
      shape = yamlLine(this.lines.text(line) ?? '');
      this.shapes.set(line, shape);
    }
    return shape;
  }

  /** Parents of `line`, nearest first, among the {@link YAML_LOOKBACK_LINES} lines above it. */
  ancestors(line: number): YamlAncestor[] {
    const cached = this.memo?.get(line);
    if (cached) {
      return cached;
    }
    const me = this.shape(line);
    const lowest = Math.max(0, line - YAML_LOOKBACK_LINES);
    const found: YamlAncestor[] = [];
    let indent = me.indent;
    let itemMode = me.isItem;
    for (let j = line - 1; j >= lowest && (indent > 0 || itemMode); j--) {
      const p = this.shape(j);
      if (p.blank || p.commented) {
        continue;
      }
      const known = p.indent === indent && p.isItem === itemMode ? this.memo?.get(j) : undefined;
      if (known) {
        // The walk from here on is the walk `j` already made; keep the part inside this line's window.
        for (const a of known) {
          if (a.line < lowest) {
            break;
          }
          found.push(a);
        }
        break;
      }
      if (!itemMode && p.isItem && p.contentIndent === indent) {
        found.push({ line: j, isItem: true, key: p.key, shape: p });
        indent = p.indent;
        itemMode = true;
      } else if (itemMode && !p.isItem && p.indent === indent && p.key !== undefined && p.valueCol === undefined) {
        found.push({ line: j, isItem: false, key: p.key, shape: p });
        itemMode = false;
      } else if (p.indent < indent) {
        found.push({ line: j, isItem: p.isItem, key: p.key, shape: p });
        indent = p.indent;
        itemMode = p.isItem;
      }
    }
    this.memo?.set(line, found);
    return found;
  }

  /** The list item `line` is a direct field of (the line itself when it starts the item). */
  itemOf(line: number): YamlAncestor | undefined {
    const me = this.shape(line);
    if (me.isItem) {
      return { line, isItem: true, key: me.key, shape: me };
    }
    const parent = this.ancestors(line)[0];
    return parent?.isItem && parent.shape.contentIndent === me.indent ? parent : undefined;
  }

  /** The key holding the list that the item at `itemLine` belongs to. */
  listKeyOf(itemLine: number): string | undefined {
    return this.ancestors(itemLine)[0]?.key;
  }

  /** The fields of the list item starting at `itemLine` (its own first field included). */
  fields(itemLine: number): Map<string, YamlField> {
    const item = this.shape(itemLine);
    const fields = new Map<string, YamlField>();
    if (item.key !== undefined) {
      fields.set(item.key, { line: itemLine, key: item.key, valueCol: item.valueCol });
    }
    for (let k = itemLine + 1; k <= itemLine + YAML_ITEM_SPAN; k++) {
      if (this.lines.text(k) === undefined) {
        break;
      }
      const s = this.shape(k);
      if (s.blank || s.commented) {
        continue;
      }
      if (s.indent < item.contentIndent) {
        break;
      }
      if (s.indent === item.contentIndent && !s.isItem && s.key !== undefined && !fields.has(s.key)) {
        fields.set(s.key, { line: k, key: s.key, valueCol: s.valueCol });
      }
    }
    return fields;
  }
}
