import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { App } from '../App.tsx';
import { HttpClient } from '../api/http-client.ts';
import { parseConditions } from '../pages/SuppressionsPage.tsx';
import { fakeServer, type Handler } from '../test/fake-server.ts';
import { parseSamples } from './RuleTestPanel.tsx';
import { offsetOf } from './SigmaEditor.tsx';

const USER = {
  id: 'u1',
  email: 'lead@example.test',
  username: 'lead',
  display_name: 'Lee',
  role: 'team_lead',
  org: { id: 'o1', slug: 'default', name: 'Default' },
  is_instance_admin: false,
  permissions: ['alerts:read', 'events:read', 'rules:read', 'rules:write'],
};

const RULE = {
  id: 'r1',
  rule_id: 'b1f2',
  name: 'curl',
  title: 'Curl to paste site',
  level: 'high',
  severity: 'high',
  status: 'test',
  kind: 'rule',
  enabled: true,
  version: 1,
  logsource: { product: 'linux' },
  tags: [],
  mitre: { techniques: [], tactics: [] },
  source: 'sigma',
  updated_at: null,
  description: null,
  yaml: 'title: Curl to paste site\n',
};

function start(path: string, routes: Record<string, Handler>) {
  window.history.pushState({}, '', path);
  const server = fakeServer({ 'GET /api/v1/auth/me': () => ({ status: 200, body: USER }), ...routes });
  render(<App http={new HttpClient({ fetch: server.fetch, cookies: () => '' })} />);
  return server;
}

describe('rule helpers', () => {
  test('offsetOf finds a line and column, clamped to the line', () => {
    const text = 'a: 1\nbb: 2\nc';
    expect(offsetOf(text, 2, 3)).toBe(7);
    expect(offsetOf(text, 2, 99)).toBe(10);
    expect(offsetOf(text, 9, 1)).toBe(text.length);
  });

  test('sample events are an array, one object, or one object per line', () => {
    expect(parseSamples('[{"a":1},{"a":2}]')).toHaveLength(2);
    expect(parseSamples('{"a":1}')).toEqual([{ a: 1 }]);
    expect(parseSamples('{"a":1}\n{"a":2}\n')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(() => parseSamples('{"a":1}\nnope')).toThrow('Line 2');
  });

  test('suppression conditions are field=value lines, commas for several values', () => {
    expect(parseConditions('User=backup\nImage = a, b\n')).toEqual({ User: 'backup', Image: ['a', 'b'] });
    expect(() => parseConditions('no equals sign')).toThrow('Line 1');
  });
});

describe('rules list', () => {
  test('filters by level on the server and offers new rule, import and suppressions', async () => {
    const server = start('/rules', {
      'GET /api/v1/rules': () => ({ status: 200, body: { items: [RULE], next_cursor: null } }),
    });
    expect(await screen.findByRole('link', { name: RULE.title })).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Level/), { target: { value: 'high' } });
    await waitFor(() => expect(server.requests.at(-1)?.path).toContain('level=high'));
    expect(screen.getByRole('link', { name: 'New rule' }).getAttribute('href')).toBe('/rules/new');
    expect(screen.getByRole('link', { name: 'Import' }).getAttribute('href')).toBe('/rules/import');
    expect(screen.getByRole('link', { name: 'Suppressions' }).getAttribute('href')).toBe(
      '/rules/suppressions',
    );
  });
});

describe('rule editor', () => {
  test('a refused rule marks its lines; each problem moves the caret there', async () => {
    start('/rules/new', {
      'POST /api/v1/rules': () => ({
        status: 422,
        body: {
          error: {
            code: 'invalid_rule',
            message: 'The rule cannot be used: line 9, column 5: unknown modifier',
            details: [{ line: 9, column: 5, code: 'invalid_rule', message: 'unknown modifier "endz"' }],
          },
        },
      }),
    });
    const editor = (await screen.findByLabelText('Sigma YAML')) as HTMLTextAreaElement;
    expect(editor.value).toMatch(/^title: My new rule\nid: [0-9a-f-]{36}\n/);
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    const problems = await screen.findByRole('list', { name: 'Problems' });
    expect(problems.textContent).toContain('Line 9, column 5: unknown modifier "endz"');
    expect(document.querySelector('.sigma-gutter .bad-line')?.textContent).toBe('9');
    expect(editor.getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Line 9, column 5' }));
    expect(editor.selectionStart).toBe(offsetOf(editor.value, 9, 5));
  });

  test('the test panel sends the YAML and the samples, and shows which events match', async () => {
    const server = start('/rules/new', {
      'POST /api/v1/rules/test': () => ({
        status: 200,
        body: {
          rules: [{ rule_id: 'x', title: 'My new rule', kind: 'rule' }],
          results: [
            {
              index: 0,
              matched: true,
              rules: [
                { rule_id: 'x', matched: true, logsource_matched: true, selections: { selection: true } },
              ],
            },
          ],
          correlations: [],
        },
      }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Run test' }));
    const results = await screen.findByTestId('rule-test-results');
    expect(results.textContent).toContain('1 of 1 sample events match');
    expect(results.textContent).toContain('selection ✓');
    const sent = server.requests.find((r) => r.path === '/api/v1/rules/test')?.body as {
      yaml: string;
      events: unknown[];
    };
    expect(sent.yaml).toContain('title: My new rule');
    expect(sent.events).toHaveLength(1);
  });

  test('editing saves a new version with PUT and opens the rule', async () => {
    const server = start('/rules/r1/edit', {
      'GET /api/v1/rules/r1': () => ({ status: 200, body: RULE }),
      'GET /api/v1/rules/r1/versions': () => ({
        status: 200,
        body: {
          items: [
            { version: 1, title: RULE.title, yaml: RULE.yaml, created_by: null, created_at: null },
            { version: 2, title: 'Changed', yaml: 'title: Changed\n', created_by: null, created_at: null },
          ],
        },
      }),
      'PUT /api/v1/rules/r1': (req) => ({
        status: 200,
        body: { ...RULE, version: 2, yaml: (req.body as { yaml: string }).yaml },
      }),
    });
    const editor = (await screen.findByLabelText('Sigma YAML')) as HTMLTextAreaElement;
    expect(editor.value).toBe(RULE.yaml);
    fireEvent.change(editor, { target: { value: 'title: Changed\n' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save new version' }));
    await screen.findByRole('heading', { level: 1, name: 'Curl to paste site' });
    expect(await screen.findByText(/^Version 1 \(current\)/)).toBeTruthy();
    expect(screen.getByText(/^Version 2 · /)).toBeTruthy();
    expect(server.requests.find((r) => r.method === 'PUT')?.body).toEqual({ yaml: 'title: Changed\n' });
  });
});

describe('rule import', () => {
  test('files go one at a time with progress, and every rule gets its result', async () => {
    let n = 0;
    const server = start('/rules/import', {
      'POST /api/v1/rules/import': () => {
        n++;
        return n === 1
          ? {
              status: 200,
              body: {
                created: 1,
                updated: 0,
                unchanged: 0,
                invalid: 0,
                results: [{ status: 'created', id: 'r9', title: 'Rule A' }],
              },
            }
          : {
              status: 200,
              body: {
                created: 0,
                updated: 0,
                unchanged: 0,
                invalid: 1,
                results: [{ status: 'invalid', path: 'b.yml', line: 4, column: 3, message: 'no condition' }],
              },
            };
      },
    });
    const input = (await screen.findByLabelText(/Files/)) as HTMLInputElement;
    const a = new File(['title: A\n'], 'a.yml', { type: 'application/yaml' });
    const b = new File(['PK'], 'rules.zip', { type: 'application/zip' });
    fireEvent.change(input, { target: { files: [a, b] } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    });
    await waitFor(() =>
      expect(screen.getByTestId('import-totals').textContent).toBe(
        '1 created · 0 updated · 0 unchanged · 1 invalid',
      ),
    );
    expect(screen.getByText('Imported 2 files.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Rule A' }).getAttribute('href')).toBe('/rules/r9');
    expect(screen.getByText('line 4, column 3: no condition')).toBeTruthy();
    const sent = server.requests.filter((r) => r.path.startsWith('/api/v1/rules/import'));
    expect(sent.map((r) => r.headers['content-type'])).toEqual(['application/yaml', 'application/zip']);
    expect(sent[0]!.path).toBe('/api/v1/rules/import?enabled=true');
  });
});

describe('suppressions', () => {
  test('lists suppressions and adds one for a rule with conditions and an expiry', async () => {
    const items: unknown[] = [];
    const server = start('/rules/suppressions', {
      'GET /api/v1/suppressions': () => ({ status: 200, body: { items, next_cursor: null } }),
      'POST /api/v1/suppressions': (req) => {
        const b = req.body as Record<string, unknown>;
        items.push({
          id: 's1',
          ...b,
          expired: false,
          suppressed_count: 0,
          last_suppressed_at: null,
          created_at: null,
        });
        return { status: 201, body: items[0] };
      },
    });
    expect(await screen.findByText(/No suppressions/)).toBeTruthy();
    const form = screen.getByRole('form', { name: 'Add a suppression' });
    fireEvent.change(screen.getByLabelText(/Rule id/), { target: { value: 'b1f2' } });
    fireEvent.change(screen.getByLabelText(/Conditions/), { target: { value: 'User=backup-svc' } });
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'nightly backup' } });
    await act(async () => {
      fireEvent.submit(form);
    });
    expect(await screen.findByRole('cell', { name: 'nightly backup' })).toBeTruthy();
    const body = server.requests.find((r) => r.method === 'POST')?.body as Record<string, unknown>;
    expect(body.rule_id).toBe('b1f2');
    expect(body.conditions).toEqual({ User: 'backup-svc' });
    expect(Date.parse(String(body.expires_at)) - Date.now()).toBeGreaterThan(6 * 86_400_000);
  });
});
