import type { DomainEventBus } from '../bus/domain-events.ts';
import type { DevicePresence, DevicePresenceRepository } from '../repositories/device-presence-repository.ts';
import { deviceStatus } from '../services/heartbeat-service.ts';

/**
 * Publishes `device.status` when a device goes online or offline. Online is
 * derived from the last heartbeat (as the fleet shows it), so a periodic pass
 * compares the devices heard from recently with the ones online last pass.
 * The first pass only learns the current state: a restart announces nothing.
 */
export class DeviceStatusJob {
  private online = new Map<string, DevicePresence>();
  private primed = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly presence: DevicePresenceRepository,
    private readonly bus: DomainEventBus,
    private readonly offlineAfterSeconds: number,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.pass()
      .then(() => undefined)
      .catch(this.onError)
      .finally(() => {
        this.running = undefined;
      });
  }

  /** One comparison; returns the changes it published. */
  async pass(now = Date.now()): Promise<Array<{ deviceId: string; status: 'online' | 'offline' }>> {
    const heard = await this.presence.heardSince(now - this.offlineAfterSeconds * 1000);
    const current = new Map<string, DevicePresence>();
    for (const d of heard) {
      if (deviceStatus(d.last_heartbeat_at, now, this.offlineAfterSeconds) === 'online') current.set(d.id, d);
    }
    const changes: Array<{ device: DevicePresence; status: 'online' | 'offline' }> = [];
    if (this.primed) {
      for (const [id, d] of current) if (!this.online.has(id)) changes.push({ device: d, status: 'online' });
      for (const [id, d] of this.online) if (!current.has(id)) changes.push({ device: d, status: 'offline' });
    }
    this.online = current;
    this.primed = true;
    for (const { device, status } of changes) {
      this.bus.publish({
        type: 'device.status',
        orgId: device.org_id,
        subjectId: device.id,
        at: now,
        actorId: null,
        data: { status, hostname: device.hostname, lastHeartbeatAt: device.last_heartbeat_at },
      });
    }
    return changes.map((c) => ({ deviceId: c.device.id, status: c.status }));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
