// A supervisor that restarts its listener child whenever it exits, like nodemon or a naive `npm run dev`
// wrapper: stopping the child alone does not free the port. Prints {"parent", "child", "port"} each time
// a child is ready; argv[2] is the port to use (0: choose one, then keep it).
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';

let port = Number(process.argv[2] ?? 0);

function start(): void {
  const spec = JSON.stringify({ sockets: [{ protocol: 'tcp', host: '127.0.0.1', port }] });
  const child = spawn(process.execPath, [path.join(__dirname, 'listenerChild.js'), spec], { stdio: ['pipe', 'pipe', 'inherit'] });
  readline.createInterface({ input: child.stdout! }).once('line', (line) => {
    const msg = JSON.parse(line) as { ready: boolean; ports: number[] };
    if (msg.ready) {
      port = msg.ports[0];
      process.stdout.write(`${JSON.stringify({ parent: process.pid, child: child.pid, port })}\n`);
    }
  });
  child.once('exit', () => setTimeout(start, 50));
}

start();
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
