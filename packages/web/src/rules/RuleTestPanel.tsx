import { useState } from 'react';
import { useHttp } from '../api/http-context.ts';
import { type RuleProblem, type RuleTestReport, ruleProblems, rulesApi } from '../api/rules-api.ts';
import { FormError } from '../components/FormError.tsx';

export const SAMPLE_EVENTS = `[
  {
    "logsource": { "product": "linux", "category": "process_creation" },
    "fields": {
      "Image": "/usr/bin/curl",
      "CommandLine": "curl -s https://pastebin.com/raw/abc",
      "User": "alice"
    }
  }
]`;

/** Sample events as typed: a JSON array, one JSON object, or one JSON object per line. */
export function parseSamples(text: string): unknown[] {
  const t = text.trim();
  if (t === '') throw new Error('Give at least one sample event.');
  try {
    const v = JSON.parse(t) as unknown;
    return Array.isArray(v) ? v : [v];
  } catch {
    const lines = t.split('\n').filter((l) => l.trim() !== '');
    return lines.map((l, i) => {
      try {
        return JSON.parse(l) as unknown;
      } catch {
        throw new Error(`Line ${i + 1} of the sample events is not JSON.`);
      }
    });
  }
}

/** Runs the rule in the editor over sample events; nothing is stored. */
export function RuleTestPanel({
  yaml,
  onProblems,
}: {
  yaml: string;
  onProblems: (p: RuleProblem[]) => void;
}) {
  const http = useHttp();
  const [samples, setSamples] = useState(SAMPLE_EVENTS);
  const [report, setReport] = useState<RuleTestReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setError(null);
    setInputError(null);
    setReport(null);
    let events: unknown[];
    try {
      events = parseSamples(samples);
    } catch (err) {
      setInputError((err as Error).message);
      return;
    }
    setBusy(true);
    try {
      setReport(await rulesApi.test(http, yaml, events));
      onProblems([]);
    } catch (err) {
      const problems = ruleProblems(err);
      onProblems(problems);
      if (problems.length === 0) setError(err);
      else setInputError('The rule has problems: see the lines marked in the editor.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="rule-test-title">
      <h2 id="rule-test-title">Test against sample events</h2>
      <label className="field-label" htmlFor="rule-samples">
        Sample events (JSON array, object or one per line)
      </label>
      <textarea
        id="rule-samples"
        className="code sample-input"
        rows={10}
        spellCheck={false}
        value={samples}
        onChange={(e) => setSamples(e.target.value)}
      />
      <button type="button" className="button" onClick={run} disabled={busy || !yaml.trim()}>
        {busy ? 'Testing…' : 'Run test'}
      </button>
      {inputError && (
        <p className="form-error" role="alert">
          {inputError}
        </p>
      )}
      <FormError error={error} />
      {report && (
        <div data-testid="rule-test-results" aria-live="polite">
          <p>
            <strong>{report.results.filter((r) => r.matched).length}</strong> of {report.results.length}{' '}
            sample events match.
          </p>
          <ol className="test-results">
            {report.results.map((r) => (
              <li key={r.index} className={r.matched ? 'matched' : undefined}>
                Event {r.index + 1}: {r.error ? r.error : r.matched ? 'matches' : 'no match'}
                {r.rules.map((rr) => (
                  <div key={rr.rule_id} className="muted small">
                    {rr.logsource_matched ? '' : 'log source differs · '}
                    {Object.entries(rr.selections)
                      .map(([name, ok]) => `${name} ${ok ? '✓' : '✗'}`)
                      .join(' · ')}
                  </div>
                ))}
              </li>
            ))}
          </ol>
          {report.correlations.length > 0 && (
            <p className="notice">
              Correlations fired: {report.correlations.map((c) => `${c.title} (${c.count})`).join(', ')}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
