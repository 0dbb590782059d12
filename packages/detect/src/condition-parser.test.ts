import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandPattern, parseCondition } from './condition-parser.ts';
import { RuleCompileError } from './errors.ts';
import { matches } from './test-helpers.ts';

const three = (condition: string): string =>
  `  sel_a:\n    A: '1'\n  sel_b:\n    B: '1'\n  filter_c:\n    C: '1'\n  _hidden:\n    D: '1'\n  condition: ${condition}`;

function truth(condition: string, fields: Record<string, string>): boolean {
  return matches(three(condition), fields);
}

describe('condition forms', () => {
  it('and / or / not with precedence not > and > or', () => {
    assert.ok(truth('sel_a and sel_b', { A: '1', B: '1' }));
    assert.ok(!truth('sel_a and sel_b', { A: '1' }));
    assert.ok(truth('sel_a or sel_b', { B: '1' }));
    assert.ok(truth('sel_a and not filter_c', { A: '1' }));
    assert.ok(!truth('sel_a and not filter_c', { A: '1', C: '1' }));
    assert.ok(truth('sel_a or sel_b and filter_c', { A: '1' }), 'and binds tighter than or');
    assert.ok(!truth('(sel_a or sel_b) and filter_c', { A: '1' }));
    assert.ok(truth('not not sel_a', { A: '1' }));
  });
  it('1 of / all of patterns and them', () => {
    assert.ok(truth('1 of sel_*', { B: '1' }));
    assert.ok(!truth('all of sel_*', { B: '1' }));
    assert.ok(truth('all of sel_*', { A: '1', B: '1' }));
    assert.ok(truth('any of sel_*', { A: '1' }));
    assert.ok(truth('1 of them', { C: '1' }));
    assert.ok(!truth('1 of them', { D: '1' }), '`them` skips names starting with _');
    assert.ok(!truth('all of them', { A: '1', B: '1' }));
    assert.ok(truth('all of them', { A: '1', B: '1', C: '1' }));
    assert.ok(truth('1 of sel_* and not 1 of filter_*', { A: '1' }));
    assert.ok(!truth('1 of sel_* and not 1 of filter_*', { A: '1', C: '1' }));
  });
  it('a list of conditions means any of them', () => {
    const rule = "  a:\n    A: '1'\n  b:\n    B: '1'\n  condition:\n    - a\n    - b";
    assert.ok(matches(rule, { B: '1' }));
  });
});

describe('parseCondition', () => {
  it('builds the tree', () => {
    assert.deepEqual(parseCondition('a and not (b or c)', []), {
      type: 'and',
      items: [
        { type: 'ref', name: 'a', offset: 0 },
        {
          type: 'not',
          item: {
            type: 'or',
            items: [
              { type: 'ref', name: 'b', offset: 11 },
              { type: 'ref', name: 'c', offset: 16 },
            ],
          },
        },
      ],
    });
  });
  it('reports the offset of syntax errors', () => {
    const cases: Array<[string, number, string]> = [
      ['a and', 5, 'invalid_condition'],
      ['(a or b', 7, 'invalid_condition'],
      ['a b', 2, 'invalid_condition'],
      ['a | count() > 5', 2, 'unsupported_aggregation'],
      ['a and $', 6, 'invalid_condition'],
    ];
    for (const [src, offset, code] of cases) {
      assert.throws(
        () => parseCondition(src, ['detection', 'condition']),
        (e: unknown) => e instanceof RuleCompileError && e.offset === offset && e.code === code,
        src,
      );
    }
  });
  it('expands patterns', () => {
    assert.deepEqual(expandPattern('sel*', ['sel1', 'selx', 'filter']), ['sel1', 'selx']);
    assert.deepEqual(expandPattern('them', ['a', '_b']), ['a']);
    assert.deepEqual(expandPattern('a.b', ['a.b', 'axb']), ['a.b']);
  });
});
