// Port Activity on a port a container holds: the event names the container and its compose service, not
// only docker-proxy; the stored log keeps it (checked like every stored field: storage is editable); the
// dashboard's entry, label and filter carry it.
import * as assert from 'node:assert/strict';
import type { ContainerInfo, ListeningSocket } from '../../src/core/types';
import { ActivityLog, activityEvents, describeEvent, lastHolderOf, unusualReasons, validEvent } from '../../src/model/activity/index';
import { activityFilter, activityLabel, holdersText } from '../../src/shared/dashboardActivity';
import { activityEntries } from '../../src/webview/activityEntries';
import { snap } from '../support/socketFixtures';

const T0 = Date.UTC(2026, 11, 2, 6, 0, 0);
const ID = 'c'.repeat(64);
const web: ContainerInfo = { engine: 'docker', id: ID, name: 'shop-web-1', image: 'pi-busybox', state: 'running', compose: { project: 'shop', service: 'web', configFiles: ['/home/dev/shop/compose.yaml'] } };

function proxied(address: string, port: number, container: ContainerInfo | undefined, pid: number): ListeningSocket {
  return {
    protocol: 'tcp',
    family: address.includes(':') ? 6 : 4,
    address,
    port,
    state: 'LISTEN',
    inode: pid,
    uid: 0,
    owners: [{ pid, name: 'docker-proxy', command: `/usr/sbin/docker-proxy -proto tcp -host-ip ${address} -host-port ${port} -container-ip 172.17.0.2 -container-port 8080`, user: 'root', startTime: T0 - 1000 }],
    ownerVisible: true,
    ...(container ? { container } : {}),
  };
}

describe('Port Activity on container ports', () => {
  const before = snap(T0, []);
  const open = snap(T0 + 5000, [proxied('0.0.0.0', 8080, web, 501), proxied('::', 8080, web, 502)]);
  const closed = snap(T0 + 10_000, []);

  it('an opened and a closed event name the container and its compose service, via docker-proxy', () => {
    // Sorted by address: `::` first.
    const opened = activityEvents(before, open).reverse();
    assert.deepEqual(opened.map((e) => e.address), ['0.0.0.0', '::']);
    assert.deepEqual(opened[0].container, { engine: 'docker', id: 'cccccccccccc', name: 'shop-web-1', image: 'pi-busybox', compose: { project: 'shop', service: 'web' } });
    assert.match(describeEvent(opened[0], T0), /^\d\d:\d\d opened TCP 0\.0\.0\.0:8080 by container shop-web-1 \(compose service "web" of project "shop", pi-busybox\) via docker-proxy \(pid 501\)$/);
    // Unusual-activity words name the container too.
    assert.match(unusualReasons(opened[0])[0].message, /^Port 8080\/tcp became reachable from the network \(on all interfaces\), opened by container shop-web-1 /);
    const log = new ActivityLog();
    log.record(before, open);
    log.record(open, closed);
    const last = log.lastHolder(8080, 'tcp', T0 + 10_000);
    assert.match(last?.text ?? '', /^port 8080 was held by container shop-web-1 \(compose service "web" of project "shop", pi-busybox\) via docker-proxy \(pid 50[12]\) until/);
    // A process-held port reads as before.
    const plain = activityEvents(before, snap(T0 + 1, [{ ...proxied('127.0.0.1', 3000, undefined, 77), owners: [{ pid: 77, name: 'node', command: 'node server.js' }] }]));
    assert.match(lastHolderOf({ ...plain[0], kind: 'closed' }, T0).text, /^port 3000 was held by node \(pid 77\) until/);
  });

  it('the stored log keeps the container, and drops an entry whose container is malformed', () => {
    const event = activityEvents(before, open)[1];
    const stored = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
    assert.deepEqual(validEvent(stored, T0 + 20_000, 86_400_000), event);
    for (const bad of [{ ...event.container, id: ID }, { ...event.container, engine: 'lxc' }, { ...event.container, name: 'x'.repeat(500) }, { ...event.container, compose: { project: 1, service: 'web' } }, 'shop-web-1']) {
      assert.equal(validEvent({ ...stored, container: bad }, T0 + 20_000, 86_400_000), undefined, JSON.stringify(bad));
    }
  });

  it('the dashboard entry shows the container as every surface names it; the label and the filter know it', () => {
    const events = activityEvents(before, open).reverse();
    const [entry] = activityEntries(events, events, 1);
    assert.equal(entry.container, 'web (compose shop) · pi-busybox');
    assert.deepEqual(entry.holders, [{ pid: 501, name: 'docker-proxy' }]);
    assert.equal(holdersText(entry), 'container web (compose shop) · pi-busybox via docker-proxy (pid 501)');
    assert.match(activityLabel(entry), /^Opened TCP 0\.0\.0\.0:8080 by container web \(compose shop\) · pi-busybox via docker-proxy \(pid 501\) at /);
    assert.equal(activityFilter('compose shop').matches(entry), true);
    assert.equal(activityFilter('container web').matches(entry), true);
    assert.equal(activityFilter('nginx').matches(entry), false);
  });

  it('a hostile container name is kept inert and capped', () => {
    const hostile = { ...web, name: `evil\u202e\u0007${'n'.repeat(400)}`, compose: undefined };
    const [event] = activityEvents(before, snap(T0 + 1, [proxied('127.0.0.1', 8081, hostile, 600)]));
    assert.ok(event.container!.name.length <= 128);
    assert.doesNotMatch(event.container!.name, /[\u202e\u0007]/);
    assert.ok(validEvent(JSON.parse(JSON.stringify(event)), T0 + 2, 86_400_000));
  });
});
