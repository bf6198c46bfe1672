// A real process that listens on the sockets named in argv[2] (JSON) and reports the bound ports on stdout
// as one JSON line. Used by tests as the "truth" a scan must find. Options in the same JSON:
//  - ignoreTerm: keep running on SIGTERM (only SIGKILL stops it).
//  - title: a process title, to test how untrusted process text is shown.
import * as dgram from 'node:dgram';
import * as net from 'node:net';

export interface ChildSpec {
  sockets: Array<{ protocol: 'tcp' | 'udp'; host: string; port?: number; ipv6Only?: boolean; reusePort?: boolean }>;
  ignoreTerm?: boolean;
  /** A process title (Linux: sets both comm, cut to 15 bytes, and the command line): for hostile-text tests. */
  title?: string;
}

async function listen(spec: ChildSpec['sockets'][number]): Promise<number> {
  if (spec.protocol === 'tcp') {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: spec.host, port: spec.port ?? 0, ipv6Only: spec.ipv6Only, reusePort: spec.reusePort }, resolve);
    });
    return (server.address() as net.AddressInfo).port;
  }
  const type = spec.host.includes(':') ? 'udp6' : 'udp4';
  const socket = dgram.createSocket({ type, ipv6Only: spec.ipv6Only, reuseAddr: spec.reusePort });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(spec.port ?? 0, spec.host, resolve);
  });
  return socket.address().port;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{"sockets":[]}') as ChildSpec;
  if (spec.title !== undefined) {
    process.title = spec.title;
  }
  if (spec.ignoreTerm) {
    process.on('SIGTERM', () => undefined);
  }
  const ports: number[] = [];
  for (const s of spec.sockets) {
    ports.push(await listen(s));
  }
  process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid, ports })}\n`);
  // Stay alive until killed; exit if the parent test process goes away.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

main().catch((err: Error) => {
  process.stdout.write(`${JSON.stringify({ ready: false, error: err.message })}\n`);
  process.exit(1);
});
