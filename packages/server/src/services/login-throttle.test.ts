import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoginThrottle } from './login-throttle.ts';

const options = {
  accountFreeFailures: 3,
  addressFreeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 8_000,
  windowMs: 60_000,
};

test('delays start after the free failures and double with each further one, up to the cap', () => {
  const t = new LoginThrottle(options);
  let now = 0;
  const waits: number[] = [];
  for (let i = 0; i < 7; i++) {
    // Each attempt comes in as soon as it is allowed.
    now += t.retryAfter('alice', `10.0.0.${i}`, now) * 1000;
    t.fail('alice', `10.0.0.${i}`, now);
    waits.push(t.retryAfter('alice', `10.0.0.${i}`, now));
  }
  assert.deepEqual(waits, [0, 0, 1, 2, 4, 8, 8]);
});

test('a success clears the account; the window forgets old failures', () => {
  const t = new LoginThrottle(options);
  for (let i = 0; i < 3; i++) t.fail('bob', '10.0.0.1', 0);
  assert.equal(t.retryAfter('bob', '10.0.0.9', 0), 1);
  t.succeed('bob');
  assert.equal(t.retryAfter('bob', '10.0.0.9', 0), 0);
  for (let i = 0; i < 2; i++) t.fail('carol', '10.0.0.2', 0);
  t.fail('carol', '10.0.0.2', 120_000);
  assert.equal(t.retryAfter('carol', '10.0.0.3', 120_000), 0, 'the two old failures expired');
});

test('one address failing against many accounts is throttled on its own', () => {
  const t = new LoginThrottle(options);
  for (let i = 0; i < 5; i++) t.fail(`user-${i}`, '203.0.113.1', 0);
  assert.equal(t.retryAfter('someone-else', '203.0.113.1', 0), 1);
  assert.equal(t.retryAfter('someone-else', '203.0.113.2', 0), 0);
});
