// A real process whose name and command line are not valid UTF-8 and carry escape sequences and a
// right-to-left override: the scanner reads them as the kernel has them (bad bytes become U+FFFD, as any
// UTF-8 decoder does), `ss` agrees on the pid, and every display function a surface uses turns them into
// inert, bounded text. The CLI is run as a real process.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { LinuxScanner } from '../../src/inspector/linux/linuxScanner';
import type { ListeningSocket } from '../../src/core/types';
import { buildPortHover } from '../../src/model/hoverContent';
import { findPorts } from '../../src/model/portFinder';
import { ownerSummary } from '../../src/model/describeSocket';
import { DISPLAY_MAX, htmlText, markdownText, plainText } from '../../src/core/displayText';
import { dashboardRow } from '../../src/webview/dashboardData';
import type { ListenerProcess } from '../support/listeners';
import { assertInertHover } from '../support/markdownInert';
import { repoRoot } from '../support/paths';
import { hasPython, startRawBytesListener } from '../support/rawBytesListener';
import { ssListening } from '../support/ss';

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');
/** The WHATWG decoder, independent of Buffer#toString: the oracle for what the kernel's bytes read as. */
const decode = (b: Buffer): string => new TextDecoder('utf-8', { fatal: false }).decode(b);

// 0xff never occurs in UTF-8; C3 28 is a cut two-byte sequence; ED A0 80 encodes a lone surrogate.
const ARGV0 = bytes('ev\xffil\xc3\x28<img src=x onerror=alert(1)>');
const ARG_ANSI = bytes('\x1b[31mred\x1b[0m\x07');
const ARG_BIDI = bytes('\xed\xa0\x80\xe2\x80\xaeexe.txt');
const ARG_LONG = Buffer.alloc(60_000, 0xfe); // one of two long ones: > 100 kB in all
const COMM = bytes('n\xffme\x1b[2J'); // the kernel keeps 15 bytes of a name
/** C0/C1 controls and bidi overrides/isolates: what must never reach a screen. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

(process.platform === 'linux' && hasPython() ? describe : describe.skip)('raw bytes in process names and command lines', function () {
  this.timeout(30_000);
  let listener: ListenerProcess;
  let socket: ListeningSocket;

  before(async () => {
    listener = await startRawBytesListener([ARGV0, ARG_ANSI, ARG_BIDI, ARG_LONG, ARG_LONG], COMM);
    const found = new LinuxScanner().scan().sockets.find((s) => s.port === listener.ports[0] && s.protocol === 'tcp');
    assert.ok(found, 'the raw-bytes listener was not found');
    socket = found;
  });

  after(() => listener?.close());

  it('reads the name and command line as the kernel has them, invalid bytes as U+FFFD', () => {
    assert.equal(socket.owners.length, 1);
    const [owner] = socket.owners;
    assert.equal(owner.pid, listener.pid);
    assert.equal(owner.name, decode(COMM));
    assert.equal(owner.name, 'n\ufffdme\x1b[2J');
    const head = [ARGV0, bytes('-c')].map(decode).join(' ');
    assert.ok(owner.command.startsWith(`${head} `), owner.command.slice(0, 80));
    assert.ok(owner.command.includes(` ${decode(ARG_ANSI)} ${decode(ARG_BIDI)} `));
    assert.ok(owner.command.includes('\ufffd'.repeat(1000)), 'the long invalid arguments are kept as replacement characters');
    assert.ok(!/[\ud800-\udfff]/.test(owner.command.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')), 'no lone surrogate');
    // `ss` is the truth for who holds the port.
    const truth = ssListening().find((s) => s.protocol === 'tcp' && s.port === listener.ports[0]);
    assert.deepEqual(truth?.pids, [listener.pid]);
  });

  it('shows them as inert, bounded text in plain text, Markdown, HTML, dashboard rows and hovers', () => {
    const [owner] = socket.owners;
    for (const text of [owner.name, owner.command, ownerSummary(socket)]) {
      const plain = plainText(text);
      assert.ok(!UNSAFE.test(plain), JSON.stringify(plain.slice(0, 80)));
      assert.ok(plain.length <= DISPLAY_MAX);
      const md = markdownText(text);
      assert.ok(!UNSAFE.test(md));
      assertInertHover(md);
      const html = htmlText(text);
      assert.ok(!UNSAFE.test(html) && !html.includes('<img'));
    }
    const row = dashboardRow(socket, { self: { uid: 0 } });
    for (const field of [row.process, row.command]) {
      assert.ok(!UNSAFE.test(field), JSON.stringify(field.slice(0, 80)));
      assert.ok(field.length <= 2000);
    }
    assert.equal(row.process, 'n\ufffdme?[2J');

    const [mention] = findPorts(`PORT=${socket.port}\n`, 'env');
    const hover = buildPortHover({ mention, snapshot: { sockets: [socket], takenAt: Date.now() }, now: Date.now() });
    assert.ok(!UNSAFE.test(hover.markdown.replace(/\n/g, '')), 'control characters in the hover');
    assertInertHover(hover.markdown);
    assert.ok(hover.markdown.length < 10_000, `hover of ${hover.markdown.length} characters`);
  });

  it('prints them inert from the CLI, as valid UTF-8, and keeps them exact in --json', () => {
    const cli = path.join(repoRoot(), 'bin', 'port-inspector.js');
    const out = execFileSync(process.execPath, [cli, 'who', String(listener.ports[0])]);
    const text = out.toString('utf8');
    assert.ok(Buffer.from(text, 'utf8').equals(out), 'the CLI wrote invalid UTF-8');
    assert.ok(!UNSAFE.test(text.replace(/\n/g, '')), JSON.stringify(text.slice(0, 200)));
    assert.match(text, new RegExp(`n\ufffdme\\?\\[2J \\(pid ${listener.pid}`));
    assert.ok(text.length < 2000, `${text.length} characters for one socket`);

    const json = JSON.parse(execFileSync(process.execPath, [cli, 'list', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 })) as {
      sockets: ListeningSocket[];
    };
    const mine = json.sockets.find((s) => s.port === listener.ports[0] && s.protocol === 'tcp');
    assert.equal(mine?.owners[0]?.name, decode(COMM), 'JSON carries the data, escaped by JSON itself');
  });
});
