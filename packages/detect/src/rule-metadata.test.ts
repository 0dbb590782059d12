import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractRuleMetadata } from './rule-metadata.ts';

describe('extractRuleMetadata', () => {
  it('extracts fields and maps the level onto the severity scale', () => {
    const meta = extractRuleMetadata(
      {
        title: 'T',
        id: 'abc',
        status: 'test',
        level: 'High',
        tags: ['attack.execution'],
        logsource: { product: 'Windows', category: 'process_creation', definition: 'x' },
        falsepositives: ['Admins'],
        author: 'me',
      },
      'r.yml',
    );
    assert.deepEqual(meta, {
      id: 'abc',
      title: 'T',
      severity: 'high',
      level: 'high',
      status: 'test',
      author: 'me',
      tags: ['attack.execution'],
      logsource: { product: 'windows', category: 'process_creation' },
      falsepositives: ['Admins'],
      path: 'r.yml',
    });
  });
  it('falls back for missing id and unknown level', () => {
    const meta = extractRuleMetadata({ title: 'T', level: 'weird', falsepositives: 'one' }, 'x.yml', 2);
    assert.equal(meta.id, 'x.yml#2');
    assert.equal(meta.severity, 'medium');
    assert.deepEqual(meta.falsepositives, ['one']);
  });
});
