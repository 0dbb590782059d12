import type { HarrierDatabase } from '../db/database.ts';
import { conflict, notFound } from '../errors.ts';
import { DevicesRepository } from '../repositories/devices-repository.ts';
import { type EnrollmentKey, EnrollmentKeysRepository } from '../repositories/enrollment-keys-repository.ts';
import { deriveDeviceSecret } from './credentials.ts';

/** Administration of agent credentials: enrollment keys of an organization, device revocation and rotation. */
export class AgentCredentialsService {
  private readonly keys: EnrollmentKeysRepository;
  private readonly devices: DevicesRepository;

  constructor(
    database: HarrierDatabase,
    private readonly serverSecret: string,
  ) {
    this.keys = new EnrollmentKeysRepository(database.db);
    this.devices = new DevicesRepository(database.db);
  }

  listKeys(orgId: string): Promise<EnrollmentKey[]> {
    return this.keys.listByOrg(orgId);
  }

  async revokeKey(orgId: string, id: string, now = Date.now()): Promise<EnrollmentKey> {
    if (!(await this.keys.revoke(orgId, id, now))) throw notFound('enrollment_key_not_found', 'No such key.');
    return (await this.keys.findInOrg(orgId, id))!;
  }

  /** Revokes a device: its next signed request is refused. */
  async revokeDevice(orgId: string, id: string, now = Date.now()) {
    const device = await this.devices.findInOrg(orgId, id);
    if (!device) throw notFound('device_not_found', 'No such device.');
    if (device.revoked_at === null) await this.devices.revoke(device.id, now);
    return (await this.devices.findInOrg(orgId, id))!;
  }

  /**
   * Gives a device a new secret by bumping its credential generation; the old
   * secret stops working at once. The new secret is returned once.
   */
  async rotateDeviceSecret(orgId: string, id: string) {
    const device = await this.devices.findInOrg(orgId, id);
    if (!device) throw notFound('device_not_found', 'No such device.');
    if (device.revoked_at !== null)
      throw conflict('device_revoked', 'A revoked device cannot get a new secret.');
    const generation = await this.devices.bumpSecretGeneration(orgId, id);
    if (generation === undefined)
      throw conflict('device_revoked', 'A revoked device cannot get a new secret.');
    return {
      device,
      generation,
      secret: deriveDeviceSecret(this.serverSecret, device.id, device.secret_version, generation),
    };
  }
}
