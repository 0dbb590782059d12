/**
 * Timestamp parsing for every ingest path (DESIGN.md §3: timestamps are parsed and stored as
 * UTC instants, never compared as strings). Hand-written because it runs once per event on
 * the ingest hot path and because `new Date(string)` is both slow and ambiguous (it reads a
 * naive date-time as *local* time and accepts many non-ISO shapes).
 */

/** Numbers up to this magnitude are epoch seconds; the same cut-off pydantic v2 uses (2e10 s ≈ year 2603). */
const SECONDS_LIMIT = 2e10;
/** Up to here milliseconds (year 2603 in ms); beyond, micro- and then nanoseconds. */
const MILLIS_LIMIT = 2e13;
const MICROS_LIMIT = 2e16;
/** JavaScript's Date range (±100,000,000 days); instants outside it cannot be formatted. */
const MAX_INSTANT_MS = 8.64e15;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses an instant into epoch milliseconds (UTC), or `undefined` when it is not one.
 *
 * Accepted:
 * - strings in RFC 3339 / ISO 8601 extended form: `YYYY-MM-DD`, optionally followed by
 *   `T`, `t` or a space and `HH:MM[:SS[.fraction]]` (fraction of any length, `.` or `,`;
 *   digits beyond milliseconds are truncated, as Go's RFC3339Nano values need), then an
 *   optional offset `Z`, `z`, `±HH:MM`, `±HHMM`, `±HH`, or ` UTC`/` GMT`, optionally after
 *   one space. No offset means UTC (seed 002 treats naive times as UTC). Leading and
 *   trailing whitespace is ignored. A leap second `:60` rolls into the next minute.
 * - finite numbers and bigints as epoch time: |v| ≤ 2e10 seconds, ≤ 2e13 milliseconds,
 *   ≤ 2e16 microseconds, otherwise nanoseconds;
 * - strings holding such a number with at least nine integer digits (`"1700000000.5"`);
 * - valid `Date` objects.
 * Rejected: anything else, impossible dates (Feb 30, month 13, 25:00), out-of-range offsets.
 */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value === 'string') return parseInstantString(value);
  if (typeof value === 'number') return epochToMillis(value);
  if (typeof value === 'bigint') return epochToMillis(Number(value));
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** Converts an epoch number in seconds, ms, µs or ns (by magnitude) to milliseconds. */
export function epochToMillis(value: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  const abs = Math.abs(value);
  let ms: number;
  // Rounding, not truncation, for seconds: 1700000000.123 * 1000 is 1700000000122.9998.
  if (abs <= SECONDS_LIMIT) ms = Math.round(value * 1000);
  else if (abs <= MILLIS_LIMIT) ms = Math.floor(value);
  else if (abs <= MICROS_LIMIT) ms = Math.floor(value / 1e3);
  else ms = Math.floor(value / 1e6);
  return Math.abs(ms) <= MAX_INSTANT_MS ? ms : undefined;
}

/** Value of the ASCII digit at `i`, or -1. */
function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Two-digit number at `i`, or -1. */
function twoDigits(s: string, i: number): number {
  const a = digitAt(s, i);
  const b = digitAt(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
 * Pure integer arithmetic: no Date object, and years 0..99 are not remapped to 19xx.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Epoch-number strings: optional sign, ≥ 9 integer digits, optional fraction. */
const EPOCH_STRING = /^-?\d{9,}(?:\.\d+)?$/;

function parseInstantString(input: string): number | undefined {
  let start = 0;
  let end = input.length;
  while (start < end && isSpace(input.charCodeAt(start))) start++;
  while (end > start && isSpace(input.charCodeAt(end - 1))) end--;
  const s = start === 0 && end === input.length ? input : input.slice(start, end);
  const n = s.length;
  if (n < 9) return undefined;

  // Date: YYYY-MM-DD.
  const y1 = twoDigits(s, 0);
  const y2 = twoDigits(s, 2);
  if (y1 < 0 || y2 < 0 || s.charCodeAt(4) !== 45 /* - */) {
    if (EPOCH_STRING.test(s)) return epochToMillis(Number(s));
    return undefined;
  }
  const year = y1 * 100 + y2;
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  if (month < 1 || month > 12 || s.charCodeAt(7) !== 45 || day < 1) return undefined;
  const maxDay = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day > maxDay) return undefined;

  let ms = daysFromCivil(year, month, day) * 86_400_000;
  if (n === 10) return ms;

  // Separator, then HH:MM[:SS[.fff…]].
  const sep = s.charCodeAt(10);
  if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32 /* space */) return undefined;
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  if (hour < 0 || hour > 23 || s.charCodeAt(13) !== 58 /* : */ || minute < 0 || minute > 59) {
    return undefined;
  }
  let i = 16;
  let second = 0;
  let fraction = 0;
  if (s.charCodeAt(i) === 58) {
    second = twoDigits(s, i + 1);
    if (second < 0 || second > 60) return undefined;
    i += 3;
    const dot = s.charCodeAt(i);
    if (dot === 46 /* . */ || dot === 44 /* , */) {
      i++;
      const fracStart = i;
      let scale = 100;
      for (let d = digitAt(s, i); d >= 0; d = digitAt(s, ++i)) {
        // Only the first three digits matter; later ones are truncated (floor).
        if (scale >= 1) {
          fraction += d * scale;
          scale /= 10;
        }
      }
      if (i === fracStart) return undefined;
    }
  }
  ms += hour * 3_600_000 + minute * 60_000 + second * 1000 + fraction;

  // Offset.
  if (i === n) return ms;
  if (s.charCodeAt(i) === 32) i++; // "2024-01-01 10:00:00 +0000" (Go's time.String, syslog tools)
  const rest = n - i;
  const c = s.charCodeAt(i);
  if ((c === 90 || c === 122) /* Z z */ && rest === 1) return ms;
  if (rest === 3) {
    const word = s.slice(i);
    if (word === 'UTC' || word === 'GMT') return ms;
  }
  if (c !== 43 /* + */ && c !== 45 /* - */) return undefined;
  const oh = twoDigits(s, i + 1);
  if (oh < 0 || oh > 23) return undefined;
  let om = 0;
  if (rest === 6 && s.charCodeAt(i + 3) === 58) om = twoDigits(s, i + 4);
  else if (rest === 5) om = twoDigits(s, i + 3);
  else if (rest !== 3) return undefined;
  if (om < 0 || om > 59) return undefined;
  const offset = (oh * 60 + om) * 60_000;
  // Local time minus its offset gives UTC: 10:00+02:00 is 08:00Z.
  return c === 43 ? ms - offset : ms + offset;
}

/** Formats epoch milliseconds as an RFC 3339 UTC string with milliseconds (`…T…Z`). */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}
