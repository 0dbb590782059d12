import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { Device } from '../repositories/devices-repository.ts';
import { claimNonce } from '../services/device-nonce.ts';
import { authenticateDeviceRequest } from '../services/device-request-auth.ts';

/**
 * Verifies a device-signed request on a route that takes raw bodies
 * (`acceptRawBodies`): the signature covers the bytes as received. Returns the
 * device and the nonce, for routes that claim it in their own write.
 */
export function verifySignedDevice(
  ctx: Pick<AppContext, 'devices' | 'serverSecret'>,
  request: FastifyRequest,
) {
  return authenticateDeviceRequest(
    {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: (request.body as Buffer | undefined) ?? Buffer.alloc(0),
    },
    ctx.devices,
    ctx.serverSecret,
    Date.now(),
  );
}

/** Verifies a device-signed request and claims its nonce at once (signed reads and small writes). */
export async function signedDevice(
  ctx: Pick<AppContext, 'devices' | 'serverSecret' | 'database'>,
  request: FastifyRequest,
): Promise<Device> {
  const auth = await verifySignedDevice(ctx, request);
  await claimNonce(ctx.database, auth.nonce);
  return auth.device;
}
