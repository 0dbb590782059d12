import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, test } from 'vitest';
import { App } from '../App.tsx';
import { resetFleetPath } from '../api/endpoints-api.ts';
import { HttpClient } from '../api/http-client.ts';
import { fakeServer, type Handler } from '../test/fake-server.ts';

const USER = {
  id: 'u1',
  email: 'lead@example.test',
  username: 'lead',
  display_name: 'Lee',
  role: 'senior_analyst',
  org: { id: 'o1', slug: 'default', name: 'Default' },
  is_instance_admin: false,
  permissions: [
    'alerts:read',
    'alerts:triage',
    'devices:read',
    'devices:write',
    'policies:read',
    'response:execute',
    'response:manage',
    'events:read',
  ],
};

const DEVICE = {
  id: 'd1',
  hostname: 'web-01',
  status: 'online',
  os: { name: 'Debian', version: '12', platform: 'linux' },
  agent_version: '1.2.3',
  risk_score: 60,
  risk_level: 'high',
  open_alerts: 1,
  tags: ['prod'],
  last_seen_at: new Date().toISOString(),
  enrolled_at: '2026-11-01T00:00:00.000Z',
  resources: {
    reported_at: new Date().toISOString(),
    cpu_pct: 42.5,
    memory_pct: 75,
    disk_pct: 50,
    uptime_s: 7200,
  },
};

const DECISION = {
  id: 'dc1',
  alert_id: 'al1',
  device_id: 'd1',
  event_type: 'process',
  severity: 'critical',
  score: 9.5,
  recommended_action: 'isolate',
  priority: 1,
  rule: 'critical-isolate',
  rationale: {},
  status: 'pending',
  action_id: null,
  created_at: new Date().toISOString(),
};

function start(path: string, routes: Record<string, Handler>) {
  window.history.pushState({}, '', path);
  const server = fakeServer({ 'GET /api/v1/auth/me': () => ({ status: 200, body: USER }), ...routes });
  render(<App http={new HttpClient({ fetch: server.fetch, cookies: () => '' })} />);
  return server;
}

beforeEach(() => resetFleetPath());

describe('endpoint detail', () => {
  const routes = (actions: unknown[]): Record<string, Handler> => ({
    'GET /api/v1/endpoints/d1': () => ({ status: 200, body: DEVICE }),
    'GET /api/v1/devices/d1/heartbeats': () => ({
      status: 200,
      body: {
        items: [
          { ts: new Date().toISOString(), cpu_pct: 42.5, memory_pct: 75, disk_pct: 50, uptime_s: 7200 },
        ],
      },
    }),
    'GET /api/v1/alerts': () => ({
      status: 200,
      body: {
        items: [{ id: 'al1', title: 'Curl to paste site', severity: 'high', status: 'open' }],
        next_cursor: null,
      },
    }),
    'GET /api/v1/devices/d1/actions': () => ({ status: 200, body: { items: actions, next_cursor: null } }),
    'POST /api/v1/devices/d1/actions': (req) => {
      const b = req.body as { type: string; params: Record<string, unknown>; reason?: string };
      actions.unshift({
        id: 'ra1',
        device_id: 'd1',
        status: 'pending',
        created_at: new Date().toISOString(),
        reason: b.reason ?? null,
        ...b,
      });
      return { status: 201, body: actions[0] };
    },
    'POST /api/v1/response-actions/ra1/cancel': () => ({ status: 200, body: {} }),
    'GET /api/v1/devices/d1/config': () => ({
      status: 200,
      body: { config: { collectors: { process: true } } },
    }),
    'PATCH /api/v1/devices/d1': (req) => ({ status: 200, body: { ...DEVICE, ...(req.body as object) } }),
  });

  test('the profile is edited in place; the effective configuration is shown', async () => {
    const server = start('/endpoints/d1', routes([]));
    const form = await screen.findByRole('form', { name: "Edit the endpoint's profile" });
    expect((within(form).getByLabelText(/Tags/) as HTMLInputElement).value).toBe('prod');
    fireEvent.change(within(form).getByLabelText('Owner'), { target: { value: 'ops team' } });
    fireEvent.change(within(form).getByLabelText(/Tags/), { target: { value: 'prod, web , prod,' } });
    await act(async () => {
      fireEvent.submit(form);
    });
    expect(await within(form).findByText('Saved.')).toBeTruthy();
    expect(server.requests.find((r) => r.method === 'PATCH')?.body).toEqual({
      display_name: null,
      owner: 'ops team',
      location: null,
      notes: null,
      tags: ['prod', 'web'],
    });
    expect(screen.getByRole('region', { name: 'Effective configuration' }).textContent).toContain(
      '"process": true',
    );
  });

  test('shows identity, resources, the heartbeat history, open alerts and response actions', async () => {
    const server = start('/endpoints/d1', routes([]));
    expect(await screen.findByRole('heading', { level: 1, name: 'web-01' })).toBeTruthy();
    expect(screen.getByText(/CPU 42.5 %/)).toBeTruthy();
    expect(await screen.findByRole('link', { name: 'Curl to paste site' })).toBeTruthy();
    expect(await screen.findByText('No response actions for this endpoint.')).toBeTruthy();
    const alertsCall = server.requests.find((r) => r.path.startsWith('/api/v1/alerts'));
    expect(alertsCall?.path).toContain('device_id=d1');
    expect(decodeURIComponent(alertsCall?.path ?? '')).toContain('status=open,acknowledged,in_progress');
    const hb = server.requests.find((r) => r.path.startsWith('/api/v1/devices/d1/heartbeats'));
    const since = new URL(`http://x${hb?.path}`).searchParams.get('since');
    expect(Date.now() - Date.parse(String(since))).toBeGreaterThanOrEqual(86_400_000 - 60_000);
  });

  test('a response action is sent only after confirming, with its parameters', async () => {
    const server = start('/endpoints/d1', routes([]));
    const form = await screen.findByRole('form', { name: 'Queue a response action' });
    fireEvent.change(within(form).getByLabelText('Action'), { target: { value: 'kill_process' } });
    fireEvent.change(within(form).getByLabelText('Process id'), { target: { value: '1' } });
    fireEvent.submit(form);
    expect(screen.getByRole('alert').textContent).toContain('whole number above 1');
    fireEvent.change(within(form).getByLabelText('Process id'), { target: { value: '4242' } });
    fireEvent.change(within(form).getByLabelText('Reason'), { target: { value: 'miner' } });
    fireEvent.submit(form);
    const dialog = screen.getByRole('dialog', { name: 'Send this response action?' });
    expect(dialog.textContent).toContain('Kill a process (PID 4242) on web-01');
    // Cancel has focus and sends nothing; Escape closes too.
    expect(document.activeElement?.textContent).toBe('Cancel');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(server.requests.some((r) => r.method === 'POST')).toBe(false);

    fireEvent.submit(form);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Send to the agent' }));
    });
    await waitFor(() =>
      expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({
        type: 'kill_process',
        params: { pid: 4242 },
        reason: 'miner',
      }),
    );
    expect(await screen.findByRole('button', { name: 'Cancel kill process' })).toBeTruthy();
    expect(screen.getByText(/^Queued: Kill a process \(PID 4242\) on web-01/)).toBeTruthy();
  });
});

describe('device groups', () => {
  test('a tag group and a static group are created; deleting asks first', async () => {
    const groups: Array<Record<string, unknown>> = [];
    const server = start('/endpoints/groups', {
      'GET /api/v1/device-groups': () => ({ status: 200, body: { items: groups } }),
      'GET /api/v1/devices': () => ({ status: 200, body: { items: [DEVICE] } }),
      'POST /api/v1/device-groups': (req) => {
        const b = req.body as Record<string, unknown>;
        const g = { id: `g${groups.length + 1}`, description: null, match_tags: [], member_count: 1, ...b };
        groups.push(g);
        return { status: 201, body: g };
      },
      'DELETE /api/v1/device-groups/g1': () => {
        groups.shift();
        return { status: 204 };
      },
    });
    const form = await screen.findByRole('form', { name: 'New device group' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'prod web' } });
    fireEvent.change(within(form).getByLabelText(/Tags/), { target: { value: 'prod, web' } });
    await act(async () => {
      fireEvent.submit(form);
    });
    expect(await screen.findByRole('cell', { name: 'every device tagged prod + web' })).toBeTruthy();

    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'pets' } });
    fireEvent.change(within(form).getByLabelText('Kind'), { target: { value: 'static' } });
    fireEvent.click(within(form).getByLabelText('web-01'));
    await act(async () => {
      fireEvent.submit(form);
    });
    expect(await screen.findByRole('cell', { name: '1 device' })).toBeTruthy();
    const posts = server.requests.filter((r) => r.method === 'POST').map((r) => r.body);
    expect(posts).toEqual([
      { name: 'prod web', kind: 'tags', match_tags: ['prod', 'web'] },
      { name: 'pets', kind: 'static', device_ids: ['d1'] },
    ]);

    fireEvent.click(screen.getByRole('button', { name: 'Delete the group prod web' }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Delete group' }));
    });
    await waitFor(() => expect(screen.queryByRole('cell', { name: 'prod web' })).toBeNull());
  });
});

describe('response switch', () => {
  test('turning response off asks first, then says how many open actions were cancelled', async () => {
    let enabled = true;
    const server = start('/policies', {
      'GET /api/v1/policies': () => ({ status: 200, body: { items: [] } }),
      'GET /api/v1/policy-assignments': () => ({ status: 200, body: { items: [] } }),
      'GET /api/v1/detectors': () => ({ status: 200, body: { items: [] } }),
      'GET /api/v1/response/settings': () => ({ status: 200, body: { enabled } }),
      'PUT /api/v1/response/settings': (req) => {
        enabled = (req.body as { enabled: boolean }).enabled;
        return { status: 200, body: { enabled, cancelled: 2 } };
      },
    });
    const card = await screen.findByRole('region', { name: 'Response actions' });
    fireEvent.click(await within(card).findByRole('button', { name: 'Turn off…' }));
    expect(server.requests.some((r) => r.method === 'PUT')).toBe(false);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Turn off' }));
    });
    expect(await within(card).findByText('Response actions are off; 2 open actions cancelled.')).toBeTruthy();
    expect(server.requests.find((r) => r.method === 'PUT')?.body).toEqual({ enabled: false });
    expect(await within(card).findByRole('button', { name: 'Turn on' })).toBeTruthy();
  });

  test('with response off the endpoint page offers no action form', async () => {
    start('/endpoints/d1', {
      'GET /api/v1/endpoints/d1': () => ({ status: 200, body: DEVICE }),
      'GET /api/v1/response/settings': () => ({ status: 200, body: { enabled: false } }),
    });
    expect(await screen.findByText(/Response actions are off for this organization/)).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Queue a response action' })).toBeNull();
  });
});

describe('decisions queue', () => {
  test('pending by default; execute asks first, dismiss does not; the next page is the next offset', async () => {
    const page = Array.from({ length: 25 }, (_, i) => ({ ...DECISION, id: `dc${i + 1}` }));
    const server = start('/decisions', {
      'GET /api/v1/decisions': () => ({ status: 200, body: { items: page } }),
      'POST /api/v1/decisions/dc1/execute': () => ({
        status: 200,
        body: { ...DECISION, status: 'executed' },
      }),
      'POST /api/v1/decisions/dc2/dismiss': () => ({
        status: 200,
        body: { ...DECISION, status: 'dismissed' },
      }),
    });
    await screen.findAllByRole('button', { name: 'Execute: isolate on d1' });
    const list = server.requests.find((r) => r.path.startsWith('/api/v1/decisions'));
    expect(list?.path).toContain('status=pending');
    expect(list?.path).toContain('offset=0');

    fireEvent.click(screen.getAllByRole('button', { name: 'Execute: isolate on d1' })[0]!);
    const dialog = screen.getByRole('dialog', { name: 'Execute this decision?' });
    expect(dialog.textContent).toContain('isolate on d1');
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Execute: isolate' }));
    });
    await waitFor(() =>
      expect(server.requests.some((r) => r.path === '/api/v1/decisions/dc1/execute')).toBe(true),
    );
    expect((await screen.findByRole('status')).textContent).toContain('Executed: isolate');

    await act(async () => {
      fireEvent.click(screen.getAllByRole('button', { name: 'Dismiss: isolate on d1' })[1]!);
    });
    await waitFor(() =>
      expect(server.requests.some((r) => r.path === '/api/v1/decisions/dc2/dismiss')).toBe(true),
    );
  });
});
