import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mitreFromTags } from './mitre-tags.ts';

describe('mitreFromTags', () => {
  it('splits techniques, tactics, groups and software', () => {
    assert.deepEqual(
      mitreFromTags([
        'attack.execution',
        'attack.t1059.001',
        'attack.T1059',
        'attack.privilege_escalation',
        'attack.privilege-escalation',
        'attack.g0046',
        'attack.s0029',
        'cve.2021-44228',
        'detection.threat-hunting',
        'attack.t1059.001',
      ]),
      {
        techniques: ['T1059.001', 'T1059'],
        tactics: ['execution', 'privilege-escalation'],
        tactic_ids: ['TA0002', 'TA0004'],
        groups: ['G0046'],
        software: ['S0029'],
      },
    );
  });
  it('keeps unknown tactic names without an id', () => {
    assert.deepEqual(mitreFromTags(['attack.something_new']).tactics, ['something-new']);
    assert.deepEqual(mitreFromTags(['attack.something_new']).tactic_ids, []);
  });
});
