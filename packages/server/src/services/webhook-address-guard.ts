import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { badRequest } from '../errors.ts';

// Addresses a webhook must not reach unless HARRIER_WEBHOOK_ALLOW_PRIVATE is set:
// the server's own loopback, cloud metadata (link-local), private networks, and
// addresses that are not unicast on the Internet at all.
const REFUSED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  REFUSED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  REFUSED.addSubnet(net, prefix, 'ipv6');
}

/** True for loopback, link-local, private, shared, multicast and unspecified addresses. */
export function isRefusedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return REFUSED.check(address, 'ipv4');
  if (family !== 6) return true;
  // IPv4-mapped (::ffff:10.0.0.1) and NAT64 (64:ff9b::a00:1) addresses reach IPv4 hosts.
  const lower = address.toLowerCase();
  const mapped = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return REFUSED.check(mapped[1]!, 'ipv4');
  const hexMapped = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hexMapped) {
    const hi = Number.parseInt(hexMapped[1]!, 16);
    const lo = Number.parseInt(hexMapped[2]!, 16);
    return REFUSED.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
  }
  return REFUSED.check(address, 'ipv6');
}

export function addressRefused(url: string, address: string) {
  return badRequest(
    'webhook_address_refused',
    `The webhook host resolves to ${address}, a loopback, link-local or private address; set HARRIER_WEBHOOK_ALLOW_PRIVATE to allow it.`,
    { url, address },
  );
}

/** A webhook URL as accepted: http(s), a host, no credentials in it. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest('invalid_webhook_url', 'The webhook URL is not a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw badRequest('invalid_webhook_url', 'The webhook URL must be http:// or https://.');
  if (url.username !== '' || url.password !== '')
    throw badRequest('invalid_webhook_url', 'Put no credentials in the webhook URL; deliveries are signed.');
  if (url.hostname === '') throw badRequest('invalid_webhook_url', 'The webhook URL names no host.');
  return url;
}

export type AddressResolver = (host: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolver: AddressResolver = (host) => lookup(host, { all: true, verbatim: true });

/**
 * Resolves a webhook host and checks every address it resolves to. Returns the
 * addresses (the delivery connects to the first, so a second DNS answer cannot
 * differ from the one checked: no rebinding between check and connect).
 */
export async function resolveWebhookHost(
  url: URL,
  allowPrivate: boolean,
  resolver: AddressResolver = systemResolver,
): Promise<Array<{ address: string; family: number }>> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host) !== 0) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await resolver(host);
    } catch {
      throw badRequest('webhook_host_unresolved', `The webhook host "${host}" does not resolve.`, {
        url: url.href,
      });
    }
    if (addresses.length === 0)
      throw badRequest('webhook_host_unresolved', `The webhook host "${host}" does not resolve.`, {
        url: url.href,
      });
  }
  if (!allowPrivate) {
    const refused = addresses.find((a) => isRefusedAddress(a.address));
    if (refused) throw addressRefused(url.href, refused.address);
  }
  return addresses;
}
