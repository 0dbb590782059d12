/**
 * Python package version ordering (PEP 440, as `packaging.version` compares):
 * epoch, release (trailing zeros ignored), pre-release (a < b < rc), post, dev,
 * local version; alternative spellings (alpha, beta, c, pre, preview, rev, r,
 * `-N` post releases, `_`/`-`/`.` separators) normalized first.
 */

type Key = Array<number | Array<number | string> | string>;

const PEP440 =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/;

interface Pep440 {
  epoch: number;
  release: number[];
  pre: [number, number] | null;
  post: number | null;
  dev: number | null;
  local: Array<number | string> | null;
}

const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

/** Parses a PEP 440 version (case-insensitive); null when it is not one. */
export function parsePep440(text: string): Pep440 | null {
  const m = PEP440.exec(text.trim().toLowerCase());
  if (m === null) return null;
  const release = m[2]!.split('.').map(Number);
  const pre: [number, number] | null = m[3] !== undefined ? [PRE_RANK[m[3]]!, Number(m[4] ?? 0)] : null;
  const post = m[5] !== undefined ? Number(m[5]) : m[6] !== undefined ? Number(m[7] ?? 0) : null;
  const dev = m[8] !== undefined ? Number(m[9] ?? 0) : null;
  const local =
    m[10] !== undefined ? m[10].split(/[-_.]/).map((s) => (/^\d+$/.test(s) ? Number(s) : s)) : null;
  return { epoch: Number(m[1] ?? 0), release, pre, post, dev, local };
}

const NEG = Number.NEGATIVE_INFINITY;
const POS = Number.POSITIVE_INFINITY;

/** packaging's `_cmpkey`, flattened into something compareKeys can order. */
function sortKey(v: Pep440): Key {
  const release = [...v.release];
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  // A dev release of a final version sorts before its pre-releases: 1.0.dev0 < 1.0a0.
  const pre: Array<number> =
    v.pre === null && v.post === null && v.dev !== null ? [NEG] : v.pre === null ? [POS] : [...v.pre];
  const post = v.post === null ? NEG : v.post;
  const dev = v.dev === null ? POS : v.dev;
  // Local segments: numbers sort above strings; a version without local sorts first.
  const local: Array<number | string> =
    v.local === null ? [NEG] : v.local.flatMap((s) => (typeof s === 'number' ? [1, s] : [0, s]));
  return [v.epoch, release, pre, post, dev, local];
}

function compareKeys(a: Key[number], b: Key[number]): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (i >= a.length) return -1;
      if (i >= b.length) return 1;
      const c = compareKeys(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return 0;
  }
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Orders two PEP 440 versions (negative, zero, positive); null when either is not one. */
export function comparePep440(a: string, b: string): number | null {
  const x = parsePep440(a);
  const y = parsePep440(b);
  if (x === null || y === null) return null;
  const kx = sortKey(x);
  const ky = sortKey(y);
  for (let i = 0; i < kx.length; i++) {
    const c = compareKeys(kx[i]!, ky[i]!);
    if (c !== 0) return c;
  }
  return 0;
}
