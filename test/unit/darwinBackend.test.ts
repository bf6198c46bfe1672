import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { run } from '../../src/inspector/exec';
import type { RunOptions, RunResult } from '../../src/inspector/exec';
import { DarwinBackend, LSOF_ARGS, PS_ARGS } from '../../src/inspector/darwin/darwinBackend';
import { normaliseHost, parseLsofEndpoint, parseNetstatEndpoint } from '../../src/inspector/darwin/endpoint';
import { listenersFromLsof, parseLsofFields } from '../../src/inspector/darwin/lsofParser';
import { socketsLsofMissed, withoutRepeats } from '../../src/inspector/darwin/mergeSockets';
import { listenersFromNetstat, parseDarwinNetstat, summaryFromNetstat } from '../../src/inspector/darwin/netstatParser';
import { completeProcessName, isCutName, programName } from '../../src/inspector/darwin/processName';
import { parseLstart, parsePsProcesses } from '../../src/inspector/darwin/psParser';
import { decodeLsofText, decodeVisText } from '../../src/inspector/darwin/textEscapes';
import { InspectorError } from '../../src/core/types';
import type { ListeningSocket } from '../../src/core/types';
import { readFixture } from '../support/paths';

const fx = (name: string): string => readFixture('darwin', name);

/** Compact view of a socket for whole-list comparisons. */
const brief = (s: ListeningSocket): string =>
  `${s.protocol}${s.family} ${s.address} ${s.port} ${s.state} [${s.owners.map((o) => o.pid).join(',')}]${s.ownerVisible ? '' : ' hidden'}`;

interface Call {
  file: string;
  args: readonly string[];
  options?: RunOptions;
}

type Reply = RunResult | InspectorError;

/** A runner answering from fixtures by program and first distinguishing argument, recording calls. */
function fakeRunner(replies: (call: Call) => Reply): { calls: Call[]; runner: (f: string, a: readonly string[], o?: RunOptions) => Promise<RunResult> } {
  const calls: Call[] = [];
  return {
    calls,
    runner: async (file, args, options) => {
      calls.push({ file, args, options });
      const reply = replies({ file, args, options });
      if (reply instanceof InspectorError) {
        throw reply;
      }
      return reply;
    },
  };
}

const ok = (stdout: string, exitCode = 0, stderr = ''): RunResult => ({ stdout, stderr, exitCode });
const missing = (file: string): InspectorError =>
  new InspectorError(`'${file}' is not installed or not on the PATH.`, 'TOOL_MISSING', 'spawn ENOENT');

function machine(layout: 'macos26' | 'macos15', overrides: Partial<Record<'lsof' | 'netstat' | 'ps', (c: Call) => Reply>> = {}) {
  return fakeRunner((call) => {
    const name = call.file.replace(/^.*\//, '') as 'lsof' | 'netstat' | 'ps';
    const override = overrides[name];
    if (override) {
      return override(call);
    }
    switch (name) {
      case 'lsof':
        return ok(fx('lsof-listeners.txt'));
      case 'netstat':
        return ok(fx(`netstat-${call.args[2]}-${layout}.txt`));
      case 'ps':
        return ok(fx('ps-owners.txt'));
      default:
        throw new Error(`unexpected program ${call.file}`);
    }
  });
}

const LSOF_LISTENERS = [
  'tcp4 0.0.0.0 5000 LISTEN [733]',
  'tcp6 :: 5000 LISTEN [733]',
  'udp4 0.0.0.0 5353 UNCONN [888]',
  'udp6 :: 5353 UNCONN [888]',
  'udp6 fe80::1%lo0 5353 UNCONN [905]',
  'udp6 fe80::aede:48ff:fe00:1122%4 5353 UNCONN [905]',
  'tcp4 127.0.0.1 5432 LISTEN [640]',
  'tcp6 ::1 5432 LISTEN [640]',
  'tcp6 :: 3000 LISTEN [512,513]',
  'tcp4 0.0.0.0 7000 LISTEN [733]',
  'tcp6 :: 7000 LISTEN [733]',
  'tcp4 0.0.0.0 8000 LISTEN [1200]',
  'tcp4 127.0.0.1 8080 LISTEN [1001]',
  'tcp4 127.0.0.1 9229 LISTEN [512]',
  'tcp6 :: 49152 LISTEN [802]',
  'tcp4 127.0.0.1 61234 LISTEN [701]',
];

const byPortThenText = (a: string, b: string): number =>
  Number(a.split(' ')[2]) - Number(b.split(' ')[2]) || a.localeCompare(b);

describe('darwin: addresses', () => {
  it('reads lsof names of every shape', () => {
    assert.deepEqual(parseLsofEndpoint('*:3000', 4), { family: 4, address: '0.0.0.0', port: 3000 });
    assert.deepEqual(parseLsofEndpoint('*:3000', 6), { family: 6, address: '::', port: 3000 });
    assert.deepEqual(parseLsofEndpoint('127.0.0.1:5432', 4), { family: 4, address: '127.0.0.1', port: 5432 });
    assert.deepEqual(parseLsofEndpoint('[::1]:8080', 6), { family: 6, address: '::1', port: 8080 });
    assert.deepEqual(parseLsofEndpoint('[fe80::1%lo0]:5353', 6), { family: 6, address: 'fe80::1%lo0', port: 5353 });
    assert.deepEqual(parseLsofEndpoint('[::ffff:127.0.0.1]:8081', 6), { family: 4, address: '127.0.0.1', port: 8081 });
    assert.deepEqual(parseLsofEndpoint('127.0.0.1:8080', 6), { family: 4, address: '127.0.0.1', port: 8080 });
    assert.equal(parseLsofEndpoint('*:*', 4), undefined);
    assert.equal(parseLsofEndpoint('10.0.0.2:5000->10.0.0.3:443', 4), undefined);
    assert.equal(parseLsofEndpoint('localhost:3000', 4), undefined);
    assert.equal(parseLsofEndpoint('*:70000', 4), undefined);
    assert.equal(parseLsofEndpoint('', 4), undefined);
  });

  it('moves a KAME-embedded link-local scope into a zone', () => {
    assert.deepEqual(normaliseHost('[fe80:4::aede:48ff:fe00:1122]', 6), { family: 6, address: 'fe80::aede:48ff:fe00:1122%4' });
    assert.deepEqual(normaliseHost('fe80:b:0:0:1:2:3:4', 6), { family: 6, address: 'fe80::1:2:3:4%11' });
    assert.deepEqual(normaliseHost('FE80::1', 6), { family: 6, address: 'fe80::1' });
    assert.equal(normaliseHost('fe80::1%bad zone', 6), undefined);
    assert.equal(normaliseHost('not-an-ip', 6), undefined);
  });

  it('reads netstat host.port columns', () => {
    assert.deepEqual(parseNetstatEndpoint('127.0.0.1.5432', 4), { family: 4, address: '127.0.0.1', port: 5432 });
    assert.deepEqual(parseNetstatEndpoint('*.3000', 6), { family: 6, address: '::', port: 3000 });
    assert.deepEqual(parseNetstatEndpoint('::1.8080', 6), { family: 6, address: '::1', port: 8080 });
    assert.deepEqual(parseNetstatEndpoint('fe80::1%lo0.5353', 6), { family: 6, address: 'fe80::1%lo0', port: 5353 });
    assert.equal(parseNetstatEndpoint('*.*', 4), undefined);
    assert.equal(parseNetstatEndpoint('fe80::aede:48ff:fe00:11', 6), undefined);
  });
});

describe('darwin: text escapes', () => {
  it('decodes lsof byte escapes into UTF-8 and keeps control escapes visible', () => {
    assert.equal(decodeLsofText(String.raw`J\xc3\xbcrgen's "dev" tool`), `Jürgen's "dev" tool`);
    assert.equal(decodeLsofText(String.raw`a\\b`), 'a\\b');
    assert.equal(decodeLsofText(String.raw`bad^Gname\n`), String.raw`bad^Gname\n`);
  });

  it('decodes ps vis(3) meta escapes', () => {
    assert.equal(decodeVisText(String.raw`/Users/J\M-C\M-<rgen/bin/tool`), '/Users/Jürgen/bin/tool');
    // "€" is e2 82 ac: a meta-control byte (0x82) in the middle.
    assert.equal(decodeVisText(String.raw`price\M-b\M^B\M-,`), 'price€');
    assert.equal(decodeVisText('plain text'), 'plain text');
  });
});

describe('darwin: lsof parser', () => {
  it('reads process and file sets, skipping garbage', () => {
    const files = parseLsofFields(fx('lsof-listeners.txt'));
    assert.equal(files.length, 19);
    assert.ok(!files.some((f) => f.command === 'ghost'), 'the set with a non-numeric pid is skipped');
    assert.deepEqual(files[0], {
      pid: 512,
      ppid: 498,
      command: 'node',
      uid: 501,
      login: 'dev',
      fd: '23',
      type: 'IPv6',
      protocol: 'TCP',
      name: '*:3000',
      tcpState: 'LISTEN',
      device: '0x5e1a0c3f6d2b71a9',
    });
    assert.equal(files.find((f) => f.pid === 905)?.command, `Jürgen's "dev" tool`);
    assert.equal(files.find((f) => f.pid === 701)?.command, 'Code Helper (Plugin)');
  });

  it('also reads NUL-terminated fields (-F0)', () => {
    const files = parseLsofFields('p42\0cnginx\0u0\0\nf6\0tIPv4\0PTCP\0n*:80\0TST=LISTEN\0\n');
    assert.deepEqual(
      listenersFromLsof(files).map(brief),
      ['tcp4 0.0.0.0 80 LISTEN [42]'],
    );
  });

  it('turns files into listeners, merging processes that share a socket', () => {
    const sockets = listenersFromLsof(parseLsofFields(fx('lsof-listeners.txt')));
    assert.deepEqual(sockets.map(brief).sort(byPortThenText), [...LSOF_LISTENERS].sort(byPortThenText));
    const shared = sockets.find((s) => s.port === 3000);
    assert.deepEqual(shared?.owners, [
      { pid: 512, name: 'node', command: '', uid: 501, user: 'dev', ppid: 498 },
      { pid: 513, name: 'node', command: '', uid: 501, user: 'dev', ppid: 512 },
    ]);
    assert.equal(shared?.uid, 501);
  });

  it('keeps distinct sockets on one port apart when lsof gives their devices', () => {
    const text = [
      'p10', 'cnginx', 'f6', 'tIPv4', 'd0xaaa', 'PTCP', 'n*:443', 'TST=LISTEN',
      'p11', 'cnginx', 'f6', 'tIPv4', 'd0xbbb', 'PTCP', 'n*:443', 'TST=LISTEN',
      'f7', 'tIPv4', 'd0xbbb', 'PTCP', 'n*:443', 'TST=LISTEN',
    ].join('\n');
    assert.deepEqual(listenersFromLsof(parseLsofFields(text)).map(brief), [
      'tcp4 0.0.0.0 443 LISTEN [10]',
      'tcp4 0.0.0.0 443 LISTEN [11]',
    ]);
  });

  it('merges by address when there is no usable device', () => {
    const text = [
      'p10', 'cnode', 'f6', 'tIPv6', 'd0x0', 'PTCP', 'n*:3000', 'TST=LISTEN',
      'p11', 'cnode', 'f6', 'tIPv6', 'PTCP', 'n*:3000', 'TST=LISTEN',
    ].join('\n');
    assert.deepEqual(listenersFromLsof(parseLsofFields(text)).map(brief), ['tcp6 :: 3000 LISTEN [10,11]']);
  });

  it('drops TCP files that are not listening and files of other kinds', () => {
    const text = [
      'p10', 'cnode',
      'f6', 'tIPv4', 'PTCP', 'n127.0.0.1:3000->127.0.0.1:52000', 'TST=ESTABLISHED',
      'f7', 'tIPv4', 'PTCP', 'n127.0.0.1:4000', 'TST=CLOSED',
      'f8', 'tunix', 'n/tmp/sock',
      'f9', 'tIPv4', 'PICMP', 'n*:*',
    ].join('\n');
    assert.deepEqual(listenersFromLsof(parseLsofFields(text)), []);
  });

  it('reads the shapes real lsof -F captures take', () => {
    // Seen in real captures (SOURCES.md): TQR=/TQS= lines after TST=, the state before the name, a set
    // with only p/f/P/n (asked with fewer fields), an unbound UDP `*:*`.
    const text = [
      'p4711', 'cxctest', 'u501', 'f9', 'tIPv4', 'PTCP', 'n*:5252', 'TST=LISTEN', 'TQR=0', 'TQS=0',
      'p400', 'cnginx', 'f7', 'tIPv4', 'PTCP', 'TST=LISTEN', 'n0.0.0.0:80',
      'f8', 'tIPv4', 'PTCP', 'TST=ESTABLISHED', 'n10.0.0.1:80->10.0.0.99:50000',
      'p66493', 'f13', 'tIPv6', 'PUDP', 'n*:*',
    ].join('\n');
    assert.deepEqual(listenersFromLsof(parseLsofFields(text)).map(brief), ['tcp4 0.0.0.0 5252 LISTEN [4711]', 'tcp4 0.0.0.0 80 LISTEN [400]']);
  });

  it('survives empty and binary garbage', () => {
    assert.deepEqual(parseLsofFields(''), []);
    assert.deepEqual(listenersFromLsof(parseLsofFields('\u0000\u0001garbage\n\n\nfno process\nn*:1\n')), []);
  });
});

describe('darwin: ps parser', () => {
  it('reads every owner with its start time', () => {
    const ps = parsePsProcesses(fx('ps-owners.txt'));
    assert.equal(ps.size, 12);
    assert.deepEqual(ps.get(512), {
      pid: 512,
      ppid: 498,
      uid: 501,
      user: 'dev',
      command: 'node /Users/dev/app/server.js --port 3000',
      startTime: new Date(2026, 10, 24, 9, 12, 3).getTime(),
    });
    assert.equal(
      ps.get(701)?.command,
      '/Applications/Visual Studio Code.app/Contents/Frameworks/Code Helper (Plugin).app/Contents/MacOS/Code Helper (Plugin) --type=utility --utility-sub-type=node.mojom.NodeService --lang=en-GB',
    );
    assert.equal(ps.get(905)?.command, `/Users/dev/bin/Jürgen's "dev" tool --serve`);
    assert.equal(ps.get(905)?.startTime, new Date(2026, 10, 4, 7, 5, 9).getTime());
    assert.equal(ps.get(201)?.command, '(netbiosd)');
  });

  it('parses lstart strictly', () => {
    assert.equal(parseLstart('Tue Nov 24 14:24:47 2026'), new Date(2026, 10, 24, 14, 24, 47).getTime());
    assert.equal(parseLstart('Sun Feb 30 10:00:00 2026'), undefined);
    assert.equal(parseLstart('Tue Foo 24 14:24:47 2026'), undefined);
    assert.equal(parseLstart('yesterday'), undefined);
  });

  it('keeps a line whose start time is unreadable and skips garbage', () => {
    const ps = parsePsProcesses('  77     1   0 root  -  /sbin/thing\nPID PPID\nnot a line\n');
    assert.deepEqual([...ps.keys()], [77]);
    assert.equal(ps.get(77)?.startTime, undefined);
    assert.equal(ps.get(77)?.command, '-  /sbin/thing');
  });
});

describe('darwin: netstat parser', () => {
  for (const layout of ['macos26', 'macos15'] as const) {
    it(`reads the ${layout} layout`, () => {
      const rows = [...parseDarwinNetstat(fx(`netstat-tcp-${layout}.txt`)), ...parseDarwinNetstat(fx(`netstat-udp-${layout}.txt`))];
      assert.equal(rows.length, 25, 'every row but the unbound *.* one');
      const chrome = rows.find((r) => r.protocol === 'udp' && r.pid === 888);
      // macOS 26 prints the kernel's 16-byte name (MAXCOMLEN), cut mid-word.
      assert.equal(chrome?.processName, layout === 'macos26' ? 'Google Chrome He' : undefined);
      const jurgen = rows.find((r) => r.pid === 905);
      assert.deepEqual(jurgen, {
        protocol: 'udp',
        family: 6,
        address: 'fe80::aede:48ff:fe00:1122%en0',
        port: 5353,
        foreign: '*.*',
        state: '',
        pid: 905,
        ...(layout === 'macos26' ? { processName: `Jürgen's "dev" ` } : {}),
      });
      assert.deepEqual(
        listenersFromNetstat(rows).map(brief),
        [
          'tcp6 :: 3000 LISTEN [513]',
          'tcp4 127.0.0.1 9229 LISTEN [512]',
          'tcp4 127.0.0.1 5432 LISTEN [640]',
          'tcp6 ::1 5432 LISTEN [640]',
          'tcp4 127.0.0.1 61234 LISTEN [701]',
          'tcp4 0.0.0.0 7000 LISTEN [733]',
          'tcp6 :: 7000 LISTEN [733]',
          'tcp4 0.0.0.0 5000 LISTEN [733]',
          'tcp6 :: 5000 LISTEN [733]',
          'tcp6 :: 49152 LISTEN [802]',
          'tcp4 127.0.0.1 8080 LISTEN [1001]',
          'tcp4 0.0.0.0 80 LISTEN [95]',
          'tcp4 127.0.0.1 631 LISTEN [] hidden',
          'udp4 0.0.0.0 5353 UNCONN [888]',
          'udp6 :: 5353 UNCONN [888]',
          'udp4 0.0.0.0 5353 UNCONN [316]',
          'udp6 :: 5353 UNCONN [316]',
          'udp6 fe80::aede:48ff:fe00:1122%en0 5353 UNCONN [905]',
          'udp4 0.0.0.0 137 UNCONN [201]',
        ],
      );
      assert.deepEqual(summaryFromNetstat(rows), {
        tcpStates: { ESTABLISHED: 3, TIME_WAIT: 2, LISTEN: 13 },
        timeWait: 2,
        udpSockets: 6,
      });
    });
  }

  it('reads the layout before rxbytes/txbytes (pid epid right after shiwat)', () => {
    const rows = parseDarwinNetstat(fx('netstat-anv-macos12.txt'));
    assert.equal(rows.length, 9, 'every row but the unbound *.* one');
    assert.deepEqual(withoutRepeats(listenersFromNetstat(rows)).map(brief), [
      'tcp6 :: 3000 LISTEN [5120]',
      'tcp4 127.0.0.1 6379 LISTEN [640]',
      'tcp6 ::1 6379 LISTEN [640]',
      'udp4 0.0.0.0 5353 UNCONN [316]',
      'udp4 0.0.0.0 5353 UNCONN [888]',
    ]);
    assert.deepEqual(summaryFromNetstat(rows).tcpStates, { ESTABLISHED: 1, LISTEN: 3, CLOSE_WAIT: 1, TIME_WAIT: 1 });
  });

  it('finds the pid column by its header, whatever order the counters come in', () => {
    // find-process quotes a macOS 15 header with rxbytes/txbytes after rhiwat/shiwat; other captures have
    // them before. Only the header says where pid is.
    const text = [
      'Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)     rhiwat shiwat  rxbytes  txbytes    pid   epid',
      'tcp4       0      0  *.3000                 *.*                    LISTEN      131072 131072        0        0   3333      0',
    ].join('\n');
    assert.deepEqual(listenersFromNetstat(parseDarwinNetstat(text)).map(brief), ['tcp4 0.0.0.0 3000 LISTEN [3333]']);
  });

  it('counts states under the Linux names', () => {
    const rows = parseDarwinNetstat(
      ['tcp4 0 0 10.0.0.2.22 10.0.0.3.5000 SYN_RECEIVED', 'tcp4 0 0 10.0.0.2.22 10.0.0.3.5001 FIN_WAIT_2', 'tcp6 0 0 ::1.80 ::1.6000 CLOSED'].join('\n'),
    );
    assert.deepEqual(summaryFromNetstat(rows).tcpStates, { SYN_RECV: 1, FIN_WAIT2: 1, CLOSE: 1 });
  });

  it('reads rows without a header but finds no owners, and skips garbage', () => {
    const rows = parseDarwinNetstat('tcp4 0 0 *.22 *.* LISTEN\ngarbage line\nSome tcp sockets may have been deleted.\n');
    assert.deepEqual(rows, [{ protocol: 'tcp', family: 4, address: '0.0.0.0', port: 22, foreign: '*.*', state: 'LISTEN' }]);
    assert.deepEqual(listenersFromNetstat(rows).map(brief), ['tcp4 0.0.0.0 22 LISTEN [] hidden']);
    assert.deepEqual(parseDarwinNetstat(''), []);
  });
});

describe('darwin: process names cut to 16 bytes', () => {
  // Rows in the shape of real macOS 26 `netstat -anv` captures (test/fixtures/SOURCES.md): the name is the
  // kernel's p_comm, at most 16 bytes, right-aligned before `:pid`; a row may have no process at all.
  const rows = fx('netstat-anv-macos26-helpers.txt');

  it('reads the cut names, trailing space included, and rows without a process', () => {
    const parsed = parseDarwinNetstat(rows);
    assert.deepEqual(
      parsed.map((r) => [r.port, r.pid, r.processName]),
      [
        [61234, 701, 'Code Helper (Plu'],
        [7000, 2210, 'Brave Browser He'],
        [9400, 3301, 'Microsoft Teams '],
        [8443, 4412, '2.1.251'],
        [631, 0, 'kernel'],
        [8443, 4412, '2.1.251'],
        [64809, 2215, 'Brave Browser He'],
        [61790, undefined, undefined],
        [5353, 390, 'mDNSResponder'],
        [63770, 2215, 'Brave Browser He'],
      ],
    );
    assert.deepEqual(listenersFromNetstat(parsed).map(brief), [
      'tcp4 127.0.0.1 61234 LISTEN [701]',
      'tcp6 :: 7000 LISTEN [2210]',
      'tcp4 127.0.0.1 9400 LISTEN [3301]',
      'tcp4 127.0.0.1 8443 LISTEN [4412]',
      'tcp4 127.0.0.1 631 LISTEN [] hidden',
      'udp4 0.0.0.0 5353 UNCONN [390]',
    ]);
  });

  it('tells a cut name from a whole one by its length in bytes', () => {
    assert.equal(isCutName('Code Helper (Plu'), true);
    assert.equal(isCutName('Microsoft Teams '), true);
    assert.equal(isCutName(`Jürgen's "dev" `), true, '15 characters, 16 bytes');
    assert.equal(isCutName('Jürgen\ufffd'), true, 'cut inside a character');
    assert.equal(isCutName('mDNSResponder'), false);
    assert.equal(isCutName('Code Helper (Plugin)'), false);
  });

  it('finds the program name in a ps command line, spaces and all', () => {
    const plugin = '/Applications/Visual Studio Code.app/Contents/Frameworks/Code Helper (Plugin).app/Contents/MacOS/Code Helper (Plugin) --type=utility --lang=en-GB';
    assert.equal(programName(plugin), 'Code Helper (Plugin)');
    assert.equal(programName('/Applications/Visual Studio Code.app/Contents/MacOS/Electron --inspect'), 'Electron');
    assert.equal(programName('/usr/local/bin/node /Users/dev/app/server.js'), 'node');
    assert.equal(programName('(netbiosd)'), 'netbiosd');
    assert.equal(programName(''), '');
  });

  it('completes a cut name from lsof, the app bundle or the command line, and never replaces a whole one', () => {
    const brave = '/Applications/Brave Browser.app/Contents/Frameworks/Brave Browser Framework.framework/Versions/131.1.73.97/Helpers/Brave Browser Helper.app/Contents/MacOS/Brave Browser Helper --type=utility';
    assert.equal(completeProcessName('Brave Browser He', { command: brave }), 'Brave Browser Helper');
    const gpu = '/Applications/Google Chrome.app/Contents/Frameworks/Google Chrome Framework.framework/Helpers/Google Chrome Helper (GPU).app/Contents/MacOS/Google Chrome Helper (GPU) --type=gpu-process';
    assert.equal(completeProcessName('Google Chrome He', { command: gpu }), 'Google Chrome Helper (GPU)');
    assert.equal(completeProcessName('Code Helper (Plu', { lsofName: 'Code Helper (Plugin)' }), 'Code Helper (Plugin)');
    assert.equal(completeProcessName(`Jürgen's "dev" `, { command: `/Users/dev/bin/Jürgen's "dev" tool --serve` }), `Jürgen's "dev" tool`);
    assert.equal(completeProcessName('Microsoft Teams ', { command: '(Microsoft Teams )' }), 'Microsoft Teams', 'nothing fuller: the trailing space goes');
    assert.equal(completeProcessName('Brave Browser He', { command: '/usr/bin/other --x' }), 'Brave Browser He', 'an unrelated command is not used');
    assert.equal(completeProcessName('node', { command: '/usr/local/bin/nodejs-wrapper x' }), 'node');
    assert.equal(completeProcessName('', { command: brave }), 'Brave Browser Helper');
  });
});

describe('darwin: merging lsof and netstat', () => {
  const sock = (protocol: 'tcp' | 'udp', family: 4 | 6, address: string, port: number, pids: number[]): ListeningSocket => ({
    protocol,
    family,
    address,
    port,
    state: protocol === 'tcp' ? 'LISTEN' : 'UNCONN',
    owners: pids.map((pid) => ({ pid, name: 'x', command: '' })),
    ownerVisible: pids.length > 0,
  });

  it('adds only what lsof did not see, matching by pid first', () => {
    const lsof = [sock('udp', 4, '0.0.0.0', 5353, [888]), sock('tcp', 6, '::', 3000, [512, 513])];
    const netstat = [
      sock('udp', 4, '0.0.0.0', 5353, [316]),
      sock('udp', 4, '0.0.0.0', 5353, [888]),
      sock('tcp', 6, '::', 3000, [514]),
      sock('tcp', 4, '0.0.0.0', 80, [95]),
    ];
    assert.deepEqual(socketsLsofMissed(lsof, netstat).map(brief), [
      'udp4 0.0.0.0 5353 UNCONN [316]',
      'tcp4 0.0.0.0 80 LISTEN [95]',
    ]);
  });

  it('ignores the zone spelling when matching link-local sockets', () => {
    const lsof = [sock('udp', 6, 'fe80::1%4', 5353, [905])];
    const netstat = [sock('udp', 6, 'fe80::1%en0', 5353, [905])];
    assert.deepEqual(socketsLsofMissed(lsof, netstat), []);
  });
});

describe('DarwinBackend', () => {
  const EXPECTED = [
    'udp4 0.0.0.0 137 UNCONN [201]',
    'tcp4 0.0.0.0 80 LISTEN [95]',
    'tcp4 127.0.0.1 631 LISTEN [] hidden',
    ...LSOF_LISTENERS.filter((l) => !l.startsWith('udp4 0.0.0.0 5353') && !l.startsWith('udp6 :: 5353')),
    'udp4 0.0.0.0 5353 UNCONN [316]',
    'udp4 0.0.0.0 5353 UNCONN [888]',
    'udp6 :: 5353 UNCONN [316]',
    'udp6 :: 5353 UNCONN [888]',
  ];

  it('runs lsof, netstat and one ps with the documented arguments', async () => {
    const { calls, runner } = machine('macos26');
    const snap = await new DarwinBackend(runner).snapshot();
    const byFile = calls.map((c) => [c.file, ...c.args]);
    assert.deepEqual(byFile, [
      ['lsof', '-nP', '+c', '0', '-iTCP', '-sTCP:LISTEN', '-iUDP', '-FpcuLRftdPnT'],
      ['netstat', '-anvl', '-p', 'tcp'],
      ['netstat', '-anvl', '-p', 'udp'],
      [
        'ps', '-ww', '-o', 'pid=', '-o', 'ppid=', '-o', 'uid=', '-o', 'user=', '-o', 'lstart=', '-o', 'command=',
        '-p', '95,201,316,512,513,640,701,733,802,888,905,1001,1200',
      ],
    ]);
    assert.deepEqual(calls[0].options?.okExitCodes, [1], 'lsof exits 1 when nothing matches');
    assert.deepEqual(LSOF_ARGS, calls[0].args);
    assert.equal(snap.backend, 'darwin-lsof');
    assert.deepEqual(snap.warnings, []);
    assert.deepEqual(snap.sockets.map(brief).sort(byPortThenText), [...EXPECTED].sort(byPortThenText));
    assert.deepEqual(snap.sockets.map(brief), [...snap.sockets].sort((a, b) => a.port - b.port).map(brief), 'sorted by port');
  });

  it('completes owners from ps and keeps what lsof knew of a process that exited', async () => {
    const snap = await new DarwinBackend(machine('macos26').runner).snapshot();
    const owner = (port: number, pid: number) =>
      snap.sockets.find((s) => s.port === port && s.owners.some((o) => o.pid === pid))?.owners.find((o) => o.pid === pid);
    assert.deepEqual(owner(3000, 513), {
      pid: 513,
      name: 'node',
      command: '/usr/local/bin/node /Users/dev/app/server.js --worker',
      uid: 501,
      user: 'dev',
      ppid: 512,
      startTime: new Date(2026, 10, 24, 9, 12, 4).getTime(),
    });
    assert.deepEqual(owner(8000, 1200), { pid: 1200, name: 'python3.12', command: '', uid: 501, user: 'dev', ppid: 498 });
    assert.equal(owner(80, 95)?.name, 'httpd');
    assert.equal(owner(80, 95)?.user, 'root');
    assert.equal(owner(5353, 316)?.name, 'mDNSResponder');
    assert.equal(owner(5353, 905)?.name, `Jürgen's "dev" tool`);
    assert.equal(snap.sockets.find((s) => s.port === 80)?.uid, 0);
    assert.deepEqual(snap.connections, { tcpStates: { ESTABLISHED: 3, TIME_WAIT: 2, LISTEN: 13 }, timeWait: 2, udpSockets: 6 });
  });

  it('names netstat-only owners from ps in the macOS 15 layout', async () => {
    const snap = await new DarwinBackend(machine('macos15').runner).snapshot({ connections: false });
    assert.deepEqual(snap.sockets.map(brief).sort(byPortThenText), [...EXPECTED].sort(byPortThenText));
    const names = snap.sockets.filter((s) => [80, 137].includes(s.port)).map((s) => s.owners[0].name);
    assert.deepEqual(names, ['httpd', 'netbiosd']);
    assert.equal(snap.connections, undefined);
  });

  it('treats lsof exit 1 with no output as an empty machine', async () => {
    const { runner } = machine('macos26', {
      lsof: () => ok(fx('lsof-empty.txt'), 1),
      netstat: () => ok(''),
      ps: () => assert.fail('ps must not run without owners'),
    });
    const snap = await new DarwinBackend(runner).snapshot();
    assert.deepEqual(snap.sockets, []);
    assert.deepEqual(snap.warnings, []);
  });

  it('looks in /usr/sbin when lsof is not on the PATH', async () => {
    const { calls, runner } = machine('macos26', {
      lsof: (c) => (c.file === 'lsof' ? missing('lsof') : ok(fx('lsof-listeners.txt'))),
    });
    const snap = await new DarwinBackend(runner).snapshot();
    assert.deepEqual(calls.filter((c) => c.file.endsWith('lsof')).map((c) => c.file), ['lsof', '/usr/sbin/lsof']);
    assert.equal(snap.sockets.length, EXPECTED.length);
  });

  it('falls back to netstat with a warning when lsof is missing', async () => {
    const { runner } = machine('macos26', { lsof: (c) => missing(c.file) });
    const snap = await new DarwinBackend(runner).snapshot();
    assert.equal(snap.warnings.length, 1);
    assert.match(snap.warnings[0], /lsof is not installed/);
    assert.equal(snap.sockets.find((s) => s.port === 3000)?.owners.length, 1, 'netstat knows one process per socket');
    assert.ok(snap.sockets.some((s) => s.port === 80));
  });

  it('completes the names macOS 26 netstat cut to 16 bytes when lsof is missing', async () => {
    const snap = await new DarwinBackend(machine('macos26', { lsof: (c) => missing(c.file) }).runner).snapshot();
    const name = (port: number, pid: number) => snap.sockets.find((s) => s.port === port && s.owners[0]?.pid === pid)?.owners[0].name;
    assert.equal(name(61234, 701), 'Code Helper (Plugin)', 'netstat printed `Code Helper (Plu`');
    assert.equal(name(5353, 888), 'Google Chrome Helper', 'netstat printed `Google Chrome He`');
    assert.equal(name(5353, 905), `Jürgen's "dev" tool`, 'netstat printed 16 bytes ending in a space');
    assert.equal(name(137, 201), 'netbiosd');
  });

  it('keeps a cut name, without its trailing space, when nothing fuller is known', async () => {
    const { runner } = machine('macos26', {
      lsof: (c) => missing(c.file),
      ps: () => new InspectorError(`'ps' did not answer within 10000 ms.`, 'TIMEOUT'),
    });
    const snap = await new DarwinBackend(runner).snapshot();
    const names = (port: number) => snap.sockets.filter((s) => s.port === port).map((s) => s.owners[0]?.name);
    assert.deepEqual(names(61234), ['Code Helper (Plu']);
    assert.ok(names(5353).includes(`Jürgen's "dev"`));
  });

  it('fails with TOOL_MISSING naming lsof when neither tool runs', async () => {
    const { runner } = machine('macos26', { lsof: (c) => missing(c.file), netstat: (c) => missing(c.file) });
    await assert.rejects(new DarwinBackend(runner).snapshot(), (e: unknown) => {
      assert.ok(e instanceof InspectorError);
      assert.equal(e.code, 'TOOL_MISSING');
      assert.match(e.message, /lsof/);
      assert.match(e.message, /brew install lsof/);
      return true;
    });
  });

  it('passes through a failure of lsof when netstat cannot stand in', async () => {
    const { runner } = machine('macos26', {
      lsof: () => new InspectorError(`'lsof' did not answer within 30000 ms.`, 'TIMEOUT'),
      netstat: () => new InspectorError(`'netstat' failed.`, 'FAILED'),
    });
    await assert.rejects(new DarwinBackend(runner).snapshot(), { code: 'TIMEOUT' });
  });

  it('keeps lsof results when netstat or ps fail, with warnings', async () => {
    const { runner } = machine('macos26', {
      netstat: () => new InspectorError(`'netstat' failed: sysctl: permission denied.`, 'FAILED'),
      ps: () => new InspectorError(`'ps' did not answer within 10000 ms.`, 'TIMEOUT'),
    });
    const snap = await new DarwinBackend(runner).snapshot();
    assert.deepEqual(snap.sockets.map(brief).sort(byPortThenText), [...LSOF_LISTENERS].sort(byPortThenText));
    assert.equal(snap.warnings.length, 2);
    assert.match(snap.warnings[0], /netstat failed/);
    assert.match(snap.warnings[1], /ps failed/);
    assert.equal(snap.sockets[0].owners[0].command, '');
    assert.equal(snap.connections, undefined);
  });

  it('does not crash on garbage from every tool', async () => {
    const junk = '\u0000\u00ff\ufffd garbage\nProto Recv-Q\ntcp4 x y z\np\nf\n';
    const { runner } = machine('macos26', { lsof: () => ok(junk), netstat: () => ok(junk), ps: () => ok(junk) });
    const snap = await new DarwinBackend(runner).snapshot();
    assert.deepEqual(snap.sockets, []);
  });

  it('stops when the scan is cancelled', async () => {
    const controller = new AbortController();
    const { runner } = machine('macos26', {
      lsof: () => {
        controller.abort();
        return ok(fx('lsof-listeners.txt'));
      },
    });
    await assert.rejects(new DarwinBackend(runner).snapshot({ signal: controller.signal }), { code: 'FAILED' });
  });
});

// lsof's field output and ps's lstart are the same on Linux, so the parsers meet the real tools here (and
// on macOS in CI). Windows has neither.
(process.platform === 'win32' ? describe.skip : describe)('darwin parsers against the real lsof and ps of this machine', function () {
  this.timeout(20_000);

  it('finds this process listening in real lsof field output', async function () {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      let result: RunResult;
      try {
        result = await run('lsof', ['-a', '-p', String(process.pid), ...LSOF_ARGS], { okExitCodes: [1], timeoutMs: 15_000 });
      } catch (error) {
        if (error instanceof InspectorError && error.code === 'TOOL_MISSING') {
          this.skip();
        }
        throw error;
      }
      const mine = listenersFromLsof(parseLsofFields(result.stdout)).filter((s) => s.port === port);
      assert.deepEqual(mine.map(brief), [`tcp4 127.0.0.1 ${port} LISTEN [${process.pid}]`]);
      assert.equal(mine[0].owners[0].uid, process.getuid?.());
    } finally {
      server.close();
    }
  });

  it('reads a real ps line: command line, parent and start time', async () => {
    const marker = `ps-test ${process.pid} "quoted" arg`;
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)', marker], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const result = await run('ps', PS_ARGS([process.pid, child.pid as number]), { okExitCodes: [1] });
      const ps = parsePsProcesses(result.stdout);
      const entry = ps.get(child.pid as number);
      assert.ok(entry, result.stdout);
      assert.equal(entry.ppid, process.pid);
      assert.ok(entry.command.endsWith(marker), entry.command);
      assert.ok(entry.startTime !== undefined && Math.abs(entry.startTime - Date.now()) < 5_000);
      assert.ok(ps.has(process.pid));
    } finally {
      child.kill();
    }
  });
});
