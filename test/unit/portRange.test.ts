import * as assert from 'node:assert/strict';
import { checkPort, portRange, portRangeLabel } from '../../src/model/portRange';

describe('portRange', () => {
  it('puts the boundaries in the right IANA range', () => {
    assert.equal(portRange(0), 'well-known');
    assert.equal(portRange(1023), 'well-known');
    assert.equal(portRange(1024), 'registered');
    assert.equal(portRange(49151), 'registered');
    assert.equal(portRange(49152), 'dynamic');
    assert.equal(portRange(65535), 'dynamic');
  });

  it('throws a clear RangeError for anything that is not a port', () => {
    for (const bad of [-1, 65536, 3.5, NaN, Infinity, -Infinity]) {
      assert.throws(() => portRange(bad), (err: unknown) => {
        assert.ok(err instanceof RangeError, `${bad}: not a RangeError`);
        assert.match(err.message, /^Invalid port .+: a port is a whole number from 0 to 65535\.$/);
        assert.ok(err.message.includes(String(bad)), err.message);
        return true;
      });
    }
    assert.throws(() => checkPort('80' as unknown as number), RangeError);
  });

  it('has a human label with the bounds for each range', () => {
    assert.equal(portRangeLabel('well-known'), 'Well-known port (0–1023)');
    assert.equal(portRangeLabel('registered'), 'Registered port (1024–49151)');
    assert.equal(portRangeLabel('dynamic'), 'Dynamic/private port (49152–65535)');
    assert.equal(portRangeLabel(portRange(5432)), 'Registered port (1024–49151)');
  });
});
