// Holds N established loopback TCP connections (a server and its clients in one process), or M open
// files, then reports ready. Used by the stress suite to make /proc/net/tcp and the fd walk heavy.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as { connections?: number; files?: number };
  const keep: unknown[] = [];
  if (spec.connections) {
    const server = net.createServer((s) => keep.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    for (let i = 0; i < spec.connections; i++) {
      keep.push(await new Promise<net.Socket>((resolve, reject) => {
        const c = net.connect(port, '127.0.0.1', () => resolve(c));
        c.once('error', reject);
      }));
    }
  }
  for (let i = 0; i < (spec.files ?? 0); i++) {
    keep.push(fs.openSync(path.join(os.tmpdir()), 'r'));
  }
  process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid, ports: [] })}\n`);
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

main().catch((err: Error) => {
  process.stdout.write(`${JSON.stringify({ ready: false, error: err.message })}\n`);
  process.exit(1);
});
