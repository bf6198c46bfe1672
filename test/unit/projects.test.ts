// Which project a server belongs to: the pure rules, then real listeners started with their working
// directory in real temporary git repositories (one a `git worktree` on a branch, one a monorepo
// package), a plain folder, and nested projects; the answer is checked against the folders we made.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { foldersToSearch, gitDirFromFile, ProjectResolver } from '../../src/inspector/projectResolver';
import { LinuxScanner } from '../../src/inspector/linux/linuxScanner';
import { branchFromHead, containerProject, isWorkspaceProject, markerKind, PROJECT_RULES, projectFromFolders, projectLabel, scriptFolders } from '../../src/model/projects';
import { closeAfterEachTest, startListener } from '../support/listeners';

describe('projects: the rules', () => {
  it('knows the markers and prefers a language marker over .git', () => {
    assert.equal(markerKind(['.git', 'package.json']), 'npm');
    assert.equal(markerKind(['README.md', '.git']), 'git');
    assert.equal(markerKind(['Api.csproj']), 'dotnet');
    assert.equal(markerKind(['.csproj']), undefined);
    assert.equal(markerKind(['compose.yaml']), 'compose');
    assert.equal(markerKind(['docker-compose.yml']), 'compose');
    assert.equal(markerKind(['build.gradle.kts']), 'java');
    assert.equal(markerKind(['README.md']), undefined);
  });

  it('reads branches and gitdir pointers', () => {
    assert.equal(branchFromHead('ref: refs/heads/feature/login\n'), 'feature/login');
    assert.equal(branchFromHead('3f2a9c0d1e\n'), undefined);
    assert.equal(gitDirFromFile('gitdir: /r/.git/worktrees/wt\n', '/wt'), '/r/.git/worktrees/wt');
    assert.equal(gitDirFromFile('gitdir: ../.git/modules/sub\n', '/r/sub'), '/r/.git/modules/sub');
    assert.equal(gitDirFromFile('nonsense', '/r'), undefined);
  });

  it('searches from the folder up, never the home folder or the root', () => {
    assert.deepEqual(foldersToSearch('/home/ana/shop/src', '/home/ana'), ['/home/ana/shop/src', '/home/ana/shop']);
    assert.deepEqual(foldersToSearch('/home/ana', '/home/ana'), []);
    assert.deepEqual(foldersToSearch('/', '/home/ana'), []);
    assert.deepEqual(foldersToSearch('/srv/x', '/home/ana'), ['/srv/x', '/srv']);
  });

  it('names the nearest marked folder, a monorepo package with its repository, and its branch', () => {
    const chain = [
      { path: '/r/packages/api/src', markers: [] },
      { path: '/r/packages/api', markers: ['package.json'], packageName: '@shop/api' },
      { path: '/r/packages', markers: [] },
      { path: '/r', markers: ['.git', 'package.json'], gitHead: 'ref: refs/heads/main\n', packageName: 'shop' },
    ];
    assert.deepEqual(projectFromFolders(chain), { root: '/r/packages/api', name: '@shop/api (r)', kind: 'npm', branch: 'main', repository: '/r' });
    assert.deepEqual(projectFromFolders(chain.slice(3)), { root: '/r', name: 'shop', kind: 'npm', branch: 'main' });
    assert.equal(projectFromFolders([{ path: '/x', markers: [] }]), undefined);
    assert.equal(projectLabel({ root: '/r', name: 'shop', kind: 'npm', branch: 'main' }), 'shop on main');
  });

  it('keeps an untrusted package name bounded and falls back to the folder name for an empty one', () => {
    const huge = projectFromFolders([{ path: '/p', markers: ['package.json'], packageName: 'x'.repeat(100_000) }]);
    assert.ok(huge && huge.name.length <= 200);
    assert.equal(projectFromFolders([{ path: '/p/site', markers: ['package.json'], packageName: '  ' }])?.name, 'site');
  });

  it('finds script folders on a command line and workspace membership', () => {
    assert.deepEqual(scriptFolders('node /srv/shop/server.js --port 3000', '/tmp'), ['/srv/shop']);
    assert.deepEqual(scriptFolders('python3 app/main.py', '/srv/api'), ['/srv/api/app']);
    assert.deepEqual(scriptFolders('postgres -D /var/lib/pg', '/'), []);
    const p = { root: '/w/shop', name: 'shop', kind: 'npm' };
    assert.equal(isWorkspaceProject(p, ['/w/shop']), true);
    assert.equal(isWorkspaceProject(p, ['/w']), true);
    assert.equal(isWorkspaceProject(p, ['/w/shop/web']), true);
    assert.equal(isWorkspaceProject(p, ['/w/shopping']), false);
    assert.equal(isWorkspaceProject(undefined, ['/w']), false);
  });

  it('gives a container the folder of its compose file', () => {
    const c = { engine: 'docker' as const, id: 'a', name: 'shop-db-1', image: 'postgres', compose: { project: 'shop', service: 'db', configFiles: ['/w/shop/compose.yaml'] } };
    assert.deepEqual(containerProject(c), { root: '/w/shop', name: 'shop', kind: 'compose' });
    assert.equal(containerProject({ ...c, compose: undefined }), undefined);
    assert.equal(containerProject({ ...c, compose: { project: 'x', service: 'y', configFiles: ['relative.yaml'] } }), undefined);
  });
});

describe('projects: real listeners in real repositories', function () {
  closeAfterEachTest();
  const linux = process.platform === 'linux';
  let base: string;

  const git = (cwd: string, ...args: string[]): void => {
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd, stdio: 'ignore' });
  };
  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };

  before(function () {
    if (!linux) {
      this.skip();
    }
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `pi-projects-${process.pid}-`)));
    // shop: an npm project in a repository, with a worktree on a branch and a nested Python project.
    write(path.join(base, 'shop/package.json'), JSON.stringify({ name: '<b>shop</b>' }));
    write(path.join(base, 'shop/tools/report/pyproject.toml'), '[project]\nname = "report"\n');
    git(path.join(base, 'shop'), 'init', '-q');
    git(path.join(base, 'shop'), 'add', '.');
    git(path.join(base, 'shop'), 'commit', '-q', '-m', 'init');
    git(path.join(base, 'shop'), 'worktree', 'add', '-q', '-b', 'feature/login', path.join(base, 'shop-login'));
    // mono: a monorepo with a package.
    write(path.join(base, 'mono/package.json'), JSON.stringify({ name: 'mono', workspaces: ['packages/*'] }));
    write(path.join(base, 'mono/packages/api/package.json'), JSON.stringify({ name: '@mono/api' }));
    fs.mkdirSync(path.join(base, 'mono/packages/api/src'));
    git(path.join(base, 'mono'), 'init', '-q');
    // plain: no marker anywhere above it (under the temp folder), with its own copy of the listener script.
    fs.mkdirSync(path.join(base, 'plain'));
    fs.copyFileSync(path.join(__dirname, '../support/listenerChild.js'), path.join(base, 'plain/listenerChild.js'));
  });

  after(() => {
    if (base) {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  async function projectOfListenerIn(cwd: string, script?: string): Promise<{ pid: number; project: unknown }> {
    const listener = await startListener({ sockets: [{ protocol: 'tcp', host: '127.0.0.1' }] }, { cwd, script });
    const scanner = new LinuxScanner();
    const snapshot = scanner.scan();
    const socket = snapshot.sockets.find((s) => s.port === listener.ports[0] && s.protocol === 'tcp');
    assert.ok(socket, 'the scan finds the listener');
    assert.deepEqual(socket.owners.map((o) => o.pid), [listener.pid]);
    await new ProjectResolver(PROJECT_RULES, { home: path.join(base, 'no-home') }).annotate(snapshot);
    return { pid: listener.pid, project: socket.owners[0].project };
  }

  it('an npm project in a git repository: its package name (untrusted, kept as text) and branch', async () => {
    const { project } = await projectOfListenerIn(path.join(base, 'shop'), path.join(base, 'plain/listenerChild.js'));
    assert.deepEqual(project, { root: path.join(base, 'shop'), name: '<b>shop</b>', kind: 'npm', branch: 'main' });
  });

  it('a git worktree: its own folder and its branch', async () => {
    const { project } = await projectOfListenerIn(path.join(base, 'shop-login'), path.join(base, 'plain/listenerChild.js'));
    assert.deepEqual(project, { root: path.join(base, 'shop-login'), name: '<b>shop</b>', kind: 'npm', branch: 'feature/login' });
  });

  it('a monorepo package, from a folder below it: named with its package and its repository', async () => {
    const { project } = await projectOfListenerIn(path.join(base, 'mono/packages/api/src'), path.join(base, 'plain/listenerChild.js'));
    assert.deepEqual(project, { root: path.join(base, 'mono/packages/api'), name: '@mono/api (mono)', kind: 'npm', branch: 'main', repository: path.join(base, 'mono') });
  });

  it('nested projects: the nearest one wins, with the enclosing repository', async () => {
    const { project } = await projectOfListenerIn(path.join(base, 'shop/tools/report'), path.join(base, 'plain/listenerChild.js'));
    assert.deepEqual(project, { root: path.join(base, 'shop/tools/report'), name: 'report (shop)', kind: 'python', branch: 'main', repository: path.join(base, 'shop') });
  });

  it('a plain folder and a script outside any project: no project', async () => {
    const { project } = await projectOfListenerIn(path.join(base, 'plain'), path.join(base, 'plain/listenerChild.js'));
    assert.equal(project, undefined);
  });

  it('a plain folder, but the script named on the command line is in a project: that project', async () => {
    fs.copyFileSync(path.join(base, 'plain/listenerChild.js'), path.join(base, 'shop/server.js'));
    const { project } = await projectOfListenerIn(path.join(base, 'plain'), path.join(base, 'shop/server.js'));
    assert.equal((project as { root: string }).root, path.join(base, 'shop'));
  });

  it('a working directory that cannot be read gives no project, never a wrong one', async () => {
    const resolver = new ProjectResolver(PROJECT_RULES, { home: base });
    const gone = await resolver.resolve([{ pid: 999_999_999, name: 'node', command: `node ${path.join(base, 'shop/server.js')}` }]);
    assert.equal(gone.size, 0);
    // A /proc without the cwd link (as for another user's process): the same.
    const fakeProc = path.join(base, 'fake-proc');
    fs.mkdirSync(path.join(fakeProc, '4242'), { recursive: true });
    const hidden = await new ProjectResolver(PROJECT_RULES, { home: base, procRoot: fakeProc }).resolve([{ pid: 4242, name: 'node', command: `node ${path.join(base, 'shop/server.js')}` }]);
    assert.equal(hidden.size, 0);
  });

  it('resolves a process once per start time (a reused pid is resolved afresh)', async () => {
    const fakeProc = path.join(base, 'fake-proc2');
    fs.mkdirSync(path.join(fakeProc, '77'), { recursive: true });
    fs.symlinkSync(path.join(base, 'shop'), path.join(fakeProc, '77', 'cwd'));
    const resolver = new ProjectResolver(PROJECT_RULES, { home: base, procRoot: fakeProc });
    const first = await resolver.resolve([{ pid: 77, name: 'node', command: 'node x', startTicks: 1 }]);
    assert.equal(first.get(77)?.root, path.join(base, 'shop'));
    // The directory changes under the same (pid, start): the cached answer stands.
    fs.unlinkSync(path.join(fakeProc, '77', 'cwd'));
    fs.symlinkSync(path.join(base, 'mono'), path.join(fakeProc, '77', 'cwd'));
    assert.equal((await resolver.resolve([{ pid: 77, name: 'node', command: 'node x', startTicks: 1 }])).get(77)?.root, path.join(base, 'shop'));
    // Same pid, another start time: another process, resolved again.
    assert.equal((await resolver.resolve([{ pid: 77, name: 'node', command: 'node x', startTicks: 2 }])).get(77)?.root, path.join(base, 'mono'));
  });

  it('annotates owner objects carried over between refreshes, and a new owner object afresh', async () => {
    const fakeProc = path.join(base, 'fake-proc3');
    fs.mkdirSync(path.join(fakeProc, '88'), { recursive: true });
    fs.symlinkSync(path.join(base, 'shop'), path.join(fakeProc, '88', 'cwd'));
    const resolver = new ProjectResolver(PROJECT_RULES, { home: base, procRoot: fakeProc });
    const owner = { pid: 88, name: 'node', command: 'node x', startTicks: 5 };
    const socketOf = (o: typeof owner) => ({ protocol: 'tcp' as const, family: 4 as const, address: '127.0.0.1', port: 3000, state: 'LISTEN', owners: [o], ownerVisible: true });
    const shared = socketOf(owner);
    const snapshotOf = (...sockets: ReturnType<typeof socketOf>[]) => ({ takenAt: 0, backend: 'test', durationMs: 0, sockets, warnings: [] });
    await resolver.annotate(snapshotOf(shared));
    assert.equal((owner as { project?: { root: string } }).project?.root, path.join(base, 'shop'));
    // The same object again (an unchanged row of the worker's delta): its project stays, nothing re-read.
    fs.unlinkSync(path.join(fakeProc, '88', 'cwd'));
    await resolver.annotate(snapshotOf(shared));
    assert.equal((owner as { project?: { root: string } }).project?.root, path.join(base, 'shop'));
    // A new object for the same process gets the cached answer; one for a reused pid is read afresh.
    const copy = { ...owner, project: undefined };
    await resolver.annotate(snapshotOf(socketOf(copy)));
    assert.equal((copy as { project?: { root: string } }).project?.root, path.join(base, 'shop'));
    fs.symlinkSync(path.join(base, 'mono'), path.join(fakeProc, '88', 'cwd'));
    const reused = { ...owner, startTicks: 6 };
    delete (reused as { project?: unknown }).project;
    await resolver.annotate(snapshotOf(socketOf(reused)));
    assert.equal((reused as { project?: { root: string } }).project?.root, path.join(base, 'mono'));
  });
});
