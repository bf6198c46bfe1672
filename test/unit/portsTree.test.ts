// The Ports view's structure: grouping, filtering, sorting, options, labels, terminals, new rows; and the
// tooltip's escaping of what processes say about themselves.
import * as assert from 'node:assert/strict';
import type { ListeningSocket } from '../../src/core/types';
import { parseLabels } from '../../src/model/portLabels';
import type { GroupRow, PortsTreeOptions, SocketRow } from '../../src/model/portsTree';
import { buildPortsTree, parseFilter, socketRows } from '../../src/model/portsTree';
import { socketTooltipMarkdown } from '../../src/model/socketTooltip';
import { socketKey } from '../../src/core/sockets';

let inode = 1;
function sock(port: number, owners: Array<[number, string, string?]>, extra: Partial<ListeningSocket> = {}): ListeningSocket {
  return {
    protocol: 'tcp',
    family: 4,
    address: '127.0.0.1',
    port,
    state: 'LISTEN',
    inode: inode++,
    uid: 1000,
    owners: owners.map(([pid, name, command]) => ({ pid, name, command: command ?? `${name} --serve`, user: 'dev', ppid: 1 })),
    ownerVisible: owners.length > 0,
    ...extra,
  };
}

const sockets: ListeningSocket[] = [
  sock(5432, [[900, 'postgres', '/usr/lib/postgresql/16/bin/postgres -D /var/lib/postgresql']]),
  sock(3000, [[4242, 'node', 'node ./node_modules/.bin/vite --port 3000']]),
  sock(3000, [[4242, 'node', 'node ./node_modules/.bin/vite --port 3000']], { address: '::1', family: 6 }),
  sock(22, [], { address: '0.0.0.0', uid: 0 }),
  sock(53, [[77, 'dnsmasq']], { protocol: 'udp', state: 'UNCONN' }),
  sock(55000, [[4242, 'node'], [4243, 'node']], { address: '0.0.0.0' }),
  sock(8080, [[1234, 'java', 'java -jar app.jar --server.port=3000']]),
];

const base: PortsTreeOptions = { grouping: 'none', sortBy: 'port', showUdp: true, showHiddenOwners: true };
const build = (o: Partial<PortsTreeOptions> = {}) => buildPortsTree(sockets, { ...base, ...o });
const ports = (rows: readonly SocketRow[]): string[] => rows.map((r) => `${r.socket.port}/${r.socket.protocol}@${r.socket.address}`);

describe('buildPortsTree', () => {
  it('lists every socket flat, sorted by port, with owner and service in the description', () => {
    const t = build();
    assert.equal(t.total, 7);
    assert.equal(t.shown, 7);
    assert.ok(t.roots.every((r) => r.kind === 'socket'));
    assert.deepEqual(ports(t.roots as SocketRow[]), [
      '22/tcp@0.0.0.0',
      '53/udp@127.0.0.1',
      '3000/tcp@127.0.0.1',
      '3000/tcp@::1',
      '5432/tcp@127.0.0.1',
      '8080/tcp@127.0.0.1',
      '55000/tcp@0.0.0.0',
    ]);
    const rows = t.roots as SocketRow[];
    assert.equal(rows[0].label, '22/tcp');
    assert.match(rows[0].description, /^owner not visible \(uid 0\)/);
    assert.match(rows[4].description, /^postgres 900 · PostgreSQL/);
    assert.match(rows[6].description, /^node 4242 \+1/);
  });

  it('adds the address to rows that would otherwise look the same', () => {
    const rows = build().roots as SocketRow[];
    const dup = rows.filter((r) => r.label === '3000/tcp');
    assert.equal(dup.length, 2);
    assert.ok(dup[0].description.endsWith(' · 127.0.0.1'), dup[0].description);
    assert.ok(dup[1].description.endsWith(' · ::1'), dup[1].description);
    assert.ok(!rows[4].description.includes('127.0.0.1'), 'unique rows stay short');
  });

  it('groups by range, leaving out empty ranges, in range order', () => {
    const t = build({ grouping: 'range' });
    const groups = t.roots as GroupRow[];
    assert.deepEqual(groups.map((g) => [g.range, g.label, g.description]), [
      ['well-known', 'Well-known (0–1023)', '2 ports'],
      ['registered', 'Registered (1024–49151)', '4 ports'],
      ['dynamic', 'Dynamic (49152–65535)', '1 port'],
    ]);
    assert.deepEqual(ports(groups[1].children), ['3000/tcp@127.0.0.1', '3000/tcp@::1', '5432/tcp@127.0.0.1', '8080/tcp@127.0.0.1']);
    const only = buildPortsTree([sockets[1]], { ...base, grouping: 'range' });
    assert.deepEqual(only.roots.map((r) => r.id), ['range:registered']);
  });

  it('groups by process: a process with its ports, shared sockets under each owner, hidden owners last', () => {
    const t = build({ grouping: 'process', terminalOf: (pid) => (pid === 4242 ? 'dev' : undefined) });
    const groups = t.roots as GroupRow[];
    assert.deepEqual(groups.map((g) => `${g.label}:${g.owner?.pid ?? '-'}`), ['dnsmasq:77', 'vite (node):4242', 'postgres:900', 'app.jar (java):1234', 'node:4243', 'Owner not visible:-']);
    const node = groups[1];
    assert.equal(node.description, 'pid 4242 · 3 ports · in terminal "dev"');
    assert.equal(node.terminal, 'dev');
    assert.deepEqual(ports(node.children), ['3000/tcp@127.0.0.1', '3000/tcp@::1', '55000/tcp@0.0.0.0']);
    // Under a process the owner is the group; rows say where they listen instead.
    assert.match(node.children[0].description, /^127\.0\.0\.1:3000 · /);
    assert.match(node.children[1].description, /^\[::1\]:3000 · /);
    assert.deepEqual(ports(groups[4].children), ['55000/tcp@0.0.0.0']);
    assert.equal(groups[5].children[0].socket.port, 22);
    // Ids are unique across the tree even though 55000 appears twice.
    const ids = socketRows(t).map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids.length, 8);
  });

  it('sorts by process name when asked, in flat and grouped views', () => {
    const flat = build({ sortBy: 'process' }).roots as SocketRow[];
    assert.deepEqual(flat.map((r) => r.socket.owners[0]?.name ?? '-'), ['java', 'dnsmasq', 'node', 'postgres', 'node', 'node', '-']);
    const groups = build({ grouping: 'process', sortBy: 'process' }).roots as GroupRow[];
    assert.deepEqual(groups.map((g) => g.label), ['app.jar (java)', 'dnsmasq', 'node', 'node', 'postgres', 'Owner not visible']);
  });

  it('hides UDP and hidden-owner sockets on request and counts them', () => {
    const t = build({ showUdp: false, showHiddenOwners: false });
    assert.equal(t.shown, 5);
    assert.equal(t.hiddenByOptions, 2);
    assert.ok(socketRows(t).every((r) => r.socket.protocol === 'tcp' && r.socket.ownerVisible));
  });

  it('shows user labels and terminals in the description, and marks new rows', () => {
    const labels = parseLabels({ '3000': 'web', '5432-5433': 'db' }).labels;
    const fresh = socketKey(sockets[6]);
    const rows = build({ labels, terminalOf: (pid) => (pid === 4242 ? 'dev' : undefined), isNew: (k) => k === fresh }).roots as SocketRow[];
    const web = rows.find((r) => r.socket.port === 3000)!;
    assert.equal(web.userLabel, 'web');
    assert.equal(web.terminal, 'dev');
    assert.equal(web.terminalPid, 4242);
    assert.match(web.description, /^vite \(node\) 4242 · web · in terminal "dev"/);
    assert.equal(rows.find((r) => r.socket.port === 5432)!.userLabel, 'db');
    assert.deepEqual(rows.filter((r) => r.isNew).map((r) => r.socket.port), [8080]);
  });
});

describe('filter', () => {
  const shown = (filter: string, o: Partial<PortsTreeOptions> = {}): string[] => ports(socketRows(build({ filter, ...o })));

  it('parses what people type', () => {
    assert.deepEqual(parseFilter('  '), { kind: 'none' });
    assert.deepEqual(parseFilter(':3000'), { kind: 'number', value: 3000, text: '3000' });
    assert.deepEqual(parseFilter('3000 - 3010'), { kind: 'range', low: 3000, high: 3010 });
    assert.equal(parseFilter('3010-3000').kind, 'invalid');
    assert.deepEqual(parseFilter('Vite'), { kind: 'text', text: 'vite' });
  });

  it('matches a port exactly, a pid, or digits in a command line', () => {
    // 8080's java has --server.port=3000 in its command line: a substring match people want.
    assert.deepEqual(shown('3000'), ['3000/tcp@127.0.0.1', '3000/tcp@::1', '8080/tcp@127.0.0.1']);
    assert.deepEqual(shown('900'), ['5432/tcp@127.0.0.1']);
    assert.deepEqual(shown('4243'), ['55000/tcp@0.0.0.0']);
    assert.deepEqual(shown('550'), [], 'no prefix match on ports (55000 is not "550")');
  });

  it('matches a port range', () => {
    assert.deepEqual(shown('1-1023'), ['22/tcp@0.0.0.0', '53/udp@127.0.0.1']);
  });

  it('matches process names, command lines, protocol, address, service and terminal, ignoring case', () => {
    assert.deepEqual(shown('POSTGRES'), ['5432/tcp@127.0.0.1']);
    assert.deepEqual(shown('app.jar'), ['8080/tcp@127.0.0.1']);
    assert.deepEqual(shown('/udp'), ['53/udp@127.0.0.1']);
    assert.deepEqual(shown('::1'), ['3000/tcp@::1']);
    assert.deepEqual(shown('dev', { terminalOf: (pid) => (pid === 1234 ? 'dev' : undefined) }).includes('8080/tcp@127.0.0.1'), true);
  });

  it('counts what it hides, and reports a malformed range instead of matching everything', () => {
    const t = build({ filter: 'postgres' });
    assert.equal(t.shown, 1);
    assert.equal(t.hiddenByFilter, 6);
    const bad = build({ filter: '3010-3000' });
    assert.equal(bad.shown, 0);
    assert.match(bad.filterError ?? '', /backwards/);
  });

  it('applies inside groups and drops groups left empty', () => {
    const t = build({ grouping: 'process', filter: 'vite' });
    assert.deepEqual(t.roots.map((r) => r.label), ['vite (node)']);
    assert.equal((t.roots[0] as GroupRow).children.length, 2);
  });
});

describe('socketTooltipMarkdown', () => {
  const evil = sock(3000, [[66, 'x](command:workbench.action.quit)', 'node -e "`rm -rf ~`" [a](http://evil) <img src=x onerror=alert(1)> $(bug)']]);
  const row = socketRows(buildPortsTree([evil], { ...base, terminalOf: () => '**term**' }))[0];
  const md = socketTooltipMarkdown(row, [], 'linux');

  it('escapes names, command lines and terminal names', () => {
    // Outside code spans nothing may read as a link, an image or HTML; inside one it is inert text.
    const prose = md.replace(/`[^`]*`/g, '');
    assert.ok(!prose.includes('](command:'), md);
    assert.ok(!prose.includes('](http'), md);
    assert.ok(!prose.includes('<img'), md);
    assert.ok(!/(^|[^\\])\$\(/.test(prose), 'no theme-icon syntax outside code');
    assert.ok(md.includes('x\\]\\(command\\:workbench\\.action\\.quit\\)'), md);
    assert.ok(md.includes('"\\*\\*term\\*\\*"'), md);
    // The command line sits in a code span whose backticks cannot be closed from inside.
    const code = /`([^`]*)`\n?$/m.exec(md.split('\n').find((l) => l.startsWith('- '))!)?.[1] ?? '';
    assert.ok(code.includes('ˋrm -rf ~ˋ'), code);
  });

  it('lists address, exposure, range, service, owner and terminal', () => {
    assert.match(md, /^\*\*3000\/tcp\*\*/);
    assert.match(md, /Listening on `127\.0\.0\.1:3000`/);
    assert.match(md, /Loopback only/);
    assert.match(md, /Registered port/);
    assert.match(md, /pid 66, user dev/);
    assert.match(md, /Started from the integrated terminal/);
  });

  it('lists sibling addresses and explains a hidden owner with the command that reveals it', () => {
    const hidden = sock(5432, [], { address: '0.0.0.0', uid: 0 });
    const v6 = sock(5432, [], { address: '::', family: 6, uid: 0 });
    const r = socketRows(buildPortsTree([hidden, v6], base))[0];
    const text = socketTooltipMarkdown(r, [hidden, v6], 'linux', false);
    assert.match(text, /`0\.0\.0\.0:5432`, `\[::\]:5432`/);
    assert.match(text, /Owner not visible \\\(uid 0\\\)/);
    assert.match(text, /sudo ss -ltnp 'sport = :5432'/);
    assert.match(text, /⚠/, 'PostgreSQL on all interfaces is flagged');
  });

  it('truncates very long command lines', () => {
    const long = sock(4000, [[5, 'node', `node ${'a'.repeat(5000)}`]]);
    const text = socketTooltipMarkdown(socketRows(buildPortsTree([long], base))[0], [], 'linux');
    assert.ok(text.length < 1500, String(text.length));
    assert.match(text, /…`/);
  });
});

describe('buildPortsTree: by project', () => {
  const shop = { root: '/w/shop', name: 'shop', kind: 'npm', branch: 'main' };
  const api = { root: '/srv/api', name: 'api', kind: 'python' };
  const withProject = (s: ListeningSocket, project: typeof shop | typeof api): ListeningSocket => ({ ...s, owners: s.owners.map((o) => ({ ...o, project })) });
  const list = [withProject(sockets[1], shop), withProject(sockets[6], api), sockets[0], sockets[3]];

  it('puts this workspace\u2019s projects first, marked, then other projects, then the rest', () => {
    const t = buildPortsTree(list, { ...base, grouping: 'project', workspaceFolders: ['/w/shop'] });
    const groups = t.roots as GroupRow[];
    assert.deepEqual(groups.map((g) => g.label), ['shop on main', 'api', 'No project (system services and others)']);
    assert.equal(groups[0].inWorkspace, true);
    assert.match(groups[0].description, /^in this workspace · 1 port · \/w\/shop$/);
    assert.equal(groups[1].inWorkspace, false);
    assert.deepEqual(groups[2].children.map((c) => c.socket.port), [22, 5432]);
    // Without workspace folders, projects are ordered by name.
    assert.deepEqual((buildPortsTree(list, { ...base, grouping: 'project' }).roots as GroupRow[]).map((g) => g.label).slice(0, 2), ['api', 'shop on main']);
  });

  it("puts a compose container under its compose file's project, never under its forwarder's", () => {
    const proxy = sock(5432, [[900, 'docker-proxy', '/usr/bin/docker-proxy -proto tcp -host-ip 127.0.0.1 -host-port 5432']]);
    const db: ListeningSocket = {
      ...proxy,
      owners: proxy.owners.map((o) => ({ ...o, project: api })),
      container: { id: 'a'.repeat(64), name: 'shop-db-1', image: 'postgres:16', engine: 'docker', state: 'running', compose: { project: 'shop', service: 'db', configFiles: ['/w/shop/compose.yaml'] } },
    };
    const unlabelled: ListeningSocket = { ...sock(6379, [[901, 'docker-proxy', 'docker-proxy']]), container: { id: 'b'.repeat(64), name: 'cache', image: 'redis:7', engine: 'docker', state: 'running' } };
    const groups = buildPortsTree([db, unlabelled], { ...base, grouping: 'project', workspaceFolders: ['/w/shop'] }).roots as GroupRow[];
    assert.deepEqual(groups.map((g) => [g.label, g.inWorkspace, g.children.map((c) => c.socket.port)]), [
      ['shop', true, [5432]],
      ['No project (system services and others)', undefined, [6379]],
    ]);
  });
});

describe('buildPortsTree: by container', () => {
  const proxy = (port: number, pid: number, container: ListeningSocket['container'], extra: Partial<ListeningSocket> = {}): ListeningSocket => ({
    ...sock(port, [[pid, 'docker-proxy', `/usr/bin/docker-proxy -proto tcp -host-ip 127.0.0.1 -host-port ${port}`]], extra),
    container,
  });
  const compose = (service: string, project = 'shop', engine: 'docker' | 'podman' = 'docker') => ({
    id: `${service}${project}`.padEnd(64, '0'),
    name: `${project}-${service}-1`,
    image: service === 'db' ? 'postgres:16' : 'redis:7',
    engine,
    state: 'running',
    compose: { project, service, configFiles: [`/w/${project}/compose.yaml`] },
  });
  const db = proxy(5432, 900, compose('db'));
  const db6 = proxy(5432, 902, compose('db'), { address: '::1', family: 6 });
  const cache = proxy(6379, 901, compose('cache'));
  const otherEngine = proxy(15432, 950, compose('db', 'shop', 'podman'));
  const web = proxy(8081, 960, { id: 'c'.repeat(64), name: 'web1', image: 'nginx:1', engine: 'docker', state: 'running' });
  const pod = proxy(9090, 970, { id: 'd'.repeat(64), name: 'prom', image: 'prometheus', engine: 'podman', state: 'running', pod: 'monitoring' });
  const list = [sockets[1], db, db6, cache, otherEngine, web, pod, sockets[0], sockets[3]];

  it('groups a compose project\u2019s services together, then pods, then lone containers, then the rest', () => {
    const t = buildPortsTree(list, { ...base, grouping: 'container' });
    const groups = t.roots as GroupRow[];
    assert.deepEqual(
      groups.map((g) => [g.label, g.description, g.children.map((c) => `${c.socket.port}@${c.socket.address}`)]),
      [
        ['shop (compose)', 'docker · 2 containers · 3 ports', ['5432@127.0.0.1', '5432@::1', '6379@127.0.0.1']],
        ['shop (compose)', 'podman · 1 container · 1 port', ['15432@127.0.0.1']],
        ['monitoring (pod)', 'podman · 1 container · 1 port', ['9090@127.0.0.1']],
        ['web1', 'nginx:1 · docker · 1 port', ['8081@127.0.0.1']],
        ['Not in a container', '3 ports', ['22@0.0.0.0', '3000@127.0.0.1', '5432@127.0.0.1']],
      ],
    );
    assert.equal(t.shown, list.length);
    assert.equal(groups[0].id, 'container:compose:docker:shop', 'two engines with a project of the same name stay apart');
    assert.equal(groups[1].id, 'container:compose:podman:shop');
    assert.deepEqual(groups[0].containerGroup, { kind: 'compose', engine: 'docker', project: 'shop', configFiles: ['/w/shop/compose.yaml'] });
    assert.equal(groups[4].containerGroup, undefined);
    // Each port reads as its service, not as the forwarder that holds it.
    assert.match(groups[0].children[2].description, /^cache \(compose shop\) · redis:7/);
    assert.ok(!groups[0].children.some((c) => c.description.includes('docker-proxy')));
  });

  it('filters inside container groups and drops the groups left empty', () => {
    const groups = buildPortsTree(list, { ...base, grouping: 'container', filter: '6379' }).roots as GroupRow[];
    assert.deepEqual(groups.map((g) => [g.label, g.children.length]), [['shop (compose)', 1]]);
  });

  it('lists every socket once: a container\u2019s port is under its group only', () => {
    assert.deepEqual(socketRows(buildPortsTree(list, { ...base, grouping: 'container' })).length, list.length);
  });
});
