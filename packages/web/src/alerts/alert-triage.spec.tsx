import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { App } from '../App.tsx';
import { HttpClient } from '../api/http-client.ts';
import { bulkSummary, statusActions } from '../lib/alert-triage.ts';
import { isSafeUrl, Markdown } from '../lib/markdown.tsx';
import { apiError, fakeServer, type Handler } from '../test/fake-server.ts';

const USER = {
  id: 'u1',
  email: 'ana@example.test',
  username: 'ana',
  display_name: 'Ana',
  role: 'analyst',
  org: { id: 'o1', slug: 'default', name: 'Default' },
  is_instance_admin: false,
  permissions: ['alerts:read', 'alerts:triage', 'events:read', 'rules:read'],
};

const ALERT = {
  id: 'al1',
  title: 'Mimikatz on FIN-01',
  severity: 'critical',
  status: 'open',
  kind: 'rule',
  rule: { id: 'r1', rule_id: 'sigma-1', title: 'Mimikatz', version: 1 },
  device_id: null,
  group_key: 'g',
  first_seen: '2026-11-23T10:00:00.000Z',
  last_seen: '2026-11-23T10:05:00.000Z',
  count: 1,
  matched_event_ids: [],
  mitre: { techniques: [], tactics: [] },
  details: {},
  assignee: { user_id: null, group_id: null },
  escalation_level: 0,
  conclusion: null,
  created_at: '2026-11-23T10:00:00.000Z',
  updated_at: '2026-11-23T10:05:00.000Z',
};

const ASSIGNEES = {
  users: [
    { id: 'u1', display_name: 'Ana', email: 'ana@example.test', role: 'analyst' },
    { id: 'u2', display_name: 'Sam Senior', email: 'sam@example.test', role: 'senior_analyst' },
  ],
  groups: [{ id: 'g1', name: 'Tier 2', lead_user_id: 'u2' }],
};

function start(path: string, routes: Record<string, Handler>) {
  window.history.pushState({}, '', path);
  const server = fakeServer({
    'GET /api/v1/auth/me': () => ({ status: 200, body: USER }),
    'GET /api/v1/alerts/assignees': () => ({ status: 200, body: ASSIGNEES }),
    ...routes,
  });
  render(<App http={new HttpClient({ fetch: server.fetch, cookies: () => '' })} />);
  return server;
}

describe('triage logic', () => {
  test('status buttons follow the server’s transition table', () => {
    expect(statusActions('open').map((a) => a.status)).toEqual([
      'acknowledged',
      'in_progress',
      'resolved',
      'false_positive',
    ]);
    expect(statusActions('in_progress').map((a) => a.label)).toEqual(['Resolve', 'False positive']);
    expect(statusActions('false_positive')).toEqual([{ status: 'open', label: 'Reopen' }]);
    expect(statusActions('unknown')).toEqual([]);
  });

  test('a bulk summary names the reasons for refusals', () => {
    const m = 'An alert that is resolved cannot move to acknowledged.';
    expect(
      bulkSummary({
        succeeded: 1,
        failed: 2,
        results: [
          { ok: true },
          { ok: false, error: { code: 'invalid_transition', message: m } },
          { ok: false, error: { code: 'invalid_transition', message: m } },
        ],
      }),
    ).toBe(`1 changed, 2 refused (2× ${m}).`);
  });
});

describe('Markdown comments', () => {
  test('render as elements, never as HTML; only http(s) and mailto links', () => {
    const { container } = render(
      <Markdown
        text={
          '## Findings\n**Confirmed** on `FIN-01` <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n- one\n- *two*\n\n```\nrm -rf /tmp/x\n```\n[ok](https://example.test/a) [bad](javascript:alert(1))'
        }
      />,
    );
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('<script>alert(1)</script>');
    expect(container.querySelector('h4')?.textContent).toBe('Findings');
    expect(container.querySelector('strong')?.textContent).toBe('Confirmed');
    expect(container.querySelector('p code')?.textContent).toBe('FIN-01');
    expect([...container.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['one', 'two']);
    expect(container.querySelector('li em')?.textContent).toBe('two');
    expect(container.querySelector('pre code')?.textContent).toBe('rm -rf /tmp/x');
    const links = [...container.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.test/a']);
    expect(links[0]?.getAttribute('rel')).toContain('noopener');
    expect(container.textContent).toContain('[bad](javascript:alert(1))');
    expect(isSafeUrl(' JavaScript:alert(1)')).toBe(false);
    expect(isSafeUrl('mailto:soc@example.test')).toBe(true);
  });
});

describe('alert triage in the console', () => {
  test('the detail changes status, assigns, escalates with a reason and comments', async () => {
    let current: Record<string, unknown> = {
      ...ALERT,
      events: [],
      rule_version: null,
      history: [],
      comments: [
        { id: 'c1', author_id: 'u2', body: 'Looks **real**', created_at: '2026-11-23T10:06:00.000Z' },
      ],
    };
    const server = start('/alerts/al1', {
      'GET /api/v1/alerts/al1': () => ({ status: 200, body: current }),
      'POST /api/v1/alerts/al1/status': (req) => {
        const to = (req.body as { status: string }).status;
        current = {
          ...current,
          status: to,
          history: [
            {
              id: 'h1',
              action: 'status',
              actor_id: 'u1',
              from_status: 'open',
              to_status: to,
              reason: (req.body as { reason?: string }).reason ?? null,
              details: {},
              at: '2026-11-23T10:07:00.000Z',
            },
          ],
        };
        return { status: 200, body: current };
      },
      'POST /api/v1/alerts/al1/assign': (req) => {
        current = { ...current, assignee: req.body };
        return { status: 200, body: current };
      },
      'POST /api/v1/alerts/al1/escalate': () =>
        apiError(409, 'invalid_transition', 'The alert is resolved; reopen it before escalating.'),
      'POST /api/v1/alerts/al1/comments': () => ({ status: 201, body: { id: 'c2' } }),
    });
    expect(await screen.findByRole('heading', { level: 1, name: ALERT.title })).toBeTruthy();
    const comments = await screen.findByRole('list', { name: 'Comments' });
    await waitFor(() => expect(within(comments).getByText('Sam Senior')).toBeTruthy());
    expect(screen.getByText('real').tagName).toBe('STRONG');

    fireEvent.change(screen.getByLabelText('Reason (optional)'), { target: { value: 'looking now' } });
    fireEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => expect(screen.getByText(/moved it from open to acknowledged/)).toBeTruthy());
    const post = server.requests.find((r) => r.method === 'POST' && r.path.endsWith('/status'));
    expect(post?.body).toEqual({ status: 'acknowledged', reason: 'looking now' });
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Start work' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Assign to me' }));
    await waitFor(() =>
      expect(
        server.requests.some(
          (r) => r.path.endsWith('/assign') && (r.body as { user_id: string }).user_id === 'u1',
        ),
      ).toBe(true),
    );

    const escalate = screen.getByRole('form', { name: 'Escalate' });
    const button = screen.getByRole('button', { name: 'Escalate' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Escalate to'), { target: { value: 'group:g1' } });
    fireEvent.change(screen.getByLabelText('Why'), { target: { value: 'needs IR' } });
    fireEvent.submit(escalate);
    expect(await screen.findByText('The alert is resolved; reopen it before escalating.')).toBeTruthy();
    const esc = server.requests.find((r) => r.path.endsWith('/escalate'));
    expect(esc?.body).toEqual({ group_id: 'g1', reason: 'needs IR' });

    fireEvent.change(screen.getByLabelText('Comment (Markdown)'), { target: { value: 'Isolated the host' } });
    fireEvent.click(screen.getByRole('button', { name: 'Comment' }));
    await waitFor(() => expect(server.requests.some((r) => r.path.endsWith('/comments'))).toBe(true));
  });

  test('a reader sees history and comments but no triage controls', async () => {
    window.history.pushState({}, '', '/alerts/al1');
    const server = fakeServer({
      'GET /api/v1/auth/me': () => ({ status: 200, body: { ...USER, permissions: ['alerts:read'] } }),
      'GET /api/v1/alerts/al1': () => ({
        status: 200,
        body: { ...ALERT, events: [], rule_version: null, history: [], comments: [] },
      }),
    });
    render(<App http={new HttpClient({ fetch: server.fetch, cookies: () => '' })} />);
    expect(await screen.findByRole('heading', { name: 'History' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    expect(screen.queryByLabelText('Comment (Markdown)')).toBeNull();
    expect(server.requests.some((r) => r.path.includes('assignees'))).toBe(false);
  });

  test('the queue filters by assignee and triages selected rows in bulk', async () => {
    const other = { ...ALERT, id: 'al2', title: 'Old resolved one', status: 'resolved' };
    const server = start('/alerts', {
      'GET /api/v1/alerts': () => ({
        status: 200,
        body: {
          items: [ALERT, { ...other, assignee: { user_id: 'u2', group_id: null } }],
          next_cursor: null,
        },
      }),
      'GET /api/v1/alerts/counts': () => ({
        status: 200,
        body: { total: 6, by_status: { open: 2, acknowledged: 4 }, by_severity: {} },
      }),
      'POST /api/v1/alerts/bulk': () => ({
        status: 200,
        body: {
          succeeded: 1,
          failed: 1,
          results: [
            { id: 'al1', ok: true, status: 'acknowledged' },
            {
              id: 'al2',
              ok: false,
              error: {
                code: 'invalid_transition',
                message: 'An alert that is resolved cannot move to acknowledged.',
              },
            },
          ],
        },
      }),
    });
    expect(await screen.findByRole('link', { name: ALERT.title })).toBeTruthy();
    // Counts by status under the other filters; a count picks that status.
    const byStatus = await screen.findByRole('navigation', { name: 'Alerts by status' });
    fireEvent.click(within(byStatus).getByRole('button', { name: 'acknowledged 4' }));
    await waitFor(() => expect(server.requests.at(-1)?.path).toContain('status=acknowledged'));
    expect(screen.getAllByText('Sam Senior').length).toBeGreaterThan(0);
    fireEvent.change(screen.getByLabelText(/Assignee/), { target: { value: 'me' } });
    await waitFor(() => expect(server.requests.at(-1)?.path).toContain('assignee=me'));
    fireEvent.click(await screen.findByLabelText(`Select ${ALERT.title}`));
    fireEvent.click(screen.getByLabelText(`Select ${other.title}`));
    expect(screen.getByText('2 selected')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Set status'), { target: { value: 'acknowledged' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply status' }));
    expect(
      await screen.findByText(
        '1 changed, 1 refused (An alert that is resolved cannot move to acknowledged.).',
      ),
    ).toBeTruthy();
    const bulk = server.requests.find((r) => r.path === '/api/v1/alerts/bulk');
    expect(bulk?.body).toEqual({ ids: ['al1', 'al2'], status: 'acknowledged' });
  });
});
