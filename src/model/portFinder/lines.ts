// Line access for the scanners: the whole text indexed once (findPorts), a lazily extended window around
// one offset (portAt), or an editor's own line reader (portAtPosition).
import type { LineReader } from './types';

/** Lines longer than this are not scanned (minified code, data blobs): nothing in them is found. */
export const MAX_LINE_LENGTH = 10_000;

/** Internal line access: `text` is undefined outside the document. */
export interface Lines {
  text(line: number): string | undefined;
  offset(line: number): number;
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Every line of a text, indexed once. */
export class TextLines implements Lines {
  private readonly starts: number[] = [0];

  constructor(private readonly source: string) {
    for (let at = source.indexOf('\n'); at !== -1; at = source.indexOf('\n', at + 1)) {
      this.starts.push(at + 1);
    }
  }

  get count(): number {
    return this.starts.length;
  }

  text(line: number): string | undefined {
    if (line < 0 || line >= this.starts.length) {
      return undefined;
    }
    const end = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.source.length;
    return stripCr(this.source.slice(this.starts[line], end));
  }

  offset(line: number): number {
    return this.starts[line] ?? this.source.length;
  }
}

/**
 * The lines near one offset, found on demand by searching for line breaks outward from it. Only the
 * anchor's line number costs a pass over the text before it, and that pass is a native character search.
 */
export class LocalTextLines implements Lines {
  readonly anchorLine: number;
  private readonly starts = new Map<number, number>();
  private low: number;
  private high: number;

  constructor(
    private readonly source: string,
    anchorOffset: number,
  ) {
    const start = source.lastIndexOf('\n', anchorOffset - 1) + 1;
    let line = 0;
    for (let at = source.indexOf('\n'); at !== -1 && at < start; at = source.indexOf('\n', at + 1)) {
      line++;
    }
    this.anchorLine = line;
    this.low = line;
    this.high = line;
    this.starts.set(line, start);
  }

  private startOf(line: number): number | undefined {
    while (line < this.low) {
      const current = this.starts.get(this.low) as number;
      if (current === 0) {
        return undefined;
      }
      const previous = this.source.lastIndexOf('\n', current - 2) + 1;
      this.low--;
      this.starts.set(this.low, previous);
    }
    while (line > this.high) {
      const next = this.source.indexOf('\n', this.starts.get(this.high) as number);
      if (next === -1) {
        return undefined;
      }
      this.high++;
      this.starts.set(this.high, next + 1);
    }
    return this.starts.get(line);
  }

  text(line: number): string | undefined {
    if (line < 0) {
      return undefined;
    }
    const start = this.startOf(line);
    if (start === undefined) {
      return undefined;
    }
    const next = this.source.indexOf('\n', start);
    return stripCr(this.source.slice(start, next === -1 ? this.source.length : next));
  }

  offset(line: number): number {
    return this.startOf(line) ?? this.source.length;
  }
}

/** An editor's line reader seen as {@link Lines}. */
export class ReaderLines implements Lines {
  constructor(private readonly reader: LineReader) {}

  text(line: number): string | undefined {
    return line >= 0 && line < this.reader.lineCount ? stripCr(this.reader.lineText(line)) : undefined;
  }

  offset(line: number): number {
    return this.reader.lineOffset(line);
  }
}
