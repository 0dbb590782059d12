import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'x-harrier-signature';

/**
 * A webhook's signing secret, derived rather than stored: HMAC of the server
 * secret over the destination id and its secret generation (rotation bumps it).
 */
export function deriveWebhookSecret(serverSecret: string, destinationId: string, generation: number): string {
  return `whsec_${createHmac('sha256', serverSecret)
    .update(`harrier:webhook:v1:${destinationId}:${generation}`)
    .digest('base64url')}`;
}

/** The signature header value for a body sent at `timestampSeconds`. */
export function signWebhookBody(secret: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

/**
 * What a receiver does: true when the header matches the body and is no older
 * than `toleranceSeconds` (a replayed old delivery is refused).
 */
export function verifyWebhookSignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = Object.fromEntries(
    header.split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
    }),
  );
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !parts.v1) return false;
  const expected = Buffer.from(signWebhookBody(secret, t, body).split('v1=')[1]!, 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
