/**
 * Debian package version ordering, as dpkg does it (`dpkg --compare-versions`):
 * `[epoch:]upstream[-revision]`, compared epoch first, then upstream, then
 * revision, each with dpkg's rule that `~` sorts before everything (even the
 * end of the string), letters before other characters, and digit runs by value.
 */

interface DebianVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

/** Splits a Debian version; null when it is not one (empty, bad epoch, no leading digit). */
export function parseDebianVersion(text: string): DebianVersion | null {
  const v = text.trim();
  if (v === '' || /\s/.test(v)) return null;
  let epoch = 0;
  let rest = v;
  const colon = v.indexOf(':');
  if (colon >= 0) {
    const e = v.slice(0, colon);
    if (!/^\d+$/.test(e)) return null;
    epoch = Number(e);
    rest = v.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : '';
  if (upstream === '' || !/^\d/.test(upstream)) return null;
  return { epoch, upstream, revision };
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** dpkg's weight of one character in a non-digit run; NaN (past the end) weighs 0. */
function order(s: string, i: number): number {
  if (i >= s.length) return 0;
  const c = s.charCodeAt(i);
  if (isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 126 /* ~ */) return -1;
  return c + 256;
}

/** dpkg's `verrevcmp`: alternating non-digit and digit runs. */
function compareFragment(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(a, i);
      const bc = order(b, j);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (i < a.length && j < b.length && isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && isDigit(a.charCodeAt(i))) return 1;
    if (j < b.length && isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

/** Orders two Debian versions (negative, zero, positive); null when either is not a version. */
export function compareDebianVersions(a: string, b: string): number | null {
  const x = parseDebianVersion(a);
  const y = parseDebianVersion(b);
  if (x === null || y === null) return null;
  if (x.epoch !== y.epoch) return Math.sign(x.epoch - y.epoch);
  return Math.sign(compareFragment(x.upstream, y.upstream) || compareFragment(x.revision, y.revision));
}
