import { render, screen } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { App } from '../App.tsx';
import { HttpClient } from '../api/http-client.ts';
import { fakeServer } from '../test/fake-server.ts';
import { ImportResultView } from './IntelligencePage.tsx';
import { uploadTypeOf } from './intel-api.ts';
import { ThreatMapSvg, threatMapSocketUrl } from './ThreatMapPage.tsx';
import { MAP_HEIGHT, MAP_WIDTH, project, radiusOf, severityBand } from './world-projection.ts';

describe('threat map drawing', () => {
  test('equirectangular projection: corners, centre, wrap-around', () => {
    expect(project(90, -180)).toEqual({ x: 0, y: 0 });
    expect(project(-90, 180)).toEqual({ x: MAP_WIDTH, y: MAP_HEIGHT });
    expect(project(0, 0)).toEqual({ x: MAP_WIDTH / 2, y: MAP_HEIGHT / 2 });
    expect(project(0, 190).x).toBeCloseTo(project(0, -170).x);
  });
  test('radius and severity bands', () => {
    expect(radiusOf(1)).toBeLessThan(radiusOf(50));
    expect(radiusOf(1_000_000)).toBe(18);
    expect([1, 5, 7, 10].map(severityBand)).toEqual(['low', 'medium', 'high', 'critical']);
  });
  test('one circle per source at its database position', () => {
    render(
      <ThreatMapSvg
        live={[]}
        snapshot={{
          window: { from: '', to: '' },
          total: 3,
          located: 3,
          unlocated: 0,
          private_excluded: 1,
          points: [
            {
              src_ip: '81.2.69.142',
              country: 'GB',
              city: 'St Albans',
              lat: 51.75,
              lon: -0.33,
              count: 2,
              max_severity: 7,
              attack_types: { Scanner: 2 },
              last_seen: '',
            },
          ],
          countries: [{ country: 'GB', count: 2 }],
          attack_types: [{ attack_type: 'Scanner', count: 2 }],
        }}
      />,
    );
    const svg = screen.getByRole('img', { name: 'Threat map: 1 source addresses' });
    const circle = svg.querySelector('circle[data-ip="81.2.69.142"]')!;
    expect(Number(circle.getAttribute('cx'))).toBeCloseTo(project(51.75, -0.33).x);
    expect(circle.getAttribute('class')).toContain('severity-high');
  });
  test('the live socket follows the page origin', () => {
    expect(threatMapSocketUrl({ protocol: 'https:', host: 'soc.example' }, 900)).toBe(
      'wss://soc.example/ws/threatmap?window=900',
    );
  });
});

describe('indicator uploads', () => {
  test('media type from the chosen format or the file name', () => {
    expect(uploadTypeOf('auto', 'feed.JSON')).toEqual({ type: 'application/json' });
    expect(uploadTypeOf('auto', 'list.csv')).toEqual({ type: 'text/csv' });
    expect(uploadTypeOf('misp', 'x.json')).toEqual({ type: 'application/json', format: 'misp' });
    expect(uploadTypeOf('text', 'x')).toEqual({ type: 'text/plain', format: 'text' });
  });
  test('per-item results list refused entries first, with their reason', () => {
    render(
      <ImportResultView
        result={{
          imported: 1,
          created: 1,
          refreshed: 0,
          rejected: 1,
          skipped: 0,
          items: [
            { line: 2, status: 'created', type: 'ip', value: '198.51.100.23' },
            { line: 3, status: 'rejected', value: '999.1.1.1', message: '"999.1.1.1" is not a valid ip' },
          ],
        }}
      />,
    );
    expect(screen.getByText('1 created, 0 refreshed, 1 rejected, 0 skipped.')).toBeTruthy();
    const rows = screen.getAllByRole('row');
    expect(rows[1]!.getAttribute('data-status')).toBe('rejected');
    expect(screen.getByText('"999.1.1.1" is not a valid ip')).toBeTruthy();
  });
});

describe('the pages in the console', () => {
  const user = {
    id: 'u1',
    email: 'admin@example.test',
    username: 'admin',
    display_name: 'Ada Admin',
    role: 'admin',
    org: { id: 'o1', slug: 'default', name: 'Default organization' },
    is_instance_admin: false,
    permissions: ['alerts:read', 'rules:read', 'rules:write'],
  };
  const snapshot = {
    window: { from: '2026-11-21T11:45:00.000Z', to: '2026-11-21T12:00:00.000Z' },
    total: 0,
    located: 0,
    unlocated: 0,
    private_excluded: 0,
    points: [],
    countries: [],
    attack_types: [],
  };
  const start = (path: string) => {
    window.history.pushState({}, '', path);
    const server = fakeServer({
      'GET /api/v1/auth/me': () => ({ status: 200, body: user }),
      'GET /api/v1/iocs': () => ({
        status: 200,
        body: {
          items: [
            {
              id: 'i1',
              type: 'domain',
              value: 'badcorp.example',
              severity: 'high',
              source: 'ACME CERT',
              description: null,
              expires_at: null,
              active: true,
              hit_count: 3,
              created_at: '2026-11-21T10:00:00.000Z',
            },
          ],
          next_cursor: null,
        },
      }),
      'GET /api/v1/threat-map': () => ({ status: 200, body: snapshot }),
    });
    render(<App http={new HttpClient({ fetch: server.fetch, cookies: () => 'harrier_csrf=c1' })} />);
    return server;
  };

  test('/intelligence lists indicators with the upload and add forms', async () => {
    start('/intelligence');
    expect(await screen.findByRole('heading', { level: 1, name: 'Intelligence' })).toBeTruthy();
    expect(await screen.findByText('badcorp.example')).toBeTruthy();
    expect(screen.getByRole('form', { name: 'Import indicators' })).toBeTruthy();
    expect(screen.getByRole('form', { name: 'Add an indicator' })).toBeTruthy();
  });

  test('/threat-map shows the window without telemetry, never made-up points', async () => {
    const server = start('/threat-map');
    expect(await screen.findByRole('heading', { level: 1, name: 'Threat map' })).toBeTruthy();
    expect(await screen.findByText(/No live telemetry in this window/)).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Threat map: 0 source addresses' })).toBeTruthy();
    expect(server.requests.some((r) => r.path === '/api/v1/threat-map?window=900')).toBe(true);
  });
});
