import * as assert from 'node:assert/strict';
import type { RunOptions, RunResult } from '../../src/inspector/exec';
import { InspectorError } from '../../src/core/types';
import type { ListeningSocket } from '../../src/core/types';
import { commandLineScript, parseCommandLineJson } from '../../src/inspector/windows/commandLine';
import { decodeConsoleText } from '../../src/inspector/windows/consoleText';
import {
  isListeningRow,
  listenersFromWindowsNetstat,
  parseWindowsEndpoint,
  parseWindowsNetstat,
  summaryFromWindowsNetstat,
} from '../../src/inspector/windows/netstatParser';
import { parentLinks, parseProcessTable, processTableScript, readWindowsParents } from '../../src/inspector/windows/powershellParents';
import { parseTasklistCsv, splitCsvRecord } from '../../src/inspector/windows/tasklistParser';
import { readParents } from '../../src/inspector/processAncestry';
import { jobMembers, readProcessTable } from '../../src/inspector/kill/processParents';
import { protectedPids } from '../../src/inspector/kill/protectedPids';
import { freePort } from '../../src/inspector/kill/stopOwners';
import type { Snapshot } from '../../src/core/types';
import {
  describeReservedRanges,
  excludedPortRangeArgs,
  parseExcludedPortRanges,
  rangesContaining,
  readReservedPortRanges,
} from '../../src/inspector/windows/excludedPorts';
import { gatherTroubleshootFacts } from '../../src/model/troubleshoot/gather';
import { buildTroubleshootReport } from '../../src/model/troubleshoot/report';
import { terminalsOfProcesses } from '../../src/inspector/terminalAncestry';
import { WindowsBackend, windowsCommandLine } from '../../src/inspector/windows/windowsBackend';
import { readFixture } from '../support/paths';

const fx = (name: string): string => readFixture('windows', name);

const brief = (s: ListeningSocket): string =>
  `${s.protocol}${s.family} ${s.address} ${s.port} ${s.state} [${s.owners.map((o) => `${o.pid}:${o.name}`).join(',')}]${s.ownerVisible ? '' : ' hidden'}`;

/** How Node hands over bytes decoded as latin1: one character per byte. */
const asLatin1 = (bytes: Buffer): string => bytes.toString('latin1');
const utf8Bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

// Just the characters the fixtures use outside ASCII, in the OEM code pages netstat.exe writes.
const CP850: Record<string, number> = { Ö: 0x99, É: 0x90, Ü: 0x9a, é: 0x82, ó: 0xa2, ü: 0x81 };
const CP866 = (c: string): number | undefined => {
  const code = c.charCodeAt(0);
  if (code >= 0x410 && code <= 0x42f) return 0x80 + (code - 0x410); // А-Я
  if (code >= 0x430 && code <= 0x43f) return 0xa0 + (code - 0x430); // а-п
  if (code >= 0x440 && code <= 0x44f) return 0xe0 + (code - 0x440); // р-я
  return undefined;
};
function encodeOem(text: string, table: (c: string) => number | undefined): Buffer {
  const bytes: number[] = [];
  for (const c of text) {
    const code = c.charCodeAt(0);
    const b = code < 0x80 ? code : table(c);
    assert.ok(b !== undefined, `no byte for ${c}`);
    bytes.push(b);
  }
  return Buffer.from(bytes);
}

const LISTENERS = [
  'tcp4 0.0.0.0 135 LISTEN [1032:svchost.exe]',
  'tcp6 :: 135 LISTEN [1032:svchost.exe]',
  'udp4 192.168.1.50 137 UNCONN [4:System]',
  'udp4 192.168.1.50 138 UNCONN [4:System]',
  'tcp4 192.168.1.50 139 LISTEN [4:System]',
  'tcp4 0.0.0.0 445 LISTEN [4:System]',
  'tcp6 :: 445 LISTEN [4:System]',
  'udp4 127.0.0.1 1900 UNCONN [3456:svchost.exe]',
  'udp6 ::1 1900 UNCONN [3456:svchost.exe]',
  'udp6 fe80::1%7 1900 UNCONN [3456:svchost.exe]',
  'tcp4 0.0.0.0 3000 LISTEN [6120:node.exe]',
  'tcp6 :: 3000 LISTEN [6120:node.exe]',
  'udp4 0.0.0.0 5353 UNCONN [2888:svchost.exe]',
  'udp4 0.0.0.0 5353 UNCONN [4100:chrome.exe]',
  'udp6 :: 5353 UNCONN [2888:svchost.exe]',
  'udp4 0.0.0.0 5355 UNCONN [2888:svchost.exe]',
  'tcp4 127.0.0.1 5432 LISTEN [5504:postgres.exe]',
  'tcp6 ::1 5432 LISTEN [5504:postgres.exe]',
  'tcp4 127.0.0.1 8080 LISTEN [7788:My App, Beta (x86) & Co.exe]',
  'tcp4 0.0.0.0 9000 LISTEN [9999:]',
  'tcp6 fe80::5c1e:9a0b:7d3f:e21%12 49670 LISTEN [3312:spoolsv.exe]',
];

interface Call {
  file: string;
  args: readonly string[];
  options?: RunOptions;
}

function fakeRunner(reply: (c: Call) => RunResult | Error) {
  const calls: Call[] = [];
  const runner = async (file: string, args: readonly string[], options?: RunOptions): Promise<RunResult> => {
    calls.push({ file, args, options });
    const r = reply({ file, args, options });
    if (r instanceof Error) {
      throw r;
    }
    return r;
  };
  return { calls, runner };
}
const ok = (stdout: string): RunResult => ({ stdout, stderr: '', exitCode: 0 });

function machine(netstatBytes: Buffer, tasklistBytes: Buffer | Error = utf8Bytes(fx('tasklist-en.csv'))) {
  return fakeRunner((c) => {
    if (c.file === 'netstat') {
      return ok(asLatin1(netstatBytes));
    }
    if (c.file === 'tasklist') {
      return tasklistBytes instanceof Error ? tasklistBytes : ok(asLatin1(tasklistBytes));
    }
    return new Error(`unexpected ${c.file}`);
  });
}

describe('windows: addresses', () => {
  it('reads every address form netstat prints', () => {
    assert.deepEqual(parseWindowsEndpoint('0.0.0.0:135'), { family: 4, address: '0.0.0.0', port: 135 });
    assert.deepEqual(parseWindowsEndpoint('[::]:445'), { family: 6, address: '::', port: 445 });
    assert.deepEqual(parseWindowsEndpoint('[fe80::1%7]:1900'), { family: 6, address: 'fe80::1%7', port: 1900 });
    assert.deepEqual(parseWindowsEndpoint('[FE80::ABCD%12]:80'), { family: 6, address: 'fe80::abcd%12', port: 80 });
    assert.deepEqual(parseWindowsEndpoint('[::ffff:127.0.0.1]:8080'), { family: 4, address: '127.0.0.1', port: 8080 });
    assert.equal(parseWindowsEndpoint('*:*'), undefined);
    assert.equal(parseWindowsEndpoint('999.0.0.1:80'), undefined);
    assert.equal(parseWindowsEndpoint('[::1]:99999'), undefined);
    assert.equal(parseWindowsEndpoint('[zz::1]:80'), undefined);
    assert.equal(parseWindowsEndpoint('host:80'), undefined);
  });
});

describe('windows: netstat parser', () => {
  for (const lang of ['en', 'de', 'fr', 'it', 'zh', 'ru', 'es']) {
    it(`finds the same listeners in the ${lang} output`, () => {
      const rows = parseWindowsNetstat(fx(`netstat-${lang}.txt`));
      // The German and Russian CLOSE_WAIT words overflow their column into the pid: that row is skipped.
      assert.equal(rows.length, lang === 'de' || lang === 'ru' ? 27 : 28);
      const sockets = listenersFromWindowsNetstat(rows);
      assert.equal(sockets.length, LISTENERS.length);
      assert.deepEqual(
        sockets.filter((s) => s.protocol === 'tcp').map((s) => `${s.address}:${s.port}`).sort(),
        LISTENERS.filter((l) => l.startsWith('tcp')).map((l) => `${l.split(' ')[1]}:${l.split(' ')[2]}`).sort(),
      );
    });
  }

  it('keeps multi-word translated states whole', () => {
    const rows = parseWindowsNetstat(fx('netstat-it.txt'));
    assert.equal(rows[0].state, 'IN ASCOLTO');
    assert.equal(rows.find((r) => r.protocol === 'udp')?.state, '');
  });

  it('accepts the English word even with an unusual foreign address, and rejects BOUND', () => {
    const row = (state: string, foreign: string) => ({ protocol: 'tcp' as const, family: 4 as const, address: '0.0.0.0', port: 1, foreign, state, pid: 9 });
    assert.equal(isListeningRow(row('LISTENING', '*:*')), true);
    assert.equal(isListeningRow(row('ABHÖREN', '0.0.0.0:0')), true);
    assert.equal(isListeningRow(row('BOUND', '0.0.0.0:0')), false);
    assert.equal(isListeningRow(row('HERGESTELLT', '10.0.0.1:443')), false);
  });

  it('skips headers, blank lines and garbage, and survives empty input', () => {
    const text = 'Active Connections\r\n\r\n  Proto  Local Address\r\n  TCP    bogus    0.0.0.0:0   LISTENING   12\r\n  TCP    0.0.0.0:1   0.0.0.0:0   LISTENING   notapid\r\n\u0000\u00ff\r\n  UDP\r\n';
    assert.deepEqual(parseWindowsNetstat(text), []);
    assert.deepEqual(parseWindowsNetstat(''), []);
  });

  it('splits a long translated listening word from the pid it runs into', () => {
    const rows = parseWindowsNetstat('  TCP    0.0.0.0:80             0.0.0.0:0              EINGEHEND_ERWARTET1234\r\n');
    assert.deepEqual(rows, [{ protocol: 'tcp', family: 4, address: '0.0.0.0', port: 80, foreign: '0.0.0.0:0', state: 'EINGEHEND_ERWARTET', pid: 1234 }]);
  });

  it('gives pid 0 no owner', () => {
    const rows = parseWindowsNetstat('  TCP    0.0.0.0:7680   0.0.0.0:0   LISTENING   0\n');
    assert.deepEqual(listenersFromWindowsNetstat(rows).map(brief), ['tcp4 0.0.0.0 7680 LISTEN [] hidden']);
  });

  it('summarises English states under the Linux names, and refuses translated ones', () => {
    assert.deepEqual(summaryFromWindowsNetstat(parseWindowsNetstat(fx('netstat-en.txt'))), {
      tcpStates: { LISTEN: 12, ESTABLISHED: 3, TIME_WAIT: 2, CLOSE_WAIT: 1, SYN_SENT: 1 },
      timeWait: 2,
      udpSockets: 9,
    });
    assert.equal(summaryFromWindowsNetstat(parseWindowsNetstat(fx('netstat-de.txt'))), undefined);
  });
});

describe('windows: real captures', () => {
  // Verbatim rows of a real `netstat -ano` (Windows 11 Pro 22000, English; yakra13/OSCP, see
  // test/fixtures/SOURCES.md): a UDP socket connected to itself names its peer, a bound one `*:*`.
  const REAL_UDP = [
    '  UDP    127.0.0.1:1900         *:*                                    4140',
    '  UDP    127.0.0.1:52088        127.0.0.1:52088                        2664',
    '  UDP    127.0.0.1:57792        *:*                                    4140',
  ].join('\r\n');

  it('keeps a UDP row only when its foreign address is *:*', () => {
    const rows = parseWindowsNetstat(REAL_UDP);
    assert.equal(rows.length, 3, 'the connected row is read');
    assert.equal(rows[1].foreign, '127.0.0.1:52088');
    assert.deepEqual(listenersFromWindowsNetstat(rows).map(brief), ['udp4 127.0.0.1 1900 UNCONN [4140:]', 'udp4 127.0.0.1 57792 UNCONN [4140:]']);
    assert.equal(summaryFromWindowsNetstat(rows)?.udpSockets, 2, 'a connected UDP socket is not a bound one');
  });

  it('reads the other shapes real captures take', () => {
    // Each shape seen in a real capture (SOURCES.md): rows without the two-space indent (output pasted
    // through a trimming tool), the owner lines `netstat -anob` puts between rows, a 17-letter German
    // state word followed by a space (or, as the 16-wide column intends, glued to the pid).
    const text = [
      'Proto  Local Address          Foreign Address        State           PID',
      'TCP    0.0.0.0:5432           0.0.0.0:0              LISTENING       7292',
      '  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1712',
      '  RpcSs',
      ' [svchost.exe]',
      '  TCP    0.0.0.0:445            0.0.0.0:0              LISTENING       4',
      ' Can not obtain ownership information',
      '  TCP    127.0.0.1:9876         127.0.0.1:53718        SCHLIESSEN_WARTEN 8872',
      '  TCP    127.0.0.1:9877         127.0.0.1:53719        SCHLIESSEN_WARTEN8873',
      '  UDP    [fe80::2eab:cf7c:88:b019%17]:1900  *:*                                    3920',
    ].join('\r\n');
    const rows = parseWindowsNetstat(text);
    assert.deepEqual(rows.map((r) => `${r.protocol} ${r.port} ${r.state} ${r.pid}`), [
      'tcp 5432 LISTENING 7292',
      'tcp 135 LISTENING 1712',
      'tcp 445 LISTENING 4',
      'tcp 9876 SCHLIESSEN_WARTEN 8872',
      'udp 1900  3920',
    ]);
    assert.equal(listenersFromWindowsNetstat(rows).length, 4);
  });

  it('reads tasklist as real machines print it: a header, a non-breaking thousands separator, /V columns', () => {
    const text = [
      '"Image Name","PID","Session Name","Session#","Mem Usage"',
      '"Abbildname","PID","Sitzungsname","Sitz.-Nr.","Speichernutzung"',
      '"Registry","172","Services","0","84\u00a0496 K"',
      '"svchost.exe","1056","Services","0","28.256 K"',
      '"node.exe","8123","Console","1","52,300 K","Running","DESKTOP-1\\dev","0:00:12","N/A"',
    ].join('\r\n');
    const procs = parseTasklistCsv(text);
    assert.deepEqual([...procs.keys()], [172, 1056, 8123]);
    assert.equal(procs.get(8123)?.name, 'node.exe');
  });

  it('reads a Windows 11 machine: connected UDP left out, repeated rows merged', async () => {
    const snap = await new WindowsBackend(machine(utf8Bytes(fx('netstat-en-win11.txt')), utf8Bytes(fx('tasklist-en-win11.csv'))).runner).snapshot();
    assert.deepEqual(snap.sockets.map(brief), [
      'tcp4 0.0.0.0 135 LISTEN [1016:svchost.exe]',
      'tcp6 :: 135 LISTEN [1016:svchost.exe]',
      'udp4 192.168.178.34 137 UNCONN [4:System]',
      'tcp4 192.168.178.34 139 LISTEN [4:System]',
      'tcp4 0.0.0.0 445 LISTEN [4:System]',
      'tcp6 :: 445 LISTEN [4:System]',
      'udp4 0.0.0.0 500 UNCONN [3920:svchost.exe]',
      'udp6 :: 500 UNCONN [3920:svchost.exe]',
      'udp4 127.0.0.1 1900 UNCONN [5116:svchost.exe]',
      'udp4 192.168.178.34 1900 UNCONN [5116:svchost.exe]',
      'udp6 ::1 1900 UNCONN [5116:svchost.exe]',
      'udp6 fe80::9c3a:41ff:fe17:b2d0%14 1900 UNCONN [5116:svchost.exe]',
      'tcp4 0.0.0.0 5040 LISTEN [6812:svchost.exe]',
      'udp4 0.0.0.0 5050 UNCONN [6812:svchost.exe]',
      'tcp4 127.0.0.1 5173 LISTEN [14520:node.exe]',
      'tcp6 ::1 5173 LISTEN [14520:node.exe]',
      'udp4 0.0.0.0 5353 UNCONN [2408:svchost.exe]',
      'udp4 0.0.0.0 5353 UNCONN [11032:Discord.exe]',
      'udp6 :: 5353 UNCONN [2408:svchost.exe]',
      'udp6 :: 5353 UNCONN [11032:Discord.exe]',
      'udp4 0.0.0.0 5355 UNCONN [2408:svchost.exe]',
      'tcp4 127.0.0.1 6463 LISTEN [11032:Discord.exe]',
      'tcp4 0.0.0.0 7680 LISTEN [] hidden',
      'tcp6 ::1 42050 LISTEN [7320:Code.exe]',
      'tcp4 0.0.0.0 49664 LISTEN [1180:lsass.exe]',
      'tcp6 :: 49664 LISTEN [1180:lsass.exe]',
      'tcp4 0.0.0.0 49665 LISTEN [964:wininit.exe]',
      'udp6 ::1 55467 UNCONN [5116:svchost.exe]',
      'udp4 127.0.0.1 55468 UNCONN [5116:svchost.exe]',
    ]);
    assert.ok(!snap.sockets.some((s) => s.port === 49701 || s.port === 59911), 'connected UDP sockets are not listed');
    assert.deepEqual(snap.connections, { tcpStates: { LISTEN: 14, ESTABLISHED: 5, TIME_WAIT: 1, SYN_SENT: 1 }, timeWait: 1, udpSockets: 17 });
  });
});

describe('windows: console text', () => {
  it('takes valid UTF-8 as UTF-8 and leaves OEM bytes one per character', () => {
    assert.equal(decodeConsoleText(asLatin1(utf8Bytes('ABHÖREN'))), 'ABHÖREN');
    assert.equal(decodeConsoleText(asLatin1(Buffer.from([0x41, 0x99, 0x42]))), 'A\u0099B');
    assert.equal(decodeConsoleText('plain'), 'plain');
  });
});

describe('windows: tasklist parser', () => {
  it('splits quoted CSV, keeping commas inside quotes', () => {
    assert.deepEqual(splitCsvRecord('"My App, Beta.exe","7788","Console","1","12,345 K"'), ['My App, Beta.exe', '7788', 'Console', '1', '12,345 K']);
    assert.deepEqual(splitCsvRecord('"a ""b""",2'), ['a "b"', '2']);
    assert.deepEqual(splitCsvRecord(''), []);
  });

  it('reads every process, System Idle Process and System included', () => {
    const procs = parseTasklistCsv(fx('tasklist-en.csv'));
    assert.equal(procs.size, 13);
    assert.deepEqual(procs.get(0), { pid: 0, name: 'System Idle Process', sessionName: 'Services', session: 0 });
    assert.equal(procs.get(4)?.name, 'System');
    assert.deepEqual(procs.get(7788), { pid: 7788, name: 'My App, Beta (x86) & Co.exe', sessionName: 'Console', session: 1 });
    assert.equal(parseTasklistCsv(fx('tasklist-de.csv')).get(7788)?.name, 'Übersicht, Test.exe');
  });

  it('skips lines that are not process records', () => {
    const text = 'INFO: No tasks are running which match the specified criteria.\r\n"x.exe","abc"\r\n"","5"\r\ngarbage\r\n"ok.exe","5","Console","1","1 K"';
    assert.deepEqual([...parseTasklistCsv(text).keys()], [5]);
  });
});

describe('WindowsBackend', () => {
  it('runs netstat and tasklist once each with the documented arguments', async () => {
    const { calls, runner } = machine(utf8Bytes(fx('netstat-en.txt')));
    const snap = await new WindowsBackend(runner).snapshot();
    assert.deepEqual(calls.map((c) => [c.file, ...c.args]), [
      ['netstat', '-ano'],
      ['tasklist', '/FO', 'CSV', '/NH'],
    ]);
    assert.ok(calls.every((c) => c.options?.encoding === 'latin1'), 'bytes are read one per character');
    assert.equal(snap.backend, 'win32-netstat');
    assert.deepEqual(snap.warnings, []);
    assert.deepEqual(snap.sockets.map(brief), LISTENERS);
    assert.ok(snap.sockets.every((s) => s.owners.every((o) => o.command === '')), 'command lines are fetched lazily');
    assert.equal(snap.connections?.timeWait, 2);
  });

  for (const lang of ['de', 'fr', 'it', 'zh', 'ru', 'es']) {
    it(`gives the same result for ${lang} output in UTF-8`, async () => {
      const snap = await new WindowsBackend(machine(utf8Bytes(fx(`netstat-${lang}.txt`))).runner).snapshot();
      assert.deepEqual(snap.sockets.map(brief), LISTENERS);
      if (lang === 'zh') {
        assert.equal(snap.connections?.timeWait, 2, 'Chinese Windows prints English state words');
      } else {
        assert.equal(snap.connections, undefined, 'translated state words are not counted');
      }
    });
  }

  it('reads German, French and Spanish output in OEM code page 850', async () => {
    for (const lang of ['de', 'fr', 'es']) {
      const bytes = encodeOem(fx(`netstat-${lang}.txt`), (c) => CP850[c]);
      assert.ok(bytes.includes(({ de: 0x99, fr: 0x90, es: 0xa2 } as Record<string, number>)[lang]), 'the fixture really holds an OEM byte');
      const snap = await new WindowsBackend(machine(bytes).runner).snapshot();
      assert.deepEqual(snap.sockets.map(brief), LISTENERS);
    }
  });

  it('reads Russian output in OEM code page 866', async () => {
    const bytes = encodeOem(fx('netstat-ru.txt'), CP866);
    const snap = await new WindowsBackend(machine(bytes).runner).snapshot();
    assert.deepEqual(snap.sockets.map(brief), LISTENERS);
  });

  it('keeps non-ASCII image names when the console is UTF-8', async () => {
    const { runner } = machine(utf8Bytes(fx('netstat-de.txt')), utf8Bytes(fx('tasklist-de.csv')));
    const snap = await new WindowsBackend(runner).snapshot();
    assert.equal(snap.sockets.find((s) => s.port === 8080)?.owners[0].name, 'Übersicht, Test.exe');
  });

  it('keeps the sockets with pids when tasklist fails', async () => {
    const { runner } = machine(utf8Bytes(fx('netstat-en.txt')), new InspectorError(`'tasklist' failed: ERROR: Access denied.`, 'FAILED'));
    const snap = await new WindowsBackend(runner).snapshot();
    assert.equal(snap.sockets.length, LISTENERS.length);
    assert.ok(snap.sockets.every((s) => s.owners.every((o) => o.name === '')));
    assert.equal(snap.warnings.length, 1);
    assert.match(snap.warnings[0], /tasklist failed/);
  });

  it('fails with TOOL_MISSING when netstat is missing', async () => {
    const { runner } = fakeRunner((c) =>
      c.file === 'netstat' ? new InspectorError(`'netstat' is not installed or not on the PATH.`, 'TOOL_MISSING') : ok(''),
    );
    await assert.rejects(new WindowsBackend(runner).snapshot(), (e: unknown) => {
      assert.ok(e instanceof InspectorError);
      assert.equal(e.code, 'TOOL_MISSING');
      assert.match(e.message, /netstat\.exe/);
      return true;
    });
  });

  it('passes other netstat failures through', async () => {
    const { runner } = fakeRunner(() => new InspectorError(`'netstat' did not answer within 20000 ms.`, 'TIMEOUT'));
    await assert.rejects(new WindowsBackend(runner).snapshot(), { code: 'TIMEOUT' });
  });

  it('returns an empty snapshot for garbage or empty output', async () => {
    for (const junk of ['', '\u0000\u00ff\r\nnot netstat at all\r\n']) {
      const { runner } = fakeRunner(() => ok(junk));
      const snap = await new WindowsBackend(runner).snapshot({ connections: false });
      assert.deepEqual(snap.sockets, []);
      assert.equal(snap.connections, undefined);
    }
  });
});

describe('windowsCommandLine', () => {
  const script = (args: readonly string[]): string => Buffer.from(args[args.length - 1], 'base64').toString('utf16le');

  it('asks PowerShell through an encoded command and returns the command line', async () => {
    const { calls, runner } = fakeRunner(() =>
      ok('\uFEFF{"pid":6120,"commandLine":"\\"C:\\\\Program Files\\\\nodejs\\\\node.exe\\" server.js --port 3000","path":"C:\\\\Program Files\\\\nodejs\\\\node.exe"}\r\n'),
    );
    assert.equal(await windowsCommandLine(6120, runner), '"C:\\Program Files\\nodejs\\node.exe" server.js --port 3000');
    assert.equal(calls.length, 1);
    assert.equal(calls[0].file, 'powershell.exe');
    assert.deepEqual(calls[0].args.slice(0, 3), ['-NoProfile', '-NonInteractive', '-EncodedCommand']);
    assert.equal(script(calls[0].args), commandLineScript(6120));
    assert.match(script(calls[0].args), /Win32_Process -Filter 'ProcessId = 6120'/);
  });

  it('falls back to pwsh and reports a missing PowerShell plainly', async () => {
    const missing = (file: string) => new InspectorError(`'${file}' is not installed or not on the PATH.`, 'TOOL_MISSING');
    const viaPwsh = fakeRunner((c) => (c.file === 'pwsh' ? ok('{"pid":7,"commandLine":"x.exe -y","path":null}') : missing(c.file)));
    assert.equal(await windowsCommandLine(7, viaPwsh.runner), 'x.exe -y');
    assert.deepEqual(viaPwsh.calls.map((c) => c.file), ['powershell.exe', 'pwsh']);
    const none = fakeRunner((c) => missing(c.file));
    await assert.rejects(windowsCommandLine(7, none.runner), { code: 'TOOL_MISSING', message: /PowerShell/ });
  });

  it('tells a vanished process from an unreadable command line', async () => {
    assert.equal(await windowsCommandLine(77, fakeRunner(() => ok('')).runner), undefined);
    assert.equal(await windowsCommandLine(4, fakeRunner(() => ok('{"pid":4,"commandLine":null,"path":null}')).runner), '');
    assert.equal(await windowsCommandLine(0, fakeRunner(() => new Error('must not run')).runner), undefined);
  });

  it('rejects garbage output and bad pids with clear errors', async () => {
    await assert.rejects(windowsCommandLine(5, fakeRunner(() => ok('Get-CimInstance : Access denied')).runner), { code: 'PARSE' });
    await assert.rejects(windowsCommandLine(5, fakeRunner(() => ok('{"pid":6,"commandLine":"other"}')).runner), { code: 'PARSE' });
    await assert.rejects(windowsCommandLine(-1), { code: 'FAILED' });
    await assert.rejects(windowsCommandLine(1.5), { code: 'FAILED' });
    assert.equal(parseCommandLineJson('noise before {"pid":9,"commandLine":"a"} after', 9), 'a');
  });
});

describe('windows: parent chains (terminal detection)', () => {
  const script = (args: readonly string[]): string => Buffer.from(args[args.length - 1], 'base64').toString('utf16le');
  // `npm run dev` in an integrated terminal whose shell is pwsh.exe 7000: node.exe 14520 → cmd.exe 14400
  // → node.exe 14300 (npm) → pwsh.exe 7000 → OpenConsole.exe 6900 → Code.exe 6000. Pid 8800 names parent
  // 3100, which exited; 3100 now belongs to a newer process, so that link is not real.
  const TABLE = [
    '0 0 -',
    '4 0 1764000000000',
    '6000 5800 1764000100000',
    '6900 6000 1764000200000',
    '7000 6900 1764000201000',
    '14300 7000 1764000300000',
    '14400 14300 1764000300500',
    '14520 14400 1764000301000',
    '8800 3100 1764000250000',
    '3100 6000 1764000400000',
    'not a line',
    '',
  ].join('\r\n');

  it('asks WMI for the whole table in one PowerShell call, as plain lines', async () => {
    const { calls, runner } = fakeRunner(() => ok(`\uFEFF${TABLE}`));
    const parents = await readWindowsParents(runner);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].file, 'powershell.exe');
    assert.equal(script(calls[0].args), processTableScript());
    assert.match(processTableScript(), /Win32_Process -Property ProcessId,ParentProcessId,CreationDate/);
    assert.equal(parents.get(14520), 14400);
    assert.equal(parents.has(8800), false, 'a parent created after its child is a reused pid');
    assert.equal(parents.has(0), false, 'the idle process is its own parent');
  });

  it('reads the table and cuts only impossible links', () => {
    const table = parseProcessTable(TABLE);
    assert.equal(table.size, 10);
    assert.deepEqual(table.get(0), { ppid: 0 });
    assert.deepEqual(table.get(14520), { ppid: 14400, created: 1764000301000 });
    const links = parentLinks(new Map([[5, { ppid: 77, created: 10 }]]));
    assert.equal(links.get(5), 77, 'a parent that has exited keeps its link: the chain ends there');
  });

  it('follows the whole chain to the terminal shell, not just the direct parent', async () => {
    const { runner } = fakeRunner(() => ok(TABLE));
    const parents = await readParents([14520, 8800], { platform: 'win32', runner, stopAt: new Set([7000]) });
    const matches = terminalsOfProcesses([14520, 8800], parents, new Map([[7000, 'dev']]));
    assert.deepEqual(matches.get(14520), { shellPid: 7000, value: 'dev', depth: 2 });
    assert.equal(matches.has(8800), false);
  });

  it('says plainly when PowerShell is missing', async () => {
    const missing = (file: string) => new InspectorError(`'${file}' is not installed or not on the PATH.`, 'TOOL_MISSING');
    await assert.rejects(readParents([1], { platform: 'win32', runner: fakeRunner((c) => missing(c.file)).runner }), {
      code: 'TOOL_MISSING',
      message: /PowerShell is not available/,
    });
    await assert.rejects(readWindowsParents(fakeRunner(() => ok('Get-CimInstance : Access denied')).runner), { code: 'PARSE' });
  });
});

describe('windows: the process table for stopping (names, tree, protection)', () => {
  // Code.exe 6000 → its extension host 6100 (this process, in the test), and OpenConsole.exe 6900 → a
  // terminal's pwsh.exe 7000 → npm's node.exe 14300 → cmd.exe 14400 → the dev server node.exe 14520 on
  // the port, which started a watcher esbuild.exe 14600. WMI prints the name last; it may hold spaces.
  const TABLE = [
    '0 0 - System Idle Process',
    '4 0 1764000000000 System',
    '6000 5800 1764000100000 Code.exe',
    '6100 6000 1764000101000 Code Helper.exe',
    '6900 6000 1764000150000 OpenConsole.exe',
    '7000 6900 1764000200000 pwsh.exe',
    '14300 7000 1764000300000 node.exe',
    '14400 14300 1764000300500 cmd.exe',
    '14520 14400 1764000301000 node.exe',
    '14600 14520 1764000302000 esbuild.exe',
  ].join('\r\n');

  it('reads parents and names from one WMI call; the old three-column lines still parse', async () => {
    const { calls, runner } = fakeRunner(() => ok(TABLE));
    const table = await readProcessTable('win32', '/proc', runner);
    assert.equal(calls.length, 1);
    assert.match(processTableScript(), /ProcessId,ParentProcessId,CreationDate,Name/);
    assert.equal(table.parentsUnknown, undefined);
    assert.equal(table.parents.get(14520), 14400);
    assert.equal(table.names?.get(6100), 'Code Helper.exe');
    assert.equal(table.names?.get(0), 'System Idle Process');
    assert.deepEqual(parseProcessTable('14520 14400 1764000301000\r\n'), new Map([[14520, { ppid: 14400, created: 1764000301000 }]]));
  });

  it("names the tree a stop would end, and protects VS Code's own processes", async () => {
    const table = await readProcessTable('win32', '/proc', fakeRunner(() => ok(TABLE)).runner);
    const protect = protectedPids(table.parents, { selfPid: 6100, siblings: true });
    assert.match(protect.get(6000) ?? '', /parent of this process/, 'Code.exe, the extension host\'s parent');
    assert.match(protect.get(6900) ?? '', /VS Code's own processes/, 'a sibling of the extension host');
    assert.equal(protect.has(7000), false, "the terminal's shell is not VS Code's: what runs there stays stoppable");
    assert.deepEqual(
      jobMembers([14520], table, protect, 6100).map((m) => `${m.pid} ${m.name} ${m.relation}`),
      ['14600 esbuild.exe child'],
      'no process groups on Windows: the descendants only',
    );
  });

  it('ends the confirmed members one by one; taskkill /T only when the table could not be read', async () => {
    const snapshot = async (): Promise<Snapshot> =>
      ({
        sockets: [{ protocol: 'tcp', family: 'ipv4', address: '127.0.0.1', port: 3000, state: 'LISTEN', ownerVisible: true, owners: [{ pid: 14520, name: 'node.exe', command: 'node.exe' }] }],
        warnings: [],
      }) as unknown as Snapshot;
    const table = await readProcessTable('win32', '/proc', fakeRunner(() => ok(TABLE)).runner);
    const kills: string[] = [];
    const deps = {
      snapshot,
      platform: 'win32' as const,
      protect: () => new Map<number, string>(),
      verify: () => undefined,
      kill: async (pid: number, _sig: string, tree: boolean) => void kills.push(`${pid}${tree ? ' /T' : ''}`),
      pollMs: 1,
      settleMs: 0,
    };
    await freePort({ port: 3000, targets: [{ pid: 14520 }], tree: true, job: [{ pid: 14600 }], timeoutMs: 0 }, { ...deps, processTable: async () => table });
    assert.deepEqual(kills, ['14520', '14600']);

    kills.length = 0;
    const missing = fakeRunner(() => new InspectorError("'powershell.exe' is not installed or not on the PATH.", 'TOOL_MISSING')).runner;
    const unknown = await readProcessTable('win32', '/proc', missing);
    assert.match(unknown.parentsUnknown ?? '', /PowerShell is not available|not installed/);
    await freePort({ port: 3000, targets: [{ pid: 14520 }], tree: true, timeoutMs: 0 }, { ...deps, processTable: async () => unknown });
    assert.deepEqual(kills, ['14520 /T']);
  });
});

describe('windows: reserved port ranges (netsh excludedportrange)', () => {
  const EN_TCP = [
    { start: 2869, end: 2869, administered: false },
    { start: 5357, end: 5357, administered: false },
    { start: 7421, end: 7520, administered: false },
    { start: 27339, end: 27339, administered: false },
    { start: 49682, end: 49781, administered: false },
    { start: 50000, end: 50059, administered: true },
    { start: 50060, end: 50159, administered: false },
    { start: 54235, end: 54334, administered: false },
  ];

  it('reads the rows by their shape, in English, German (UTF-8 or OEM 850) and Chinese', () => {
    assert.deepEqual(parseExcludedPortRanges(fx('netsh-excluded-tcp-en.txt')), EN_TCP);
    const de = [
      { start: 5357, end: 5357, administered: false },
      { start: 49682, end: 49781, administered: false },
      { start: 50000, end: 50059, administered: true },
    ];
    assert.deepEqual(parseExcludedPortRanges(fx('netsh-excluded-tcp-de.txt')), de);
    const oem = encodeOem(fx('netsh-excluded-tcp-de.txt'), (c) => CP850[c]);
    assert.deepEqual(parseExcludedPortRanges(decodeConsoleText(asLatin1(oem))), de);
    // The Chinese table as a PowerShell test quotes it (SOURCES.md).
    const zh = '协议 tcp 端口排除范围\r\n\r\n开始端口    结束端口\r\n----------    --------\r\n      1080        1179\r\n\r\n* - 管理的端口排除。\r\n';
    assert.deepEqual(parseExcludedPortRanges(zh), [{ start: 1080, end: 1179, administered: false }]);
    assert.deepEqual(parseExcludedPortRanges(fx('netsh-excluded-udp-empty-en.txt')), []);
    assert.deepEqual(parseExcludedPortRanges('The requested operation requires elevation.\r\n 2 1\r\n 70000 70001\r\n 5 6 7\r\n'), []);
  });

  it('asks netsh for IPv4 and IPv6, TCP and UDP, only on Windows', async () => {
    const { calls, runner } = fakeRunner((c) =>
      ok(asLatin1(utf8Bytes(fx(c.args.includes('protocol=udp') ? 'netsh-excluded-udp-empty-en.txt' : c.args[1] === 'ipv6' ? 'netsh-excluded-tcp-de.txt' : 'netsh-excluded-tcp-en.txt')))),
    );
    const found = await readReservedPortRanges({ platform: 'win32', runner });
    assert.deepEqual(calls.map((c) => [c.file, ...c.args].join(' ')), [
      'netsh interface ipv4 show excludedportrange protocol=tcp',
      'netsh interface ipv6 show excludedportrange protocol=tcp',
      'netsh interface ipv4 show excludedportrange protocol=udp',
      'netsh interface ipv6 show excludedportrange protocol=udp',
    ]);
    assert.ok(calls.every((c) => c.options?.timeoutMs === 10_000 && c.options.encoding === 'latin1'));
    assert.deepEqual(excludedPortRangeArgs(6, 'udp'), ['interface', 'ipv6', 'show', 'excludedportrange', 'protocol=udp']);
    assert.equal(found?.ranges.length, 11);
    assert.deepEqual(found?.problems, []);
    const inside = rangesContaining(found?.ranges ?? [], 50010, 'tcp');
    assert.deepEqual(describeReservedRanges(inside), ['TCP 50000–50059 (IPv4, IPv6; administered)']);
    assert.deepEqual(describeReservedRanges(rangesContaining(found?.ranges ?? [], 7500)), ['TCP 7421–7520 (IPv4)']);
    assert.deepEqual(rangesContaining(found?.ranges ?? [], 50010, 'udp'), []);

    const elsewhere = fakeRunner(() => new Error('must not run'));
    assert.equal(await readReservedPortRanges({ platform: 'linux', runner: elsewhere.runner }), undefined);
    assert.equal(elsewhere.calls.length, 0);
  });

  it('turns a missing or failing netsh into one plain problem, keeping what could be read', async () => {
    const missing = await readReservedPortRanges({
      platform: 'win32',
      runner: fakeRunner(() => new InspectorError(`'netsh' is not installed or not on the PATH.`, 'TOOL_MISSING')).runner,
    });
    assert.deepEqual(missing?.ranges, []);
    assert.equal(missing?.problems.length, 1);
    assert.match(missing?.problems[0] ?? '', /netsh\.exe was not found/);
    const partly = await readReservedPortRanges({
      platform: 'win32',
      protocols: ['tcp'],
      runner: fakeRunner((c) => (c.args[1] === 'ipv6' ? new InspectorError(`'netsh' did not answer within 10000 ms.`, 'TIMEOUT') : ok(fx('netsh-excluded-tcp-en.txt')))).runner,
    });
    assert.equal(partly?.ranges.length, EN_TCP.length);
    assert.deepEqual(partly?.problems, [`The TCP/IPv6 reserved port ranges could not be read: 'netsh' did not answer within 10000 ms.`]);
  });

  it('says in the troubleshooting report when a free port lies in a reserved range', async () => {
    const snapshot = { takenAt: 1, backend: 'win32-netstat', durationMs: 1, sockets: [], warnings: [] };
    const reader = (protocols: readonly ('tcp' | 'udp')[]) =>
      readReservedPortRanges({ platform: 'win32', protocols, runner: fakeRunner((c) => ok(c.args.includes('protocol=tcp') ? fx('netsh-excluded-tcp-en.txt') : '')).runner });
    const facts = await gatherTroubleshootFacts({ port: 50010, protocol: 'tcp', snapshot, platform: 'win32', reservedRanges: reader, now: 1 });
    assert.equal(facts.reservedRanges?.length, 2);
    const step = buildTroubleshootReport(facts).steps.find((x) => x.id === 'nothing-listening');
    assert.equal(step?.verdict, 'warn');
    assert.match(step?.summary ?? '', /Port 50010 is in a range Windows reserves \(TCP 50000–50059 \(IPv4, IPv6; administered\)\)/);
    assert.match(step?.markdown ?? '', /lies in a port range Windows reserves: TCP 50000–50059.*fails with `EACCES`.*An administrator reserved the range/);

    const free = await gatherTroubleshootFacts({ port: 3000, protocol: 'tcp', snapshot, platform: 'win32', reservedRanges: reader, now: 1 });
    assert.deepEqual(free.reservedRanges, []);
    assert.match(buildTroubleshootReport(free).markdown, /Port 3000 is in none of the port ranges Windows reserves/);
    const dynamic = await gatherTroubleshootFacts({ port: 7500, protocol: 'tcp', snapshot, platform: 'win32', reservedRanges: reader, now: 1 });
    assert.match(buildTroubleshootReport(dynamic).markdown, /restarting WinNAT/);

    const linux = await gatherTroubleshootFacts({ port: 50010, protocol: 'tcp', snapshot, platform: 'linux', reservedRanges: (p) => readReservedPortRanges({ platform: 'linux', protocols: p }), now: 1 });
    assert.equal(linux.reservedRanges, undefined);
    assert.doesNotMatch(buildTroubleshootReport(linux).markdown, /Windows reserves/);
  });
});
