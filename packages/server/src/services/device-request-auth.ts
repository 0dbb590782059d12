import {
  NONCE_MAX_LENGTH,
  NONCE_MIN_LENGTH,
  SIGNATURE_HEADERS,
  SIGNATURE_WINDOW_SECONDS,
  verifyRequestSignature,
} from '@harrier/schema';
import type { NonceClaim } from '../db/write-jobs.ts';
import { badRequest, unauthorized } from '../errors.ts';
import type { Device, DevicesRepository } from '../repositories/devices-repository.ts';
import { deriveDeviceSecret } from './credentials.ts';

export interface SignedRequest {
  method: string;
  /** Path plus query string, as sent. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body bytes exactly as received (before decompression). */
  body: Buffer;
}

const NONCE_PATTERN = /^[\x21-\x7e]+$/;

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Verifies a device-signed request: headers present, timestamp inside the
 * window, nonce well-formed, device known and not revoked, HMAC correct.
 * Returns the device and the nonce to claim in the same transaction as the
 * request's writes (so a replay inside the window is refused even across restarts).
 */
export async function authenticateDeviceRequest(
  request: SignedRequest,
  devices: DevicesRepository,
  serverSecret: string,
  nowMs: number,
): Promise<{ device: Device; nonce: NonceClaim }> {
  const deviceId = header(request.headers, SIGNATURE_HEADERS.device);
  const timestamp = header(request.headers, SIGNATURE_HEADERS.timestamp);
  const nonce = header(request.headers, SIGNATURE_HEADERS.nonce);
  const signature = header(request.headers, SIGNATURE_HEADERS.signature);
  const missing = [
    [SIGNATURE_HEADERS.device, deviceId],
    [SIGNATURE_HEADERS.timestamp, timestamp],
    [SIGNATURE_HEADERS.nonce, nonce],
    [SIGNATURE_HEADERS.signature, signature],
  ]
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length > 0 || !deviceId || !timestamp || !nonce || !signature) {
    throw unauthorized('missing_signature', `Signed request headers are missing: ${missing.join(', ')}.`, {
      missing,
    });
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw unauthorized('invalid_timestamp', 'X-Harrier-Timestamp must be unix seconds.');
  }
  const skew = Math.abs(Number(timestamp) - nowMs / 1000);
  if (skew > SIGNATURE_WINDOW_SECONDS) {
    throw unauthorized(
      'timestamp_out_of_window',
      `X-Harrier-Timestamp is ${Math.round(skew)} s away from server time; the window is ±${SIGNATURE_WINDOW_SECONDS} s.`,
      { server_time: Math.floor(nowMs / 1000) },
    );
  }
  if (nonce.length < NONCE_MIN_LENGTH || nonce.length > NONCE_MAX_LENGTH || !NONCE_PATTERN.test(nonce)) {
    throw badRequest(
      'invalid_nonce',
      `X-Harrier-Nonce must be ${NONCE_MIN_LENGTH}–${NONCE_MAX_LENGTH} printable characters.`,
    );
  }
  if (deviceId.length > 64) throw unauthorized('unknown_device', 'Unknown device.');
  const device = await devices.findById(deviceId);
  if (!device) throw unauthorized('unknown_device', 'Unknown device.');
  if (device.revoked_at !== null)
    throw unauthorized('device_revoked', 'This device’s credentials were revoked.');
  const secret = deriveDeviceSecret(serverSecret, device.id, device.secret_version, device.secret_generation);
  const ok = verifyRequestSignature(
    { method: request.method, path: request.url, timestamp, nonce, body: request.body, secret },
    signature,
  );
  if (!ok) throw unauthorized('invalid_signature', 'The request signature does not match.');
  return {
    device,
    nonce: { scope: `device:${device.id}`, nonce, expiresAt: nowMs + 2 * SIGNATURE_WINDOW_SECONDS * 1000 },
  };
}
