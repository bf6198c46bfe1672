// Bytes from a remote service are untrusted: shown only after control characters are removed and the
// length is capped.

/** The first line of `data` as printable text: control characters removed, at most `max` characters. */
export function firstLine(data: Buffer | string, max = 200): string {
  // UTF-8 with replacement characters: what a server meant when it is valid, visibly broken when not.
  const text = typeof data === 'string' ? data : data.toString('utf8');
  const line = text.split(/\r?\n|\r/, 1)[0] ?? '';
  return printable(line, max);
}

/** `text` without control characters, trimmed, shortened to `max` characters with an ellipsis. */
export function printable(text: string, max = 200): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** True when most of `data` is printable ASCII text (tabs and line breaks count as text). */
export function looksLikeText(data: Buffer): boolean {
  if (data.length === 0) {
    return false;
  }
  let printableCount = 0;
  let high = 0;
  for (const b of data) {
    if ((b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d) {
      printableCount++;
    } else if (b >= 0x80) {
      high++;
    }
  }
  // Non-ASCII letters count as text when they are valid UTF-8 (a sequence cut at the end of the read
  // is allowed): a greeting in another language is still a greeting.
  if (high > 0 && printableCount / data.length < 0.9 && isUtf8(data)) {
    printableCount += high;
  }
  return printableCount / data.length >= 0.9;
}

function isUtf8(data: Buffer): boolean {
  try {
    // stream: a sequence cut by the end of the read is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(data, { stream: true });
    return true;
  } catch {
    return false;
  }
}


/** Milliseconds since `start` (a `performance.now()` value), rounded to whole milliseconds. */
export function elapsed(start: number): number {
  return Math.round(performance.now() - start);
}
