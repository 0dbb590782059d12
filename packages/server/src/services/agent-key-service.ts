import { timingSafeEqual } from 'node:crypto';
import { uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { type AgentKey, AgentKeysRepository } from '../repositories/agent-keys-repository.ts';
import { type Device, DevicesRepository } from '../repositories/devices-repository.ts';
import { DEVICE_SECRET_VERSION, deriveSec44OrgKey, generateKey, hashKey, keyPrefix } from './credentials.ts';

/** Santamon keys must be at least this long (seed 001's MIN_API_KEY_LENGTH). */
export const SANTAMON_MIN_KEY_LENGTH = 16;

/** Creates and checks the credentials of the seeds' agents (Santamon API keys, sec44 org signing keys). */
export class AgentKeyService {
  private readonly keys: AgentKeysRepository;
  private readonly devices: DevicesRepository;

  constructor(
    database: HarrierDatabase,
    private readonly serverSecret: string,
  ) {
    this.keys = new AgentKeysRepository(database.db);
    this.devices = new DevicesRepository(database.db);
  }

  /** A Santamon `X-API-Key`, for the whole org or bound to one device (by host id); stored hashed. */
  async createSantamonKey(
    orgId: string,
    options: { name: string; deviceHost?: string | undefined },
  ): Promise<{ key: string; record: AgentKey }> {
    let deviceId: string | null = null;
    if (options.deviceHost) deviceId = (await this.deviceForHost(orgId, options.deviceHost)).id;
    const key = generateKey('hak_');
    const record: AgentKey = {
      id: uuidv7(),
      org_id: orgId,
      device_id: deviceId,
      kind: 'santamon',
      name: options.name,
      key_hash: hashKey(key),
      prefix: keyPrefix(key),
      secret_version: DEVICE_SECRET_VERSION,
      created_at: Date.now(),
      revoked_at: null,
      last_used_at: null,
    };
    await this.keys.insert(record);
    return { key, record };
  }

  /**
   * A sec44 org signing key. Its HMAC needs the key itself, so it is derived
   * from the server secret and the record id instead of being stored.
   */
  async createSec44Key(orgId: string, options: { name: string }): Promise<{ key: string; record: AgentKey }> {
    const id = uuidv7();
    const key = deriveSec44OrgKey(this.serverSecret, id, DEVICE_SECRET_VERSION);
    const record: AgentKey = {
      id,
      org_id: orgId,
      device_id: null,
      kind: 'sec44',
      name: options.name,
      key_hash: null,
      prefix: keyPrefix(key),
      secret_version: DEVICE_SECRET_VERSION,
      created_at: Date.now(),
      revoked_at: null,
      last_used_at: null,
    };
    await this.keys.insert(record);
    return { key, record };
  }

  /** The active Santamon key matching `presented`, or undefined. Lookup by hash, then a constant-time check. */
  async authenticateSantamon(presented: string | undefined): Promise<AgentKey | undefined> {
    if (!presented || presented.length < SANTAMON_MIN_KEY_LENGTH || presented.length > 512) return undefined;
    const digest = hashKey(presented);
    const record = await this.keys.findActiveByHash('santamon', digest);
    if (!record?.key_hash) return undefined;
    if (!timingSafeEqual(Buffer.from(record.key_hash, 'hex'), Buffer.from(digest, 'hex'))) return undefined;
    return record;
  }

  /** The signing keys of an org's active sec44 credentials (usually one; several during a rotation). */
  async sec44Keys(orgId: string): Promise<Array<{ record: AgentKey; key: string }>> {
    const records = await this.keys.listActiveByOrg(orgId, 'sec44');
    return records.map((record) => ({
      record,
      key: deriveSec44OrgKey(this.serverSecret, record.id, record.secret_version),
    }));
  }

  /** The device a seed agent reports as (`host_id`, `device_id`, `agent_id`), created on first sight. */
  async deviceForHost(
    orgId: string,
    host: string,
    facts: Partial<Pick<Device, 'platform' | 'agent_version' | 'os_version'>> = {},
  ): Promise<Device> {
    const existing = await this.devices.findByExternalId(orgId, host);
    if (existing) return existing;
    const now = Date.now();
    return this.devices.insertOrGetByExternalId({
      id: uuidv7(now),
      org_id: orgId,
      hostname: host,
      external_id: host,
      display_name: null,
      os_name: null,
      os_version: facts.os_version ?? null,
      platform: facts.platform ?? null,
      agent_version: facts.agent_version ?? null,
      ip_address: null,
      tags: '[]',
      metadata: '{}',
      secret_version: DEVICE_SECRET_VERSION,
      secret_generation: 1,
      enrollment_key_id: null,
      enrolled_at: null,
      revoked_at: null,
      first_seen_at: now,
      last_seen_at: now,
      last_heartbeat_at: null,
      created_at: now,
    });
  }
}
