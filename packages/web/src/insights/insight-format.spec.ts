import { describe, expect, test } from 'vitest';
import { dailySeries, driverLabel, formatDelta, metricLabel, riskBand } from './insight-format.ts';

describe('insight formatting', () => {
  test('a daily series covers every day of the window, with gaps where nothing was computed', () => {
    const series = dailySeries(
      [
        { day: '2026-02-13', risk_score: 40 },
        { day: '2026-02-15', risk_score: 100 },
        { day: '2026-01-01', risk_score: 5 },
      ],
      3,
      '2026-02-15',
    );
    expect(series).toEqual([
      { day: '2026-02-13', risk_score: 40 },
      { day: '2026-02-14', risk_score: null },
      { day: '2026-02-15', risk_score: 100 },
    ]);
    expect(dailySeries([], 30, '2026-03-01')).toHaveLength(30);
    expect(dailySeries([], 30, '2026-03-01')[0]?.day).toBe('2026-01-31');
    expect(dailySeries([], 7, 'not a day')).toEqual([]);
  });

  test('deltas are signed with one decimal, from numbers or seed 002’s text', () => {
    expect(formatDelta(91)).toBe('+91.0');
    expect(formatDelta('91.0')).toBe('+91.0');
    expect(formatDelta(-3.5)).toBe('\u22123.5');
    expect(formatDelta(0.04)).toBe('0.0');
    expect(formatDelta(null)).toBe('—');
    expect(formatDelta('n/a')).toBe('—');
  });

  test('risk bands, labels and severities', () => {
    expect([0, 24, 25, 50, 74, 75, 100].map(riskBand)).toEqual([
      'low',
      'low',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
    expect(driverLabel('network_exposure')).toBe('Network exposure');
    expect(driverLabel('some_new_thing')).toBe('some new thing');
    expect(metricLabel('suspicious_execs')).toBe('Runs from temp paths');
  });
});
