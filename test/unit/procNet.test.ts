import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { decodeProcAddress, formatIPv6 } from '../../src/inspector/linux/procNetAddress';
import * as fs from 'node:fs';
import { newTally, parseProcNetLine, parseProcNetTable, scanProcNetTable } from '../../src/inspector/linux/procNetTable';
import { parseProcStat } from '../../src/inspector/linux/procProcess';
import { parsePasswd } from '../../src/inspector/linux/userNames';

/** Encodes bytes the way the kernel prints them on this machine (per 32-bit word, host order). */
function procHex(bytes: number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const word = bytes.slice(i, i + 4);
    const ordered = os.endianness() === 'LE' ? word.reverse() : word;
    out += ordered.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('');
  }
  return out;
}

describe('procNetAddress', () => {
  it('decodes IPv4 addresses and ports', () => {
    assert.deepEqual(decodeProcAddress(`${procHex([127, 0, 0, 1])}:0BB8`), { address: '127.0.0.1', family: 4, port: 3000 });
    assert.deepEqual(decodeProcAddress(`${procHex([0, 0, 0, 0])}:0016`), { address: '0.0.0.0', family: 4, port: 22 });
  });

  it('decodes IPv6, and reports v4-mapped addresses as IPv4', () => {
    const loop6 = [...Array(15).fill(0), 1];
    assert.deepEqual(decodeProcAddress(`${procHex(loop6)}:1F90`), { address: '::1', family: 6, port: 8080 });
    const mapped = [...Array(10).fill(0), 0xff, 0xff, 127, 0, 0, 1];
    assert.deepEqual(decodeProcAddress(`${procHex(mapped)}:0050`), { address: '127.0.0.1', family: 4, port: 80 });
    assert.deepEqual(decodeProcAddress(`${procHex(Array(16).fill(0))}:0035`), { address: '::', family: 6, port: 53 });
  });

  it('formats IPv6 per RFC 5952', () => {
    const b = (groups: number[]): number[] => groups.flatMap((g) => [g >> 8, g & 0xff]);
    assert.equal(formatIPv6(b([0xfe80, 0, 0, 0, 0, 0, 0, 1])), 'fe80::1');
    assert.equal(formatIPv6(b([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1])), '2001:db8:0:1:1:1:1:1');
    assert.equal(formatIPv6(b([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1])), '2001:db8::1:0:0:1');
    assert.equal(formatIPv6(b([0x2001, 0, 0, 1, 0, 0, 0, 1])), '2001:0:0:1::1');
    assert.equal(formatIPv6(b([1, 0, 0, 0, 0, 0, 0, 0])), '1::');
  });

  it('rejects malformed addresses', () => {
    for (const bad of ['', 'zz', '0100007F', '0100007F:XYZ', '0100007F:1FFFF', '0100:0050', 'GG00007F:0050']) {
      assert.equal(decodeProcAddress(bad), undefined, bad);
    }
  });
});

describe('procNetTable', () => {
  const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
  const line = (local: string, st: string, uid: number, inode: number): string =>
    `   0: ${local} 00000000:0000 ${st} 00000000:00000000 00:00000000 00000000  ${uid}        0 ${inode} 1 0000000000000000 100 0 0 10 0`;

  it('marks TCP LISTEN and unconnected UDP as listening, nothing else', () => {
    const lo = procHex([127, 0, 0, 1]);
    const tcp = parseProcNetTable([header, line(`${lo}:0BB8`, '0A', 1000, 42), line(`${lo}:D431`, '01', 1000, 43), ''].join('\n'), 'tcp');
    assert.equal(tcp.length, 2);
    assert.deepEqual(
      tcp.map((e) => [e.port, e.listening, e.uid, e.inode]),
      [
        [3000, true, 1000, 42],
        [54321, false, 1000, 43],
      ],
    );
    const udp = parseProcNetTable([header, line(`${lo}:0035`, '07', 0, 7), line(`${lo}:0036`, '01', 0, 8)].join('\n'), 'udp');
    assert.deepEqual(udp.map((e) => e.listening), [true, false]);
  });

  it('fast scan agrees with the simple parser and tallies every row (live tables)', function () {
    if (process.platform !== 'linux') {
      this.skip();
    }
    for (const [file, protocol] of [['tcp', 'tcp'], ['tcp6', 'tcp'], ['udp', 'udp'], ['udp6', 'udp']] as const) {
      const text = fs.readFileSync(`/proc/net/${file}`, 'latin1');
      const all = parseProcNetTable(text, protocol);
      const tally = newTally();
      assert.deepEqual(scanProcNetTable(text, protocol, tally), all.filter((e) => e.listening), file);
      const counted = protocol === 'udp' ? tally.udpSockets : [...tally.tcpStates.values()].reduce((a, b) => a + b, 0);
      assert.equal(counted, all.length, file);
    }
  });

  it('fast scan skips the header, a cut last line and garbage', () => {
    const lo = procHex([127, 0, 0, 1]);
    const text = [header, line(`${lo}:0BB8`, '0A', 1, 42), 'garbage here', line(`${lo}:0BB9`, '0A', 1, 43).slice(0, 40)].join('\n');
    assert.deepEqual(scanProcNetTable(text, 'tcp').map((e) => e.port), [3000]);
  });

  it('skips cut or garbage lines', () => {
    assert.equal(parseProcNetLine('   3: 0100007F:0BB8 00000000:0000 0A 0000', 'tcp'), undefined);
    assert.equal(parseProcNetLine('garbage', 'tcp'), undefined);
    assert.equal(parseProcNetLine(header, 'tcp'), undefined);
  });
});

describe('parseProcStat', () => {
  it('finds fields after the last parenthesis, whatever the name contains', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i));
    fields[1] = '4242'; // ppid (field 4)
    fields[2] = '4240'; // pgrp (field 5)
    fields[19] = '987654'; // starttime (field 22)
    const stat = parseProcStat(`1234 (evil) name (x) ) ${['S', ...fields.slice(1)].join(' ')}`);
    assert.deepEqual(stat, { name: 'evil) name (x) ', ppid: 4242, pgrp: 4240, startTicks: 987654 });
    assert.equal(parseProcStat('nonsense'), undefined);
  });
});

describe('parsePasswd', () => {
  it('maps uids to the first name', () => {
    const m = parsePasswd('root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/:/usr/sbin/nologin\ntoor:x:0:0::/:/bin/sh\n#junk\n');
    assert.equal(m.get(0), 'root');
    assert.equal(m.get(65534), 'nobody');
    assert.equal(m.size, 2);
  });
});
