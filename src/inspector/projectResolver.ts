// The project each port holder was started in: its working directory (processCwd.ts), then the nearest
// folder above it with a project marker (the rules are model/projects.ts; this module only reads the
// folders). A process's answer is cached with its start time, so a steady refresh costs one map lookup
// per owner and a reused pid is resolved afresh. A working directory that cannot be read (another user's
// process, an exited pid, Windows) gives no project, never a guess. Which folder is a project and what it
// is called are rules of the model floor (model/projects.ts, PROJECT_RULES), handed in by the caller,
// since this floor cannot import it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ProcessInfo, ProjectInfo, Snapshot } from '../core/types';
import { readProcessCwds } from './processCwd';

/** What was read about one folder. */
export interface FolderFacts {
  /** Absolute path. */
  path: string;
  /** The marker names present in it (see {@link ProjectRules.isMarker}). */
  markers: readonly string[];
  /** The text of the repository's HEAD (`ref: refs/heads/main` or a commit id), when `.git` is here. */
  gitHead?: string;
  /** True when `.git` is a file: a linked worktree (`git worktree add`) or a submodule. */
  gitIsFile?: boolean;
  /** `package.json`'s "name", when it is a string. Untrusted. */
  packageName?: string;
}

/** The rules that decide a project from folder facts (model/projects.ts PROJECT_RULES). */
export interface ProjectRules {
  /** True for a file name that marks a project folder. */
  isMarker(name: string): boolean;
  /** The project from the facts of a working directory's folders, nearest first. */
  fromFolders(chain: readonly FolderFacts[]): ProjectInfo | undefined;
  /** Folders of the scripts a command line names, for when the working directory is in no project. */
  scriptFolders(command: string, cwd: string): string[];
}

/** The `gitdir:` of a `.git` file (a worktree's or submodule's pointer to its git directory). A relative
 *  one is resolved against the folder holding the file. */
export function gitDirFromFile(text: string, folder: string): string | undefined {
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
  if (!m) {
    return undefined;
  }
  return path.isAbsolute(m[1]) ? m[1] : path.resolve(folder, m[1]);
}

/**
 * The folders to look at for a working directory, nearest first: `start` and its ancestors. The file
 * system root and the user's home folder are never a project (a dotfiles repository in `~` would claim
 * every process started there), and the search stops below them.
 */
export function foldersToSearch(start: string, home?: string, maxDepth = 40): string[] {
  const out: string[] = [];
  let dir = path.resolve(start);
  const stop = home ? path.resolve(home) : undefined;
  for (let i = 0; i < maxDepth; i++) {
    const parent = path.dirname(dir);
    if (parent === dir || dir === stop) {
      break;
    }
    out.push(dir);
    dir = parent;
  }
  return out;
}

export interface ProjectResolverOptions {
  platform?: NodeJS.Platform;
  procRoot?: string;
  /** The home folder, never a project itself (default: os.homedir()). */
  home?: string;
  /** How long what was read about a folder is reused for other processes (default 10 s). */
  folderTtlMs?: number;
}

/** Files read to name a project are small; anything larger is not what we look for. */
const MAX_SMALL_FILE = 256 * 1024;
/** At most this many processes are remembered (pids of exited ones are dropped first). */
const MAX_CACHED_PROCESSES = 4096;

function processKey(p: ProcessInfo): string {
  return `${p.pid}:${p.startTicks ?? p.startTime ?? ''}`;
}

async function readSmall(file: string): Promise<string | undefined> {
  try {
    const handle = await fs.promises.open(file, 'r');
    try {
      const buf = Buffer.alloc(MAX_SMALL_FILE);
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      return buf.toString('utf8', 0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

/** Reads the project markers of one folder (and, for `.git` and `package.json`, what names it). */
export async function readFolderFacts(dir: string, isMarker: (name: string) => boolean): Promise<FolderFacts> {
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return { path: dir, markers: [] };
  }
  const facts: FolderFacts = { path: dir, markers: names.filter(isMarker) };
  if (facts.markers.includes('.git')) {
    const dotGit = path.join(dir, '.git');
    try {
      const st = await fs.promises.stat(dotGit);
      let gitDir: string | undefined = dotGit;
      if (st.isFile()) {
        facts.gitIsFile = true;
        const pointer = await readSmall(dotGit);
        gitDir = pointer === undefined ? undefined : gitDirFromFile(pointer, dir);
      }
      const head = gitDir && (await readSmall(path.join(gitDir, 'HEAD')));
      if (head) {
        facts.gitHead = head;
      }
    } catch {
      // Unreadable: still a repository, without a branch.
    }
  }
  if (facts.markers.includes('package.json')) {
    const text = await readSmall(path.join(dir, 'package.json'));
    try {
      const name = text === undefined ? undefined : (JSON.parse(text) as { name?: unknown } | null)?.name;
      if (typeof name === 'string') {
        facts.packageName = name;
      }
    } catch {
      // Not JSON: the folder's name is used.
    }
  }
  return facts;
}

export class ProjectResolver {
  private readonly byProcess = new Map<string, ProjectInfo | null>();
  /** The answer for an owner object already annotated (null: it has none). */
  private readonly byOwner = new WeakMap<ProcessInfo, ProjectInfo | null>();
  private readonly folders = new Map<string, { at: number; facts: Promise<FolderFacts> }>();
  private readonly home: string | undefined;

  constructor(
    private readonly rules: ProjectRules,
    private readonly options: ProjectResolverOptions = {},
  ) {
    let home = options.home;
    if (home === undefined) {
      try {
        home = os.homedir();
      } catch {
        home = undefined;
      }
    }
    this.home = home;
  }

  /** The project of a folder (a working directory), or undefined when no folder above it has a marker. */
  async projectOfFolder(dir: string): Promise<ProjectInfo | undefined> {
    const chain: FolderFacts[] = [];
    for (const folder of foldersToSearch(dir, this.home)) {
      const facts = await this.facts(folder);
      chain.push(facts);
      // Once a project is found, only the enclosing repository (for the branch) is still looked for.
      if (facts.markers.includes('.git')) {
        break;
      }
    }
    return this.rules.fromFolders(chain);
  }

  /** The project of each process (by pid) that has one. New processes are resolved once; known ones come
   *  from the cache. Never rejects. */
  async resolve(processes: Iterable<ProcessInfo>): Promise<Map<number, ProjectInfo>> {
    const result = new Map<number, ProjectInfo>();
    const todo = new Map<number, ProcessInfo>();
    const seen = new Set<string>();
    for (const p of processes) {
      const key = processKey(p);
      seen.add(key);
      const cached = this.byProcess.get(key);
      if (cached) {
        result.set(p.pid, cached);
      } else if (cached === undefined && p.pid > 0) {
        todo.set(p.pid, p);
      }
    }
    if (todo.size > 0) {
      let cwds = new Map<number, string>();
      try {
        cwds = await readProcessCwds(todo.keys(), { platform: this.options.platform, procRoot: this.options.procRoot });
      } catch {
        // Unknown for all of them.
      }
      await Promise.all(
        [...todo.values()].map(async (p) => {
          const project = await this.projectOfProcess(p, cwds.get(p.pid));
          this.remember(processKey(p), project ?? null);
          if (project) {
            result.set(p.pid, project);
          }
        }),
      );
    }
    this.prune(seen);
    return result;
  }

  /** Sets `project` on every owner of the snapshot's sockets that has one. A steady refresh hands in the
   *  same owner objects scan after scan (the scanners cache them per process), so an owner object seen
   *  before is answered from a weak map without building its key: at 400 sockets this is what keeps the
   *  projects' share of a refresh small (npm run bench). A process's project never changes, so an owner
   *  keeps it. */
  async annotate(snapshot: Snapshot): Promise<void> {
    let pending: ProcessInfo[] | undefined;
    for (const s of snapshot.sockets) {
      for (const o of s.owners) {
        const known = this.byOwner.get(o);
        if (known === undefined) {
          (pending ??= []).push(o);
        } else if (known !== null && o.project !== known) {
          o.project = known;
        }
      }
    }
    if (!pending) {
      return;
    }
    const projects = await this.resolve(pending);
    for (const o of pending) {
      const project = projects.get(o.pid);
      if (project) {
        o.project = project;
      }
      this.byOwner.set(o, project ?? null);
    }
  }

  private async projectOfProcess(p: ProcessInfo, cwd: string | undefined): Promise<ProjectInfo | undefined> {
    if (cwd === undefined) {
      return undefined;
    }
    const fromCwd = await this.projectOfFolder(cwd);
    if (fromCwd) {
      return fromCwd;
    }
    for (const dir of this.rules.scriptFolders(p.command, cwd)) {
      const fromScript = await this.projectOfFolder(dir);
      if (fromScript) {
        return fromScript;
      }
    }
    return undefined;
  }

  private facts(dir: string): Promise<FolderFacts> {
    const now = Date.now();
    const hit = this.folders.get(dir);
    if (hit && now - hit.at < (this.options.folderTtlMs ?? 10_000)) {
      return hit.facts;
    }
    const facts = readFolderFacts(dir, (n) => this.rules.isMarker(n));
    this.folders.set(dir, { at: now, facts });
    if (this.folders.size > 1024) {
      for (const [k, v] of this.folders) {
        if (now - v.at >= (this.options.folderTtlMs ?? 10_000)) {
          this.folders.delete(k);
        }
      }
    }
    return facts;
  }

  private remember(key: string, project: ProjectInfo | null): void {
    this.byProcess.set(key, project);
  }

  /** Forgets processes no longer seen, once the cache grows large. */
  private prune(seen: ReadonlySet<string>): void {
    if (this.byProcess.size <= MAX_CACHED_PROCESSES) {
      return;
    }
    for (const key of this.byProcess.keys()) {
      if (!seen.has(key)) {
        this.byProcess.delete(key);
      }
    }
  }
}
