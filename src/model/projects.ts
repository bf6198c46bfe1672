// Which project a server belongs to, decided from facts about the folders above its working directory.
// Pure: the inspector (inspector/projectResolver.ts) reads the folders; the rules live here so they are
// tested without a file system. Names, branches and package names are untrusted text, kept bounded and
// NOT escaped (each surface escapes for its medium).
import * as path from 'node:path';
import type { ContainerInfo, ListeningSocket, ProjectInfo } from '../core/types';
import type { FolderFacts, ProjectRules } from '../inspector/projectResolver';

/** Longest name, branch or package name kept (a package.json "name" can be 100 kB). */
export const PROJECT_TEXT_MAX = 200;

/** Files and folders that make a folder a project, and the kind each gives. `.git` comes last: a folder
 *  with both `package.json` and `.git` is an npm project (whose branch is still read). */
const MARKER_KINDS: ReadonlyArray<[test: (name: string) => boolean, kind: string]> = [
  [(n) => n === 'package.json', 'npm'],
  [(n) => n === 'pyproject.toml', 'python'],
  [(n) => n === 'go.mod', 'go'],
  [(n) => n === 'Cargo.toml', 'rust'],
  [(n) => n === 'pom.xml' || n === 'build.gradle' || n === 'build.gradle.kts', 'java'],
  [(n) => n.endsWith('.csproj') && n.length > '.csproj'.length, 'dotnet'],
  [(n) => n === 'Gemfile', 'ruby'],
  [(n) => n === 'composer.json', 'php'],
  [(n) => /^(docker-)?compose\.ya?ml$/.test(n), 'compose'],
  [(n) => n === '.git', 'git'],
];

/** True for a file name that marks a project folder (the inspector lists only these). */
export function isProjectMarker(name: string): boolean {
  return MARKER_KINDS.some(([test]) => test(name));
}

/** The kind a folder's markers give it, or undefined when it has none. */
export function markerKind(names: readonly string[]): string | undefined {
  for (const [test, kind] of MARKER_KINDS) {
    if (names.some(test)) {
      return kind;
    }
  }
  return undefined;
}

/** `main` from `ref: refs/heads/main`; undefined for a detached HEAD or anything unexpected. */
export function branchFromHead(text: string): string | undefined {
  const m = /^ref:\s*refs\/heads\/(\S+)\s*$/.exec(text.trim());
  return m ? m[1].slice(0, PROJECT_TEXT_MAX) : undefined;
}

function bounded(text: string): string {
  return text.length > PROJECT_TEXT_MAX ? `${text.slice(0, PROJECT_TEXT_MAX - 1)}…` : text;
}

/**
 * The project of a working directory from the facts of its folders, nearest first (as the inspector's
 * `foldersToSearch` lists them): the nearest folder with a marker is the project. Its branch is
 * the one of the nearest git folder at or above it; when that git folder is further up, the project is
 * a package of a larger repository and is named with both (`api (shop)`). Undefined when no folder has
 * a marker.
 */
export function projectFromFolders(chain: readonly FolderFacts[]): ProjectInfo | undefined {
  const index = chain.findIndex((f) => markerKind(f.markers) !== undefined);
  if (index < 0) {
    return undefined;
  }
  const root = chain[index];
  const kind = markerKind(root.markers)!;
  const git = chain.slice(index).find((f) => f.markers.includes('.git'));
  const own = root.packageName?.trim() ? root.packageName.trim() : path.basename(root.path);
  const project: ProjectInfo = { root: root.path, name: bounded(own), kind };
  const branch = git?.gitHead !== undefined ? branchFromHead(git.gitHead) : undefined;
  if (branch !== undefined) {
    project.branch = branch;
  }
  if (git && git !== root) {
    project.repository = git.path;
    project.name = bounded(`${own} (${path.basename(git.path)})`);
  }
  return project;
}

/** `api (shop) on main`: a project's name with its branch. Plain, NOT escaped. */
export function projectLabel(project: ProjectInfo): string {
  return project.branch !== undefined ? `${project.name} on ${project.branch}` : project.name;
}

/** Interpreters whose scripts say where a project is when the working directory does not. */
const SCRIPT_EXTENSIONS = /\.(?:[cm]?js|[cm]?ts|py|rb|php|jar|dll)$/i;

/**
 * Folders of the scripts a command line names (`node /srv/shop/server.js` → `/srv/shop`), resolved
 * against `cwd`, for when the working directory itself is in no project. The command line is untrusted
 * and its arguments were joined by spaces, so only whole words that look like script paths count.
 */
export function scriptFolders(command: string, cwd: string): string[] {
  const out: string[] = [];
  for (const word of command.split(' ').slice(1, 8)) {
    if (word.startsWith('-') || !SCRIPT_EXTENSIONS.test(word) || word.includes('\0')) {
      continue;
    }
    const dir = path.dirname(path.resolve(cwd, word));
    if (!out.includes(dir)) {
      out.push(dir);
    }
  }
  return out;
}

/** True when `inner` is `outer` or inside it. */
export function isWithin(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** True when the project is one of the workspace's folders, inside one, or holds one (a repository
 *  whose subfolder is open). */
export function isWorkspaceProject(project: ProjectInfo | undefined, workspaceFolders: readonly string[]): boolean {
  if (!project) {
    return false;
  }
  return workspaceFolders.some((f) => isWithin(project.root, f) || isWithin(f, project.root));
}

/** A container's project, from its compose labels when they name the compose file: the file's folder.
 *  Undefined when not known (no compose labels, or no file named). */
export function containerProject(container: ContainerInfo): ProjectInfo | undefined {
  const file = container.compose?.configFiles?.[0];
  if (!container.compose || !file || !path.isAbsolute(file)) {
    return undefined;
  }
  return { root: path.dirname(file), name: bounded(container.compose.project || path.basename(path.dirname(file))), kind: 'compose' };
}

/** The projects a socket belongs to: a container's is its compose file's folder (its owners are the
 *  engine's forwarders, whose working directory says nothing about it); otherwise each owner's. */
export function projectsOfSocket(socket: ListeningSocket): ProjectInfo[] {
  if (socket.container) {
    const project = containerProject(socket.container);
    return project ? [project] : [];
  }
  const byRoot = new Map<string, ProjectInfo>();
  for (const o of socket.owners) {
    if (o.project) {
      byRoot.set(o.project.root, o.project);
    }
  }
  return [...byRoot.values()];
}

/** The rules the inspector's ProjectResolver applies. */
export const PROJECT_RULES: ProjectRules = { isMarker: isProjectMarker, fromFolders: projectFromFolders, scriptFolders };
