import { createHash, createHmac, randomBytes } from 'node:crypto';

/** Current version of the device-secret derivation; bump to rotate the server secret. */
export const DEVICE_SECRET_VERSION = 1;

/**
 * A device's signing secret, derived rather than stored: HMAC of the server
 * secret over the device id and its credential generation. Rotating a device
 * bumps its generation; nothing secret sits in the database.
 */
export function deriveDeviceSecret(
  serverSecret: string,
  deviceId: string,
  version: number,
  generation: number,
): string {
  return createHmac('sha256', serverSecret)
    .update(`harrier:device:v${version}:${deviceId}:${generation}`)
    .digest('hex');
}

/** Seed 002's per-org signing key, derived the same way (its HMAC needs the key itself). */
export function deriveSec44OrgKey(serverSecret: string, keyId: string, version: number): string {
  return `hsk_${createHmac('sha256', serverSecret).update(`harrier:sec44:v${version}:${keyId}`).digest('base64url')}`;
}

/**
 * Hash of a high-entropy random key for storage and lookup. Keys are 256-bit
 * random, so a fast hash is enough: there is nothing to brute-force.
 */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new random key with a recognizable prefix (`hek_` enrollment, `hak_` agent API key). */
export function generateKey(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** First characters of a key, safe to show in listings. */
export function keyPrefix(key: string): string {
  return key.slice(0, 12);
}
