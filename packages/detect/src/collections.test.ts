import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRules } from './rule-loader.ts';

describe('multi-document YAML and rule collections', () => {
  it('loads every document of a multi-document file', () => {
    const text = ['a', 'b', 'c']
      .map(
        (id) =>
          `title: ${id}\nid: ${id}\nlogsource:\n  product: windows\ndetection:\n  s:\n    A: ${id}\n  condition: s\n`,
      )
      .join('---\n');
    assert.deepEqual(
      loadRules([{ text }]).rules.map((r) => r.meta.id),
      ['a', 'b', 'c'],
    );
  });
  it('action: global is merged into the following documents; reset clears it', () => {
    const text = `action: global
title: Shared
level: high
logsource:
  product: windows
detection:
  filter:
    User: SYSTEM
  condition: sel and not filter
---
id: one
logsource:
  category: process_creation
detection:
  sel:
    Image|endswith: '\\a.exe'
---
id: two
logsource:
  category: file_event
detection:
  sel:
    TargetFilename|endswith: '.b'
---
action: reset
---
title: Alone
id: three
detection:
  sel:
    X: 1
  condition: sel
`;
    const { rules, errors } = loadRules([{ text }]);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      rules.map((r) => [r.meta.id, r.meta.title, r.meta.level, r.meta.logsource]),
      [
        ['one', 'Shared', 'high', { product: 'windows', category: 'process_creation' }],
        ['two', 'Shared', 'high', { product: 'windows', category: 'file_event' }],
        ['three', 'Alone', undefined, {}],
      ],
    );
  });
  it('action: repeat copies the previous rule with changes', () => {
    const text = `title: First
id: first
logsource:
  product: windows
  category: process_creation
detection:
  sel:
    Image: a
  condition: sel
---
action: repeat
id: second
logsource:
  category: image_load
`;
    const { rules } = loadRules([{ text }]);
    assert.deepEqual(
      rules.map((r) => [r.meta.id, r.meta.logsource.category]),
      [
        ['first', 'process_creation'],
        ['second', 'image_load'],
      ],
    );
  });
  it('reports errors of later documents at their own lines', () => {
    const text =
      'title: a\nid: a\ndetection:\n  s:\n    A: 1\n  condition: s\n---\ntitle: b\nid: b\ndetection:\n  s:\n    A|bad: 1\n  condition: s\n';
    const { errors } = loadRules([{ text }]);
    assert.equal(errors[0]?.line, 12);
    assert.equal(errors[0]?.code, 'unknown_modifier');
  });
});
