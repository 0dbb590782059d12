import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { App } from '../App.tsx';
import { HttpClient } from '../api/http-client.ts';
import { fakeServer, type Handler } from '../test/fake-server.ts';

const USER = {
  id: 'u1',
  email: 'r@example.test',
  username: 'r',
  display_name: 'Rea',
  role: 'read_only',
  org: { id: 'o1', slug: 'default', name: 'Default' },
  is_instance_admin: false,
  permissions: ['devices:read'],
};

const today = new Date().toISOString().slice(0, 10);

const RISK = {
  device_id: 'dev-1',
  hostname: 'laptop-9',
  platform: 'macos',
  day: today,
  risk_score: 100,
  raw_risk_score: 33,
  delta_vs_7d: 91,
  top_driver: 'auth',
  metrics: { failed_logins: 8, new_listeners: 1, new_processes: 1, suspicious_execs: 1 },
  counts: { INFO: 1, WARN: 8, HIGH: 1 },
  baseline: {
    failed_logins: { metric: 'failed_logins', today: 8, baseline: 1, ratio: 8, classification: 'anomalous' },
  },
  drivers: [{ category: 'auth', score: 24, percent: 72.73 }],
  new_changes: ['listener_seen_non_local'],
  resolved_changes: [],
  brief: {
    day: today,
    risk_score: 100,
    delta_vs_7d_avg: 91,
    top_driver: 'auth',
    anomalies: ['failed_logins is 8.0x above 14-day median'],
    recommended_actions: ['Review failed login bursts and enforce MFA where missing.'],
  },
  updated_at: `${today}T12:00:00.000Z`,
  trend_7d: [{ day: today, risk_score: 100 }],
  trend_30d: [{ day: today, risk_score: 100 }],
};

const INSIGHT = {
  id: 'i1',
  device_id: 'dev-1',
  hostname: 'laptop-9',
  day: today,
  ts: `${today}T12:00:00.000Z`,
  insight_type: 'anomaly',
  source: 'auth',
  severity: 'HIGH',
  title: 'failed_logins is 8.0x above 14-day median',
  explanation: 'Anomaly rule',
  evidence: { metric: 'failed_logins' },
  fingerprint: 'f'.repeat(64),
  status: 'open',
  count: 2,
  first_seen: `${today}T12:00:00.000Z`,
  last_seen: `${today}T12:01:00.000Z`,
};

function start(path: string, routes: Record<string, Handler>) {
  window.history.pushState({}, '', path);
  const server = fakeServer({ 'GET /api/v1/auth/me': () => ({ status: 200, body: USER }), ...routes });
  render(<App http={new HttpClient({ fetch: server.fetch, cookies: () => '' })} />);
  return server;
}

describe('insights', () => {
  test('the fleet brief shows the riskiest devices with driver, delta and actions', async () => {
    start('/insights', {
      'GET /api/v1/insights/fleet': () => ({
        status: 200,
        body: { items: [RISK], summary: { INFO: 2, WARN: 4, HIGH: 2 } },
      }),
    });
    expect(await screen.findByRole('link', { name: 'laptop-9' }, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByText('+91.0')).toBeTruthy();
    expect(screen.getByText('Authentication')).toBeTruthy();
    expect(screen.getByText('Review failed login bursts and enforce MFA where missing.')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'HIGH insights' }).textContent).toContain('2');
  });

  test('the insights list filters on the server', async () => {
    const server = start('/insights/list', {
      'GET /api/v1/insights': () => ({
        status: 200,
        body: { items: [INSIGHT], next_cursor: null, total: 1 },
      }),
    });
    expect(
      await screen.findByText('failed_logins is 8.0x above 14-day median', {}, { timeout: 5000 }),
    ).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Severity/), { target: { value: 'HIGH' } });
    await waitFor(() => expect(server.requests.at(-1)?.path).toContain('severity=HIGH'), { timeout: 5000 });
    fireEvent.change(screen.getByLabelText(/Type/), { target: { value: 'anomaly' } });
    await waitFor(() => expect(server.requests.at(-1)?.path).toContain('type=anomaly'), { timeout: 5000 });
  });

  test('the device risk page shows the latest day against its baselines', async () => {
    start('/insights/devices/dev-1', {
      'GET /api/v1/devices/dev-1/risk': () => ({
        status: 200,
        body: {
          device: { id: 'dev-1', hostname: 'laptop-9', platform: 'macos' },
          latest: RISK,
          trend: RISK.trend_30d,
          insights: [INSIGHT],
          summary: { INFO: 0, WARN: 0, HIGH: 1 },
        },
      }),
    });
    expect(await screen.findByRole('heading', { name: 'Risk of laptop-9' }, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByText('anomalous')).toBeTruthy();
    expect(screen.getByText('8.0×')).toBeTruthy();
    expect(screen.getByText('listener_seen_non_local')).toBeTruthy();
  });
});
