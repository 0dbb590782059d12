import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvalContext } from './eval-context.ts';
import { AhoCorasick, LiteralIndex } from './literal-index.ts';
import { loadRules } from './rule-loader.ts';

describe('AhoCorasick', () => {
  it('finds every occurrence of every pattern, including overlaps', () => {
    const ac = new AhoCorasick();
    ['he', 'she', 'his', 'hers'].forEach((p, i) => {
      ac.add(p, i);
    });
    ac.build();
    const hits: number[] = [];
    ac.scan('ushers', (id) => hits.push(id));
    assert.deepEqual(hits.sort(), [0, 1, 3]);
  });
  it('folds case, and the non-ASCII characters whose lowercase is ASCII', () => {
    const ac = new AhoCorasick();
    ac.add('\\cmd.exe', 0);
    ac.add('kit', 1);
    ac.add('ünï', 2);
    ac.build();
    const found = (text: string) => {
      const hits = new Set<number>();
      ac.scan(text, (id) => hits.add(id));
      return [...hits].sort();
    };
    assert.deepEqual(found('C:\\WINDOWS\\CMD.EXE'), [0]);
    assert.deepEqual(found('\u212aIT'), [1], 'Kelvin sign');
    assert.deepEqual(found('k\u0130t'), [1], 'dotted capital I');
    assert.deepEqual(found('ÜNÏ'), [2], 'non-ASCII characters share one class');
  });
});

describe('LiteralIndex', () => {
  it('selects rules whose required literal occurs, plus rules without one', () => {
    const idx = new LiteralIndex([
      [[{ field: 'Image', literal: '\\cmd.exe' }]],
      [
        [
          { field: 'CommandLine', literal: 'whoami' },
          { field: 'Image', literal: 'powershell' },
        ],
      ],
      null,
      [[{ field: 'Image', literal: 'cmd' }], [{ field: 'CommandLine', literal: 'del' }]],
    ]);
    const ctx = new EvalContext();
    ctx.reset({ Image: 'C:\\Windows\\CMD.exe', CommandLine: 'x' });
    assert.deepEqual([...idx.candidates(ctx)], [0, 2], 'rule 3 needs both clauses');
    ctx.reset({ Image: 'C:\\Windows\\CMD.exe', CommandLine: 'cmd /c DEL x' });
    assert.deepEqual([...idx.candidates(ctx)], [0, 2, 3]);
    ctx.reset({ Image: 'a', CommandLine: 'WHOAMI /all' });
    assert.deepEqual([...idx.candidates(ctx)], [1, 2]);
    ctx.reset({ Tags: ['x', 'PowerShell'], Image: ['POWERSHELL.exe'] });
    assert.deepEqual([...idx.candidates(ctx)], [1, 2]);
    assert.equal(idx.unindexedCount, 1);
  });

  it('derives requirements from conditions: and picks one side, or needs both, not gives none', () => {
    const rule = (cond: string) =>
      loadRules([
        {
          text: `title: t\nid: x\ndetection:\n  a:\n    Image|endswith: '\\long.exe'\n  b:\n    CommandLine|contains: 'zz'\n  condition: ${cond}\n`,
        },
      ]).rules[0]!.requirement;
    assert.deepEqual(rule('a and b'), [
      [{ field: 'Image', literal: '\\long.exe' }],
      [{ field: 'CommandLine', literal: 'zz' }],
    ]);
    assert.deepEqual(rule('a or b'), [
      [
        { field: 'Image', literal: '\\long.exe' },
        { field: 'CommandLine', literal: 'zz' },
      ],
    ]);
    assert.equal(rule('not a'), null);
    assert.deepEqual(rule('a and not b'), [[{ field: 'Image', literal: '\\long.exe' }]]);
  });
});
