// Connection tests against real servers that this file starts on 127.0.0.1 and ::1. Nothing leaves the
// machine: the unresolvable name is under .invalid (answered without a lookup, RFC 6761) and the timeout
// comes from a local listener whose accept queue is full.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { recognizeBanner } from '../../src/inspector/probe/banner';
import { classifyError } from '../../src/inspector/probe/failureKind';
import { buildHeadRequest, looksLikeTlsRecord, parseHttpHead } from '../../src/inspector/probe/http';
import { isTlsFirstPort } from '../../src/inspector/probe/identify';
import type { ConnectionResult } from '../../src/inspector/probe/index';
import { describeConnectionResult, formatConnectionResult, testConnection } from '../../src/inspector/probe/index';
import { buildDnsQuery, parseDnsResponse, probeDns } from '../../src/inspector/probe/udp';

// --- helpers: servers that remember what they saw, and always close

interface Recorded {
  connections: number;
  data: Buffer[];
}

const cleanups: (() => Promise<void> | void)[] = [];
async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    await cleanups.pop()!();
  }
}

function listen(server: net.Server, host: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** Tracks a server's sockets so cleanup can destroy them (close() alone waits for them). */
function track(server: net.Server, record?: Recorded): Recorded {
  const seen = record ?? { connections: 0, data: [] };
  const sockets = new Set<net.Socket>();
  const onSocket = (socket: net.Socket): void => {
    seen.connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => seen.data.push(chunk));
    socket.on('close', () => sockets.delete(socket));
  };
  // Plain servers report raw sockets; TLS servers report the decrypted socket on 'secureConnection' and
  // every TCP connection (handshake or not) on 'connection'.
  server.on('connection', (socket: net.Socket) => {
    if (server instanceof tls.Server) {
      seen.connections++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    } else {
      onSocket(socket);
    }
  });
  if (server instanceof tls.Server) {
    server.on('secureConnection', (socket: tls.TLSSocket) => {
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => seen.data.push(chunk));
    });
    server.on('tlsClientError', () => undefined);
  }
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) {
          s.destroy();
        }
        server.close(() => resolve());
      }),
  );
  return seen;
}

async function startSilentServer(host = '127.0.0.1'): Promise<{ port: number; seen: Recorded }> {
  const server = net.createServer();
  const seen = track(server);
  return { port: await listen(server, host), seen };
}

async function startHttpServer(host: string): Promise<{ port: number; requests: http.IncomingMessage[] }> {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    res.writeHead(301, { Server: 'test-server/1.0', Location: '/next', 'Content-Type': 'text/plain' });
    res.end('moved');
  });
  track(server);
  return { port: await listen(server, host), requests };
}

async function startBannerServer(greeting: Buffer | string): Promise<number> {
  const server = net.createServer((socket) => socket.write(greeting));
  track(server);
  return listen(server, '127.0.0.1');
}

/** A port with nothing listening: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server, '127.0.0.1');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A listener whose accept queue is full: a child process listens with backlog 1 and then blocks its event
 * loop, so it never accepts; fillers take the queue's places and further SYNs are dropped by the kernel.
 * A connect to it hangs until the client's timeout: a real connect timeout, on loopback.
 */
async function startUnacceptingListener(): Promise<number> {
  const script = [
    "const net = require('net'), fs = require('fs');",
    'const s = net.createServer();',
    "s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {",
    "  fs.writeSync(1, s.address().port + '\\n');",
    '  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);',
    '});',
  ].join('\n');
  const child: ChildProcess = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => {
    child.kill('SIGKILL');
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    child.once('exit', (code) => reject(new Error(`listener child exited with ${code}`)));
  });
  const fillers: net.Socket[] = [];
  cleanups.push(() => fillers.forEach((f) => f.destroy()));
  for (let i = 0; i < 10; i++) {
    const filler = net.connect(port, '127.0.0.1');
    filler.on('error', () => undefined);
    fillers.push(filler);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 300);
      filler.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) {
      return port;
    }
  }
  throw new Error('could not fill the accept queue of the test listener');
}

let tlsDir: string | undefined;
let tlsKey: Buffer | undefined;
let tlsCert: Buffer | undefined;

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** A fresh self-signed certificate for localhost, 127.0.0.1 and ::1, valid for 2 days. */
function makeCertificate(): void {
  tlsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-tls-'));
  const key = path.join(tlsDir, 'key.pem');
  const cert = path.join(tlsDir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
      '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1'],
    { stdio: 'ignore', timeout: 20_000 },
  );
  tlsKey = fs.readFileSync(key);
  tlsCert = fs.readFileSync(cert);
}

function assertOk(result: ConnectionResult): void {
  assert.equal(result.ok, true, `expected ok, got ${JSON.stringify(result)}`);
  assert.equal(result.failure, undefined);
}

// --- TCP

describe('probe: testConnection over TCP', () => {
  afterEach(runCleanups);

  it('identifies an HTTP server: status, Server header and redirect, with one HEAD request', async () => {
    const { port, requests } = await startHttpServer('127.0.0.1');
    const result = await testConnection({ host: 'localhost', port, timeoutMs: 2000 });
    assertOk(result);
    assert.equal(result.address, '127.0.0.1');
    assert.equal(result.family, 4);
    assert.equal(result.protocol, 'tcp');
    assert.ok(typeof result.dnsMs === 'number' && result.dnsMs >= 0);
    assert.ok(typeof result.connectMs === 'number' && result.totalMs >= result.connectMs);
    assert.equal(result.identified?.kind, 'http');
    assert.deepEqual(result.identified.http, {
      statusLine: 'HTTP/1.1 301 Moved Permanently',
      status: 301,
      server: 'test-server/1.0',
      location: '/next',
    });
    assert.equal(result.identified.tls, undefined);
    assert.equal(requests.length, 1);
    assert.equal(requests[0].method, 'HEAD');
    assert.equal(requests[0].headers.host, `localhost:${port}`);
    assert.equal(requests[0].headers.connection, 'close');
    assert.equal(
      formatConnectionResult(result),
      `TCP localhost:${port} is open (127.0.0.1, ${result.connectMs! < 1 ? '<1 ms' : `${result.connectMs} ms`}): HTTP 301 Moved Permanently → /next, server test-server/1.0`,
    );
    const lines = describeConnectionResult(result);
    assert.ok(lines.includes('  Server: test-server/1.0'), lines.join('\n'));
    assert.ok(lines.includes('  Location: /next'));
    assert.ok(lines.some((l) => /^Address: 127\.0\.0\.1 \(IPv4\), resolved in/.test(l)));
  });

  it('reaches an IPv6 server on ::1, with or without brackets, without a lookup', async () => {
    const { port, requests } = await startHttpServer('::1');
    for (const host of ['::1', '[::1]']) {
      const result = await testConnection({ host, port, timeoutMs: 2000 });
      assertOk(result);
      assert.equal(result.host, '::1');
      assert.equal(result.address, '::1');
      assert.equal(result.family, 6);
      assert.equal(result.dnsMs, undefined);
      assert.equal(result.identified?.http?.status, 301);
      assert.match(formatConnectionResult(result), new RegExp(`^TCP \\[::1\\]:${port} is open`));
    }
    assert.equal(requests[0].headers.host, `[::1]:${port}`);
  });

  it('reports a silent server as silent after one connection and one HEAD request', async () => {
    const { port, seen } = await startSilentServer();
    const result = await testConnection({ host: '127.0.0.1', port, timeoutMs: 600 });
    assertOk(result);
    assert.equal(result.identified?.kind, 'silent');
    assert.match(result.identified.summary, /sent no greeting and did not answer within 600 ms/);
    assert.equal(seen.connections, 1, 'no second connection (no TLS attempt on a silent server)');
    const sent = Buffer.concat(seen.data).toString('latin1');
    assert.equal(sent, buildHeadRequest('127.0.0.1', port, false));
    assert.match(sent, new RegExp(`^HEAD / HTTP/1\\.1\\r\\nHost: 127\\.0\\.0\\.1:${port}\\r\\n`));
  });

  it('only connects when identify is false', async () => {
    const { port, seen } = await startSilentServer();
    const result = await testConnection({ host: '127.0.0.1', port, identify: false });
    assertOk(result);
    assert.equal(result.identified, undefined);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(seen.connections, 1);
    assert.equal(seen.data.length, 0, 'nothing was sent');
    assert.ok(result.totalMs < 1000);
  });

  it('recognizes server-first banners without sending anything', async () => {
    const cases: [Buffer | string, RegExp, string][] = [
      ['SSH-2.0-OpenSSH_9.6\r\n', /^SSH server: OpenSSH_9\.6 \(protocol 2\.0\)$/, 'SSH-2.0-OpenSSH_9.6'],
      ['220 smtp ready\r\n', /^SMTP server: smtp ready$/, '220 smtp ready'],
      ['220 Service ready\r\n', /^SMTP or FTP server: Service ready$/, '220 Service ready'],
      ['220 mail.example ESMTP Postfix\r\n', /^SMTP server: mail\.example ESMTP Postfix$/, '220 mail.example ESMTP Postfix'],
      ['+OK Dovecot ready.\r\n', /^POP3 server: Dovecot ready\.$/, '+OK Dovecot ready.'],
      ['* OK [CAPABILITY IMAP4rev1] ready\r\n', /^IMAP server: OK \[CAPABILITY IMAP4rev1\] ready$/, '* OK [CAPABILITY IMAP4rev1] ready'],
      [mysqlGreeting('8.0.36'), /^MySQL server 8\.0\.36$/, '8.0.36'],
      ['welcome to the test service\u0007\u001b[31m v2\r\n', /^Sent a greeting: welcome to the test service\[31m v2$/, 'welcome to the test service[31m v2'],
    ];
    for (const [greeting, summary, banner] of cases) {
      const port = await startBannerServer(greeting);
      const result = await testConnection({ host: '127.0.0.1', port });
      assertOk(result);
      assert.equal(result.identified?.kind, 'banner', JSON.stringify(result));
      assert.match(result.identified.summary, summary);
      assert.equal(result.identified.banner, banner);
    }
  });

  it('sends nothing to a server that greets first', async () => {
    const server = net.createServer((socket) => socket.write('SSH-2.0-OpenSSH_9.6\r\n'));
    const seen = track(server);
    const port = await listen(server, '127.0.0.1');
    const result = await testConnection({ host: '127.0.0.1', port });
    assert.equal(result.identified?.kind, 'banner');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(seen.data.length, 0);
    assert.equal(seen.connections, 1);
  });

  it('notices a server that accepts and closes at once', async () => {
    const server = net.createServer((socket) => socket.end());
    track(server);
    const port = await listen(server, '127.0.0.1');
    const result = await testConnection({ host: '127.0.0.1', port });
    assertOk(result);
    assert.equal(result.identified?.kind, 'silent');
    assert.match(result.identified.summary, /closed it without sending anything/);
  });

  it('reports a closed port as refused', async () => {
    const port = await closedPort();
    const result = await testConnection({ host: '127.0.0.1', port });
    assert.equal(result.ok, false);
    assert.equal(result.failure?.kind, 'refused');
    assert.equal(result.failure.code, 'ECONNREFUSED');
    assert.equal(result.failure.message, `Nothing is listening on 127.0.0.1:${port} (connection refused).`);
    assert.equal(result.identified, undefined);
    assert.equal(formatConnectionResult(result), `TCP 127.0.0.1:${port} failed: Nothing is listening on 127.0.0.1:${port} (connection refused).`);
  });

  it('reports an unresolvable name as a DNS failure without connecting', async () => {
    const result = await testConnection({ host: 'no-such-host.invalid', port: 80 });
    assert.equal(result.ok, false);
    assert.equal(result.failure?.kind, 'dns');
    assert.match(result.failure.message, /no-such-host\.invalid does not resolve/);
    assert.equal(result.address, undefined);
    assert.equal(result.connectMs, undefined);
  });

  it('times out against a listener that never accepts', async () => {
    const port = await startUnacceptingListener();
    const result = await testConnection({ host: '127.0.0.1', port, timeoutMs: 300 });
    assert.equal(result.ok, false);
    assert.equal(result.failure?.kind, 'timeout', JSON.stringify(result));
    assert.match(result.failure.message, new RegExp(`127\\.0\\.0\\.1:${port} did not accept the connection within 300 ms`));
    assert.ok(result.totalMs >= 280 && result.totalMs < 3000, `totalMs ${result.totalMs}`);
  });

  it('is cancelled by an AbortSignal during the connect', async () => {
    const port = await startUnacceptingListener();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await testConnection({ host: '127.0.0.1', port, timeoutMs: 10_000, signal: controller.signal });
    assert.equal(result.ok, false);
    assert.equal(result.failure?.kind, 'cancelled');
    assert.ok(result.totalMs < 2000, `totalMs ${result.totalMs}`);
  });

  it('does not connect at all with an already aborted signal', async () => {
    const { port, seen } = await startSilentServer();
    const result = await testConnection({ host: '127.0.0.1', port, signal: AbortSignal.abort() });
    assert.equal(result.ok, false);
    assert.equal(result.failure?.kind, 'cancelled');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(seen.connections, 0);
  });

  it('keeps ok when cancelled during identification, and says so', async () => {
    const { port } = await startSilentServer();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const result = await testConnection({ host: '127.0.0.1', port, timeoutMs: 10_000, signal: controller.signal });
    assertOk(result);
    assert.equal(result.identified, undefined);
    assert.match(result.note ?? '', /Identification was cancelled\./);
    assert.ok(result.totalMs < 2000, `totalMs ${result.totalMs}`);
  });

  it('rejects invalid options with a one-line message, before any network use', async () => {
    const bad: [Parameters<typeof testConnection>[0], RegExp][] = [
      [{ host: 'bad host', port: 80 }, /cannot contain spaces/],
      [{ host: '', port: 80 }, /No host given/],
      [{ host: 'under_score', port: 80 }, /not a valid host name/],
      [{ host: '[::g]', port: 80 }, /not a valid IPv6 address/],
      [{ host: 'localhost', port: 0 }, /^0 is not a port/],
      [{ host: 'localhost', port: 70000 }, /^70000 is not a port/],
      [{ host: 'localhost', port: 80.5 }, /is not a port/],
      [{ host: 'localhost', port: 80, protocol: 'sctp' as 'tcp' }, /Unknown protocol "sctp"/],
      [{ host: 'localhost', port: 80, timeoutMs: 0 }, /timeout must be/],
      [{ host: 'localhost', port: 80, timeoutMs: NaN }, /timeout must be/],
    ];
    for (const [options, message] of bad) {
      await assert.rejects(testConnection(options), (error: Error) => {
        assert.match(error.message, message);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      });
    }
  });
});

function mysqlGreeting(version: string): Buffer {
  // Protocol 10 handshake: version 0x0a, NUL-terminated server version, connection id, auth data, …
  const payload = Buffer.concat([
    Buffer.from([0x0a]),
    Buffer.from(version + '\0', 'latin1'),
    Buffer.from([1, 0, 0, 0]),
    Buffer.from('abcdefgh\0', 'latin1'),
    Buffer.from([0xff, 0xf7, 0x21, 0x02, 0x00]),
  ]);
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = 0;
  return Buffer.concat([header, payload]);
}

// --- TLS

describe('probe: TLS and HTTPS', function () {
  afterEach(runCleanups);

  before(function () {
    if (!hasOpenssl()) {
      // Without the openssl CLI there is no way to make a certificate here; say so rather than pass.
      this.skip();
    }
    makeCertificate();
  });
  after(() => {
    if (tlsDir) {
      fs.rmSync(tlsDir, { recursive: true, force: true });
    }
  });

  it('describes a self-signed TLS server that does not speak HTTP, after plain HTTP got no answer', async () => {
    const server = tls.createServer({ key: tlsKey, cert: tlsCert });
    const seen = track(server);
    const port = await listen(server, '127.0.0.1');
    const result = await testConnection({ host: 'localhost', port, timeoutMs: 600 });
    assertOk(result);
    assert.equal(result.identified?.kind, 'tls', JSON.stringify(result));
    const t = result.identified.tls!;
    assert.match(t.protocol, /^TLSv1\.[23]$/);
    assert.equal(t.subject, 'localhost');
    assert.equal(t.issuer, 'localhost');
    assert.equal(t.selfSigned, true);
    assert.equal(t.authorized, false);
    assert.equal(t.authorizationError, 'the certificate is self-signed');
    const validTo = Date.parse(t.validTo);
    assert.ok(validTo > Date.now() + 24 * 3600_000 && validTo < Date.now() + 3 * 24 * 3600_000, t.validTo);
    assert.match(result.identified.summary, /^TLS server, no HTTP answer \(TLSv1\.\d, certificate for localhost, self-signed, expires \d{4}-\d\d-\d\d\)$/);
    assert.equal(seen.connections, 2, 'one plain connection, one TLS connection');
    assert.match(Buffer.concat(seen.data).toString('latin1'), /^HEAD \/ HTTP\/1\.1\r\nHost: localhost:\d+\r\n/, 'HEAD went over TLS');
    const lines = describeConnectionResult(result);
    assert.ok(lines.includes('  Trusted: no, the certificate is self-signed'), lines.join('\n'));
    assert.ok(lines.includes('  Certificate issuer: localhost (self-signed)'));
  });

  it('identifies an HTTPS server: TLS details plus status and Server header', async () => {
    const server = https.createServer({ key: tlsKey, cert: tlsCert }, (_req, res) => {
      res.writeHead(200, { Server: 'secure-test' });
      res.end();
    });
    track(server);
    const port = await listen(server, '::1');
    const result = await testConnection({ host: '::1', port, timeoutMs: 2000 });
    assertOk(result);
    assert.equal(result.family, 6);
    assert.equal(result.identified?.kind, 'http', JSON.stringify(result));
    assert.equal(result.identified.http?.status, 200);
    assert.equal(result.identified.http?.server, 'secure-test');
    assert.equal(result.identified.tls?.selfSigned, true);
    assert.equal(result.identified.tls?.subject, 'localhost');
    assert.match(result.identified.summary, /^HTTPS 200 OK, server secure-test; TLSv1\.\d, certificate for localhost, self-signed/);
  });

  it('goes straight to TLS on a port where TLS is expected (no greeting wait)', async function () {
    const server = https.createServer({ key: tlsKey, cert: tlsCert }, (_req, res) => {
      res.writeHead(204, { Server: 'tls-first' });
      res.end();
    });
    const seen = track(server);
    let port: number | undefined;
    for (const candidate of [9443, 4443, 8443]) {
      try {
        port = await listen(server, '127.0.0.1', candidate);
        break;
      } catch {
        // In use by something else on this machine: try the next one.
      }
    }
    if (port === undefined) {
      this.skip();
    }
    assert.ok(isTlsFirstPort(port));
    const result = await testConnection({ host: '127.0.0.1', port, timeoutMs: 2000 });
    assertOk(result);
    assert.equal(result.identified?.kind, 'http', JSON.stringify(result));
    assert.equal(result.identified.http?.status, 204);
    assert.equal(result.identified.tls?.authorized, false);
    assert.equal(seen.connections, 2);
    // The plain connection carried nothing: the TLS server saw exactly one request, over TLS.
    assert.equal(Buffer.concat(seen.data).toString('latin1').match(/HEAD \//g)?.length, 1);
  });
});

// --- Redis: the one port that gets PING instead of HEAD

describe('probe: Redis-compatible server on 6379', () => {
  afterEach(runCleanups);

  it('sends PING, not HTTP, and names the server', async function () {
    const server = net.createServer((socket) => {
      socket.on('data', (d: Buffer) => {
        if (d.toString('latin1') === 'PING\r\n') {
          socket.write('+PONG\r\n');
        }
      });
    });
    const seen = track(server);
    try {
      await listen(server, '127.0.0.1', 6379);
    } catch {
      this.skip();
    }
    const result = await testConnection({ host: '127.0.0.1', port: 6379, timeoutMs: 1000 });
    assertOk(result);
    assert.equal(result.identified?.summary, 'Redis-compatible server (answered PING)');
    assert.equal(Buffer.concat(seen.data).toString('latin1'), 'PING\r\n');
  });
});

// --- UDP

/** A tiny DNS responder: answers queries for localhost with one A record, after a stray wrong-id reply. */
async function startDnsResponder(port = 0): Promise<{ port: number; queries: Buffer[] }> {
  const socket = dgram.createSocket('udp4');
  const queries: Buffer[] = [];
  socket.on('message', (query, remote) => {
    queries.push(query);
    const stray = Buffer.from(query);
    stray.writeUInt16BE((query.readUInt16BE(0) + 1) & 0xffff, 0);
    stray.writeUInt16BE(0x8180, 2);
    socket.send(stray, remote.port, remote.address);
    const answer = Buffer.concat([
      query.subarray(0, 12),
      query.subarray(12),
      Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1]),
    ]);
    answer.writeUInt16BE(0x8580, 2); // response, authoritative, RD, RA
    answer.writeUInt16BE(1, 6); // ANCOUNT
    socket.send(answer, remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => resolve());
  });
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { port: socket.address().port, queries };
}

describe('probe: UDP', () => {
  afterEach(runCleanups);

  it('gets an answer from a DNS responder and checks the response id', async () => {
    const { port, queries } = await startDnsResponder();
    const outcome = await probeDns('127.0.0.1', 4, port, 1000);
    assert.equal(outcome.answered, true);
    assert.ok(outcome.answered);
    assert.deepEqual(outcome.details, { rcode: 0, rcodeName: 'NOERROR', answers: 1 });
    assert.equal(queries.length, 1, 'exactly one query');
    const q = queries[0];
    assert.equal(q.readUInt16BE(4), 1, 'one question');
    assert.equal(q.subarray(12, 23).toString('latin1'), '\u0009localhost\u0000');
  });

  it('testConnection on UDP port 53 reports the DNS answer', async function () {
    let responder: { port: number; queries: Buffer[] };
    try {
      responder = await startDnsResponder(53);
    } catch {
      // Port 53 needs privileges or is taken by a local resolver here; the probe itself is tested above.
      this.skip();
    }
    const result = await testConnection({ host: '127.0.0.1', port: 53, protocol: 'udp', timeoutMs: 1000 });
    assertOk(result);
    assert.equal(result.protocol, 'udp');
    assert.equal(result.identified?.kind, 'dns');
    assert.equal(result.identified.summary, 'DNS server answered: NOERROR, 1 answer');
    assert.equal(responder.queries.length, 1);
    assert.match(formatConnectionResult(result), /^UDP 127\.0\.0\.1:53 answered \(.*\): DNS server answered: NOERROR, 1 answer$/);
  });

  it('reports UDP port 53 with nothing bound as refused (ICMP port unreachable)', async function () {
    const probe = dgram.createSocket('udp4');
    const free = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(false));
      probe.bind(53, '127.0.0.1', () => resolve(true));
    });
    await new Promise<void>((resolve) => (free ? probe.close(() => resolve()) : resolve()));
    if (!free) {
      this.skip();
    }
    const result = await testConnection({ host: '127.0.0.1', port: 53, protocol: 'udp', timeoutMs: 1000 });
    assert.equal(result.ok, false);
    assert.equal(result.failure?.kind, 'refused');
    assert.match(result.failure.message, /Nothing is listening on UDP 127\.0\.0\.1:53/);
  });

  it('says "cannot tell" for a DNS port that stays silent', async () => {
    const socket = dgram.createSocket('udp4');
    let received = 0;
    socket.on('message', () => received++);
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    const outcome = await probeDns('127.0.0.1', 4, socket.address().port, 300);
    assert.deepEqual(outcome, { answered: false });
    assert.equal(received, 1);
  });

  it('sends nothing to other UDP ports and reports ok undefined with a plain note', async () => {
    const socket = dgram.createSocket('udp4');
    let received = 0;
    socket.on('message', () => received++);
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    const port = socket.address().port;
    const result = await testConnection({ host: 'localhost', port, protocol: 'udp' });
    assert.equal(result.ok, undefined);
    assert.equal(result.failure, undefined);
    assert.match(result.note ?? '', /UDP has no handshake.*Nothing was sent/);
    assert.equal(result.address, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(received, 0);
    assert.match(formatConnectionResult(result), new RegExp(`^UDP localhost:${port}: cannot tell whether it is open\\. UDP has no handshake`));
    assert.ok(describeConnectionResult(result).includes('Result: cannot tell'));
  });
});

// --- pure pieces

describe('probe: parsers and classification', () => {
  it('recognizes banners from bytes', () => {
    assert.equal(recognizeBanner(Buffer.from('220 ProFTPD Server ready.\r\n'), 2121).summary, 'FTP server: ProFTPD Server ready.');
    assert.equal(recognizeBanner(Buffer.from('220 ready\r\n'), 25).summary, 'SMTP server: ready');
    assert.equal(recognizeBanner(Buffer.from('RFB 003.008\n'), 5900).summary, 'VNC server (RFB 003.008)');
    assert.equal(recognizeBanner(mysqlGreeting('5.5.5-10.11.6-MariaDB-0+deb12u1'), 3306).summary, 'MariaDB server 10.11.6');
    assert.equal(recognizeBanner(Buffer.from([0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20]), 23).summary, 'Telnet server (sent option negotiation)');
    const binary = recognizeBanner(Buffer.from([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11]), 9999);
    assert.equal(binary.summary, 'Sent 18 bytes of binary data first (not a text greeting)');
    assert.equal(binary.banner, '00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f …');
    const errorPacket = Buffer.concat([Buffer.from([0x20, 0, 0, 0, 0xff, 0x6a, 0x04]), Buffer.from("Host '1.2.3.4' is not allowed", 'latin1')]);
    errorPacket.writeUIntLE(errorPacket.length - 4, 0, 3);
    assert.equal(recognizeBanner(errorPacket, 3306).summary, "MySQL-compatible server that refused this client: Host '1.2.3.4' is not allowed");
    const long = recognizeBanner(Buffer.from('x'.repeat(500) + '\n'), 1);
    assert.ok(long.banner.length <= 200);
  });

  it('parses an HTTP response head and ignores anything else', () => {
    const head = Buffer.from('HTTP/1.0 404 Not Found\r\nserver:  nginx/1.25\u0007 \r\nLocation: /x\r\n\r\nbody');
    assert.deepEqual(parseHttpHead(head), { statusLine: 'HTTP/1.0 404 Not Found', status: 404, server: 'nginx/1.25', location: '/x' });
    assert.deepEqual(parseHttpHead(Buffer.from('HTTP/2 200\r\n\r\n')), { statusLine: 'HTTP/2 200', status: 200 });
    assert.equal(parseHttpHead(Buffer.from('SSH-2.0-x\r\n')), undefined);
    assert.equal(parseHttpHead(Buffer.from('HTTP/1.1 abc\r\n')), undefined);
    assert.equal(looksLikeTlsRecord(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46])), true);
    assert.equal(looksLikeTlsRecord(Buffer.from('HTTP/1.1')), false);
  });

  it('builds a Host header that servers accept', () => {
    assert.match(buildHeadRequest('example.com', 443, true), /\r\nHost: example\.com\r\n/);
    assert.match(buildHeadRequest('example.com', 80, false), /\r\nHost: example\.com\r\n/);
    assert.match(buildHeadRequest('fe80::1%eth0', 8080, false), /\r\nHost: \[fe80::1\]:8080\r\n/);
    assert.ok(buildHeadRequest('a', 1, false).endsWith('\r\n\r\n'));
  });

  it('builds a DNS query by hand and matches responses by id', () => {
    const q = buildDnsQuery(0xbeef);
    assert.equal(q.toString('hex'), 'beef01000001000000000000' + '096c6f63616c686f737400' + '00010001');
    const response = Buffer.from(q);
    response.writeUInt16BE(0x8183, 2); // response, RD, RA, NXDOMAIN
    assert.deepEqual(parseDnsResponse(response, 0xbeef), { rcode: 3, rcodeName: 'NXDOMAIN', answers: 0 });
    assert.equal(parseDnsResponse(response, 0xbeee), undefined, 'wrong id');
    assert.equal(parseDnsResponse(q, 0xbeef), undefined, 'a query is not a response');
    assert.equal(parseDnsResponse(Buffer.alloc(5), 0), undefined, 'too short');
  });

  it('classifies system errors into kinds with plain messages', () => {
    const context = { host: 'example.test', target: '10.0.0.1:80' };
    const cases: [string, string][] = [
      ['ECONNREFUSED', 'refused'],
      ['ETIMEDOUT', 'timeout'],
      ['EHOSTUNREACH', 'unreachable'],
      ['ENETUNREACH', 'unreachable'],
      ['ENOTFOUND', 'dns'],
      ['EAI_AGAIN', 'dns'],
      ['ECONNRESET', 'reset'],
      ['EPIPE', 'reset'],
      ['EADDRNOTAVAIL', 'invalid'],
      ['EWHATEVER', 'other'],
    ];
    for (const [code, kind] of cases) {
      const error = Object.assign(new Error(`${code} something\nsecond line`), { code });
      const failure = classifyError(error, context);
      assert.equal(failure.kind, kind, code);
      assert.equal(failure.code, code);
      assert.doesNotMatch(failure.message, /\n/);
    }
    assert.equal(classifyError(Object.assign(new Error('x'), { name: 'AbortError' }), context).kind, 'cancelled');
    assert.equal(classifyError(undefined, context).kind, 'other');
  });

  it('knows which ports expect TLS first', () => {
    assert.equal(isTlsFirstPort(443), true);
    assert.equal(isTlsFirstPort(8443), true);
    assert.equal(isTlsFirstPort(80), false);
    assert.equal(isTlsFirstPort(3000), false);
  });
});
