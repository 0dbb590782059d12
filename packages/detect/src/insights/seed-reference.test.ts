import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isoDay } from './day-aggregate.ts';
import { buildInsightBundleFromEvents } from './insight-bundle.ts';
import type { InsightEvent, InsightSeverity, InsightSource } from './insight-event.ts';

interface ReferenceCase {
  seed: number;
  events: Array<{
    ts: string;
    source: string;
    severity: string;
    title: string;
    details_json: Record<string, unknown>;
  }>;
  bundle: {
    day: string;
    risk_score: number;
    raw_risk_score: number;
    counts: Record<string, number>;
    metrics: Record<string, number>;
    baseline: Record<string, unknown>;
    drivers: unknown[];
    new_changes: string[];
    resolved_changes: string[];
    insights: Array<Record<string, unknown>>;
    daily_brief: Record<string, unknown>;
  };
}

// Bundles computed by seed 002's own engine (core/engine.py) on random event sets: the port
// must agree with it to the last rounding, title and fingerprint.
const reference = JSON.parse(
  readFileSync(new URL('./fixtures/seed002-reference.json', import.meta.url), 'utf8'),
) as { now: string; cases: ReferenceCase[] };
const now = Date.parse(reference.now);

describe("agreement with seed 002's engine", () => {
  for (const c of reference.cases) {
    it(`case ${c.seed} (${c.events.length} events)`, () => {
      const events: InsightEvent[] = c.events.map((e) => ({
        ts: Date.parse(e.ts),
        source: e.source as InsightSource,
        severity: e.severity as InsightSeverity,
        title: e.title,
        details: e.details_json,
      }));
      const ours = buildInsightBundleFromEvents(events, now);
      const theirs = c.bundle;
      assert.equal(isoDay(ours.day), theirs.day);
      assert.equal(ours.risk_score, theirs.risk_score);
      assert.equal(ours.raw_risk_score, theirs.raw_risk_score);
      assert.deepEqual(ours.counts, theirs.counts);
      assert.deepEqual(ours.metrics, theirs.metrics);
      assert.deepEqual(JSON.parse(JSON.stringify(ours.baseline)), theirs.baseline);
      assert.deepEqual(ours.drivers, theirs.drivers);
      assert.deepEqual(ours.new_changes, theirs.new_changes);
      assert.deepEqual(ours.resolved_changes, theirs.resolved_changes);
      assert.deepEqual(
        ours.insights.map((i) => ({
          ts: new Date(i.ts).toISOString().replace('.000Z', 'Z'),
          day: isoDay(i.day),
          insight_type: i.insight_type,
          source: i.source,
          severity: i.severity,
          title: i.title,
          explanation: i.explanation,
          evidence: JSON.parse(JSON.stringify(i.evidence)),
          fingerprint: i.fingerprint,
          status: i.status,
        })),
        theirs.insights,
      );
      assert.deepEqual({ ...ours.daily_brief, day: isoDay(ours.daily_brief.day) }, theirs.daily_brief);
    });
  }
});
