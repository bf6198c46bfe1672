// The two short forms every surface writes a socket in. Results are NOT escaped: hosts and ports come
// from the kernel or from validated input, and each surface escapes for its medium anyway.
import type { Protocol } from './types';

/** `host:port`, with brackets around an IPv6 address (`[::1]:8080`), as URLs and most tools write it. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `3000/tcp`; `3000` when no protocol is given (a question about both). */
export function portLabel(socket: { port: number; protocol?: Protocol | string }): string {
  return socket.protocol ? `${socket.port}/${socket.protocol}` : String(socket.port);
}
