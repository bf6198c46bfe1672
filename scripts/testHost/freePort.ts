// A free loopback TCP port, chosen by the kernel. Another process may take it before we use it; the
// caller retries when the server then fails to start.
import * as net from 'node:net';

/** Resolves with a port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
