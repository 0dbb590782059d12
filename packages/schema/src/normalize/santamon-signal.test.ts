import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSantamonSignal, type SantamonSignalData } from '../seeds/santamon.ts';
import { normalizeSantamonSignal, santamonCategory } from './santamon-signal.ts';

const received = Date.parse('2025-12-03T12:00:00Z');

function signal(patch: Partial<SantamonSignalData> = {}): SantamonSignalData {
  const r = parseSantamonSignal({
    signal_id: '0123456789abcdef0123456789abcdef',
    ts: '2025-12-03T10:11:12.123456789+01:00',
    host_id: 'mac-01',
    rule_id: 'SM-001',
    severity: 'critical',
    title: 'Unsigned binary executed from /tmp',
    tags: ['execution', 'attack.t1059'],
    context: {
      actor_path: '/bin/zsh',
      actor_team: '',
      target_path: '/tmp/payload',
      target_sha256: 'ab12',
      decision: 'ALLOW',
      kind: 'execution',
      process_tree: [
        {
          relation: 'target',
          depth: 0,
          pid: 500,
          path: '/tmp/payload',
          user: 'bob',
          args: ['/tmp/payload', '-x'],
        },
        { relation: 'parent', depth: 1, pid: 400, path: '/bin/zsh', user: 'bob', args: ['-zsh'] },
        { relation: 'ancestor', depth: 2, pid: 1, path: '/sbin/launchd', user: 'root' },
      ],
    },
  });
  assert.ok(r.ok);
  return { ...r.value, ...patch };
}

test('a rule match becomes a macOS process_creation event with Sigma fields', () => {
  const s = signal();
  const e = normalizeSantamonSignal(s, received);
  assert.equal(e.ts, Date.parse('2025-12-03T09:11:12.123Z'));
  assert.equal(e.source, 'santamon');
  assert.deepEqual(e.logsource, { product: 'macos', category: 'process_creation' });
  assert.equal(e.severity, 'critical');
  assert.equal(e.title, s.title);
  assert.equal(e.raw, s);
  const f = e.fields;
  assert.equal(f.Image, '/tmp/payload');
  assert.equal(f.ParentImage, '/bin/zsh');
  assert.equal(f.sha256, 'ab12');
  assert.equal(f.Hashes, 'SHA256=AB12');
  assert.equal(f.ProcessId, 500);
  assert.equal(f.ParentProcessId, 400);
  assert.equal(f.User, 'bob');
  assert.equal(f.CommandLine, '/tmp/payload -x');
  assert.equal(f.ParentCommandLine, '-zsh');
  assert.equal(f.Computer, 'mac-01');
  assert.equal(f.rule_id, 'SM-001');
  assert.equal(f.signal_id, s.signal_id);
  assert.deepEqual(f.tags, ['execution', 'attack.t1059']);
  // context is kept as sent
  assert.equal(f.decision, 'ALLOW');
  assert.equal(f.actor_path, '/bin/zsh');
  assert.ok(Array.isArray(f.process_tree));
  assert.ok(!('Company' in f), 'empty values are not aliased');
});

test('free-text ts falls back to the time of receipt', () => {
  assert.equal(normalizeSantamonSignal(signal({ ts: 'not-a-date' }), received).ts, received);
});

test('category from tags first, then the Santa event kind', () => {
  assert.equal(santamonCategory(['file_event'], { kind: 'execution' }), 'file_event');
  assert.equal(santamonCategory(['persistence'], { kind: 'execution' }), 'process_creation');
  assert.equal(santamonCategory([], { kind: 'file_access' }), 'file_access');
  assert.equal(santamonCategory(['correlation'], {}), undefined);
  const e = normalizeSantamonSignal(signal({ tags: ['baseline'], context: { pattern: 'x' } }), received);
  assert.deepEqual(e.logsource, { product: 'macos' });
  assert.equal(e.fields.pattern, 'x');
  assert.ok(!Object.hasOwn(normalizeSantamonSignal(signal({ tags: [] }), received).fields, 'tags'));
});

test('execution.args from extra_context becomes CommandLine when there is no process tree', () => {
  const e = normalizeSantamonSignal(
    signal({ context: { target_path: '/bin/ls', 'execution.args': ['ls', '-la'] } }),
    received,
  );
  assert.equal(e.fields.CommandLine, 'ls -la');
  assert.equal(e.fields.Image, '/bin/ls');
});
