// uid → user name from /etc/passwd, re-read only when the file changes. Users from other sources (LDAP,
// systemd-homed) are shown by number, as `ss` does when it cannot resolve them either.
import * as fs from 'node:fs';

export class UserNames {
  private names = new Map<number, string>();
  private mtimeMs = -1;

  constructor(private readonly passwdPath = '/etc/passwd') {}

  /** The user name for `uid`, or the uid as text. Call {@link refresh} once per scan, not per lookup. */
  name(uid: number): string {
    if (this.mtimeMs < 0) {
      this.refresh();
    }
    return this.names.get(uid) ?? String(uid);
  }

  /** Re-reads the file if it changed since the last read. */
  refresh(): void {
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(this.passwdPath).mtimeMs;
    } catch {
      return;
    }
    if (mtimeMs === this.mtimeMs) {
      return;
    }
    this.mtimeMs = mtimeMs;
    this.names = parsePasswd(fs.readFileSync(this.passwdPath, 'utf8'));
  }
}

/** Parses passwd(5) lines `name:x:uid:…`; the first name for a uid wins, as getpwuid does. */
export function parsePasswd(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    const uid = Number(f[2]);
    if (f.length >= 3 && f[0] && f[2] !== '' && Number.isInteger(uid) && !names.has(uid)) {
      names.set(uid, f[0]);
    }
  }
  return names;
}
