import * as assert from 'node:assert/strict';
import { isValidHostname, parseHost, parseHostPort, parsePort, parsePortRange } from '../../src/core/input';

/** Asserts `fn` throws an Error whose message is a single line matching `pattern`. */
function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof Error, 'throws an Error');
    assert.doesNotMatch(error.message, /\n/, 'message is one line');
    assert.match(error.message, pattern);
    return true;
  });
}

describe('input: parsePort', () => {
  it('accepts decimal ports 1–65535 with surrounding whitespace', () => {
    assert.equal(parsePort('1'), 1);
    assert.equal(parsePort('3000'), 3000);
    assert.equal(parsePort(' 8080\t'), 8080);
    assert.equal(parsePort('65535'), 65535);
    assert.equal(parsePort(443), 443);
  });

  it('reads leading zeros as decimal, never octal', () => {
    assert.equal(parsePort(' 080'), 80);
    assert.equal(parsePort('0010'), 10);
    assert.equal(parsePort('000000000000000000443'), 443);
  });

  it('rejects out-of-range and non-decimal input with the input quoted in one line', () => {
    rejects(() => parsePort('70000'), /^"70000" is not a port: ports are whole numbers from 1 to 65535\.$/);
    rejects(() => parsePort('abc'), /^"abc" is not a port: ports are whole numbers from 1 to 65535\.$/);
    rejects(() => parsePort('3.5'), /^"3\.5" is not a port/);
    rejects(() => parsePort('-1'), /^"-1" is not a port: .*without a sign\.$/);
    rejects(() => parsePort('+80'), /without a sign/);
    rejects(() => parsePort('0x50'), /^"0x50" is not a port: .*written in decimal\.$/);
    rejects(() => parsePort('1e3'), /^"1e3" is not a port/);
    rejects(() => parsePort('0'), /^"0" is not a port: .*any free port/);
    rejects(() => parsePort('000'), /^"000" is not a port/);
    rejects(() => parsePort('99999999999999999999999'), /is not a port/);
    rejects(() => parsePort('80 81'), /^"80 81" is not a port/);
  });

  it('rejects empty input', () => {
    rejects(() => parsePort(''), /^No port given: ports are whole numbers from 1 to 65535\.$/);
    rejects(() => parsePort('   '), /^No port given/);
  });

  it('rejects bad numbers', () => {
    rejects(() => parsePort(0), /^0 is not a port/);
    rejects(() => parsePort(65536), /^65536 is not a port/);
    rejects(() => parsePort(3.5), /^3\.5 is not a port/);
    rejects(() => parsePort(NaN), /^NaN is not a port/);
    rejects(() => parsePort(Infinity), /^Infinity is not a port/);
  });

  it('escapes control characters and shortens long input in the message', () => {
    rejects(() => parsePort('12\u0007x'), /^"12\\u0007x" is not a port/);
    rejects(() => parsePort('x'.repeat(500)), /^"x{40}…" is not a port/);
  });
});

describe('input: parsePortRange', () => {
  it('accepts a range or a single port', () => {
    assert.deepEqual(parsePortRange('3000-3010'), [3000, 3010]);
    assert.deepEqual(parsePortRange(' 3000 - 3010 '), [3000, 3010]);
    assert.deepEqual(parsePortRange('3000–3010'), [3000, 3010]);
    assert.deepEqual(parsePortRange('3000'), [3000, 3000]);
    assert.deepEqual(parsePortRange('5-5'), [5, 5]);
    assert.deepEqual(parsePortRange('1-65535'), [1, 65535]);
  });

  it('rejects backwards, incomplete and invalid ranges', () => {
    rejects(() => parsePortRange('3010-3000'), /^"3010-3000" is backwards: write the lower port first, like 3000-3010\.$/);
    rejects(() => parsePortRange('3000-'), /is not a port range/);
    rejects(() => parsePortRange('-3000'), /is not a port range/);
    rejects(() => parsePortRange('1-2-3'), /is not a port range/);
    rejects(() => parsePortRange('3000-70000'), /^"70000" is not a port/);
    rejects(() => parsePortRange('a-b'), /^"a" is not a port/);
    rejects(() => parsePortRange(''), /^No port range given/);
  });
});

describe('input: isValidHostname', () => {
  it('accepts RFC 1123 names', () => {
    for (const name of ['localhost', 'example.com', 'example.com.', 'a', 'x-1.y-2.z', '1password.com', 'a'.repeat(63) + '.com', '127.0.0.1']) {
      assert.equal(isValidHostname(name), true, name);
    }
    const long = Array.from({ length: 4 }, () => 'a'.repeat(62)).join('.') + '.a';
    assert.equal(long.length, 253);
    assert.equal(isValidHostname(long), true);
  });

  it('rejects bad labels, lengths and characters', () => {
    const tooLong = Array.from({ length: 4 }, () => 'a'.repeat(63)).join('.') + '.a';
    assert.ok(tooLong.length > 253);
    for (const name of ['', '.', 'a..b', '-a.com', 'a-.com', 'a'.repeat(64) + '.com', 'under_score.com', 'sp ace', 'a.b/c', 'émoji.com', '999.1.1.1', '1.2.3', tooLong]) {
      assert.equal(isValidHostname(name), false, JSON.stringify(name));
    }
  });
});

describe('input: parseHost', () => {
  it('returns IP literals with their family and names without', () => {
    assert.deepEqual(parseHost('127.0.0.1'), { host: '127.0.0.1', family: 4 });
    assert.deepEqual(parseHost('::1'), { host: '::1', family: 6 });
    assert.deepEqual(parseHost('[::1]'), { host: '::1', family: 6 });
    assert.deepEqual(parseHost('fe80::1%eth0'), { host: 'fe80::1%eth0', family: 6 });
    assert.deepEqual(parseHost(' localhost '), { host: 'localhost' });
    assert.deepEqual(parseHost('bücher.example'), { host: 'xn--bcher-kva.example' });
  });

  it('rejects bad hosts with one plain line', () => {
    rejects(() => parseHost(''), /^No host given/);
    rejects(() => parseHost('my host'), /cannot contain spaces/);
    rejects(() => parseHost('a\u0000b'), /control characters/);
    rejects(() => parseHost('[]'), /No host given between the brackets/);
    rejects(() => parseHost('[::g]'), /is not a valid IPv6 address/);
    rejects(() => parseHost('fe80::1%bad zone'), /spaces/);
    rejects(() => parseHost('fe80::1%e/0'), /invalid zone/);
    rejects(() => parseHost('under_score'), /only letters, digits, hyphens and dots/);
    rejects(() => parseHost('-bad.com'), /starts or ends with a hyphen/);
    rejects(() => parseHost('a'.repeat(64) + '.com'), /longer than 63 characters/);
    rejects(() => parseHost(Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.')), /longer than 253 characters/);
    rejects(() => parseHost('300.1.1.1'), /looks like an IPv4 address but is not one/);
    rejects(() => parseHost('a..b'), /empty part between dots/);
  });
});

describe('input: parseHostPort', () => {
  it('accepts host:port forms', () => {
    assert.deepEqual(parseHostPort('localhost:3000'), { host: 'localhost', port: 3000 });
    assert.deepEqual(parseHostPort('127.0.0.1:80'), { host: '127.0.0.1', port: 80, family: 4 });
    assert.deepEqual(parseHostPort('[::1]:8080'), { host: '::1', port: 8080, family: 6 });
    assert.deepEqual(parseHostPort('[fe80::1%eth0]:22'), { host: 'fe80::1%eth0', port: 22, family: 6 });
    assert.deepEqual(parseHostPort('example.com:443'), { host: 'example.com', port: 443 });
    assert.deepEqual(parseHostPort('  example.com:0443 '), { host: 'example.com', port: 443 });
  });

  it('puts a bare port on the default host', () => {
    assert.deepEqual(parseHostPort(':3000'), { host: 'localhost', port: 3000 });
    assert.deepEqual(parseHostPort('3000'), { host: 'localhost', port: 3000 });
    assert.deepEqual(parseHostPort('3000', '127.0.0.1'), { host: '127.0.0.1', port: 3000, family: 4 });
    assert.deepEqual(parseHostPort(':22', '::1'), { host: '::1', port: 22, family: 6 });
  });

  it('takes host and port from URLs, with the scheme default when the URL has no port', () => {
    assert.deepEqual(parseHostPort('http://localhost:3000/x'), { host: 'localhost', port: 3000 });
    assert.deepEqual(parseHostPort('http://localhost/x?y#z'), { host: 'localhost', port: 80 });
    assert.deepEqual(parseHostPort('https://example.com'), { host: 'example.com', port: 443 });
    assert.deepEqual(parseHostPort('HTTPS://Example.com:8443'), { host: 'Example.com', port: 8443 });
    assert.deepEqual(parseHostPort('https://[::1]/'), { host: '::1', port: 443, family: 6 });
    assert.deepEqual(parseHostPort('http://[fe80::1%25eth0]:8080/'), { host: 'fe80::1%eth0', port: 8080, family: 6 });
    assert.deepEqual(parseHostPort('postgres://user:p@ss@db.local:6543/app'), { host: 'db.local', port: 6543 });
    assert.deepEqual(parseHostPort('redis://cache'), { host: 'cache', port: 6379 });
    assert.deepEqual(parseHostPort('http://localhost:/'), { host: 'localhost', port: 80 });
  });

  it('rejects URLs without a usable host or port', () => {
    rejects(() => parseHostPort('http://:3000/'), /has no host/);
    rejects(() => parseHostPort('http:///x'), /has no host/);
    rejects(() => parseHostPort('gopher://host/'), /has no port and gopher: has no default port/);
    rejects(() => parseHostPort('http://localhost:99999/'), /^"99999" is not a port/);
    rejects(() => parseHostPort('http://bad host/'), /contains a space|host contains a space/);
  });

  it('rejects a bare IPv6 address as ambiguous and shows the bracketed form', () => {
    rejects(() => parseHostPort('::1:8080'), /^"::1:8080" is ambiguous: put IPv6 addresses in brackets, like \[::1\]:8080 or \[::1:8080\]:PORT\.$/);
    rejects(() => parseHostPort('::1'), /is ambiguous: .*\[::1\]:PORT/);
    rejects(() => parseHostPort('fe80::1'), /is ambiguous/);
    rejects(() => parseHostPort('a:b:c'), /more than one ":"/);
  });

  it('rejects empty hosts, spaces, bad names, bad ports and control characters', () => {
    rejects(() => parseHostPort(''), /^No address given/);
    rejects(() => parseHostPort('my host:80'), /contains a space/);
    rejects(() => parseHostPort('localhost'), /has no port: write host:port/);
    rejects(() => parseHostPort('[::1]'), /has no port/);
    rejects(() => parseHostPort('localhost:'), /has an empty port/);
    rejects(() => parseHostPort('localhost:abc'), /^"abc" is not a port/);
    rejects(() => parseHostPort('localhost:70000'), /^"70000" is not a port/);
    rejects(() => parseHostPort('localhost:3000/x'), /^"3000\/x" is not a port/);
    rejects(() => parseHostPort('bad_host:80'), /only letters, digits, hyphens and dots/);
    rejects(() => parseHostPort('[::1'), /unclosed "\["/);
    rejects(() => parseHostPort('[::1]8080'), /expected ":port" after "\]"/);
    rejects(() => parseHostPort('[]:80'), /No host given between the brackets/);
    rejects(() => parseHostPort('local\u0000host:80'), /control characters/);
    rejects(() => parseHostPort('localhost:80\r\nHost: evil'), /control characters/);
    rejects(() => parseHostPort(`${'a'.repeat(64)}.com:80`), /longer than 63 characters/);
  });
});
