import { useState } from 'react';
import { ApiError } from '../api/api-error.ts';
import { useHttp } from '../api/http-context.ts';
import { type RuleSummary, rulesApi } from '../api/rules-api.ts';

/** Enables or disables a rule; the detection engine picks the change up on its next reload. */
export function RuleToggle({ rule, onChanged }: { rule: RuleSummary; onChanged: () => void }) {
  const http = useHttp();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <label className="switch">
        <input
          type="checkbox"
          checked={rule.enabled}
          aria-label={`${rule.title} enabled`}
          onChange={async (e) => {
            setError(null);
            try {
              await rulesApi.setEnabled(http, rule.id, e.target.checked);
              onChanged();
            } catch (err) {
              setError(err instanceof ApiError ? err.message : 'Failed.');
            }
          }}
        />
        {rule.enabled ? 'on' : 'off'}
      </label>
      {error && (
        <span className="form-error inline" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
