/**
 * Shannon entropy of the bytes in bits per byte (0 to 8). Packed or encrypted
 * payloads sit near 8; code and text well below.
 */
export function shannonEntropy(data: Uint8Array): number {
  if (data.length === 0) return 0;
  const counts = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) counts[data[i]!]!++;
  let h = 0;
  for (let i = 0; i < 256; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    const p = c / data.length;
    h -= p * Math.log2(p);
  }
  return h;
}
