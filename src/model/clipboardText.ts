// Text copied to the clipboard from untrusted sources (command lines). Copied whole, but with control and
// bidi characters replaced: a newline hidden in a process's argv would run whatever follows it when the
// text is pasted into a shell, and bidi overrides would make it read differently from what runs.

const UNSAFE_IN_CLIPBOARD = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** A command line made safe to paste into a shell as one line: unsafe characters become `?`. */
export function clipboardCommandLine(command: string): string {
  return command.replace(UNSAFE_IN_CLIPBOARD, '?');
}
