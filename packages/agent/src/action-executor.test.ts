import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { executeAction } from './action-executor.ts';
import { defaultPolicy } from './policy.ts';

const hooks = { triage: async () => ({ spooled_events: 0 }) };

describe('response actions', () => {
  it('refuses everything but ping on a monitoring-only policy', async () => {
    const p = defaultPolicy();
    assert.equal((await executeAction({ id: '1', type: 'ping', params: {} }, p, hooks)).status, 'succeeded');
    for (const type of ['kill_process', 'run_command', 'collect_triage', 'isolate']) {
      const r = await executeAction({ id: '2', type, params: {} }, p, hooks);
      assert.equal(r.status, 'rejected', type);
    }
  });

  it('runs only approved commands, without a shell', async () => {
    const p = { ...defaultPolicy(), allowedActions: ['run_command'], allowedCommands: ['/bin/echo'] };
    const ok = await executeAction(
      { id: '3', type: 'run_command', params: { command: ['/bin/echo', 'hi;', 'id'] } },
      p,
      hooks,
    );
    assert.equal(ok.status, 'succeeded');
    assert.deepEqual(ok.output, { stdout: 'hi; id\n', stderr: '' });
    const no = await executeAction(
      { id: '4', type: 'run_command', params: { command: '/bin/sh -c id' } },
      p,
      hooks,
    );
    assert.equal(no.status, 'rejected');
  });

  it('kills a process when allowed, and reports unsupported actions as failed', async () => {
    const p = { ...defaultPolicy(), allowedActions: ['kill_process', 'isolate'] };
    const child = spawn('sleep', ['30']);
    const exited = new Promise((r) => child.on('exit', (_code, signal) => r(signal)));
    const r = await executeAction({ id: '5', type: 'kill_process', params: { pid: child.pid } }, p, hooks);
    assert.equal(r.status, 'succeeded');
    assert.equal(await exited, 'SIGKILL');
    assert.equal(
      (await executeAction({ id: '6', type: 'kill_process', params: { pid: 1 } }, p, hooks)).status,
      'failed',
    );
    assert.equal((await executeAction({ id: '7', type: 'isolate', params: {} }, p, hooks)).status, 'failed');
  });
});
