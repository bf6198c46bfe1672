// Windows console tools write to a pipe in the OEM code page (850 in Western Europe, 866 in Russia,
// 932 in Japan …) unless the machine uses UTF-8 (code page 65001). We run them with Node decoding
// bytes as latin1, which keeps every byte as one character, then take UTF-8 when the bytes are valid
// UTF-8. Otherwise the text stays byte-per-character: ASCII (addresses, ports, pids, the usual image
// names) is exact; other letters in OEM code pages come out as the wrong characters. The parsers rely
// on ASCII only, so localized words and headers never matter.

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Turns output read as latin1 back into text: UTF-8 when it is valid UTF-8, else unchanged. */
export function decodeConsoleText(latin1: string): string {
  if (!/[^\x00-\x7f]/.test(latin1)) {
    return latin1;
  }
  try {
    return strictUtf8.decode(Buffer.from(latin1, 'latin1'));
  } catch {
    return latin1;
  }
}
