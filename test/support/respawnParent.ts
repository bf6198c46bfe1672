// A supervisor that restarts its listener child whenever it exits, like nodemon or a naive `npm run dev`
// wrapper: stopping the child alone does not free the port. Prints {"parent", "child", "port"} each time
// a child is ready; argv[2] is the port to use (0: choose one, then keep it).
//
// The next child is started ahead of time and waits, so a restart is a message and a bind, not a Node
// start-up: on a busy machine a cold start can take longer than Free Port's "stayed free" settle time,
// and the test would then see a free port instead of the respawn it is about.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as readline from 'node:readline';

let port = Number(process.argv[2] ?? 0);

// Waits for a port number on stdin, listens on it, and reports {"ready", "ports"}; exits when stdin ends.
const STANDBY = `
const net = require('node:net');
const rl = require('node:readline').createInterface({ input: process.stdin });
rl.once('line', (line) => {
  const server = net.createServer((s) => s.end());
  server.once('error', (err) => { process.stdout.write(JSON.stringify({ ready: false, error: err.message }) + '\\n'); process.exit(1); });
  server.listen({ host: '127.0.0.1', port: Number(line) }, () => {
    process.stdout.write(JSON.stringify({ ready: true, ports: [server.address().port] }) + '\\n');
  });
});
process.stdin.on('end', () => process.exit(0));
`;

const startStandby = (): ChildProcess => spawn(process.execPath, ['-e', STANDBY], { stdio: ['pipe', 'pipe', 'inherit'] });

let standby = startStandby();

function promote(): void {
  const child = standby;
  standby = startStandby();
  readline.createInterface({ input: child.stdout! }).once('line', (line) => {
    const msg = JSON.parse(line) as { ready: boolean; ports: number[] };
    if (msg.ready) {
      port = msg.ports[0];
      process.stdout.write(`${JSON.stringify({ parent: process.pid, child: child.pid, port })}\n`);
    }
  });
  child.once('exit', promote);
  child.stdin!.write(`${port}\n`);
}

promote();
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
