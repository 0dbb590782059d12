import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { type AddressResolver, parseWebhookUrl, resolveWebhookHost } from './webhook-address-guard.ts';
import { SIGNATURE_HEADER, signWebhookBody } from './webhook-signature.ts';

export interface WebhookResult {
  /** The receiver's HTTP status; undefined when no response came. */
  status: number | undefined;
  ok: boolean;
  error: string | undefined;
}

export interface WebhookRequest {
  url: string;
  secret: string;
  body: string;
  eventType: string;
  deliveryId: string;
  now: number;
}

/**
 * Posts one signed webhook body. The host is resolved and checked here, at
 * delivery time, and the connection goes to exactly the address checked (a DNS
 * answer that changed since creation cannot point it at a private address).
 * Redirects are not followed: a 3xx is a failed attempt.
 */
export async function postWebhook(
  req: WebhookRequest,
  options: { allowPrivate: boolean; timeoutMs: number; resolver?: AddressResolver },
): Promise<WebhookResult> {
  let url: URL;
  let address: { address: string; family: number };
  try {
    url = parseWebhookUrl(req.url);
    [address] = (await resolveWebhookHost(url, options.allowPrivate, options.resolver)) as [
      { address: string; family: number },
    ];
  } catch (error) {
    return { status: undefined, ok: false, error: (error as Error).message };
  }
  const timestamp = Math.floor(req.now / 1000);
  const pinned: LookupFunction = (_host, opts, callback) => {
    if ((opts as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
        address,
      ]);
    } else {
      callback(null, address.address, address.family);
    }
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<WebhookResult>((resolve) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        lookup: pinned,
        timeout: options.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(req.body),
          'user-agent': 'Harrier-Webhook/1',
          'x-harrier-event': req.eventType,
          'x-harrier-delivery': req.deliveryId,
          [SIGNATURE_HEADER]: signWebhookBody(req.secret, timestamp, req.body),
        },
      },
      (response) => {
        // The body is not needed; drain it so the socket is released.
        response.resume();
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          resolve({ status, ok, error: ok ? undefined : `receiver answered HTTP ${status}` });
        });
        response.on('error', (error) =>
          resolve({ status: response.statusCode, ok: false, error: error.message }),
        );
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', (error) => resolve({ status: undefined, ok: false, error: error.message }));
    request.end(req.body);
  });
}
