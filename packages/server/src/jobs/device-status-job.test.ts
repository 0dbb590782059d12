import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DomainEvent, DomainEventBus } from '../bus/domain-events.ts';
import type { DevicePresence, DevicePresenceRepository } from '../repositories/device-presence-repository.ts';
import { DeviceStatusJob } from './device-status-job.ts';

test('device status: the first pass only learns; later passes announce online and offline once', async () => {
  let devices: DevicePresence[] = [
    { id: 'd1', org_id: 'o1', hostname: 'web-1', last_heartbeat_at: 1_000_000 },
  ];
  const presence = {
    heardSince: async (since: number) => devices.filter((d) => d.last_heartbeat_at! >= since),
  };
  const bus = new DomainEventBus();
  const seen: DomainEvent[] = [];
  bus.subscribe((e) => {
    seen.push(e);
  });
  const job = new DeviceStatusJob(presence as unknown as DevicePresenceRepository, bus, 120, 60_000);

  assert.deepEqual(await job.pass(1_000_000 + 10_000), []);
  devices.push({ id: 'd2', org_id: 'o2', hostname: 'db-1', last_heartbeat_at: 1_050_000 });
  assert.deepEqual(await job.pass(1_060_000), [{ deviceId: 'd2', status: 'online' }]);
  assert.deepEqual(await job.pass(1_070_000), []);
  // d1's last heartbeat is now older than 120 s.
  assert.deepEqual(await job.pass(1_000_000 + 121_000), [{ deviceId: 'd1', status: 'offline' }]);
  devices = [];
  assert.deepEqual(await job.pass(1_050_000 + 121_000), [{ deviceId: 'd2', status: 'offline' }]);
  await bus.idle();
  assert.deepEqual(
    seen.map((e) => [e.type, e.orgId, e.subjectId, e.data.status, e.data.hostname]),
    [
      ['device.status', 'o2', 'd2', 'online', 'db-1'],
      ['device.status', 'o1', 'd1', 'offline', 'web-1'],
      ['device.status', 'o2', 'd2', 'offline', 'db-1'],
    ],
  );
});
