import { createRequire } from 'node:module';
import { isRefusedAddress } from './webhook-address-guard.ts';

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

/**
 * True for an address that is not on the public Internet (private, shared, loopback,
 * link-local, multicast, reserved): these never appear on the threat map. The same ranges
 * webhooks refuse to reach.
 */
export function isPrivateAddress(ip: string): boolean {
  return isRefusedAddress(ip);
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
