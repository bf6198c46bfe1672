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

/** `3 h 12 min`, `45 s`, `2 d 4 h`: a duration for people; `unknown` for undefined. The CLI, the quick
 *  picks, the tooltips and the dashboard's webview all say durations with it. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) {
    return 'unknown';
  }
  const s = Math.floor(ms / 1000);
  if (s < 60) {
    return `${s} s`;
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return `${m} min`;
  }
  const h = Math.floor(m / 60);
  if (h < 48) {
    return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
  }
  return `${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ''}`;
}
