// macOS tools run under LC_ALL=C escape every byte outside ASCII, so a user's home folder called
// "Jürgen" reaches us as `J\xc3\xbcrgen` (lsof) or `J\M-C\M-<rgen` (ps, vis(3)). Undoing just those
// byte escapes and decoding the bytes as UTF-8 gives the names back; control-character escapes
// (`\n`, `^X`, `\^X`) stay visible on purpose.

const utf8 = new TextDecoder('utf-8');

/** Decodes lsof's `\xNN` byte escapes and its doubled backslash; other escapes are kept as printed. */
export function decodeLsofText(text: string): string {
  if (!text.includes('\\')) {
    return text;
  }
  return decodeBytes(text, /\\x([0-9a-fA-F]{2})|\\\\/g, (m) => (m[1] !== undefined ? parseInt(m[1], 16) : 0x5c));
}

/** Decodes vis(3) meta escapes as macOS `ps` prints them (`\M-x`, `\M^x`); other escapes are kept. */
export function decodeVisText(text: string): string {
  if (!text.includes('\\M')) {
    return text;
  }
  return decodeBytes(text, /\\M-([\s\S])|\\M\^([\s\S])/g, (m) => {
    if (m[1] !== undefined) {
      return (m[1].charCodeAt(0) & 0x7f) | 0x80;
    }
    const c = m[2];
    return (c === '?' ? 0x7f : (c.charCodeAt(0) - 0x40) & 0x7f) | 0x80;
  });
}

// Replaces each escape with its byte, keeps everything else as UTF-8, and decodes the whole once so
// that multi-byte characters split across several escapes come back whole.
function decodeBytes(text: string, pattern: RegExp, byteOf: (m: RegExpExecArray) => number): string {
  const bytes: number[] = [];
  let last = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    bytes.push(...Buffer.from(text.slice(last, m.index), 'utf8'), byteOf(m));
    last = m.index + m[0].length;
  }
  bytes.push(...Buffer.from(text.slice(last), 'utf8'));
  return utf8.decode(Uint8Array.from(bytes));
}
