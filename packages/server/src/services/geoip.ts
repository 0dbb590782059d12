import { createRequire } from 'node:module';
import { BlockList, isIP } from 'node:net';

/** Where an address is, as the bundled database says. */
export interface GeoPoint {
  country: string;
  region: string | null;
  city: string | null;
  lat: number;
  lon: number;
}

/** Looks an address up; undefined for private addresses and for addresses the database does not place. */
export type GeoLookup = (ip: string) => GeoPoint | undefined;

// Addresses that are nobody's location on a world map: private, shared, loopback, link-local,
// multicast and reserved ranges (IPv4-mapped IPv6 included).
const NOT_ON_MAP = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 3],
] as const)
  NOT_ON_MAP.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NOT_ON_MAP.addSubnet(net, prefix, 'ipv6');

/** True for an address that is not on the public Internet (these never appear on the threat map). */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return true;
  if (family === 4) return NOT_ON_MAP.check(ip, 'ipv4');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return NOT_ON_MAP.check(mapped[1]!, 'ipv4');
  return NOT_ON_MAP.check(ip, 'ipv6');
}

interface GeoipLite {
  lookup(ip: string): { country: string; region: string; city: string; ll: [number, number] } | null;
}

let geoip: GeoipLite | undefined;

/**
 * The bundled GeoLite database of `geoip-lite` (shipped inside the npm package, no network
 * at run time). Loaded on first use: it takes about 150 MB of memory, which only a server
 * showing the threat map should pay. Positions come from the database alone, so the same
 * address is always at the same place; unknown addresses get no position at all.
 */
export const geoLookup: GeoLookup = (ip) => {
  if (isPrivateAddress(ip)) return undefined;
  geoip ??= createRequire(import.meta.url)('geoip-lite') as GeoipLite;
  const r = geoip.lookup(ip);
  if (r === null || !Array.isArray(r.ll) || (r.ll[0] === 0 && r.ll[1] === 0)) return undefined;
  return {
    country: r.country,
    region: r.region || null,
    city: r.city || null,
    lat: r.ll[0],
    lon: r.ll[1],
  };
};
