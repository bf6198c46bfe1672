import * as assert from 'node:assert/strict';
import { Commands } from '../../src/constants';
import type { ListeningSocket, ProcessInfo, Snapshot } from '../../src/core/types';
import { buildPortHover, hoverTitle, isHttpUrlPort } from '../../src/model/hoverContent';
import type { PortFileKind, PortMention } from '../../src/model/portFinder';
import { findPorts } from '../../src/model/portFinder';
import { parseLabels } from '../../src/model/portLabels';
import { OWN_COMMANDS, assertInertHover } from '../support/markdownInert';

const NOW = 1_700_000_000_000;

function mentionIn(text: string, kind: PortFileKind, port: number, index = 0): PortMention {
  const found = findPorts(text, kind).filter((m) => m.port === port);
  assert.ok(found[index], `no mention of ${port} in ${JSON.stringify(text)}`);
  return found[index];
}

function owner(pid: number, name: string, command: string): ProcessInfo {
  return { pid, name, command, user: 'dev', uid: 1000, ppid: 1, startTime: 1 };
}

function socket(port: number, address: string, owners: ProcessInfo[], protocol: 'tcp' | 'udp' = 'tcp'): ListeningSocket {
  return {
    protocol,
    family: address.includes(':') ? 6 : 4,
    address,
    port,
    state: protocol === 'tcp' ? 'LISTEN' : 'UNCONN',
    owners,
    ownerVisible: owners.length > 0,
    uid: owners.length > 0 ? 1000 : 0,
  };
}

function snap(...sockets: ListeningSocket[]): Pick<Snapshot, 'sockets' | 'takenAt'> {
  return { sockets, takenAt: NOW - 4000 };
}

/** The command links of a hover, decoded: [command, args]. */
function links(markdown: string): Array<{ command: string; args: unknown }> {
  return [...markdown.matchAll(/\]\(command:([\w.]+)(?:\?([^)\s]*))?\)/g)].map((m) => ({
    command: m[1],
    args: m[2] ? JSON.parse(decodeURIComponent(m[2])) : undefined,
  }));
}

describe('buildPortHover', () => {
  it('says a port nobody holds is free, with its range, IANA name and common use, and only Refresh, Troubleshoot and Activity links', () => {
    const mention = mentionIn('PORT=3000\n', 'env', 3000);
    const hover = buildPortHover({ mention, snapshot: snap(), now: NOW });
    const lines = hover.markdown.split('\n');
    assert.match(lines[0], /^\*\*3000\/tcp\*\* — a port a program is told to listen on/);
    assert.match(hover.markdown, /Registered port \\\(1024–49151\\\)/);
    assert.match(hover.markdown, /IANA: /);
    assert.match(hover.markdown, /Commonly: /);
    assert.match(hover.markdown, /\*\*Free\*\* — nothing on this machine uses 3000\/tcp\./);
    assert.match(hover.markdown, /Live status from 4 s ago/);
    assert.deepEqual(hover.enabledCommands, [Commands.refresh, Commands.troubleshootPort, Commands.showPortActivity]);
    assert.deepEqual(links(hover.markdown), [
      { command: Commands.refresh, args: undefined },
      { command: Commands.troubleshootPort, args: [{ port: 3000, protocol: 'tcp' }] },
      { command: Commands.showPortActivity, args: [{ port: 3000, protocol: 'tcp' }] },
    ]);
    assertInertHover(hover.markdown);
  });

  it('names the holder: pid, command line, terminal, loopback only, and links its actions by port', () => {
    const mention = mentionIn('PORT=3000\n', 'env', 3000);
    const node = owner(4242, 'node', 'node /home/dev/app/node_modules/.bin/vite --port 3000');
    const hover = buildPortHover({
      mention,
      snapshot: snap(socket(3000, '127.0.0.1', [node])),
      now: NOW,
      terminalOf: (pid) => (pid === 4242 ? 'dev' : undefined),
      labels: parseLabels({ '3000': 'web app' }).labels,
    });
    assert.match(hover.markdown, /\*\*In use\*\* by:/);
    assert.match(hover.markdown, /\*\*node\*\* \(pid 4242\)/);
    assert.match(hover.markdown, / · node \/home\/dev\/app\/node\\_modules\/\\\.bin\/vite \\-\\-port 3000 · /);
    assert.match(hover.markdown, /in terminal "dev"/);
    assert.match(hover.markdown, /loopback only/);
    assert.match(hover.markdown, /Your label: \*\*web app\*\*/);
    const ref = { port: 3000, protocol: 'tcp', address: '127.0.0.1' };
    assert.deepEqual(
      links(hover.markdown).map((l) => l.command),
      [Commands.freePort, Commands.testConnection, Commands.openInBrowser, Commands.revealPort, Commands.refresh, Commands.troubleshootPort, Commands.showPortActivity],
    );
    assert.deepEqual(links(hover.markdown)[5].args, [{ port: 3000, protocol: 'tcp' }]);
    assert.deepEqual(links(hover.markdown)[6].args, [{ port: 3000, protocol: 'tcp' }]);
    for (const l of links(hover.markdown).slice(0, 4)) {
      assert.deepEqual(l.args, [ref], l.command);
    }
    assert.deepEqual(
      [...hover.enabledCommands].sort(),
      [Commands.freePort, Commands.openInBrowser, Commands.refresh, Commands.revealPort, Commands.showPortActivity, Commands.testConnection, Commands.troubleshootPort].sort(),
    );
    assertInertHover(hover.markdown);
  });

  it('says a wildcard bind is reachable from the network, and lists each holder once', () => {
    const mention = mentionIn('server.port=8081\n', 'properties', 8081);
    const java = owner(77, 'java', 'java -jar app.jar');
    const hover = buildPortHover({ mention, snapshot: snap(socket(8081, '0.0.0.0', [java]), socket(8081, '::', [java])), now: NOW });
    assert.match(hover.markdown, /reachable from the network/);
    assert.equal(hover.markdown.match(/pid 77/g)?.length, 1);
  });

  it('keeps hostile process names, command lines, terminal names and labels inert', () => {
    const hostile = [
      '[x](command:workbench.action.quit)',
      '<img src=x onerror=alert(1)>',
      '![i](https://evil.example/p.png)',
      '[y](command:portInspector.freePort?%5B%7B%22port%22%3A22%2C%22protocol%22%3A%22tcp%22%7D%5D)',
      'https://evil.example/ **bold** _em_ `tick` <b>b</b> $(zap) &lt;script&gt;',
      '[z]: command:workbench.action.quit',
    ];
    for (const text of hostile) {
      const evil = owner(666, text, `${text} --also ${text}`);
      const mention = mentionIn('PORT=3000\n', 'env', 3000);
      const hover = buildPortHover({
        mention,
        snapshot: snap(socket(3000, '127.0.0.1', [evil])),
        now: NOW,
        terminalOf: () => text,
        labels: parseLabels({ '3000': text }).labels,
        scanError: text,
      });
      assertInertHover(hover.markdown);
      // The links are the extension's own, with the arguments it wrote.
      for (const l of links(hover.markdown)) {
        assert.ok(OWN_COMMANDS.has(l.command), l.command);
        const allowed = [[{ port: 3000, protocol: 'tcp', address: '127.0.0.1' }], [{ port: 3000, protocol: 'tcp' }]].map((a) => JSON.stringify(a));
        assert.ok(l.args === undefined || allowed.includes(JSON.stringify(l.args)));
      }
      assert.ok(!hover.enabledCommands.some((c) => !c.startsWith('portInspector.')));
      // Still readable: the name is there, escaped.
      assert.match(hover.markdown, /pid 666/);
    }
  });

  it('keeps hostile text from the file itself inert (an address, a variable name)', () => {
    const text = 'API_URL=http://[x](command:workbench.action.quit)@127.0.0.1:3000/\nPORT=${P<img>ORT:-4000}\n';
    for (const m of findPorts(text, 'env')) {
      assertInertHover(buildPortHover({ mention: m, snapshot: snap(), now: NOW }).markdown);
    }
    const compose = 'services:\n  web:\n    ports:\n      - "${HOST_[a](command:x)}:8080:80"\n';
    for (const m of findPorts(compose, 'compose')) {
      assertInertHover(buildPortHover({ mention: m, snapshot: snap(), now: NOW }).markdown);
    }
  });

  it('keeps a scan error inert when there is no snapshot', () => {
    const mention = mentionIn('PORT=3000\n', 'env', 3000);
    const hover = buildPortHover({ mention, now: NOW, scanError: "'ss' failed: [x](command:workbench.action.quit) <img>" });
    assert.match(hover.markdown, /Live status unknown: listing ports failed/);
    assertInertHover(hover.markdown);
  });

  it('without a snapshot says the status is unknown and offers Refresh', () => {
    const mention = mentionIn('PORT=3000\n', 'env', 3000);
    const hover = buildPortHover({ mention, now: NOW });
    assert.match(hover.markdown, /Live status unknown — open the Ports view or run Refresh\./);
    assert.deepEqual(hover.enabledCommands, [Commands.refresh, Commands.troubleshootPort, Commands.showPortActivity]);
  });

  it('shows both sides of a mapping: host side live from the snapshot, container side inside the container', () => {
    const compose = 'services:\n  web:\n    ports:\n      - "127.0.0.1:8080:80"\n';
    const proxy = owner(900, 'docker-proxy', 'docker-proxy -proto tcp -host-ip 127.0.0.1 -host-port 8080 -container-ip 172.17.0.2 -container-port 80');
    const s = snap(socket(8080, '127.0.0.1', [proxy]), socket(80, '0.0.0.0', [owner(1, 'nginx', 'nginx: master')]));

    const host = buildPortHover({ mention: mentionIn(compose, 'compose', 8080), snapshot: s, now: NOW }).markdown;
    assert.match(host, /^\*\*8080\/tcp\*\* — host side of a port mapping at 127\\\.0\\\.0\\\.1\n/);
    assert.match(host, /\*\*Host side\*\* \(8080\/tcp\): \*\*In use\*\* by:/);
    assert.match(host, /\*\*docker\\-proxy\*\* \(pid 900\)/);
    assert.match(host, /\*\*Container side\*\* \(80\/tcp\): inside the container/);
    // The container's 80 is not this machine's 80: the host's nginx (pid 1) must not be mentioned.
    assert.doesNotMatch(host, /pid 1\)/);

    const container = buildPortHover({ mention: mentionIn(compose, 'compose', 80), snapshot: s, now: NOW });
    assert.match(container.markdown, /^\*\*80\/tcp\*\* — container side of a port mapping/);
    assert.match(container.markdown, /\*\*Container side\*\* \(80\/tcp\): inside the container/);
    assert.match(container.markdown, /\*\*Host side\*\* \(8080\/tcp\) at 127\\\.0\\\.0\\\.1: \*\*In use\*\* by:/);
    assert.doesNotMatch(container.markdown, /pid 1\)/);
    assert.deepEqual(links(container.markdown)[0], { command: Commands.freePort, args: [{ port: 8080, protocol: 'tcp', address: '127.0.0.1' }] });
  });

  it('describes an EXPOSEd port as the container\u2019s, with no live status', () => {
    const hover = buildPortHover({ mention: mentionIn('FROM node:20\nEXPOSE 3000/tcp\n', 'dockerfile', 3000), snapshot: snap(socket(3000, '0.0.0.0', [owner(5, 'node', 'node')])), now: NOW });
    assert.match(hover.markdown, /a port the container listens on/);
    assert.match(hover.markdown, /Not published by this line/);
    assert.doesNotMatch(hover.markdown, /In use|Free/);
    assert.deepEqual(hover.enabledCommands, []);
  });

  it('reads UDP as UDP: a UDP holder, no TCP socket mixed in, no Open in Browser', () => {
    const compose = 'services:\n  dns:\n    ports:\n      - "53:53/udp"\n';
    const mention = mentionIn(compose, 'compose', 53);
    assert.equal(mention.protocol, 'udp');
    assert.equal(hoverTitle(mention), '**53/udp**');
    const dnsmasq = owner(53, 'dnsmasq', 'dnsmasq --no-daemon');
    const tcpOnly = buildPortHover({ mention, snapshot: snap(socket(53, '127.0.0.53', [owner(2, 'systemd-resolve', 'x')], 'tcp')), now: NOW });
    assert.match(tcpOnly.markdown, /\*\*Free\*\* — nothing on this machine uses 53\/udp/);
    const held = buildPortHover({ mention, snapshot: snap(socket(53, '0.0.0.0', [dnsmasq], 'udp')), now: NOW });
    assert.match(held.markdown, /\*\*dnsmasq\*\* \(pid 53\)/);
    assert.ok(!held.enabledCommands.includes(Commands.openInBrowser));
    assert.deepEqual(links(held.markdown)[1], { command: Commands.testConnection, args: [{ port: 53, protocol: 'udp', address: '0.0.0.0' }] });
  });

  it('lists the taken ports of a range', () => {
    const compose = 'services:\n  app:\n    ports:\n      - "3000-3005:3000-3005"\n';
    const mention = mentionIn(compose, 'compose', 3000);
    assert.deepEqual(mention.range, [3000, 3005]);
    const hover = buildPortHover({ mention, snapshot: snap(socket(3002, '::1', [owner(12, 'ruby', 'rails s')]), socket(3009, '::1', [owner(13, 'x', 'x')])), now: NOW });
    assert.match(hover.markdown, /^\*\*3000–3005\/tcp\*\*/);
    assert.match(hover.markdown, /\*\*In use\*\* — 1 of these ports:/);
    assert.match(hover.markdown, /3002\/tcp:/);
    assert.doesNotMatch(hover.markdown, /3009|pid 13/);
  });

  it('does not check another machine: a URL to `db` gets no live status', () => {
    const mention = mentionIn('DATABASE_URL=postgres://app:pw@db:5432/app\n', 'env', 5432);
    const hover = buildPortHover({ mention, snapshot: snap(socket(5432, '127.0.0.1', [owner(3, 'postgres', 'postgres')])), now: NOW });
    assert.match(hover.markdown, /On db, not this machine/);
    assert.doesNotMatch(hover.markdown, /postgres \(pid/);
  });

  it('says when a holder cannot be seen, without Free Port', () => {
    const mention = mentionIn('PORT=3000\n', 'env', 3000);
    const hover = buildPortHover({ mention, snapshot: snap(socket(3000, '0.0.0.0', [])), now: NOW });
    assert.match(hover.markdown, /a process Port Inspector cannot see \(uid 0\)/);
    assert.ok(!hover.enabledCommands.includes(Commands.freePort));
    assert.ok(hover.enabledCommands.includes(Commands.revealPort));
  });

  it('offers Open in Browser for the port of an http(s) URL even when the port is not a known web port', () => {
    const line = 'API_URL=http://localhost:43337/api';
    assert.equal(isHttpUrlPort(line, line.indexOf('43337')), true);
    assert.equal(isHttpUrlPort('DB=postgres://localhost:43337/x', 24), false);
    assert.equal(isHttpUrlPort('see HTTPS://[::1]:443/', 18), true);
    const mention = mentionIn(`${line}\n`, 'env', 43337);
    const s = snap(socket(43337, '127.0.0.1', [owner(8, 'node', 'node api.js')]));
    assert.ok(!buildPortHover({ mention, snapshot: s, now: NOW }).enabledCommands.includes(Commands.openInBrowser));
    assert.ok(buildPortHover({ mention, snapshot: s, now: NOW, inHttpUrl: true }).enabledCommands.includes(Commands.openInBrowser));
  });

  it('truncates a huge command line', () => {
    const mention = mentionIn('PORT=3000\n', 'env', 3000);
    const hover = buildPortHover({ mention, snapshot: snap(socket(3000, '127.0.0.1', [owner(9, 'node', `node ${'x'.repeat(100_000)}`)])), now: NOW });
    assert.ok(hover.markdown.length < 3000, `hover is ${hover.markdown.length} characters`);
    assert.match(hover.markdown, /x… · loopback only/);
  });
});
