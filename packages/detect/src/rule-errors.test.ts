import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRules } from './rule-loader.ts';

function errorsOf(text: string) {
  return loadRules([{ path: 'r.yml', text }]).errors;
}

const head = 'title: T\nid: r1\nlogsource:\n  product: windows\n';

describe('rule errors carry code, line and column', () => {
  it('invalid YAML', () => {
    const [e] = errorsOf('title: T\ndetection:\n  sel: [a, b\n  condition: sel\n');
    assert.equal(e?.code, 'invalid_yaml');
    assert.equal(e?.path, 'r.yml');
    assert.ok((e?.line ?? 0) >= 3, JSON.stringify(e));
  });
  it('unresolved aliases and collection keys are invalid YAML, not crashes', () => {
    assert.equal(
      errorsOf(`${head}detection:\n  sel:\n    A: *nope\n  condition: sel\n`)[0]?.code,
      'invalid_yaml',
    );
    const [k] = errorsOf(`${head}detection:\n  sel:\n    ? [a, b]\n    : 1\n  condition: sel\n`);
    assert.equal(k?.code, 'invalid_yaml');
    assert.equal(k?.line, 7);
  });
  it('duplicate keys are invalid YAML', () => {
    const [e] = errorsOf(`${head}detection:\n  sel:\n    A: 1\n    A: 2\n  condition: sel\n`);
    assert.equal(e?.code, 'invalid_yaml');
  });
  it('unknown modifier points at the key', () => {
    const [e] = errorsOf(`${head}detection:\n  sel:\n    Image|endswiht: x\n  condition: sel\n`);
    assert.deepEqual(e, {
      path: 'r.yml',
      rule_id: 'r1',
      line: 7,
      column: 5,
      code: 'unknown_modifier',
      message: 'unknown modifier "endswiht" in "Image|endswiht"',
    });
  });
  it('bad regex points at the value', () => {
    const [e] = errorsOf(
      `${head}detection:\n  sel:\n    Image|re:\n      - 'ok'\n      - '(unclosed'\n  condition: sel\n`,
    );
    assert.equal(e?.code, 'invalid_regex');
    assert.equal(e?.line, 9);
    assert.equal(e?.column, 9, 'the quoted value starts at the quote');
  });
  it('catastrophic regexes are refused', () => {
    const [e] = errorsOf(`${head}detection:\n  sel:\n    Image|re: '(a+)+$'\n  condition: sel\n`);
    assert.equal(e?.code, 'unsafe_regex');
    assert.equal(e?.line, 7);
  });
  it('condition naming a missing selection points into the condition', () => {
    const [e] = errorsOf(`${head}detection:\n  sel:\n    A: 1\n  condition: sel and filter\n`);
    assert.equal(e?.code, 'missing_selection');
    assert.equal(e?.line, 8);
    assert.equal(e?.column, 22);
    const [p] = errorsOf(`${head}detection:\n  sel:\n    A: 1\n  condition: 1 of filter_*\n`);
    assert.equal(p?.code, 'missing_selection');
  });
  it('missing detection, condition, and bad values', () => {
    assert.equal(errorsOf(`${head}`)[0]?.code, 'invalid_rule');
    assert.equal(errorsOf(`${head}detection:\n  sel:\n    A: 1\n`)[0]?.code, 'invalid_condition');
    assert.equal(
      errorsOf(`${head}detection:\n  sel:\n    A|cidr: 'x/99'\n  condition: sel\n`)[0]?.code,
      'invalid_value',
    );
    assert.equal(
      errorsOf(`${head}detection:\n  sel:\n    A|gt: abc\n  condition: sel\n`)[0]?.code,
      'invalid_value',
    );
    assert.equal(
      errorsOf(`${head}detection:\n  sel:\n    A|exists: yes\n  condition: sel\n`)[0]?.code,
      'invalid_modifier',
    );
    assert.equal(
      errorsOf(`${head}detection:\n  sel:\n    A|i: x\n  condition: sel\n`)[0]?.code,
      'invalid_modifier',
    );
    assert.equal(
      errorsOf(`${head}detection:\n  sel:\n    A|contains: null\n  condition: sel\n`)[0]?.code,
      'invalid_value',
    );
    assert.equal(errorsOf(`${head}detection:\n  sel: {}\n  condition: sel\n`)[0]?.code, 'invalid_rule');
  });
  it('aggregations are reported as unsupported', () => {
    const [e] = errorsOf(`${head}detection:\n  sel:\n    A: 1\n  condition: sel | count() > 5\n`);
    assert.equal(e?.code, 'unsupported_aggregation');
  });
  it('duplicate ids and non-mapping documents', () => {
    const rule = `${head}detection:\n  sel:\n    A: 1\n  condition: sel\n`;
    const loaded = loadRules([{ text: rule }, { path: 'b.yml', text: rule }]);
    assert.equal(loaded.rules.length, 1);
    assert.equal(loaded.errors[0]?.code, 'duplicate_rule_id');
    assert.equal(loaded.errors[0]?.path, 'b.yml');
    assert.equal(errorsOf('- just\n- a list\n')[0]?.code, 'invalid_rule');
  });
  it('one bad rule does not stop the others', () => {
    const good = `${head}detection:\n  sel:\n    A: 1\n  condition: sel\n`;
    const bad = `title: B\nid: r2\ndetection:\n  sel:\n    A|nope: 1\n  condition: sel\n`;
    const loaded = loadRules([{ text: `${bad}---\n${good}` }]);
    assert.equal(loaded.rules.length, 1);
    assert.equal(loaded.errors.length, 1);
    assert.equal(loaded.errors[0]?.line, 5);
  });
});
