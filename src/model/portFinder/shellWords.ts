// A small shell-word splitter: enough of sh quoting to see `--port "5173"`, `-p 8080:80` and
// `PORT=3000 npm start` as words, keeping each character's column so findings point at the source.
// It also splits exec-form arrays (`["npm", "start", "--port", "3000"]`) into the same words.

/** One shell word with its quotes removed. `cols[k]` is the source column of `text[k]`. */
export interface Word {
  text: string;
  cols: number[];
}

/** The words of one simple command (`a | b; c` has three). */
export interface Segment {
  words: Word[];
  /** True when the command was written after a `#` (a commented-out command). */
  commented: boolean;
}

/** Source column range of `word.text[from, to)`. */
export function wordSpan(word: Word, from: number, to: number): { start: number; end: number } {
  return { start: word.cols[from], end: word.cols[to - 1] + 1 };
}

const SEGMENT_BREAKS = new Set([';', '|', '&', '(', ')', '`', '\n']);
const WORD_BREAKS = new Set([' ', '\t', '\r', ',', '[', ']', '<', '>']);

/** Splits `line[from, to)` into commands and words. */
export function shellSegments(line: string, from = 0, to = line.length): Segment[] {
  const segments: Segment[] = [];
  let commented = false;
  let words: Word[] = [];
  let text = '';
  let cols: number[] = [];
  let inWord = false;

  const endWord = (): void => {
    if (inWord) {
      words.push({ text, cols });
    }
    text = '';
    cols = [];
    inWord = false;
  };
  const endSegment = (): void => {
    endWord();
    if (words.length > 0) {
      segments.push({ words, commented });
    }
    words = [];
  };
  const push = (c: string, col: number): void => {
    text += c;
    cols.push(col);
    inWord = true;
  };

  for (let i = from; i < to; i++) {
    const c = line[i];
    if (c === "'") {
      inWord = true;
      const close = line.indexOf("'", i + 1);
      const stop = close === -1 || close >= to ? to : close;
      for (let k = i + 1; k < stop; k++) {
        push(line[k], k);
      }
      i = stop;
    } else if (c === '"') {
      inWord = true;
      let k = i + 1;
      for (; k < to && line[k] !== '"'; k++) {
        if (line[k] === '\\' && k + 1 < to) {
          k++;
        }
        push(line[k], k);
      }
      i = k;
    } else if (c === '\\') {
      if (i + 1 < to) {
        push(line[i + 1], i + 1);
      }
      i++;
    } else if (c === '$' && line[i + 1] === '(' && /^\([A-Za-z_]\w*\)/.test(line.slice(i + 1, i + 66))) {
      // `$(PORT)`: a Makefile variable (as shell, a one-word command substitution) stays in its word.
      const close = line.indexOf(')', i);
      for (let k = i; k <= close; k++) {
        push(line[k], k);
      }
      i = close;
    } else if (c === '$' && line[i + 1] === '{') {
      // `${VAR:-3000}` is one piece of a word, whatever it contains.
      const close = line.indexOf('}', i + 2);
      const stop = close === -1 || close >= to ? to - 1 : close;
      for (let k = i; k <= stop; k++) {
        push(line[k], k);
      }
      i = stop;
    } else if (c === '[' && !inWord && /[0-9A-Fa-f:]/.test(line[i + 1] ?? '')) {
      // `[::1]:8080` is an address, not the start of an exec-form array.
      const close = line.indexOf(']', i + 1);
      const stop = close === -1 || close >= to ? i : close;
      for (let k = i; k <= stop; k++) {
        push(line[k], k);
      }
      i = stop;
    } else if (c === '#' && !inWord) {
      endSegment();
      commented = true;
    } else if (SEGMENT_BREAKS.has(c)) {
      endSegment();
    } else if ((c === '>' || c === '<') && inWord && /^\d+$/.test(text) && cols[cols.length - 1] === i - 1) {
      // A file descriptor of a redirection (`2>/dev/null`, `3<&0`), not a word.
      text = '';
      cols = [];
      inWord = false;
    } else if (WORD_BREAKS.has(c)) {
      endWord();
    } else {
      push(c, i);
    }
  }
  endSegment();
  return segments;
}

// Words that run another command: the command that matters comes after them.
const WRAPPERS = new Set([
  'sudo', 'doas', 'env', 'exec', 'nohup', 'time', 'nice', 'command', 'builtin', 'npx', 'pnpx', 'bunx',
  'cross-env', 'dotenv', 'export', 'local', 'readonly', 'declare', 'then', 'do', 'else', 'if', 'while',
  'until', '!', '{', '}',
]);

/** Index of the command word of a segment (after assignments and wrappers such as `sudo`, `npx`). */
export function commandIndex(words: readonly Word[]): number {
  for (let k = 0; k < words.length; k++) {
    const w = words[k].text;
    if (/^[A-Za-z_][\w.]*=/.test(w) || WRAPPERS.has(w) || (w.startsWith('-') && k > 0 && WRAPPERS.has(words[k - 1].text))) {
      continue;
    }
    // Arguments without their command (an exec-form args list, a continuation line).
    return w.startsWith('-') ? -1 : k;
  }
  return -1;
}

/** The base name of a command word: `./wait-for-it.sh` → `wait-for-it`, `/usr/bin/psql` → `psql`. */
export function commandName(word: string): string {
  const base = word.slice(word.lastIndexOf('/') + 1).toLowerCase();
  return base.replace(/\.(sh|bash|py|js|exe)$/, '');
}
