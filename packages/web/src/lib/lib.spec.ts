import { describe, expect, test } from 'vitest';
import { readCookie } from '../api/cookies.ts';
import { toPage } from '../api/pages.ts';
import { enrollCommand } from './agent-command.ts';
import { currentCursor, firstPage, nextPage, previousPage } from './cursor-history.ts';
import { countOf, relativeTime } from './format.ts';
import { severityRank, toSeverity } from './severity.ts';
import { compareValues, sortRows, toggleSort, toSortParam } from './sorting.ts';

describe('cursor history', () => {
  test('walks forward and back through server cursors', () => {
    let h = firstPage();
    expect(currentCursor(h)).toBeNull();
    h = nextPage(h, 'c2');
    h = nextPage(h, 'c3');
    expect(currentCursor(h)).toBe('c3');
    h = previousPage(h);
    expect(currentCursor(h)).toBe('c2');
    h = nextPage(h, 'c3b');
    expect(h.trail).toEqual([null, 'c2', 'c3b']);
    expect(nextPage(h, null)).toBe(h);
    expect(previousPage(firstPage()).index).toBe(0);
  });
});

describe('sorting', () => {
  test('toggles direction on the same column and resets on a new one', () => {
    const a = toggleSort(null, 'name');
    expect(a).toEqual({ column: 'name', direction: 'asc' });
    expect(toggleSort(a, 'name').direction).toBe('desc');
    expect(toggleSort(toggleSort(a, 'name'), 'ts')).toEqual({ column: 'ts', direction: 'asc' });
    expect(toSortParam({ column: 'ts', direction: 'desc' })).toBe('-ts');
  });
  test('numbers numerically, text naturally, missing values last either way', () => {
    expect(sortRows([10, 9, null, 100], (x) => x, 'asc')).toEqual([9, 10, 100, null]);
    expect(sortRows([10, 9, null, 100], (x) => x, 'desc')).toEqual([100, 10, 9, null]);
    expect(sortRows(['host-10', 'host-9', 'Host-1'], (x) => x, 'asc')).toEqual([
      'Host-1',
      'host-9',
      'host-10',
    ]);
    expect(compareValues('', 'a', 'desc')).toBe(1);
  });
});

describe('formatting and vocabularies', () => {
  test('relative times', () => {
    const now = Date.UTC(2026, 0, 1, 12);
    expect(relativeTime(now - 10_000, now)).toBe('just now');
    expect(relativeTime(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(relativeTime(new Date(now - 3 * 3_600_000).toISOString(), now)).toBe('3 h ago');
    expect(relativeTime(null, now)).toBe('—');
  });
  test('seed severities map onto one scale', () => {
    expect(toSeverity('HIGH')).toBe('high');
    expect(toSeverity('WARN')).toBe('medium');
    expect(toSeverity('INFO')).toBe('informational');
    expect(toSeverity('bogus')).toBeUndefined();
    expect(severityRank('critical')).toBeGreaterThan(severityRank('low'));
  });
  test('cookies are read by exact name and decoded', () => {
    expect(readCookie('harrier_csrf', 'a=1; harrier_csrf_old=x; harrier_csrf=a%20b')).toBe('a b');
    expect(readCookie('missing', 'a=1')).toBeUndefined();
  });
  test('list bodies: items, named lists, bare arrays and cursors', () => {
    expect(toPage({ users: [{ id: 1 }], next_cursor: 'n', total: 3 }, 'users')).toEqual({
      items: [{ id: 1 }],
      nextCursor: 'n',
      total: 3,
    });
    expect(toPage({ items: [], next_cursor: null })).toEqual({ items: [], nextCursor: null, total: null });
    expect(toPage([{ id: 2 }]).items).toHaveLength(1);
  });
  test('the agent install command is exact', () => {
    expect(enrollCommand('https://harrier.example:8443', 'hek_abc')).toBe(
      'harrier-agent enroll --server https://harrier.example:8443 --key hek_abc',
    );
  });
});

describe('countOf', () => {
  test('singular for one, plural otherwise, with thousands separators', () => {
    expect(countOf(1, 'row')).toBe('1 row');
    expect(countOf(0, 'row')).toBe('0 rows');
    expect(countOf(1234, 'file')).toBe('1,234 files');
    expect(countOf(2, 'policy', 'policies')).toBe('2 policies');
  });
});
