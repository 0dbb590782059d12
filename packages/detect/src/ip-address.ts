/**
 * IPv4 and IPv6 parsing and CIDR membership for the `cidr` modifier. IPv4 addresses are compared
 * as 32-bit numbers, IPv6 as 128-bit BigInts; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) also matches
 * IPv4 networks.
 */

/** Parses dotted-quad IPv4; `undefined` when malformed. */
export function parseIPv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const b = Number(p);
    if (b > 255) return undefined;
    n = n * 256 + b;
  }
  return n;
}

/** Parses IPv6 (with `::`, embedded IPv4 and an optional `%zone`); `undefined` when malformed. */
export function parseIPv6(input: string): bigint | undefined {
  let s = input;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (!s.includes(':')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (i === items.length - 1 && it.includes('.')) {
        const v4 = parseIPv4(it);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(it)) {
        out.push(Number.parseInt(it, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = toGroups(halves[0]!);
  const tail = halves.length === 2 ? toGroups(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(g);
  return n;
}

/** A test for addresses inside a CIDR network; throws on a malformed network. */
export function compileCidr(cidr: string): (address: string) => boolean {
  const slash = cidr.indexOf('/');
  const addr = slash >= 0 ? cidr.slice(0, slash) : cidr;
  const v4 = parseIPv4(addr);
  if (v4 !== undefined) {
    const bits = slash >= 0 ? Number(cidr.slice(slash + 1)) : 32;
    if (!Number.isInteger(bits) || bits < 0 || bits > 32)
      throw new Error(`invalid IPv4 prefix length in "${cidr}"`);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const net = (v4 & mask) >>> 0;
    const mapped = (0xffffn << 32n) | BigInt(net);
    const mask6 = ((1n << 128n) - 1n) ^ ((1n << BigInt(32 - bits)) - 1n);
    return (a: string) => {
      const x = parseIPv4(a.trim());
      if (x !== undefined) return (x & mask) >>> 0 === net;
      const y = a.includes(':') ? parseIPv6(a.trim()) : undefined;
      return y !== undefined && (y & mask6) === mapped;
    };
  }
  const v6 = parseIPv6(addr);
  if (v6 === undefined) throw new Error(`invalid CIDR network "${cidr}"`);
  const bits = slash >= 0 ? Number(cidr.slice(slash + 1)) : 128;
  if (!Number.isInteger(bits) || bits < 0 || bits > 128)
    throw new Error(`invalid IPv6 prefix length in "${cidr}"`);
  const all = (1n << 128n) - 1n;
  const mask = all ^ ((1n << BigInt(128 - bits)) - 1n);
  const net = v6 & mask;
  return (a: string) => {
    if (!a.includes(':')) return false;
    const y = parseIPv6(a.trim());
    return y !== undefined && (y & mask) === net;
  };
}
