import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(16 * 256);
let poolOffset = pool.length;
let lastMs = 0;
let seq = 0;
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits, so ids sort by
 * creation time. Ids made in the same millisecond by this process stay ordered
 * through a 12-bit counter in `rand_a`.
 */
export function uuidv7(now: number = Date.now()): string {
  if (poolOffset >= pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const b = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  if (now <= lastMs) {
    seq += 1;
    if (seq > 0xfff) {
      lastMs += 1;
      seq = 0;
    }
    now = lastMs;
  } else {
    lastMs = now;
    seq = b[6]! & 0x07;
  }
  const ms = now;
  const hi = Math.floor(ms / 0x100000000);
  const lo = ms >>> 0;
  const h = (n: number) => HEX[n & 0xff]!;
  return (
    h(hi >>> 8) +
    h(hi) +
    h(lo >>> 24) +
    h(lo >>> 16) +
    '-' +
    h(lo >>> 8) +
    h(lo) +
    '-' +
    h(0x70 | (seq >>> 8)) +
    h(seq) +
    '-' +
    h(0x80 | (b[8]! & 0x3f)) +
    h(b[9]!) +
    '-' +
    h(b[10]!) +
    h(b[11]!) +
    h(b[12]!) +
    h(b[13]!) +
    h(b[14]!) +
    h(b[15]!)
  );
}

/** The creation time (epoch ms) encoded in a UUIDv7. */
export function uuidv7Time(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
