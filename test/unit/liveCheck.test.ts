// The live check's own readings of ss, lsof and netstat, and its verdicts, on hand-made output: the
// script itself runs against the real tools in `npm test` and CI.
import * as assert from 'node:assert/strict';
import { checkSocket, parseLsofTable, parseNetstatAno, parseSs } from '../../scripts/liveCheck';
import type { ListeningSocket } from '../../src/core/types';

const socket = (protocol: 'tcp' | 'udp', family: 4 | 6, address: string, port: number, pids: number[]): ListeningSocket => ({
  protocol,
  family,
  address,
  port,
  state: protocol === 'tcp' ? 'LISTEN' : 'UNCONN',
  owners: pids.map((pid) => ({ pid, name: 'node', command: '' })),
  ownerVisible: pids.length > 0,
});

describe('live check: reading the platform tools', () => {
  it('reads ss, lsof and netstat listings', () => {
    assert.deepEqual(
      parseSs('tcp LISTEN 0 511 127.0.0.1:41234 0.0.0.0:* users:(("node",pid=9,fd=21),("node",pid=10,fd=3))\nudp UNCONN 0 0 [::1]:5353 [::]:* users:(("node",pid=9,fd=22))\nnoise\n'),
      [
        { protocol: 'tcp', family: 4, address: '127.0.0.1', port: 41234, pids: [9, 10] },
        { protocol: 'udp', family: 6, address: '::1', port: 5353, pids: [9] },
      ],
    );
    const lsof = [
      'COMMAND   PID USER   FD   TYPE             DEVICE SIZE/OFF NODE NAME',
      'node      900 dev   21u  IPv4 0x5e1a0c3f6d2b71a9      0t0  TCP 127.0.0.1:41234 (LISTEN)',
      'node      901 dev    3u  IPv4 0x5e1a0c3f6d2b71a9      0t0  TCP 127.0.0.1:41234 (LISTEN)',
      'node      900 dev   22u  IPv6 0x5e1a0c3f6d2b71b0      0t0  UDP [::1]:5353',
      'node      900 dev   23u  IPv4 0x5e1a0c3f6d2b71c0      0t0  UDP 127.0.0.1:6000->127.0.0.1:5353',
    ].join('\n');
    assert.deepEqual(parseLsofTable(lsof), [
      { protocol: 'tcp', family: 4, address: '127.0.0.1', port: 41234, pids: [900, 901] },
      { protocol: 'udp', family: 6, address: '::1', port: 5353, pids: [900] },
    ]);
    const netstat = [
      '  TCP    127.0.0.1:41234        0.0.0.0:0              LISTENING       900',
      '  TCP    127.0.0.1:41234        127.0.0.1:6001         ESTABLISHED     900',
      '  TCP    [::1]:41235            [::]:0                 ABHÖREN         900',
      '  UDP    127.0.0.1:5353         *:*                                    900',
      '  UDP    127.0.0.1:6000         127.0.0.1:5353                         900',
    ].join('\r\n');
    assert.deepEqual(parseNetstatAno(netstat), [
      { protocol: 'tcp', family: 4, address: '127.0.0.1', port: 41234, pids: [900] },
      { protocol: 'tcp', family: 6, address: '::1', port: 41235, pids: [900] },
      { protocol: 'udp', family: 4, address: '127.0.0.1', port: 5353, pids: [900] },
    ]);
  });
});

describe('live check: verdicts', () => {
  const shared = { label: 'shared', protocol: 'tcp' as const, family: 4 as const, address: '127.0.0.1', port: 41234, pids: [900, 901], listening: true };

  it('agrees when the back-end and the tool name every holder', () => {
    const snapshot = { sockets: [socket('tcp', 4, '127.0.0.1', 41234, [900, 901])] };
    assert.equal(checkSocket(shared, snapshot, [{ ...shared, pids: [900, 901] }], 'ss', 'linux'), '');
  });

  it('reports a missing socket, a holder left out, and a connected socket listed as a listener', () => {
    const tool = [{ ...shared, pids: [900, 901] }];
    assert.equal(checkSocket(shared, { sockets: [] }, tool, 'ss', 'linux'), 'missing from the back-end');
    assert.equal(
      checkSocket(shared, { sockets: [socket('tcp', 4, '127.0.0.1', 41234, [900])] }, tool, 'ss', 'linux'),
      'the back-end names 900, ss names 900, 901',
    );
    const connected = { ...shared, protocol: 'udp' as const, port: 6000, pids: [900], listening: false };
    assert.equal(
      checkSocket(connected, { sockets: [socket('udp', 4, '127.0.0.1', 6000, [900])] }, [], 'netstat', 'win32'),
      'listed as a listener by the back-end, but it is connected',
    );
  });

  it('accepts one of the sharers on Windows, where netstat names one process per socket', () => {
    const snapshot = { sockets: [socket('tcp', 4, '127.0.0.1', 41234, [900])] };
    assert.equal(checkSocket(shared, snapshot, [{ ...shared, pids: [900] }], 'netstat', 'win32'), '');
    assert.match(checkSocket(shared, snapshot, [{ ...shared, pids: [900] }], 'lsof', 'darwin'), /lsof names 900, the holders are 900, 901/);
  });
});
