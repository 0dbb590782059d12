/**
 * Corpus conformance: every source-stated `expected_rule_ids` entry of the shared corpus must fire
 * at least `expected_min_match_count` times on its file. Agreement with the reference evaluator's
 * `derived_rule_ids`/`derived_match_counts` is reported (not asserted), listing every disagreement.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { corpusDir, corpusPresent, corpusRuleSources } from './corpus-fixtures.ts';
import { DetectionEngine } from './engine.ts';
import { normalizeRecord, parseEventText } from './event-records.ts';

interface ManifestEntry {
  file: string;
  jsonl?: string;
  expected_rule_ids: string[];
  expected_min_match_count?: Record<string, number>;
  derived_rule_ids: string[];
  derived_match_counts: Record<string, number>;
}

const dir = corpusDir();
const present = corpusPresent(dir);
if (!present && process.env['CI'] === 'true') {
  throw new Error(`corpus not found at ${dir} (set HARRIER_CORPUS_DIR); required under CI=true`);
}
const skip = present
  ? false
  : `corpus not found at ${dir}; set HARRIER_CORPUS_DIR to run the conformance suite`;

describe('corpus conformance', { skip }, () => {
  if (!present) return;
  const engine = DetectionEngine.fromSources(corpusRuleSources(dir));
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    entries: ManifestEntry[];
  };

  /** Rule id → match count, per manifest entry (computed once). */
  const results = new Map<ManifestEntry, Map<string, number>>();
  for (const entry of manifest.entries) {
    const counts = new Map<string, number>();
    const records = parseEventText(readFileSync(join(dir, entry.jsonl ?? entry.file), 'utf8'));
    for (const record of records) {
      const event = normalizeRecord(record);
      if (event === undefined) continue;
      for (const m of engine.match(event)) counts.set(m.rule_id, (counts.get(m.rule_id) ?? 0) + 1);
    }
    results.set(entry, counts);
  }

  for (const entry of manifest.entries.filter((e) => e.expected_rule_ids.length > 0)) {
    it(`fires the expected rules on ${entry.jsonl ?? entry.file}`, () => {
      const counts = results.get(entry)!;
      for (const id of entry.expected_rule_ids) {
        const need = entry.expected_min_match_count?.[id] ?? 1;
        const got = counts.get(id) ?? 0;
        const loadError = engine.errors.find((e) => e.rule_id === id);
        assert.ok(
          got >= need,
          `${id}: ${got} matches, expected at least ${need}${loadError ? ` (rule refused: ${loadError.message})` : ''}`,
        );
      }
    });
  }

  it('reports agreement with the reference evaluator (derived ids)', () => {
    const lines: string[] = [];
    let agree = 0;
    let total = 0;
    let countMismatch = 0;
    for (const [entry, counts] of results) {
      const derived = new Set(entry.derived_rule_ids);
      for (const id of derived) {
        total++;
        const ours = counts.get(id) ?? 0;
        if (ours === 0)
          lines.push(`  missing  ${id} (derived ${entry.derived_match_counts[id]}) in ${entry.file}`);
        else {
          agree++;
          if (ours !== entry.derived_match_counts[id]) {
            countMismatch++;
            lines.push(
              `  count    ${id}: ours ${ours}, derived ${entry.derived_match_counts[id]} in ${entry.file}`,
            );
          }
        }
      }
      for (const [id, n] of counts)
        if (!derived.has(id)) lines.push(`  extra    ${id} x${n} in ${entry.file}`);
    }
    const expectedTotal = manifest.entries.reduce((n, e) => n + e.expected_rule_ids.length, 0);
    console.log(
      [
        `corpus conformance report (${dir})`,
        `  rules loaded ${engine.rules.length}, refused ${engine.errors.length}`,
        `  expected ids: ${expectedTotal} (asserted above)`,
        `  derived ids: ${agree}/${total} agree, ${countMismatch} count mismatches, ${lines.length} disagreements`,
        ...lines,
      ].join('\n'),
    );
  });
});
