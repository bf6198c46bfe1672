// The free-port finder against real sockets: ports this test holds on 127.0.0.1, ::1 or the wildcard must
// be skipped; ports it released must be found.
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { findFreePort, isPortFree, searchOrder } from '../../src/inspector/freePortSearch';

const held: (() => Promise<void>)[] = [];

/** Listens on `host:port` (0 for any) and keeps it until the test ends. */
async function holdTcp(host: string, port = 0): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, ipv6Only: host === '::' ? false : undefined }, () => resolve());
  });
  held.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

async function holdUdp(host: string, port = 0): Promise<number> {
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => resolve());
  });
  held.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket.address().port;
}

/** A port the OS just handed out and took back: almost certainly free for the next moment. */
async function releasedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  return assert.rejects(promise, (error: Error) => {
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
}

describe('freePort: searchOrder', () => {
  it('goes outward from near, alternating up and down, within the range', () => {
    assert.deepEqual([...searchOrder(3000, 2998, 3003)], [3000, 3001, 2999, 3002, 2998, 3003]);
    assert.deepEqual([...searchOrder(3000, 3000, 3003)], [3000, 3001, 3002, 3003]);
    assert.deepEqual([...searchOrder(3003, 3000, 3003)], [3003, 3002, 3001, 3000]);
    assert.deepEqual([...searchOrder(5, 5, 5)], [5]);
  });

  it('goes upward through the range without near', () => {
    assert.deepEqual([...searchOrder(undefined, 10, 14)], [10, 11, 12, 13, 14]);
  });

  it('visits every port of a large range exactly once', () => {
    const ports = [...searchOrder(30000, 29000, 32000)];
    assert.equal(ports.length, 3001);
    assert.equal(new Set(ports).size, 3001);
  });
});

describe('freePort: findFreePort with real sockets', () => {
  afterEach(async () => {
    while (held.length > 0) {
      await held.pop()!();
    }
  });

  it('finds a released port at once', async () => {
    const port = await releasedPort();
    assert.equal(await findFreePort({ near: port }), port);
    assert.equal(await isPortFree(port), true);
  });

  for (const host of ['127.0.0.1', '::1', '0.0.0.0', '::']) {
    it(`treats a port held on ${host} as busy`, async () => {
      const port = await holdTcp(host);
      assert.equal(await isPortFree(port), false);
      await rejectsWith(findFreePort({ range: [port, port] }), new RegExp(`^No free TCP port in ${port}: 1 in use\\.$`));
      const found = await findFreePort({ near: port, range: [port, Math.min(port + 20, 65535)] });
      assert.notEqual(found, port);
      assert.ok(found > port && found <= port + 20);
    });
  }

  it('skips ports in avoid without binding them', async () => {
    const port = await releasedPort();
    await rejectsWith(
      findFreePort({ range: [port, port], avoid: new Set([port]) }),
      new RegExp(`^No free TCP port in ${port}: 1 skipped \\(known to be in use\\)\\.$`),
    );
    const found = await findFreePort({ near: port, avoid: new Set([port]) });
    assert.notEqual(found, port);
    assert.ok(Math.abs(found - port) <= 30, `found ${found} near ${port}`);
  });

  it('skips reserved ranges (Windows excluded port ranges) without binding them', async () => {
    const port = await releasedPort();
    await rejectsWith(
      findFreePort({ range: [port, port], reserved: [{ start: port - 1, end: port + 1 }] }),
      new RegExp(`^No free TCP port in ${port}: 1 reserved by Windows \\(excluded port ranges\\)\\.$`),
    );
    const found = await findFreePort({ near: port, reserved: [{ start: port, end: port + 5 }] });
    assert.ok(found < port || found > port + 5, `found ${found}, inside the reserved ${port}-${port + 5}`);
  });

  it('skips well-known ports by default', async () => {
    const found = await findFreePort({ near: 1023, skipWellKnown: true, range: [1000, 1100] });
    assert.ok(found >= 1024, `found ${found}`);
    await rejectsWith(findFreePort({ range: [80, 80] }), /^No free TCP port in 80: 1 skipped \(well-known, below 1024\)\.$/);
    const fromLow = await findFreePort({ near: 80 });
    assert.ok(fromLow >= 1024 && fromLow < 1100, `found ${fromLow}`);
  });

  it('checks UDP separately from TCP', async () => {
    const port = await holdUdp('127.0.0.1');
    assert.equal(await isPortFree(port, { protocol: 'udp' }), false);
    await rejectsWith(findFreePort({ range: [port, port], protocol: 'udp' }), new RegExp(`^No free UDP port in ${port}: 1 in use\\.$`));
    // The same number over TCP is another port altogether.
    assert.equal(await findFreePort({ range: [port, port], protocol: 'tcp' }), port);
  });

  it('treats a UDP port held on ::1 as busy', async () => {
    const port = await holdUdp('::1');
    assert.equal(await isPortFree(port, { protocol: 'udp' }), false);
  });

  it('gives up after maxAttempts binds with a clear message', async () => {
    const port = await holdTcp('127.0.0.1');
    await rejectsWith(
      findFreePort({ near: port, range: [port, Math.min(port + 100, 65535)], maxAttempts: 1 }),
      new RegExp(`^No free TCP port near ${port} \\(in ${port}-\\d+\\): the 1 port tried was in use\\.$`),
    );
  });

  it('checks the given host too, and says when it is not an address of this machine', async () => {
    const port = await releasedPort();
    assert.equal(await findFreePort({ near: port, host: '127.0.0.1' }), port);
    // 203.0.113.0/24 is reserved for documentation (RFC 5737): never an address of this machine.
    await rejectsWith(findFreePort({ near: port, host: '203.0.113.7' }), /^203\.0\.113\.7 is not an address of this machine/);
  });

  it('rejects invalid options', async () => {
    await rejectsWith(findFreePort({ near: 70000 }), /^70000 is not a port/);
    await rejectsWith(findFreePort({ range: [3010, 3000] }), /^The range 3010-3000 is backwards/);
    await rejectsWith(findFreePort({ near: 2000, range: [3000, 3010] }), /^Port 2000 is outside the search range 3000-3010\.$/);
    await rejectsWith(findFreePort({ maxAttempts: 0 }), /^maxAttempts must be/);
    await rejectsWith(findFreePort({ protocol: 'sctp' as 'tcp' }), /^Unknown protocol "sctp"/);
  });
});
