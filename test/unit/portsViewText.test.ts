import * as assert from 'node:assert/strict';
import { clipboardCommandLine } from '../../src/model/clipboardText';
import { browserUrl, connectHost } from '../../src/model/connectTarget';

describe('connectHost / browserUrl', () => {
  it('reaches wildcard binds through loopback of the same family', () => {
    assert.equal(connectHost({ address: '0.0.0.0', family: 4 }), '127.0.0.1');
    assert.equal(connectHost({ address: '::', family: 6 }), '::1');
    assert.equal(connectHost({ address: '192.168.1.5', family: 4 }), '192.168.1.5');
  });

  it('opens local binds as localhost and specific addresses as themselves', () => {
    assert.equal(browserUrl({ address: '0.0.0.0', family: 4, port: 5173 }, 'http'), 'http://localhost:5173/');
    assert.equal(browserUrl({ address: '::1', family: 6, port: 3000 }, 'http'), 'http://localhost:3000/');
    assert.equal(browserUrl({ address: '127.0.0.2', family: 4, port: 80 }, 'http'), 'http://localhost:80/');
    assert.equal(browserUrl({ address: '10.0.0.2', family: 4, port: 8443 }, 'https'), 'https://10.0.0.2:8443/');
    assert.equal(browserUrl({ address: 'fe80::1%eth0', family: 6, port: 80 }, 'http'), 'http://[fe80::1%25eth0]:80/');
  });
});

describe('clipboardCommandLine', () => {
  it('keeps the command whole but turns newlines and bidi controls into ?', () => {
    assert.equal(clipboardCommandLine('node  a.js --x="1  2"'), 'node  a.js --x="1  2"');
    assert.equal(clipboardCommandLine('sh -c "true\nrm -rf ~"'), 'sh -c "true?rm -rf ~"');
    assert.equal(clipboardCommandLine('a\r\u202eb\u0000c'), 'a??b?c');
  });
});
