import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultDocument } from '../../server/src/services/policy-document.ts';
import { defaultPolicy, mergePolicy } from './policy.ts';

describe('policy', () => {
  it('merges a server document in snake_case or camelCase, wrapped or bare', () => {
    const base = defaultPolicy();
    const a = mergePolicy(base, {
      policy: {
        collect_command_lines: false,
        collectors: { file_integrity: false },
        intervals: { process_s: 5, heartbeat_s: 60 },
        fim_paths: ['/srv/app/**/*'],
        response: { allowed_actions: ['kill_process'] },
      },
    });
    assert.equal(a.collectCommandLines, false);
    assert.equal(a.collectors.fileIntegrity, false);
    assert.equal(a.collectors.process, true);
    assert.equal(a.intervals.processS, 5);
    assert.equal(a.intervals.heartbeatS, 60);
    assert.deepEqual(a.fimPaths, ['/srv/app/**/*']);
    assert.deepEqual(a.allowedActions, ['kill_process']);
    const b = mergePolicy(base, { collectCommandLines: false, batchMaxEvents: 200 });
    assert.equal(b.collectCommandLines, false);
    assert.equal(b.batchMaxEvents, 200);
  });

  it('ignores wrong types and unsafe values, keeping the defaults', () => {
    const base = defaultPolicy();
    const p = mergePolicy(base, {
      collect_command_lines: 'no',
      intervals: { process_s: 0, heartbeat_s: 1, fast_s: -3 },
      fim_paths: [1, 2],
      spool_max_bytes: 10,
      unknown: { anything: true },
    });
    assert.deepEqual(p, base);
    assert.deepEqual(mergePolicy(base, null), base);
    assert.deepEqual(mergePolicy(base, [1, 2, 3]), base);
  });

  it("the server's default configuration is the agent's own default, interval for interval", () => {
    const base = defaultPolicy();
    assert.deepEqual(mergePolicy(base, defaultDocument()), base);
    const changed = mergePolicy(base, { intervals: { inventory_s: 3600, iocs_s: 600 } });
    assert.equal(changed.intervals.inventoryS, 3600);
    assert.equal(changed.intervals.iocsS, 600);
    // Pulling indicators more than once a minute is refused: the default stays.
    assert.equal(mergePolicy(base, { intervals: { iocs_s: 59 } }).intervals.iocsS, 1800);
  });
});
