import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useHttp } from '../api/http-context.ts';
import { type Rule, type RuleProblem, ruleProblems, rulesApi } from '../api/rules-api.ts';
import { FormError } from '../components/FormError.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { useResource } from '../hooks/useResource.ts';
import { RuleTestPanel } from '../rules/RuleTestPanel.tsx';
import { SigmaEditor } from '../rules/SigmaEditor.tsx';
import '../styles/controls.css';
import '../styles/rules.css';

export const NEW_RULE_TEMPLATE = `title: My new rule
id: ${'00000000-0000-4000-8000-000000000000'}
status: experimental
description: What this rule detects and why it matters.
logsource:
  product: linux
  category: process_creation
detection:
  selection:
    Image|endswith: /curl
    CommandLine|contains: pastebin
  condition: selection
level: medium
tags:
  - attack.t1105
`;

/** A fresh template with a random rule id (ids are how rules are updated and deduplicated). */
function template(): string {
  return NEW_RULE_TEMPLATE.replace('00000000-0000-4000-8000-000000000000', crypto.randomUUID());
}

function Editor({ rule }: { rule: Rule | null }) {
  const http = useHttp();
  const navigate = useNavigate();
  const [yaml, setYaml] = useState(() => rule?.yaml ?? template());
  const [enabled, setEnabled] = useState(true);
  const [problems, setProblems] = useState<RuleProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const saved = rule
        ? await rulesApi.replace(http, rule.id, yaml)
        : await rulesApi.create(http, yaml, enabled);
      setProblems([]);
      navigate(`/rules/${encodeURIComponent(saved.id)}`);
    } catch (err) {
      const found = ruleProblems(err);
      setProblems(found);
      if (found.length === 0) setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="rule-editor-layout">
      <section className="card" aria-labelledby="rule-yaml-title">
        <h2 id="rule-yaml-title">Sigma rule</h2>
        <SigmaEditor
          value={yaml}
          onChange={(v) => {
            setYaml(v);
          }}
          problems={problems}
        />
        <div className="form-actions">
          {!rule && (
            <label className="switch">
              <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />{' '}
              Enabled
            </label>
          )}
          <button type="button" className="button primary" onClick={save} disabled={busy || !yaml.trim()}>
            {rule ? 'Save new version' : 'Create rule'}
          </button>
        </div>
        <FormError error={error} />
      </section>
      <RuleTestPanel yaml={yaml} onProblems={setProblems} />
    </div>
  );
}

/** `/rules/new` and `/rules/:id/edit`: write or change a rule, validated and tested on the server. */
export function RuleEditorPage() {
  const { id } = useParams();
  const http = useHttp();
  const rule = useResource((signal) => (id ? rulesApi.get(http, id, signal) : Promise.resolve(null)), [id]);
  return (
    <>
      <PageHeader title={id ? 'Edit rule' : 'New rule'}>
        <Link to={id ? `/rules/${encodeURIComponent(id)}` : '/rules'} className="button ghost">
          ‹ {id ? 'Back to the rule' : 'Rules'}
        </Link>
      </PageHeader>
      <ResourceView state={rule} feature="The rules API" onRetry={rule.reload}>
        {(r) => <Editor key={r?.id ?? 'new'} rule={r} />}
      </ResourceView>
    </>
  );
}
