import * as assert from 'node:assert/strict';
import { LABEL_MAX_LENGTH, labelFor, parseLabels } from '../../src/model/portLabels';

describe('parseLabels', () => {
  it('accepts ports and ranges, trimming labels', () => {
    const { labels, errors } = parseLabels({ '3000': ' web ', '5432-5433': 'db', ' 8000 - 8010 ': 'apis', '1': 'one', '65535': 'last' });
    assert.deepEqual(errors, []);
    assert.deepEqual(labels, [
      { lo: 1, hi: 1, label: 'one' },
      { lo: 3000, hi: 3000, label: 'web' },
      { lo: 65535, hi: 65535, label: 'last' },
      { lo: 5432, hi: 5433, label: 'db' },
      { lo: 8000, hi: 8010, label: 'apis' },
    ]);
  });

  it('treats a missing setting as no labels, and a non-object as one error', () => {
    assert.deepEqual(parseLabels(undefined), { labels: [], errors: [] });
    assert.deepEqual(parseLabels(null), { labels: [], errors: [] });
    assert.deepEqual(parseLabels({}), { labels: [], errors: [] });
    for (const [bad, what] of [[[], 'an array'], ['3000=web', 'a string'], [42, 'a number']] as const) {
      const r = parseLabels(bad);
      assert.deepEqual(r.labels, []);
      assert.deepEqual(r.errors, [`portInspector.labels must be an object mapping ports to names, like {"3000": "web"}; got ${what}.`]);
    }
  });

  it('reports one clear error per bad entry and keeps every good one', () => {
    const { labels, errors } = parseLabels({
      '3000': 'web',
      '0': 'zero',
      '65536': 'too high',
      '5433-5432': 'backwards',
      'abc': 'words',
      '80-': 'half a range',
      '3.5': 'fraction',
      '-1': 'negative',
      '8080': 42,
      '8081': '   ',
      '8082': null,
      '5432': 'db',
      '5432-5432': 'same again',
    });
    assert.deepEqual(labels, [
      { lo: 3000, hi: 3000, label: 'web' },
      { lo: 5432, hi: 5432, label: 'db' },
    ]);
    assert.equal(errors.length, 11, errors.join('\n'));
    const expected = [
      'portInspector.labels: "0" is outside the port range 1–65535; ignored.',
      'portInspector.labels: "65536" is outside the port range 1–65535; ignored.',
      'portInspector.labels: "5433-5432" has its low end after its high end (write "5432-5433"); ignored.',
      'portInspector.labels: "abc" is not a port or a range like "5432-5433"; ignored.',
      'portInspector.labels: "80-" is not a port or a range like "5432-5433"; ignored.',
      'portInspector.labels: "3.5" is not a port or a range like "5432-5433"; ignored.',
      'portInspector.labels: "-1" is not a port or a range like "5432-5433"; ignored.',
      'portInspector.labels: the label for "8080" must be text; got a number; ignored.',
      'portInspector.labels: the label for "8081" is empty; ignored.',
      'portInspector.labels: the label for "8082" must be text; got null; ignored.',
      'portInspector.labels: "5432-5432" repeats "5432"; the first one is kept.',
    ];
    assert.deepEqual([...errors].sort(), [...expected].sort());
  });

  it('caps long labels and flattens control characters', () => {
    const { labels } = parseLabels({ '3000': 'x'.repeat(200), '3001': 'line one\nline\ttwo\u0007' });
    assert.equal(labels[0].label.length, LABEL_MAX_LENGTH);
    assert.ok(labels[0].label.endsWith('…'));
    assert.equal(labels[1].label, 'line one line two');
  });
});

describe('labelFor', () => {
  const { labels } = parseLabels({ '1-65535': 'anything', '5000-5999': 'fives', '5432-5433': 'db', '5432': 'main db', '3000-3999': 'web' });

  it('picks the most specific rule', () => {
    assert.equal(labelFor(5432, labels), 'main db'); // single port beats ranges
    assert.equal(labelFor(5433, labels), 'db'); // narrower range beats wider
    assert.equal(labelFor(5500, labels), 'fives');
    assert.equal(labelFor(3000, labels), 'web');
    assert.equal(labelFor(80, labels), 'anything');
  });

  it('does not depend on rule order', () => {
    assert.equal(labelFor(5432, [...labels].reverse()), 'main db');
    assert.equal(labelFor(5433, [...labels].reverse()), 'db');
  });

  it('returns undefined when nothing covers the port', () => {
    assert.equal(labelFor(80, []), undefined);
    assert.equal(labelFor(3000, parseLabels({ '5432': 'db' }).labels), undefined);
  });
});
