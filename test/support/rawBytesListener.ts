// A listener whose process name and command line are arbitrary BYTES (invalid UTF-8, escape sequences),
// which Node cannot produce (its argv and process.title are strings, written as UTF-8). Python can:
// stage one re-executes the interpreter with a bytes argv, stage two writes the name to /proc/self/comm,
// opens one TCP socket on 127.0.0.1 and answers with listenerChild's ready line. Linux only; needs python3.
import { spawnSync } from 'node:child_process';
import type { ListenerProcess } from './listeners';
import { startListener } from './listeners';

const STAGE_TWO = `
import json, os, socket, sys
with open('/proc/self/comm', 'wb') as f:
    f.write(bytes.fromhex(os.environ['PI_COMM_HEX']))
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(('127.0.0.1', int(os.environ.get('PI_PORT', '0'))))
s.listen(8)
print(json.dumps({'ready': True, 'pid': os.getpid(), 'ports': [s.getsockname()[1]]}), flush=True)
sys.stdin.read()
`;

// argv[0] and the arguments arrive hex-encoded: no byte of them passes through a string on the way.
const STAGE_ONE = `
import os, sys
argv = [bytes.fromhex(h) for h in sys.argv[1:]]
os.execve(sys.executable, [argv[0], b'-c', b"exec(__import__('os').environ['PI_STAGE_TWO'])"] + argv[1:], os.environ)
`;

export function hasPython(): boolean {
  return spawnSync('python3', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Starts the listener with `argv` (argv[0] first; its command line is argv[0], `-c`, a short stub, then
 *  argv[1..]) and `comm` (the kernel keeps at most 15 bytes), on `port` (default: any free one). */
export function startRawBytesListener(argv: Buffer[], comm: Buffer, port = 0): Promise<ListenerProcess> {
  return startListener(
    { sockets: [] },
    {
      command: { file: 'python3', args: ['-c', STAGE_ONE, ...argv.map((a) => a.toString('hex'))] },
      env: { ...process.env, PI_STAGE_TWO: STAGE_TWO, PI_COMM_HEX: comm.toString('hex'), PI_PORT: String(port) },
    },
  );
}
