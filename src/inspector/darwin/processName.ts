// A process's name on macOS. The kernel keeps it (p_comm) in MAXCOMLEN = 16 bytes, and macOS 26's
// `netstat -anv` prints that field: real captures show `Code Helper (Plu`, `Brave Browser He`,
// `Google Chrome He`, cut in the middle of a word and sometimes ending in a space. lsof (+c 0) reads the
// longer proc name, ps the whole command line; a cut name is completed from them when they extend it.

/** Bytes the kernel keeps of a process name (MAXCOMLEN). */
export const COMM_BYTES = 16;

/** True when `name` may have been cut by the kernel: exactly 16 bytes, or ending in half a UTF-8
 *  character (decoded as U+FFFD). A shorter name is whole. */
export function isCutName(name: string): boolean {
  return Buffer.byteLength(name, 'utf8') === COMM_BYTES || name.endsWith('\ufffd');
}

/**
 * The program name in a `ps` command line: `(name)` when ps could not read the arguments, the
 * executable of an app bundle (`…/Code Helper (Plugin).app/Contents/MacOS/Code Helper (Plugin) --type=…`
 * gives `Code Helper (Plugin)`, spaces and all; `…/Visual Studio Code.app/Contents/MacOS/Electron` gives
 * `Electron`), else the file name of the first word.
 */
export function programName(command: string): string {
  const hidden = /^\((.*)\)$/.exec(command);
  if (hidden) {
    return hidden[1];
  }
  const bundled = bundleExecutable(command);
  if (bundled) {
    return bundled;
  }
  // An app whose executable is not named like it (`Visual Studio Code.app/Contents/MacOS/Electron`).
  const inBundle = [...command.matchAll(/\.(?:app|xpc|appex)\/Contents\/MacOS\/([^ /]+)/g)].pop();
  if (inBundle) {
    return inBundle[1];
  }
  const program = command.split(' ')[0] ?? '';
  return program.slice(program.lastIndexOf('/') + 1);
}

/**
 * The best name for a process: `name` as the tool gave it unless it was cut (see {@link isCutName}) and
 * a fuller name of the same process extends it — lsof's name, the app bundle's executable in the ps
 * command line, or the word of the command line the cut name starts. Without one, the cut name without
 * its trailing space. An empty name is taken from the command line.
 */
export function completeProcessName(name: string, fuller: { lsofName?: string; command?: string } = {}): string {
  const command = fuller.command ?? '';
  if (name === '') {
    return fuller.lsofName || programName(command);
  }
  if (!isCutName(name)) {
    return name;
  }
  const prefix = name.endsWith('\ufffd') ? name.slice(0, -1) : name;
  const candidates = [fuller.lsofName, bundleExecutable(command), wordStartingWith(command, prefix)];
  for (const candidate of candidates) {
    if (candidate !== undefined && candidate.length > prefix.length && candidate.startsWith(prefix)) {
      return candidate;
    }
  }
  return prefix.trimEnd();
}

// `/X.app/Contents/MacOS/X` (or .xpc, .appex): the executable named like its bundle, which is how every
// app and helper with spaces in its name is laid out. The innermost bundle wins (a helper inside an app).
function bundleExecutable(command: string): string | undefined {
  let found: string | undefined;
  for (const m of command.matchAll(/\/([^/]+)\.(?:app|xpc|appex)\/Contents\/MacOS\//g)) {
    const bundle = m[1];
    const rest = command.slice((m.index ?? 0) + m[0].length);
    if (rest.startsWith(bundle) && (rest.length === bundle.length || rest[bundle.length] === ' ')) {
      found = bundle;
    }
  }
  return found;
}

// The path component that starts with the cut name, up to the first space after it: `/Users/dev/bin/
// Jürgen's "dev" tool --serve` completes `Jürgen's "dev" ` to `Jürgen's "dev" tool`.
function wordStartingWith(command: string, prefix: string): string | undefined {
  if (prefix.trim() === '') {
    return undefined;
  }
  const at = command.lastIndexOf(`/${prefix}`);
  const start = at >= 0 ? at + 1 : command.startsWith(prefix) ? 0 : -1;
  if (start < 0) {
    return undefined;
  }
  const space = command.indexOf(' ', start + prefix.length);
  return command.slice(start, space < 0 ? undefined : space);
}
