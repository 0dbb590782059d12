import { uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { unauthorized } from '../errors.ts';
import type { Device } from '../repositories/devices-repository.ts';
import { DevicesRepository } from '../repositories/devices-repository.ts';
import { type EnrollmentKey, EnrollmentKeysRepository } from '../repositories/enrollment-keys-repository.ts';
import { DEVICE_SECRET_VERSION, deriveDeviceSecret, generateKey, hashKey, keyPrefix } from './credentials.ts';

export interface EnrollmentRequest {
  enrollment_key: string;
  hostname: string;
  os?: { name?: string | undefined; version?: string | undefined; platform?: string | undefined } | undefined;
  agent_version?: string | undefined;
}

export interface CreateEnrollmentKeyOptions {
  name?: string;
  expiresAt?: number | null;
  maxUses?: number | null;
  createdBy?: string | null;
}

/** Enrollment keys and the exchange of a key for device credentials. */
export class EnrollmentService {
  private readonly keys: EnrollmentKeysRepository;
  private readonly devices: DevicesRepository;

  constructor(
    database: HarrierDatabase,
    private readonly serverSecret: string,
  ) {
    this.keys = new EnrollmentKeysRepository(database.db);
    this.devices = new DevicesRepository(database.db);
  }

  /** Creates a key for an organization; the plain key is returned once and stored only hashed. */
  async createKey(
    orgId: string,
    options: CreateEnrollmentKeyOptions = {},
  ): Promise<{ key: string; record: EnrollmentKey }> {
    const key = generateKey('hek_');
    const record: EnrollmentKey = {
      id: uuidv7(),
      org_id: orgId,
      name: options.name ?? 'enrollment key',
      key_hash: hashKey(key),
      prefix: keyPrefix(key),
      created_at: Date.now(),
      created_by: options.createdBy ?? null,
      expires_at: options.expiresAt ?? null,
      max_uses: options.maxUses ?? null,
      uses: 0,
      revoked_at: null,
    };
    await this.keys.insert(record);
    return { key, record };
  }

  /**
   * Exchanges an enrollment key for a new device and its secret. The key is
   * looked up by hash (constant-time by construction: no secret comparison of
   * attacker-chosen prefixes) and its use counted atomically.
   */
  async enroll(
    request: EnrollmentRequest,
    clientIp: string | null,
  ): Promise<{ device: Device; secret: string }> {
    const now = Date.now();
    const key = await this.keys.findByHash(hashKey(request.enrollment_key));
    if (!key) throw unauthorized('invalid_enrollment_key', 'The enrollment key is not valid.');
    if (key.revoked_at !== null)
      throw unauthorized('enrollment_key_revoked', 'The enrollment key was revoked.');
    if (key.expires_at !== null && key.expires_at <= now) {
      throw unauthorized('enrollment_key_expired', 'The enrollment key has expired.');
    }
    if (!(await this.keys.consume(key.id, now))) {
      throw unauthorized(
        'enrollment_key_exhausted',
        'The enrollment key has reached its maximum number of uses.',
      );
    }
    const device: Device = {
      id: uuidv7(now),
      org_id: key.org_id,
      hostname: request.hostname,
      external_id: null,
      display_name: null,
      os_name: request.os?.name ?? null,
      os_version: request.os?.version ?? null,
      platform: request.os?.platform ?? null,
      agent_version: request.agent_version ?? null,
      ip_address: clientIp,
      tags: '[]',
      metadata: '{}',
      secret_version: DEVICE_SECRET_VERSION,
      secret_generation: 1,
      enrollment_key_id: key.id,
      enrolled_at: now,
      revoked_at: null,
      first_seen_at: now,
      last_seen_at: now,
      last_heartbeat_at: null,
      created_at: now,
    };
    await this.devices.insert(device);
    return { device, secret: deriveDeviceSecret(this.serverSecret, device.id, device.secret_version, 1) };
  }
}
