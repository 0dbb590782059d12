import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IocFeedService } from '../services/ioc-feed-service.ts';
import { IocFeedJob } from './ioc-feed-job.ts';

function fakeFeeds() {
  const calls = { runs: 0 };
  const feeds = {
    runAll: async () => {
      calls.runs++;
    },
  } as unknown as IocFeedService;
  return { feeds, calls };
}

test('HARRIER_IOC_FEED_INTERVAL=0 (the default) never fetches', async () => {
  const { feeds, calls } = fakeFeeds();
  const job = new IocFeedJob(feeds, 0);
  job.start();
  await job.stop();
  assert.equal(calls.runs, 0);
});

test('with an interval, a pass runs at start; stop waits for it and ends the schedule', async () => {
  const { feeds, calls } = fakeFeeds();
  const job = new IocFeedJob(feeds, 3600);
  job.start();
  job.start();
  await job.stop();
  assert.equal(calls.runs, 1);
  job.start();
  await job.stop();
  assert.equal(calls.runs, 1);
});

test('a failing pass is reported, not thrown', async () => {
  const errors: unknown[] = [];
  const feeds = {
    runAll: async () => {
      throw new Error('store down');
    },
  } as unknown as IocFeedService;
  const job = new IocFeedJob(feeds, 60, (e) => errors.push(e));
  job.start();
  await job.stop();
  assert.equal(errors.length, 1);
});
