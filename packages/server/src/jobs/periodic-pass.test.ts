import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PeriodicPass } from './periodic-pass.ts';

test('a pass at start, none overlapping, failures reported, stop waits for the pass in progress', async () => {
  const errors: unknown[] = [];
  let calls = 0;
  let release!: () => void;
  const loop = new PeriodicPass(
    () => {
      calls++;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    0,
    (e) => errors.push(e),
  );
  loop.start();
  loop.run();
  assert.equal(calls, 1, 'a pass that is running is not started twice');
  let stopped = false;
  const stopping = loop.stop().then(() => {
    stopped = true;
  });
  await Promise.resolve();
  assert.equal(stopped, false);
  release();
  await stopping;
  loop.run();
  assert.equal(calls, 1, 'nothing runs after stop');

  const failing = new PeriodicPass(
    () => Promise.reject(new Error('down')),
    0,
    (e) => errors.push(e),
  );
  failing.start(false);
  failing.run();
  await failing.stop();
  assert.equal((errors[0] as Error).message, 'down');
});

test('the first pass can be replaced by a fuller one', async () => {
  const seen: string[] = [];
  const loop = new PeriodicPass(async () => {
    seen.push('tick');
  }, 0);
  loop.start(async () => {
    seen.push('first');
  });
  await loop.stop();
  assert.deepEqual(seen, ['first']);
});
