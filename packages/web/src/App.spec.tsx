import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, test } from 'vitest';
import { App } from './App.tsx';
import { resetFleetPath } from './api/endpoints-api.ts';
import { HttpClient } from './api/http-client.ts';
import { apiError, fakeServer, type Handler } from './test/fake-server.ts';

const USER = {
  id: 'u1',
  email: 'admin@example.test',
  username: 'admin',
  display_name: 'Ada Admin',
  role: 'admin',
  org: { id: 'o1', slug: 'default', name: 'Default organization' },
  is_instance_admin: true,
  permissions: ['alerts:read'],
};

function start(path: string, routes: Record<string, Handler>) {
  window.history.pushState({}, '', path);
  const server = fakeServer(routes);
  const http = new HttpClient({ fetch: server.fetch, cookies: () => 'harrier_csrf=c1' });
  render(<App http={http} />);
  return server;
}

async function signIn(email: string, password: string) {
  fireEvent.change(await screen.findByLabelText('E-mail'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('sign-in', () => {
  let signedIn: boolean;
  const routes = (): Record<string, Handler> => ({
    'GET /api/v1/auth/me': () =>
      signedIn ? { status: 200, body: USER } : apiError(401, 'unauthorized', 'no'),
    'POST /api/v1/auth/refresh': () => apiError(401, 'unauthorized', 'no'),
    'POST /api/v1/auth/login': (req) => {
      const b = req.body as { email: string; password: string };
      if (b.password !== 'right password!')
        return apiError(401, 'invalid_credentials', 'Invalid credentials.');
      signedIn = true;
      return { status: 200, body: { access_token: 'a', csrf_token: 'c1', user: USER } };
    },
    'POST /api/v1/auth/logout': () => {
      signedIn = false;
      return { status: 204 };
    },
  });
  beforeEach(() => {
    signedIn = false;
  });

  test('an unknown visitor is sent to the login page, and back where they were after signing in', async () => {
    start('/endpoints', routes());
    await signIn('admin@example.test', 'right password!');
    expect(await screen.findByRole('heading', { name: 'Endpoints' })).toBeTruthy();
    expect(screen.getByTestId('current-user').textContent).toContain('Ada Admin');
    expect(window.location.pathname).toBe('/endpoints');
  });

  test('a wrong password says so and clears the password field', async () => {
    start('/login', routes());
    await signIn('admin@example.test', 'wrong');
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong e-mail or password.');
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
  });

  test('signing out returns to the login page with a notice; the logout carried the CSRF header', async () => {
    signedIn = true;
    const server = start('/', routes());
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByText('You have signed out.')).toBeTruthy();
    const logout = server.requests.find((r) => r.path === '/api/v1/auth/logout');
    expect(logout?.headers['X-CSRF-Token']).toBe('c1');
  });

  test('an expired session (refresh refused) goes back to login with a message', async () => {
    signedIn = true;
    const r = routes();
    let calls = 0;
    r['GET /api/v1/auth/me'] = () =>
      calls++ === 0 ? { status: 200, body: USER } : apiError(401, 'expired', 'x');
    r['GET /api/v1/users'] = () => apiError(401, 'token_expired', 'Expired.');
    start('/admin/users', r);
    expect(await screen.findByText('Your session expired. Sign in again.')).toBeTruthy();
    expect(window.location.pathname).toBe('/login');
  });

  test('a server without the identity API says sign-in is not available', async () => {
    start('/login', {});
    expect(await screen.findByText(/Sign-in is not available on this server yet/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('pages against their APIs', () => {
  beforeEach(() => resetFleetPath());
  const signedInRoutes = (extra: Record<string, Handler>): Record<string, Handler> => ({
    'GET /api/v1/auth/me': () => ({ status: 200, body: USER }),
    ...extra,
  });

  test('a page whose API is missing says it is not available yet', async () => {
    start('/cases', signedInRoutes({}));
    expect(await screen.findByText('Not available on this server yet.')).toBeTruthy();
  });

  test('a 403 shows the not-allowed view', async () => {
    start(
      '/admin/audit',
      signedInRoutes({ 'GET /api/v1/audit': () => apiError(403, 'forbidden', 'Needs audit:read') }),
    );
    expect((await screen.findByRole('alert')).textContent).toContain('Not allowed.');
  });

  test('endpoints list: rows, server-side sort and next page', async () => {
    const server = start(
      '/endpoints',
      signedInRoutes({
        'GET /api/v1/endpoints': (req) => {
          const page2 = req.path.includes('cursor=p2');
          return {
            status: 200,
            body: {
              items: [{ id: page2 ? 'd3' : 'd1', hostname: page2 ? 'web-03' : 'web-01', status: 'online' }],
              next_cursor: page2 ? null : 'p2',
            },
          };
        },
      }),
    );
    expect(await screen.findByRole('link', { name: 'web-01' })).toBeTruthy();
    expect(server.requests.at(-1)?.path).toContain('sort=hostname');
    fireEvent.click(screen.getByRole('button', { name: /Hostname/ }));
    await waitFor(() => expect(server.requests.at(-1)?.path).toContain('sort=-hostname'));
    fireEvent.click(await screen.findByRole('button', { name: 'Next ›' }));
    expect(await screen.findByRole('link', { name: 'web-03' })).toBeTruthy();
    expect(server.requests.at(-1)?.path).toContain('cursor=p2');
    expect(screen.getByText(/Page 2/)).toBeTruthy();
  });

  test('the fleet falls back to /api/v1/devices when /api/v1/endpoints is not there', async () => {
    const server = start(
      '/endpoints',
      signedInRoutes({
        'GET /api/v1/devices': () => ({ status: 200, body: { items: [{ id: 'd9', hostname: 'db-01' }] } }),
      }),
    );
    expect(await screen.findByRole('link', { name: 'db-01' })).toBeTruthy();
    expect(server.requests.some((r) => r.path.startsWith('/api/v1/endpoints'))).toBe(true);
  });

  test('an analyst sees only the administration tabs of their permissions', async () => {
    start(
      '/admin',
      signedInRoutes({
        'GET /api/v1/auth/me': () => ({
          status: 200,
          body: { ...USER, role: 'analyst', permissions: ['tokens:manage'] },
        }),
        'GET /api/v1/tokens': () => ({ status: 200, body: { items: [], next_cursor: null } }),
      }),
    );
    expect(await screen.findByRole('heading', { name: 'API tokens' })).toBeTruthy();
    const tabs = screen.getByRole('navigation', { name: 'Administration' });
    expect([...tabs.querySelectorAll('a')].map((a) => a.textContent)).toEqual(['API tokens', 'My account']);
  });

  test('an administrator changes a role in place; the PATCH carries the CSRF header', async () => {
    const users = [
      { ...USER, disabled: false, last_login_at: null, created_at: '2026-01-01T00:00:00Z' },
      {
        id: 'u2',
        email: 'bob@example.test',
        username: 'bob',
        display_name: 'Bob',
        role: 'analyst',
        is_instance_admin: false,
        disabled: false,
        last_login_at: null,
        created_at: '2026-01-02T00:00:00Z',
      },
    ];
    const server = start(
      '/admin/users',
      signedInRoutes({
        'GET /api/v1/auth/me': () => ({
          status: 200,
          body: { ...USER, permissions: ['users:read', 'users:manage'] },
        }),
        'GET /api/v1/users': () => ({ status: 200, body: { items: users, next_cursor: null } }),
        'PATCH /api/v1/users/u2': (req) => {
          const role = (req.body as { role: string }).role;
          users[1] = { ...users[1]!, role };
          return { status: 200, body: users[1] };
        },
      }),
    );
    const select = await screen.findByLabelText('Role of bob@example.test');
    expect(screen.queryByLabelText('Role of admin@example.test')).toBeNull();
    fireEvent.change(select, { target: { value: 'team_lead' } });
    await waitFor(() => expect(users[1]?.role).toBe('team_lead'));
    const patch = server.requests.find((r) => r.method === 'PATCH');
    expect(patch?.headers['X-CSRF-Token']).toBe('c1');
    expect(patch?.body).toEqual({ role: 'team_lead' });
  });
});
