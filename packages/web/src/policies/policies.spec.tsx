import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { App } from '../App.tsx';
import { HttpClient } from '../api/http-client.ts';
import { parseJsonObject } from '../api/policies-api.ts';
import { fakeServer, type Handler } from '../test/fake-server.ts';

const USER = {
  id: 'u1',
  email: 'admin@example.test',
  username: 'admin',
  display_name: 'Ada',
  role: 'admin',
  org: { id: 'o1', slug: 'default', name: 'Default' },
  is_instance_admin: false,
  permissions: ['alerts:read', 'policies:read', 'policies:write'],
};

const POLICY = {
  id: 'p1',
  name: 'Servers',
  description: null,
  enabled: true,
  version: 1,
  document: { collectors: { process: true } },
  updated_at: null,
};

function start(routes: Record<string, Handler>) {
  window.history.pushState({}, '', '/policies');
  const server = fakeServer({ 'GET /api/v1/auth/me': () => ({ status: 200, body: USER }), ...routes });
  render(<App http={new HttpClient({ fetch: server.fetch, cookies: () => '' })} />);
  return server;
}

describe('policies page', () => {
  test('parseJsonObject accepts objects only and says why not', () => {
    expect(parseJsonObject('{"a":1}', 'X')).toEqual({ a: 1 });
    expect(parseJsonObject('  ', 'X')).toEqual({});
    expect(() => parseJsonObject('[1]', 'X')).toThrow('X must be a JSON object.');
    expect(() => parseJsonObject('{', 'X')).toThrow(/^X is not valid JSON/);
  });

  test('creates a policy from its JSON document, assigns it to the organization, toggles a detector', async () => {
    const policies: unknown[] = [];
    const assignments: unknown[] = [];
    const detectors = [
      {
        id: 'dt1',
        name: 'brute force',
        description: null,
        params: { threshold: 5 },
        rule_packs: [],
        enabled: true,
        version: 1,
        updated_at: null,
      },
    ];
    const server = start({
      'GET /api/v1/policies': () => ({ status: 200, body: { items: policies } }),
      'GET /api/v1/policy-assignments': () => ({ status: 200, body: { items: assignments } }),
      'GET /api/v1/detectors': () => ({ status: 200, body: { items: detectors } }),
      'POST /api/v1/policies': (req) => {
        policies.push({ ...POLICY, ...(req.body as object) });
        return { status: 201, body: policies[0] };
      },
      'POST /api/v1/policy-assignments': (req) => {
        assignments.push({ id: 'a1', status: 'applied', created_at: null, ...(req.body as object) });
        return { status: 201, body: assignments[0] };
      },
      'GET /api/v1/devices': () => ({ status: 200, body: { items: [{ id: 'd1', hostname: 'web-01' }] } }),
      'GET /api/v1/policies/p1/versions': () => ({
        status: 200,
        body: {
          items: [
            { version: 1, document: { collectors: { process: true } }, created_by: null, created_at: null },
          ],
        },
      }),
      'PATCH /api/v1/detectors/dt1': (req) => {
        Object.assign(detectors[0]!, req.body as object);
        return { status: 200, body: detectors[0] };
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'New policy' }));
    const form = screen.getByRole('form', { name: 'New policy' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Servers' } });
    fireEvent.change(within(form).getByLabelText(/Document/), { target: { value: '{ "collectors": ' } });
    await act(async () => {
      fireEvent.submit(form);
    });
    expect(within(form).getByRole('alert').textContent).toMatch(/^The policy document is not valid JSON/);
    fireEvent.change(within(form).getByLabelText(/Document/), {
      target: { value: '{ "collectors": { "process": true } }' },
    });
    await act(async () => {
      fireEvent.submit(form);
    });
    await screen.findByRole('cell', { name: 'Servers' });
    fireEvent.click(screen.getByRole('button', { name: 'Versions of Servers' }));
    expect(await screen.findByText(/^Version 1 \(current\)/)).toBeTruthy();
    expect(server.requests.find((r) => r.method === 'POST' && r.path === '/api/v1/policies')?.body).toEqual({
      name: 'Servers',
      description: null,
      document: { collectors: { process: true } },
      enabled: true,
    });

    const assign = screen.getByRole('form', { name: 'Assign a policy' });
    await act(async () => {
      fireEvent.submit(assign);
    });
    await waitFor(() =>
      expect(
        server.requests.find((r) => r.path === '/api/v1/policy-assignments' && r.method === 'POST')?.body,
      ).toEqual({
        policy_id: 'p1',
        target_type: 'org',
        target_id: null,
        priority: 100,
      }),
    );
    expect(await screen.findByRole('cell', { name: 'Organization' })).toBeTruthy();

    // A device is picked by its hostname; the groups list was refused (404), so groups would take an id.
    fireEvent.change(within(assign).getByLabelText('Applies to'), { target: { value: 'device' } });
    expect((within(assign).getByLabelText('Device') as HTMLSelectElement).value).toBe('d1');
    await act(async () => {
      fireEvent.submit(assign);
    });
    expect(await screen.findByRole('cell', { name: 'Device web-01' })).toBeTruthy();
    fireEvent.change(within(assign).getByLabelText('Applies to'), { target: { value: 'group' } });
    expect(within(assign).getByLabelText('Group id').tagName).toBe('INPUT');

    await act(async () => {
      fireEvent.click(screen.getByLabelText('Enable brute force'));
    });
    await waitFor(() =>
      expect(server.requests.find((r) => r.method === 'PATCH')?.body).toEqual({ enabled: false }),
    );
  });
});
