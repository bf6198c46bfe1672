// How a container-held port reads in the Ports view's row and hover: the container, not its forwarder,
// and every name or label the container's owner chose escaped (a container name is untrusted text).
import * as assert from 'node:assert/strict';
import type { ListeningSocket } from '../../src/core/types';
import { holdersOf, describeHolder } from '../../src/core/holders';
import { buildPortsTree, socketRows } from '../../src/model/portsTree';
import { containerSummary } from '../../src/model/describeSocket';
import { socketTooltipMarkdown } from '../../src/model/socketTooltip';
import { assertInertHover } from '../support/markdownInert';
import { dashboardRow } from '../../src/webview/dashboardData';
import { filterEntries, tableEntry } from '../../src/shared/dashboardTable';
import { DEFAULT_UI_STATE } from '../../src/shared/protocol';

const proxy = (port: number, container: ListeningSocket['container']): ListeningSocket => ({
  protocol: 'tcp',
  family: 4,
  address: '127.0.0.1',
  port,
  state: 'LISTEN',
  inode: port,
  uid: 0,
  owners: [{ pid: 4242, name: 'docker-proxy', command: `/usr/sbin/docker-proxy -proto tcp -host-ip 127.0.0.1 -host-port ${port} -container-ip 172.17.0.2 -container-port 5432`, user: 'root', ppid: 1 }],
  ownerVisible: true,
  container,
});

describe('container surfaces', () => {
  const db = { engine: 'docker' as const, id: 'c'.repeat(64), name: 'shop-db-1', image: 'postgres:16', state: 'running', compose: { project: 'shop', service: 'db', configFiles: ['/home/dev/shop/compose.yaml'] } };

  it('the row reads `5432/tcp · db (compose shop) · postgres:16`', () => {
    const [row] = socketRows(buildPortsTree([proxy(5432, db)], { grouping: 'none', sortBy: 'port', showUdp: true, showHiddenOwners: true }));
    assert.equal(row.label, '5432/tcp');
    assert.match(row.description, /^db \(compose shop\) · postgres:16/);
    assert.equal(containerSummary({ ...db, compose: undefined }), 'shop-db-1 · postgres:16');
  });

  it('the dashboard row shows the container, and the filter finds it by compose project', () => {
    const row = dashboardRow(proxy(5432, db), { self: { uid: 1000 } });
    assert.equal(row.container, 'db (compose shop) · postgres:16');
    assert.equal(row.process, 'docker-proxy');
    // Its project is the compose file's folder (#16), in the workspace when that folder is open.
    assert.equal(row.project, 'shop');
    assert.equal(dashboardRow(proxy(5432, db), { self: { uid: 1000 }, workspaceFolders: ['/home/dev/shop'] }).inWorkspace, true);
    const entries = [tableEntry(row), tableEntry(dashboardRow(proxy(5433, undefined), { self: { uid: 1000 } }))];
    assert.deepEqual(
      filterEntries(entries, { filter: 'compose shop', quick: DEFAULT_UI_STATE.quick }).map((e) => e.row.port),
      [5432],
    );
  });

  it('the holder is the container; its forwarders are listed, never the holder', () => {
    const [holder] = holdersOf(proxy(5432, db));
    assert.equal(holder.kind, 'container');
    assert.equal(describeHolder(holder), 'container shop-db-1 (postgres:16)');
  });

  it('the hover names container, compose service and file, and escapes hostile names and labels', () => {
    const hostile = { ...db, name: '[x](command:workbench.action.terminal.sendSequence)', image: '`evil`', compose: { project: '<img src=x>', service: '**b**', configFiles: ['/tmp/`a`.yaml'] } };
    const [row] = socketRows(buildPortsTree([proxy(5432, hostile)], { grouping: 'none', sortBy: 'port', showUdp: true, showHiddenOwners: true }));
    const md = socketTooltipMarkdown(row, [], 'linux', true);
    assert.match(md, /Docker container \*\*/);
    assert.match(md, /Forwarded by \(never signalled: stop the container instead\)/);
    // Rendered as VS Code renders a hover: no link, no command, no HTML survives.
    assertInertHover(md);
    const plain = socketTooltipMarkdown(socketRows(buildPortsTree([proxy(5432, db)], { grouping: 'none', sortBy: 'port', showUdp: true, showHiddenOwners: true }))[0], [], 'linux', true);
    assert.match(plain, /Compose service "db" of project "shop" of `\/home\/dev\/shop\/compose.yaml`/);
  });
});
