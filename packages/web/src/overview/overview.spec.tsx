import { render, screen, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { App } from '../App.tsx';
import { HttpClient } from '../api/http-client.ts';
import { fakeServer } from '../test/fake-server.ts';

const USER = {
  id: 'u1',
  email: 'a@example.test',
  username: 'a',
  display_name: 'Ana',
  role: 'analyst',
  org: { id: 'o1', slug: 'default', name: 'Default' },
  is_instance_admin: false,
  permissions: ['alerts:read', 'devices:read'],
};

const device = (id: string, risk_level: string, risk_score: number) => ({
  id,
  hostname: `host-${id}`,
  risk_level,
  risk_score,
  open_alerts: 1,
});

describe('overview', () => {
  test('open alerts by severity, and the riskiest endpoints from the top risk level down', async () => {
    window.history.pushState({}, '', '/');
    const server = fakeServer({
      'GET /api/v1/auth/me': () => ({ status: 200, body: USER }),
      'GET /api/v1/alerts/counts': () => ({
        status: 200,
        body: { total: 7, by_status: { open: 7 }, by_severity: { critical: 2, high: 4, low: 1 } },
      }),
      'GET /api/v1/devices': (req) => {
        const risk = new URL(`http://x${req.path}`).searchParams.get('risk');
        const items =
          risk === 'critical'
            ? [device('c1', 'critical', 80)]
            : risk === 'high'
              ? [device('h1', 'high', 40), device('h2', 'high', 60)]
              : [];
        return { status: 200, body: { items, next_cursor: null } };
      },
    });
    render(<App http={new HttpClient({ fetch: server.fetch, cookies: () => '' })} />);
    const kpi = await screen.findByRole('region', { name: 'Open alerts' });
    expect(await within(kpi).findByText('7')).toBeTruthy();
    expect(within(kpi).getByRole('link', { name: '2 critical' })).toBeTruthy();
    expect(within(kpi).getByRole('link', { name: '4 high' })).toBeTruthy();
    const counts = server.requests.find((r) => r.path.startsWith('/api/v1/alerts/counts'));
    expect(decodeURIComponent(counts?.path ?? '')).toContain('status=open,acknowledged,in_progress');

    const risky = await screen.findByRole('region', { name: 'Top risky endpoints' });
    const links = await within(risky).findAllByRole('link');
    expect(links.map((l) => l.textContent)).toEqual(['host-c1', 'host-h2', 'host-h1']);
    const asked = server.requests.filter((r) => r.path.startsWith('/api/v1/devices')).map((r) => r.path);
    expect(asked).toEqual([
      '/api/v1/devices?risk=critical&limit=6',
      '/api/v1/devices?risk=high&limit=5',
      '/api/v1/devices?risk=medium&limit=3',
    ]);
  });
});
