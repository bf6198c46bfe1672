import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { duplicateHostPorts, fileKindOf, findPorts, portAt, portAtPosition } from '../../src/model/portFinder';
import type { LineReader, PortFileKind, PortMention } from '../../src/model/portFinder';
import { YAML_LOOKBACK_LINES } from '../../src/model/portFinder/yamlContext';
import { fixturePath } from '../support/paths';
import { loadExpected, matches, scoreFile } from '../support/portCorpus';

// --- helpers

/** `[digits, port, protocol, role]` of each mention, in order: compact and readable in failures. */
function summary(text: string, kind: PortFileKind): string[] {
  return findPorts(text, kind).map((m) => `${text.slice(m.start, m.end)} ${m.port}/${m.protocol} ${m.role}`);
}

function only(text: string, kind: PortFileKind): PortMention {
  const all = findPorts(text, kind);
  assert.equal(all.length, 1, `expected one mention in ${JSON.stringify(text)}, got ${JSON.stringify(all)}`);
  return all[0];
}

function none(text: string, kind: PortFileKind): void {
  assert.deepEqual(findPorts(text, kind), [], `expected no port in ${JSON.stringify(text)}`);
}

/** A LineReader over a string, as an editor would provide it. */
function readerOf(text: string): LineReader {
  const lines = text.split('\n');
  const offsets: number[] = [];
  let at = 0;
  for (const line of lines) {
    offsets.push(at);
    at += line.length + 1;
  }
  return { lineCount: lines.length, lineText: (i) => lines[i], lineOffset: (i) => offsets[i] };
}

function ms(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

// --- the corpus

describe('portFinder: fixture corpus', () => {
  const expected = loadExpected();
  for (const file of Object.keys(expected)) {
    it(`finds exactly the marked ports in ${file}`, () => {
      const score = scoreFile(file, expected[file]);
      const describe = (m: PortMention): string => `${m.line}: ${m.port}/${m.protocol} ${m.role} (${m.context})`;
      assert.deepEqual(score.falsePositives.map(describe), [], 'false positives');
      const unexpectedMisses = score.falseNegatives.filter((e) => !e.missed);
      assert.deepEqual(unexpectedMisses, [], 'missed ports not marked as known misses');
      for (const known of expected[file].filter((e) => e.missed)) {
        assert.ok(!score.found.some((f) => matches(f, known)), `now found (drop its "missed"): ${JSON.stringify(known)}`);
      }
    });
  }

  it('every fixture file has a file kind and an entry in expected.json', () => {
    const files = fs.readdirSync(fixturePath('ports')).filter((f) => f !== 'expected.json' && f !== 'ANNOTATION.md');
    assert.deepEqual(files.sort(), Object.keys(expected).sort());
    for (const file of files) {
      assert.notEqual(fileKindOf(file), undefined, file);
    }
  });

  it('portAt and portAtPosition agree with findPorts on every digit of every fixture', () => {
    for (const file of Object.keys(expected)) {
      const kind = fileKindOf(file) as PortFileKind;
      const text = fs.readFileSync(fixturePath('ports', file), 'utf8');
      const all = findPorts(text, kind);
      const reader = readerOf(text);
      for (let offset = 0; offset < text.length; offset++) {
        if (!/\d/.test(text[offset])) {
          continue;
        }
        const want = all.find((m) => m.start <= offset && offset < m.end);
        assert.deepEqual(portAt(text, offset, kind), want, `${file} offset ${offset}`);
        const line = text.slice(0, offset).split('\n').length - 1;
        const character = offset - reader.lineOffset(line);
        assert.deepEqual(portAtPosition(reader, line, character, kind), want, `${file} ${line}:${character}`);
      }
    }
  });
});

// --- file kinds

describe('portFinder: fileKindOf', () => {
  const cases: Array<[string, PortFileKind | undefined, string?]> = [
    ['.env', 'env'],
    ['.env.local', 'env'],
    ['config/prod.env', 'env'],
    ['compose.yaml', 'compose'],
    ['compose.yml', 'compose'],
    ['docker-compose.yml', 'compose'],
    ['docker-compose.override.yml', 'compose'],
    ['docker-compose.dev.yaml', 'compose'],
    ['/repo/deploy/compose.prod.yaml', 'compose'],
    ['stack.yml', 'compose', 'dockercompose'],
    ['deployment.yaml', 'yaml'],
    ['.github/workflows/ci.yml', 'yaml'],
    ['package.json', 'json'],
    ['.devcontainer/devcontainer.json', 'json'],
    ['tsconfig.jsonc', 'json'],
    ['Dockerfile', 'dockerfile'],
    ['Dockerfile.dev', 'dockerfile'],
    ['api.dockerfile', 'dockerfile'],
    ['Containerfile', 'dockerfile'],
    ['nginx.conf', 'nginx'],
    ['/etc/nginx/conf.d/app.conf', 'nginx'],
    ['site.conf', 'nginx', 'nginx'],
    ['httpd.conf', 'apache'],
    ['/etc/apache2/sites-available/000-default.conf', 'apache'],
    ['Caddyfile', 'caddy'],
    ['application.properties', 'properties'],
    ['pyproject.toml', 'toml'],
    ['settings.ini', 'ini'],
    ['redis.conf', 'ini'],
    // VS Code opens every .conf and .cfg as "properties": that says nothing about redis.conf or haproxy.cfg.
    ['redis.conf', 'ini', 'properties'],
    ['haproxy.cfg', 'ini', 'properties'],
    ['app.conf', 'ini', 'plaintext'],
    ['run.sh', 'shell'],
    ['Procfile', 'shell'],
    ['Makefile', 'makefile'],
    ['rules.mk', 'makefile'],
    ['server.js', 'javascript'],
    ['vite.config.mjs', 'javascript'],
    ['app.ts', 'typescript'],
    ['App.tsx', 'typescript'],
    ['app.py', 'python'],
    ['main.go', 'go'],
    ['README.md', 'markdown'],
    ['notes.txt', 'other'],
    ['script', 'shell', 'shellscript'],
    ['untitled', 'other'],
    ['logo.png', undefined],
    ['package-lock.json', undefined],
    ['yarn.lock', undefined],
    ['bundle.min.js', undefined],
  ];
  for (const [name, kind, languageId] of cases) {
    it(`${name}${languageId ? ` (${languageId})` : ''} → ${kind}`, () => {
      assert.equal(fileKindOf(name, languageId), kind);
    });
  }
});

// --- the constructs named in the issue

describe('portFinder: constructs', () => {
  it('env: PORT=3000 is a listen port; other port keys are settings', () => {
    assert.deepEqual(summary('PORT=3000\nDB_PORT=5432\nexport API_PORT="4000"\n', 'env'), [
      '3000 3000/tcp listen',
      '5432 5432/tcp single',
      '4000 4000/tcp single',
    ]);
  });

  it('env: ${PORT:-3000} is a port with its variable', () => {
    const m = only('PORT=${PORT:-3000}\n', 'env');
    assert.equal(m.port, 3000);
    assert.equal(m.variable, 'PORT');
    assert.equal(m.context, 'env-assignment');
  });

  it('env: commented-out settings are found and flagged', () => {
    const m = only('# PORT=3000\n', 'env');
    assert.equal(m.commented, true);
  });

  it('compose: "8080:80" has both sides, each knowing the other', () => {
    const text = 'services:\n  web:\n    ports:\n      - "8080:80"\n';
    const [host, container] = findPorts(text, 'compose');
    assert.equal(text.slice(host.start, host.end), '8080');
    assert.deepEqual([host.role, host.port, container.role, container.port], ['host', 8080, 'container', 80]);
    assert.deepEqual(host.mapping, { hostPort: 8080, containerPort: 80 });
    assert.deepEqual(container.mapping, { hostPort: 8080, containerPort: 80 });
    assert.equal(host.context, 'compose-ports');
  });

  it('compose: "127.0.0.1:8080:80" binds the host side to an address', () => {
    const text = 'services:\n  web:\n    ports:\n      - "127.0.0.1:8080:80"\n';
    const [host, container] = findPorts(text, 'compose');
    assert.equal(host.hostAddress, '127.0.0.1');
    assert.equal(container.hostAddress, '127.0.0.1');
    assert.equal(findPorts(text, 'compose').length, 2, 'the address is not a URL mention');
  });

  it('compose: a lone "3000" is the container side of an ephemeral mapping', () => {
    const m = only('services:\n  web:\n    ports:\n      - "3000"\n', 'compose');
    assert.equal(m.role, 'container');
    assert.deepEqual(m.mapping, { containerPort: 3000 });
  });

  it('compose: ranges on both sides are one mention per side', () => {
    const text = 'services:\n  w:\n    ports:\n      - "3000-3005:3000-3005"\n';
    const [host, container] = findPorts(text, 'compose');
    assert.equal(text.slice(host.start, host.end), '3000-3005');
    assert.deepEqual(host.range, [3000, 3005]);
    assert.deepEqual(container.range, [3000, 3005]);
    assert.deepEqual(host.mapping, { hostPort: 3000, hostRange: [3000, 3005], containerPort: 3000, containerRange: [3000, 3005] });
  });

  it('compose: ${PORT:-3000} as the host side', () => {
    const text = 'services:\n  w:\n    ports:\n      - "${PORT:-3000}:3000"\n';
    const [host, container] = findPorts(text, 'compose');
    assert.deepEqual([host.port, host.variable, host.role], [3000, 'PORT', 'host']);
    assert.deepEqual([container.port, container.variable], [3000, undefined]);
    assert.equal(text.slice(host.start, host.end), '3000');
  });

  it('compose: 53:53/udp is UDP on both sides', () => {
    const all = findPorts('services:\n  d:\n    ports:\n      - 53:53/udp\n', 'compose');
    assert.deepEqual(all.map((m) => `${m.role} ${m.protocol}`), ['host udp', 'container udp']);
  });

  it('compose: long syntax reads target, published, protocol and host_ip from the whole entry', () => {
    const text = [
      'services:',
      '  dns:',
      '    ports:',
      '      - target: 53',
      '        host_ip: 127.0.0.1',
      '        published: "5353"',
      '        protocol: udp',
      '        mode: host',
    ].join('\n');
    const [target, published] = findPorts(text, 'compose');
    for (const m of [target, published]) {
      assert.equal(m.protocol, 'udp');
      assert.equal(m.hostAddress, '127.0.0.1');
      assert.deepEqual(m.mapping, { hostPort: 5353, containerPort: 53 });
      assert.equal(m.context, 'compose-ports-long');
    }
    assert.deepEqual([target.role, published.role], ['container', 'host']);
  });

  it('compose: flow sequences, expose and environment', () => {
    const text = [
      'services:',
      '  a:',
      '    ports: ["80:80", "9229"]',
      '    expose:',
      '      - "3000"',
      '    environment:',
      '      - PORT=3000',
      '      REDIS_PORT: 6379',
    ].join('\n');
    assert.deepEqual(summary(text, 'compose'), [
      '80 80/tcp host',
      '80 80/tcp container',
      '9229 9229/tcp container',
      '3000 3000/tcp container',
      '3000 3000/tcp listen',
      '6379 6379/tcp single',
    ]);
  });

  it('compose decoys: image tags, versions, limits, users', () => {
    const text = [
      'version: "3.8"',
      'services:',
      '  db:',
      '    image: postgres:16.2',
      '    user: "1000:1000"',
      '    mem_limit: 1024',
      '    cpus: 2',
      '    shm_size: 256m',
      '    healthcheck:',
      '      timeout: 3000',
      '      retries: 3',
      '  web:',
      '    image: node:20',
    ].join('\n');
    none(text, 'compose');
  });

  it('kubernetes: containerPort, hostPort, targetPort, nodePort, and port under ports:', () => {
    const text = [
      'spec:',
      '  containers:',
      '    - name: api',
      '      ports:',
      '        - containerPort: 8080',
      '          hostPort: 80',
      '        - containerPort: 53',
      '          protocol: UDP',
      '---',
      'spec:',
      '  ports:',
      '    - port: 80',
      '      targetPort: 8080',
      '      nodePort: 30080',
    ].join('\n');
    const all = findPorts(text, 'yaml');
    assert.deepEqual(
      all.map((m) => `${m.port}/${m.protocol} ${m.role} ${m.context}`),
      [
        '8080/tcp container k8s-container-port',
        '80/tcp host k8s-host-port',
        '53/udp container k8s-container-port',
        '80/tcp single k8s-port',
        '8080/tcp target k8s-target-port',
        '30080/tcp host k8s-node-port',
      ],
    );
    assert.deepEqual(all[0].mapping, { hostPort: 80, containerPort: 8080 });
    assert.deepEqual(all[1].mapping, { hostPort: 80, containerPort: 8080 });
  });

  it('kubernetes: env entries with a port name; a named targetPort is not a number', () => {
    const text = ['env:', '  - name: PORT', '    value: "3000"', '  - name: WORKERS', '    value: "4"', 'targetPort: http'].join('\n');
    assert.deepEqual(summary(text, 'yaml'), ['3000 3000/tcp listen']);
  });

  it('json: package.json scripts, decoy versions and timeouts', () => {
    const text = [
      '{',
      '  "version": "3.8",',
      '  "scripts": {',
      '    "dev": "vite --port 5173",',
      '    "start": "PORT=3000 node server.js",',
      '    "test": "jest --testTimeout=3000"',
      '  },',
      '  "dependencies": { "react": "^18.2.0" },',
      '  "report": 3000,',
      '  "timeout": 3000',
      '}',
    ].join('\n');
    assert.deepEqual(summary(text, 'json'), ['5173 5173/tcp listen', '3000 3000/tcp listen']);
  });

  it('json: devcontainer forwardPorts over several lines and portsAttributes keys', () => {
    const text = [
      '{',
      '  "forwardPorts": [',
      '    3000,',
      '    "db:5432"',
      '  ],',
      '  "portsAttributes": {',
      '    "9229": { "label": "debugger" },',
      '    "40000-40010": { "onAutoForward": "ignore" }',
      '  },',
      '  "otherPortsAttributes": { "onAutoForward": "silent" }',
      '}',
    ].join('\n');
    const all = findPorts(text, 'json');
    assert.deepEqual(
      all.map((m) => `${m.port} ${m.context}`),
      ['3000 devcontainer-forward-ports', '5432 devcontainer-forward-ports', '9229 devcontainer-ports-attributes', '40000 devcontainer-ports-attributes'],
    );
    assert.equal(all[1].hostAddress, 'db');
    assert.deepEqual(all[3].range, [40000, 40010]);
  });

  it('json: launch.json port and appsettings URLs', () => {
    assert.deepEqual(summary('{ "port": 9229, "timeout": 10000 }', 'json'), ['9229 9229/tcp single']);
    assert.deepEqual(summary('{ "Urls": "http://localhost:5000;https://localhost:5001" }', 'json'), [
      '5000 5000/tcp url',
      '5001 5001/tcp url',
    ]);
  });

  it('dockerfile: EXPOSE forms, ENV and CMD', () => {
    const text = [
      'FROM node:20-alpine',
      'ENV PORT=3000',
      'EXPOSE 80/tcp',
      'EXPOSE 80 443',
      'EXPOSE 53/udp',
      'EXPOSE 7000-7005',
      'EXPOSE $PORT',
      'USER 1000:1000',
      'CMD ["node", "server.js", "--port", "3000"]',
    ].join('\n');
    assert.deepEqual(summary(text, 'dockerfile'), [
      '3000 3000/tcp listen',
      '80 80/tcp container',
      '80 80/tcp container',
      '443 443/tcp container',
      '53 53/udp container',
      '7000-7005 7000/tcp container',
      '3000 3000/tcp listen',
    ]);
  });

  it('dockerfile: a RUN continued over lines keeps its command', () => {
    const text = ['RUN docker run \\', '    -p 8080:80 \\', '    nginx'].join('\n');
    assert.deepEqual(summary(text, 'dockerfile'), ['8080 8080/tcp host', '80 80/tcp container']);
  });

  it('nginx: listen forms, upstreams, proxy_pass; not timeouts or sizes', () => {
    const text = [
      'listen 80;',
      'listen [::]:443 ssl;',
      'listen 127.0.0.1:8080;',
      'listen unix:/run/app.sock;',
      'proxy_pass http://127.0.0.1:3000;',
      'server app:8080 weight=5;',
      'worker_connections 1024;',
      'proxy_read_timeout 3000;',
      'client_max_body_size 10m;',
    ].join('\n');
    const all = findPorts(text, 'nginx');
    assert.deepEqual(
      all.map((m) => `${m.port} ${m.role} ${m.hostAddress ?? '-'}`),
      ['80 listen -', '443 listen ::', '8080 listen 127.0.0.1', '3000 target 127.0.0.1', '8080 target app'],
    );
  });

  it('nginx: a stream proxy in a UDP server forwards UDP', () => {
    const text = ['stream {', '  server {', '    listen 53 udp;', '    proxy_pass 10.0.0.2:53;', '  }', '}'].join('\n');
    assert.deepEqual(summary(text, 'nginx'), ['53 53/udp listen', '53 53/udp target']);
  });

  it('apache: Listen and <VirtualHost>, not the IP octet', () => {
    const text = ['Listen 8080', '<VirtualHost *:80>', '<VirtualHost 192.168.1.80:8443>', 'Timeout 300'].join('\n');
    assert.deepEqual(summary(text, 'apache'), ['8080 8080/tcp listen', '80 80/tcp listen', '8443 8443/tcp listen']);
  });

  it('caddy: site addresses and reverse_proxy upstreams, not status codes', () => {
    const text = [':8080 {', '  respond "OK" 200', '}', 'localhost:2015 {', '  reverse_proxy localhost:3000', '}'].join('\n');
    assert.deepEqual(summary(text, 'caddy'), ['8080 8080/tcp listen', '2015 2015/tcp listen', '3000 3000/tcp target']);
  });

  it('properties, TOML and INI', () => {
    assert.deepEqual(summary('server.port=8081\nserver.tomcat.connection-timeout=3000\n', 'properties'), ['8081 8081/tcp single']);
    assert.deepEqual(summary('port = 8000\ntimeout = 3000\nversion = "1.2.3"\n', 'toml'), ['8000 8000/tcp single']);
    assert.deepEqual(summary('[server]\nhttp_port = 3000\nretries = 3\n', 'ini'), ['3000 3000/tcp single']);
    const spring = only('server.port=${PORT:8081}\n', 'properties');
    assert.deepEqual([spring.port, spring.variable], [8081, 'PORT']);
  });

  it('shell: docker, kubectl, ssh, nc and dev-server flags', () => {
    const text = [
      'docker run -p 8080:80 nginx',
      'docker run -p 127.0.0.1:5432:5432 postgres:16.2',
      'kubectl port-forward svc/x 8080:80',
      'ssh -p 2222 me@host',
      'nc -l 9000',
      'vite --port 5173',
      'vite --port=5173',
      'next dev -p 3000',
      'PORT=3000 npm start',
    ].join('\n');
    assert.deepEqual(summary(text, 'shell'), [
      '8080 8080/tcp host',
      '80 80/tcp container',
      '5432 5432/tcp host',
      '5432 5432/tcp container',
      '8080 8080/tcp host',
      '80 80/tcp container',
      '2222 2222/tcp target',
      '9000 9000/tcp listen',
      '5173 5173/tcp listen',
      '5173 5173/tcp listen',
      '3000 3000/tcp listen',
      '3000 3000/tcp listen',
    ]);
  });

  it('shell: -p is not a port for ps, patch or mkdir; docker -u and resource flags are not ports', () => {
    none('ps -p 1234\npatch -p 1 < fix.diff\nsleep 3000\ndocker run -u 1000:1000 --memory 1024m --cpus 2 node:20\nhead -n 3000 log\n', 'shell');
  });

  it('shell: nc -u is UDP; ssh -L has a local listen and a remote target', () => {
    assert.deepEqual(summary('nc -u -l 5353\nssh -N -L 15432:db:5432 bastion\n', 'shell'), [
      '5353 5353/udp listen',
      '15432 15432/tcp listen',
      '5432 5432/tcp target',
    ]);
  });

  it('makefile: variables and recipes with $(VAR) in mappings', () => {
    const text = ['PORT ?= 8080', 'run:', '\tdocker run -p $(PORT):80 -p 9090:9090 img'].join('\n');
    assert.deepEqual(summary(text, 'makefile'), ['8080 8080/tcp listen', '80 80/tcp container', '9090 9090/tcp host', '9090 9090/tcp container']);
  });

  it('javascript/typescript: listen calls and port settings, not timeouts or colours', () => {
    const text = [
      'app.listen(3000);',
      'app.listen(PORT || 3000);',
      'const port = Number(process.env.PORT) ?? 5173;',
      'export default { server: { port: 5173 } };',
      'setTimeout(fn, 3000);',
      'const opts = { timeout: 3000, color: "#3000ff", year: 2024 };',
      'const port2 = parseInt(process.env.PORT, 10);',
      'server.listen(0);',
      'if (port === 3000) {}',
    ].join('\n');
    assert.deepEqual(summary(text, 'typescript'), [
      '3000 3000/tcp listen',
      '3000 3000/tcp listen',
      '5173 5173/tcp single',
      '5173 5173/tcp single',
      // A comparison with a port is a port (tests assert on them).
      '3000 3000/tcp single',
    ]);
  });

  it('python: run(port=…), uvicorn.run, environment defaults, socket tuples', () => {
    const text = [
      'app.run(port=5000)',
      'uvicorn.run(app, port=8000)',
      'PORT = int(os.environ.get("PORT", 8080))',
      's.bind(("", 9000))',
      'time.sleep(3000)',
      'parser.add_argument("--port", type=int, default=8001)',
    ].join('\n');
    assert.deepEqual(summary(text, 'python'), [
      '5000 5000/tcp single',
      '8000 8000/tcp single',
      '8080 8080/tcp listen',
      '9000 9000/tcp listen',
      '8001 8001/tcp single',
    ]);
  });

  it('python: a datagram socket bound a few lines below its creation is UDP', () => {
    const text = 'sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n\nsock.bind(("0.0.0.0", 5353))\n';
    assert.equal(only(text, 'python').protocol, 'udp');
  });

  it('go: ListenAndServe, Listen, ListenPacket, Dial, flags', () => {
    const text = [
      'http.ListenAndServe(":8080", nil)',
      'net.Listen("tcp", "localhost:9000")',
      'net.ListenPacket("udp", ":5353")',
      'net.Dial("tcp", "db:5432")',
      'flag.Int("port", 8081, "listen port")',
      'time.Sleep(3000 * time.Millisecond)',
      'buf := make([]byte, 1024)',
    ].join('\n');
    assert.deepEqual(summary(text, 'go'), [
      '8080 8080/tcp listen',
      '9000 9000/tcp listen',
      '5353 5353/udp listen',
      '5432 5432/tcp target',
      '8081 8081/tcp single',
    ]);
  });

  it('urls and addresses in any file', () => {
    const text = [
      'open http://localhost:3000/api',
      'postgres://u:p@db:5432/app',
      'redis://localhost:6379',
      'mongodb://a:27017,b:27018/db',
      'debugger on [::1]:8080',
      'bind 0.0.0.0:8000',
    ].join('\n');
    const all = findPorts(text, 'other');
    assert.deepEqual(
      all.map((m) => `${m.port} ${m.role} ${m.hostAddress}`),
      ['3000 url localhost', '5432 url db', '6379 url localhost', '27017 url a', '27018 url b', '8080 url ::1', '8000 listen 0.0.0.0'],
    );
  });

  it('decoys in any file: versions, years, octets, tags, line numbers, out of range, zero, hex colours', () => {
    const text = [
      'Node 20, Docker 24.0, react ^18.2.0, released 2024-03-18',
      'office at 192.168.1.80, mask 255.255.255.0',
      'image node:20 and postgres:16.2',
      '    at handler (/app/server.js:3000:15)',
      'src/app.ts:120:7 - error TS2322',
      'http://localhost:70000/ and http://localhost:0/',
      'color: #3000ff; background: #8080ff',
      'uid: 1000, timeout: 3000, "report": 3000',
    ].join('\n');
    for (const kind of ['other', 'yaml', 'env', 'javascript'] as const) {
      none(text, kind);
    }
  });
});

// --- portAt

describe('portFinder: portAt', () => {
  const text = 'services:\n  web:\n    ports:\n      - "127.0.0.1:8080:80"\n';
  const hostAt = text.indexOf('8080');
  const containerAt = text.indexOf(':80"') + 1;

  it('finds the host side from any of its digits', () => {
    for (let offset = hostAt; offset < hostAt + 4; offset++) {
      const m = portAt(text, offset, 'compose');
      assert.equal(m?.role, 'host');
      assert.equal(m?.port, 8080);
      assert.deepEqual(m?.mapping, { hostPort: 8080, containerPort: 80 });
    }
  });

  it('finds the container side, which knows the host side', () => {
    const m = portAt(text, containerAt + 1, 'compose');
    assert.equal(m?.role, 'container');
    assert.equal(m?.mapping?.hostPort, 8080);
  });

  it('counts a position just after the digits, but not the address or the indentation', () => {
    assert.equal(portAt(text, hostAt + 4, 'compose')?.port, 8080);
    assert.equal(portAt(text, text.indexOf('127'), 'compose'), undefined);
    assert.equal(portAt(text, text.indexOf('- "'), 'compose'), undefined);
  });

  it('matches findPorts exactly (same object shape)', () => {
    const all = findPorts(text, 'compose');
    assert.deepEqual(portAt(text, hostAt, 'compose'), all[0]);
    assert.deepEqual(portAt(text, containerAt, 'compose'), all[1]);
  });

  it('gives undefined for offsets outside the text and rejects bad input with a plain message', () => {
    assert.equal(portAt(text, -1, 'compose'), undefined);
    assert.equal(portAt(text, text.length + 1, 'compose'), undefined);
    assert.equal(portAt(text, Number.NaN, 'compose'), undefined);
    assert.equal(portAt('', 0, 'env'), undefined);
    assert.throws(() => findPorts(undefined as unknown as string, 'env'), /^Error: findPorts: the text must be a string, not undefined$/);
    assert.throws(() => portAt(text, 0, 'cobol' as PortFileKind), /unknown port file kind "cobol"/);
  });

  it('agrees with findPorts on seeded random text in every kind', () => {
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = 'ab01:/.-_ "\'[]{}(),;=#$@\\\t\n-p8\nport:PORT=3000 - "80:80"\n  ports:\n';
    for (let n = 0; n < 60; n++) {
      let text = '';
      const length = Math.floor(random() * 800);
      for (let k = 0; k < length; k++) {
        text += alphabet[Math.floor(random() * alphabet.length)];
      }
      for (const kind of ['env', 'compose', 'json', 'shell', 'nginx', 'python', 'go'] as const) {
        for (const m of findPorts(text, kind)) {
          assert.ok(m.port >= 1 && m.port <= 65535 && /^\d/.test(text.slice(m.start, m.end)), JSON.stringify(m));
          assert.deepEqual(portAt(text, m.start, kind), m, `${kind}: ${JSON.stringify(text)}`);
        }
      }
    }
  });

  it('handles CRLF line endings', () => {
    const crlf = 'PORT=3000\r\nDB_PORT=5432\r\n';
    const all = findPorts(crlf, 'env');
    assert.deepEqual(all.map((m) => [crlf.slice(m.start, m.end), m.line]), [['3000', 0], ['5432', 1]]);
    assert.deepEqual(portAt(crlf, crlf.indexOf('5432'), 'env'), all[1]);
  });

  it(`sees a ports: key up to ${YAML_LOOKBACK_LINES} lines above, in findPorts and portAt alike`, () => {
    const items = Array.from({ length: YAML_LOOKBACK_LINES + 20 }, (_, k) => `      - "${10000 + k}:80"`);
    const big = ['services:', '  web:', '    ports:', ...items].join('\n');
    const all = findPorts(big, 'compose');
    const lastSeen = all[all.length - 1];
    assert.equal(lastSeen.line, YAML_LOOKBACK_LINES + 2, 'entries beyond the window lose their ports: context');
    const beyond = big.indexOf(`"${10000 + YAML_LOOKBACK_LINES + 10}:80"`) + 2;
    assert.equal(portAt(big, beyond, 'compose'), undefined);
    assert.deepEqual(portAt(big, lastSeen.start, 'compose'), lastSeen);
  });
});

// --- duplicate host ports

describe('portFinder: duplicateHostPorts', () => {
  const compose = (...ports: string[]): string =>
    ['services:', ...ports.map((p, k) => `  s${k}:\n    ports:\n${p}`)].join('\n');

  it('reports a host port mapped twice, with both mentions', () => {
    const text = compose('      - "8080:80"', '      - "8080:3000"');
    const dups = duplicateHostPorts(text);
    assert.equal(dups.length, 1);
    assert.deepEqual([dups[0].port, dups[0].protocol, dups[0].range], [8080, 'tcp', undefined]);
    assert.deepEqual(dups[0].mentions.map((m) => m.line), [3, 6]);
  });

  it('a wildcard binding clashes with a specific address; two different addresses do not', () => {
    assert.equal(duplicateHostPorts(compose('      - "127.0.0.1:8080:80"', '      - "8080:80"')).length, 1);
    assert.equal(duplicateHostPorts(compose('      - "127.0.0.1:8080:80"', '      - "127.0.0.2:8080:80"')).length, 0);
  });

  it('different protocols, container-only entries and commented lines do not clash', () => {
    assert.deepEqual(duplicateHostPorts(compose('      - "53:53/udp"', '      - "53:53/tcp"')), []);
    assert.deepEqual(duplicateHostPorts(compose('      - "3000"', '      - "3000"')), []);
    assert.deepEqual(duplicateHostPorts(compose('      - "9229:9229"', '      # - "9229:9229"')), []);
  });

  it('overlapping ranges report the overlap as one range entry', () => {
    const dups = duplicateHostPorts(compose('      - "3000-3005:3000-3005"', '      - "3003-3010:4003-4010"'));
    assert.deepEqual(dups.map((d) => [d.port, d.range]), [[3003, [3003, 3005]]]);
  });

  it('counts the long syntax published port', () => {
    const text = compose('      - "8443:443"', '      - target: 443\n        published: 8443');
    assert.equal(duplicateHostPorts(text)[0]?.port, 8443);
  });

  it('finds the duplicate in the corpus compose file is absent (it maps each host port once)', () => {
    assert.deepEqual(duplicateHostPorts(fs.readFileSync(fixturePath('ports', 'docker-compose.yml'), 'utf8')), []);
  });
});

// --- performance

describe('portFinder: performance on big input', () => {
  function bigCompose(bytes: number): string {
    const parts = ['services:\n'];
    let size = 0;
    for (let n = 0; size < bytes; n++) {
      const block = `  svc${n}:\n    image: node:20\n    ports:\n      - "127.0.0.1:${1024 + (n % 60000)}:80"\n    environment:\n      PORT: 3000\n      TIMEOUT: 3000\n`;
      parts.push(block);
      size += block.length;
    }
    return parts.join('');
  }

  it('portAt near the end of a 10 MB file reads only around it', () => {
    const text = bigCompose(10 * 1024 * 1024);
    const offset = text.lastIndexOf('127.0.0.1:') + 10;
    const t = process.hrtime.bigint();
    const m = portAt(text, offset, 'compose');
    const took = ms(t);
    console.log(`      portAt on ${(text.length / 1e6).toFixed(1)} MB: ${took.toFixed(1)} ms`);
    assert.equal(m?.role, 'host');
    assert.ok(took < 1000, `took ${took} ms`);
  });

  it('a 1 MB line is skipped quickly by findPorts and portAt', () => {
    const line = `PORT=3000 ${'http://localhost:8080/a.b '.repeat(40000)}`;
    const text = `A_PORT=1234\n${line}\nB_PORT=5678\n`;
    const t = process.hrtime.bigint();
    const all = findPorts(text, 'env');
    const at = portAt(text, text.indexOf('3000'), 'env');
    const took = ms(t);
    console.log(`      1 MB line: ${took.toFixed(1)} ms`);
    assert.deepEqual(all.map((m) => m.port), [1234, 5678]);
    assert.equal(at, undefined);
    assert.ok(took < 1000, `took ${took} ms`);
  });

  it('adversarial 10,000-character lines stay fast in every kind', () => {
    const kinds: PortFileKind[] = [
      'env', 'compose', 'yaml', 'json', 'dockerfile', 'nginx', 'apache', 'caddy', 'properties', 'toml', 'ini', 'shell',
      'makefile', 'javascript', 'typescript', 'python', 'go', 'other',
    ];
    let worst = 0;
    for (const pattern of ['port=', '{"port":', 'PORT=${PORT:-', 'a.', '1:', 'http://', '-p 1:', '[::', '"']) {
      const line = pattern.repeat(Math.floor(9990 / pattern.length));
      const text = `ports:\n${line}\n${line}\n`;
      for (const kind of kinds) {
        const t = process.hrtime.bigint();
        findPorts(text, kind);
        portAt(text, 10, kind);
        const took = ms(t);
        worst = Math.max(worst, took);
        assert.ok(took < 1000, `${kind} ${pattern}: ${took} ms`);
      }
    }
    console.log(`      slowest adversarial line pair: ${worst.toFixed(1)} ms`);
  });

  it('findPorts over a 2 MB compose file finishes in reasonable time', () => {
    const text = bigCompose(2 * 1024 * 1024);
    const t = process.hrtime.bigint();
    const all = findPorts(text, 'compose');
    const took = ms(t);
    console.log(`      findPorts on ${(text.length / 1e6).toFixed(1)} MB: ${took.toFixed(0)} ms, ${all.length} mentions`);
    assert.ok(all.length > 50000);
    assert.ok(took < 10000, `took ${took} ms`);
  });
});
