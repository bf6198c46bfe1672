import * as assert from 'node:assert/strict';
import type { ListeningSocket, ProcessInfo } from '../../src/core/types';
import type { OwnerPlace } from '../../src/model/portDiagnostics';
import { duplicateDiagnostics, isUnderFolder, placeOwner, takenPortDiagnostics } from '../../src/model/portDiagnostics';
import { duplicateHostPorts, findPorts } from '../../src/model/portFinder';

function sock(port: number, address: string, owners: ProcessInfo[], protocol: 'tcp' | 'udp' = 'tcp'): ListeningSocket {
  return { protocol, family: 4, address, port, state: 'LISTEN', owners, ownerVisible: owners.length > 0, uid: 0 };
}

const node: ProcessInfo = { pid: 4242, name: 'node', command: 'node server.js' };
const places = (map: Record<number, OwnerPlace>) => (o: ProcessInfo): OwnerPlace => map[o.pid] ?? { kind: 'unknown' };

describe('placeOwner / isUnderFolder', () => {
  it('places a process by terminal first, then by working directory', () => {
    const folders = ['/home/dev/app'];
    assert.deepEqual(placeOwner({ inTerminal: true, cwd: '/elsewhere' }, folders), { kind: 'workspace' });
    assert.deepEqual(placeOwner({ cwd: '/home/dev/app' }, folders), { kind: 'workspace' });
    assert.deepEqual(placeOwner({ cwd: '/home/dev/app/packages/api' }, folders), { kind: 'workspace' });
    assert.deepEqual(placeOwner({ cwd: '/home/dev/app-old' }, folders), { kind: 'outside', cwd: '/home/dev/app-old' });
    assert.deepEqual(placeOwner({ cwd: '/' }, folders), { kind: 'outside', cwd: '/' });
    assert.deepEqual(placeOwner({}, folders), { kind: 'unknown' });
    assert.deepEqual(placeOwner({ cwd: '/anything' }, []), { kind: 'outside', cwd: '/anything' });
  });

  it('compares whole path segments, case-insensitively only when asked', () => {
    assert.equal(isUnderFolder('/a/b/', '/a/b'), true);
    assert.equal(isUnderFolder('/a/bc', '/a/b'), false);
    assert.equal(isUnderFolder('C:\\Users\\Dev\\App\\src', 'c:\\users\\dev\\app', true), true);
    assert.equal(isUnderFolder('C:\\Users\\Dev\\App\\src', 'c:\\users\\dev\\app', false), false);
    assert.equal(isUnderFolder('/x', '/'), true);
  });
});

describe('takenPortDiagnostics', () => {
  const env = 'PORT=3000\n# PORT=3001\nDB_PORT=5432\nAPI_URL=http://localhost:3000/api\n';

  it('reports a port the file listens on when a process outside the workspace holds it, naming the folder', () => {
    const snapshot = { sockets: [sock(3000, '0.0.0.0', [node])] };
    const diags = takenPortDiagnostics(findPorts(env, 'env'), snapshot, places({ 4242: { kind: 'outside', cwd: '/home/dev/other' } }));
    assert.equal(diags.length, 1, 'only PORT=3000: not the URL, not the comment');
    assert.equal(diags[0].level, 'information');
    assert.equal(diags[0].line, 0);
    assert.equal(env.slice(diags[0].start, diags[0].end), '3000');
    assert.equal(diags[0].message, 'Port 3000/tcp is already in use by node (pid 4242), started outside this workspace (in /home/dev/other).');
  });

  it('stays quiet when the holder is the workspace\u2019s own, or the port is free, or it is another protocol', () => {
    const mentions = findPorts(env, 'env');
    assert.deepEqual(takenPortDiagnostics(mentions, { sockets: [sock(3000, '0.0.0.0', [node])] }, places({ 4242: { kind: 'workspace' } })), []);
    assert.deepEqual(takenPortDiagnostics(mentions, { sockets: [] }, places({})), []);
    assert.deepEqual(takenPortDiagnostics(mentions, { sockets: [sock(3000, '0.0.0.0', [node], 'udp')] }, places({})), []);
    // DB_PORT=5432 is where the app connects: a taken 5432 is expected, not a problem.
    assert.deepEqual(takenPortDiagnostics(mentions, { sockets: [sock(5432, '127.0.0.1', [{ pid: 9, name: 'postgres', command: '' }])] }, places({})), []);
  });

  it('reports unknown and hidden holders without claiming where they run, and escapes names', () => {
    const mentions = findPorts(env, 'env');
    const evil: ProcessInfo = { pid: 5, name: 'x\u202e\nfake', command: '' };
    const [unknown] = takenPortDiagnostics(mentions, { sockets: [sock(3000, '127.0.0.1', [evil])] }, places({}));
    assert.equal(unknown.message, 'Port 3000/tcp is already in use by x? fake (pid 5).');
    const [hidden] = takenPortDiagnostics(mentions, { sockets: [sock(3000, '127.0.0.1', [])] }, places({}));
    assert.match(hidden.message, /cannot see/);
  });

  it('checks compose host sides (not container sides) and ranges, and respects bind addresses', () => {
    const compose = 'services:\n  web:\n    ports:\n      - "127.0.0.1:8080:80"\n      - "9000-9005:9000-9005"\n';
    const mentions = findPorts(compose, 'compose');
    const outside: OwnerPlace = { kind: 'outside', cwd: '/srv' };
    const nginx: ProcessInfo = { pid: 1, name: 'nginx', command: '' };
    const diags = takenPortDiagnostics(
      mentions,
      { sockets: [sock(80, '0.0.0.0', [nginx]), sock(8080, '192.168.1.9', [node]), sock(9002, '0.0.0.0', [node]), sock(9004, '0.0.0.0', [node])] },
      places({ 1: outside, 4242: outside }),
    );
    assert.equal(diags.length, 1, JSON.stringify(diags));
    assert.equal(compose.slice(diags[0].start, diags[0].end), '9000-9005');
    assert.match(diags[0].message, /^Port 9002\/tcp \(in 9000–9005\) is already in use by node \(pid 4242\), started outside this workspace \(in \/srv\)\. Other ports of the range are taken too: 2 in all\.$/);
  });
});

describe('duplicateDiagnostics', () => {
  it('warns on every mapping of a host port mapped twice, pointing at the others', () => {
    const compose = [
      'services:',
      '  web:',
      '    ports:',
      '      - "8080:80"',
      '  api:',
      '    ports:',
      '      - "8080:3000"',
      '      - "127.0.0.1:9000:9000"',
      '  dns:',
      '    ports:',
      '      - "53:53/udp"',
      '      - "53:53/tcp"',
      '      - "127.0.0.2:9000:9000"',
      '',
    ].join('\n');
    const diags = duplicateDiagnostics(duplicateHostPorts(compose));
    assert.deepEqual(
      diags.map((d) => [d.level, d.line, d.port, d.protocol]),
      [
        ['warning', 3, 8080, 'tcp'],
        ['warning', 6, 8080, 'tcp'],
      ],
    );
    assert.match(diags[0].message, /^Host port 8080\/tcp is mapped more than once in this file \(also on line 7\)/);
    assert.deepEqual(diags[0].related?.map((r) => r.line), [6]);
    assert.equal(compose.slice(diags[1].start, diags[1].end), '8080');
  });
});
