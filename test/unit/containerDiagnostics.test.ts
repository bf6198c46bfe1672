// Diagnostics on a compose file whose port a container holds: the compose project's own container (started
// from this very file, or from a compose file in the workspace) is not "held outside the workspace"; a
// container of another project is, by name and compose file; the container's names are untrusted text.
import * as assert from 'node:assert/strict';
import type { ContainerInfo, ListeningSocket } from '../../src/core/types';
import { defaultComposeProject, placeContainer, takenPortDiagnostics } from '../../src/model/portDiagnostics';
import { findPorts } from '../../src/model/portFinder';

const FILE = '/home/dev/shop/compose.yaml';
const COMPOSE = 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n  web:\n    image: nginx\n    ports: ["127.0.0.1:8080:80"]\n';

function proxied(port: number, container: ContainerInfo, pid = 4242): ListeningSocket {
  return {
    protocol: 'tcp',
    family: 4,
    address: '0.0.0.0',
    port,
    state: 'LISTEN',
    uid: 0,
    owners: [{ pid, name: 'docker-proxy', command: `/usr/sbin/docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port ${port} -container-ip 172.18.0.2 -container-port ${port}`, user: 'root' }],
    ownerVisible: true,
    container,
  };
}

const own: ContainerInfo = { engine: 'docker', id: 'a'.repeat(64), name: 'shop-db-1', image: 'postgres:16', compose: { project: 'shop', service: 'db', configFiles: [FILE] } };
const other: ContainerInfo = { engine: 'docker', id: 'b'.repeat(64), name: 'billing-db-1', image: 'postgres:15', compose: { project: 'billing', service: 'db', configFiles: ['/home/dev/billing/docker-compose.yml'] } };
// docker-proxy runs in / : placed as a process it would read "started outside this workspace (in /)".
const forwarderOutside = (): { kind: 'outside'; cwd: string } => ({ kind: 'outside', cwd: '/' });

function diagnose(container: ContainerInfo, folders: string[] = ['/home/dev/shop'], document = FILE): string[] {
  return takenPortDiagnostics(findPorts(COMPOSE, 'compose'), { sockets: [proxied(5432, container)] }, forwarderOutside, undefined, (c) => placeContainer(c, document, folders)).map(
    (d) => `${d.line}: ${d.message}`,
  );
}

describe('port diagnostics and containers', () => {
  it("the compose project's own container holds its port: no diagnostic", () => {
    assert.deepEqual(diagnose(own), []);
    // Even with no folder open: it was started from this very file.
    assert.deepEqual(diagnose(own, []), []);
    // Started from another compose file of the workspace (an override, a second stack): the workspace's.
    assert.deepEqual(diagnose({ ...own, compose: { ...own.compose!, configFiles: ['/home/dev/shop/deploy/compose.dev.yaml'] } }), []);
  });

  it('a container of another project: named, with its compose service and file, not docker-proxy', () => {
    assert.deepEqual(diagnose(other), [
      '4: Port 5432/tcp is already in use by container billing-db-1 (compose service "db" of project "billing", postgres:15), started outside this workspace (from /home/dev/billing/docker-compose.yml).',
    ]);
  });

  it('a container without compose labels: named, without claiming where it was started', () => {
    const plain: ContainerInfo = { engine: 'podman', id: 'c'.repeat(64), name: 'pg-scratch', image: 'docker.io/library/postgres:16' };
    assert.deepEqual(diagnose(plain), ['4: Port 5432/tcp is already in use by container pg-scratch (docker.io/library/postgres:16).']);
  });

  it('labels without config files (older tools): the project Compose names after this folder is this file\u2019s', () => {
    const bare = { ...own, compose: { project: 'shop', service: 'db' } };
    assert.deepEqual(diagnose(bare), []);
    assert.deepEqual(diagnose({ ...bare, compose: { project: 'billing', service: 'db' } }), ['4: Port 5432/tcp is already in use by container shop-db-1 (compose service "db" of project "billing", postgres:16).']);
    assert.equal(defaultComposeProject('/home/dev/My Shop.v2/compose.yaml'), 'myshopv2');
    assert.equal(defaultComposeProject('C:\\Users\\dev\\Shop\\compose.yaml'), 'shop');
  });

  it('hostile names and labels are made inert (no control characters, no line breaks), file path included', () => {
    const evil: ContainerInfo = { ...other, name: 'x\u202e\nfake', image: 'img\u0007', compose: { project: 'p\r\nq', service: 's\u2066', configFiles: ['/tmp/a\nb.yml'] } };
    const [message] = diagnose(evil);
    assert.doesNotMatch(message, /[\u0000-\u001f\u202e\u2066]/);
    assert.match(message, /^4: Port 5432\/tcp is already in use by container x/);
  });

  it('places containers case-insensitively where paths are (Windows, macOS)', () => {
    const win = { ...own, compose: { ...own.compose!, configFiles: ['C:\\Users\\Dev\\Shop\\compose.yaml'] } };
    assert.deepEqual(placeContainer(win, 'c:\\users\\dev\\shop\\compose.yaml', [], true), { kind: 'workspace' });
    assert.deepEqual(placeContainer(win, 'c:\\users\\dev\\shop\\compose.yaml', [], false), { kind: 'outside', cwd: 'C:\\Users\\Dev\\Shop\\compose.yaml' });
  });
});
