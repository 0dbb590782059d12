/**
 * Python's float rounding and fixed-point formatting, which seed 002's insight engine uses
 * (`round(x)`, `round(x, n)`, `f"{x:.1f}"`). Python rounds the exact binary value half to
 * even; `Math.round` rounds halves up and `toFixed` rounds ties away from zero, so neither
 * reproduces Python's results (`round(2.5) == 2`, `round(0.125, 2) == 0.12`).
 */

/** Rounds `digits` decimal places off an exact decimal string of digits ("123.4560…"), half to even. */
function roundDecimalString(exact: string, digits: number): string {
  const dot = exact.indexOf('.');
  const intPart = dot < 0 ? exact : exact.slice(0, dot);
  const frac = dot < 0 ? '' : exact.slice(dot + 1);
  const kept = (intPart + frac.slice(0, digits).padEnd(digits, '0')).split('').map(Number);
  const rest = frac.slice(digits);
  const first = rest.length > 0 ? Number(rest[0]) : 0;
  const tail = rest.slice(1);
  const beyondHalf = /[1-9]/.test(tail);
  const last = kept.length > 0 ? kept[kept.length - 1]! : 0;
  const up = first > 5 || (first === 5 && (beyondHalf || last % 2 === 1));
  if (up) {
    let i = kept.length - 1;
    while (i >= 0 && kept[i] === 9) {
      kept[i] = 0;
      i--;
    }
    if (i >= 0) kept[i] = kept[i]! + 1;
    else kept.unshift(1);
  }
  const all = kept.join('');
  const whole = all.slice(0, all.length - digits).replace(/^0+(?=\d)/, '') || '0';
  return digits > 0 ? `${whole}.${all.slice(all.length - digits)}` : whole;
}

/**
 * Python's `format(x, f".{digits}f")`: the exact value of the double rounded half to even to
 * `digits` places (`formatFixed(0.125, 2) === "0.12"`, `formatFixed(8, 1) === "8.0"`).
 */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const abs = Math.abs(x);
  // toFixed(100) is the exact decimal expansion for the magnitudes scores take (< 1e21).
  const exact = abs < 1e21 ? abs.toFixed(100) : BigInt(abs).toString();
  const rounded = roundDecimalString(exact, digits);
  return x < 0 || Object.is(x, -0) ? `-${rounded}` : rounded;
}

/**
 * Python's `round(x, digits)` on a float: half to even on the exact binary value
 * (`roundHalfEven(2.5) === 2`, `roundHalfEven(3.5) === 4`, `roundHalfEven(2.675, 2) === 2.67`).
 */
export function roundHalfEven(x: number, digits = 0): number {
  if (!Number.isFinite(x)) return x;
  const value = Number(formatFixed(x, digits));
  return value === 0 ? 0 : value;
}
