import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { App } from '../../App.tsx';
import { HttpClient } from '../../api/http-client.ts';
import { parseRecipients } from '../../api/notifications-api.ts';
import { liveFeedUrl } from '../../hooks/useLiveFeed.ts';
import { fakeServer, type Handler } from '../../test/fake-server.ts';

const USER = {
  id: 'u1',
  email: 'admin@example.test',
  username: 'admin',
  display_name: 'Ada',
  role: 'admin',
  org: { id: 'o1', slug: 'default', name: 'Default' },
  is_instance_admin: false,
  permissions: ['alerts:read', 'notifications:manage'],
};

function start(routes: Record<string, Handler>) {
  window.history.pushState({}, '', '/admin/notifications');
  const server = fakeServer({ 'GET /api/v1/auth/me': () => ({ status: 200, body: USER }), ...routes });
  render(<App http={new HttpClient({ fetch: server.fetch, cookies: () => '' })} />);
  return server;
}

afterEach(() => vi.restoreAllMocks());

describe('notifications administration', () => {
  test('recipients and the feed URL', () => {
    expect(parseRecipients(' a@x.io, b@x.io;c@x.io  ')).toEqual(['a@x.io', 'b@x.io', 'c@x.io']);
    expect(liveFeedUrl({ protocol: 'https:', host: 'soc.example:8443' })).toBe(
      'wss://soc.example:8443/api/v1/stream',
    );
    expect(liveFeedUrl({ protocol: 'http:', host: 'localhost:8080' })).toBe(
      'ws://localhost:8080/api/v1/stream',
    );
  });

  test('adds a webhook and shows its secret once; sends a test and shows the delivery log', async () => {
    const hooks: Array<Record<string, unknown>> = [];
    const deliveries: Array<Record<string, unknown>> = [];
    const server = start({
      'GET /api/v1/notifications/webhooks': () => ({ status: 200, body: { items: hooks } }),
      'GET /api/v1/notifications/email': () => ({ status: 200, body: { items: [] } }),
      'POST /api/v1/notifications/webhooks': (req) => {
        const hook = {
          id: 'w1',
          enabled: true,
          min_severity: null,
          created_at: '2026-01-01T00:00:00Z',
          updated_at: '2026-01-01T00:00:00Z',
          ...(req.body as object),
        };
        hooks.push(hook);
        return { status: 201, body: { ...hook, secret: 'whsec_shown_once' } };
      },
      'POST /api/v1/notifications/webhooks/w1/test': () => {
        const d = {
          id: 'd1',
          event_type: 'notification.test',
          status: 'failed',
          attempts: 1,
          response_status: 500,
          last_error: 'receiver answered HTTP 500',
          next_attempt_at: null,
          last_attempt_at: '2026-01-01T00:00:00Z',
          delivered_at: null,
          created_at: '2026-01-01T00:00:00Z',
        };
        deliveries.push(d);
        return { status: 200, body: d };
      },
      'GET /api/v1/notifications/webhooks/w1/deliveries': () => ({
        status: 200,
        body: { items: deliveries, next_cursor: null },
      }),
    });
    const form = await screen.findByRole('form', { name: 'New webhook' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'SOAR' } });
    fireEvent.change(within(form).getByLabelText(/URL/), { target: { value: 'https://soar.example/hook' } });
    fireEvent.change(within(form).getByLabelText(/Minimum severity/), { target: { value: 'high' } });
    await act(async () => {
      fireEvent.submit(form);
    });
    expect((await screen.findByTestId('secret')).textContent).toBe('whsec_shown_once');
    expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({
      name: 'SOAR',
      url: 'https://soar.example/hook',
      event_types: ['alert.created', 'alert.escalated', 'alert.assigned', 'case.created', 'case.updated'],
      min_severity: 'high',
    });
    await act(async () => {
      fireEvent.click(await screen.findByRole('button', { name: 'Send a test to SOAR' }));
    });
    expect((await screen.findByText(/Test to SOAR failed/)).textContent).toMatch(/HTTP 500/);
    await waitFor(() => expect(screen.getByRole('cell', { name: 'notification.test' })).toBeTruthy());
  });
});
