// A node cluster whose two workers share one listening socket. Run with NODE_CLUSTER_SCHED_POLICY=none so
// the primary hands the listening fd to each worker over IPC (the pattern of pm2 and many servers).
// Prints {"port", "workers": [pids]} once both listen; exits when stdin closes.
import * as cluster from 'node:cluster';
import * as net from 'node:net';

const c = cluster.default ?? cluster;
if (c.isPrimary) {
  const workers = [c.fork(), c.fork()];
  let listening = 0;
  c.on('listening', (_w, address) => {
    if (++listening === workers.length) {
      process.stdout.write(`${JSON.stringify({ port: address.port, workers: workers.map((w) => w.process.pid) })}\n`);
    }
  });
  process.stdin.on('end', () => {
    for (const w of workers) {
      w.process.kill('SIGKILL');
    }
    process.exit(0);
  });
  process.stdin.resume();
} else {
  net.createServer().listen(0, '127.0.0.1');
}
