import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { App } from '../App.tsx';
import { HttpClient } from '../api/http-client.ts';
import type { WorkGroup } from '../api/work-groups-api.ts';
import { apiError, fakeServer } from '../test/fake-server.ts';

const LEAD = {
  id: 'u1',
  email: 'lead@example.test',
  username: 'lead',
  display_name: 'Lea Lead',
  role: 'team_lead',
  org: { id: 'o1', slug: 'default', name: 'Default' },
  is_instance_admin: false,
  permissions: ['alerts:read', 'alerts:triage', 'users:read', 'workgroups:manage'],
};

const GROUP: WorkGroup = {
  id: 'g1',
  name: 'Tier 2',
  description: 'Escalations',
  lead_user_id: 'u1',
  member_ids: ['u1'],
  created_at: null,
  updated_at: '2026-11-23T10:00:00.000Z',
};

describe('work groups administration', () => {
  test('lists groups, creates one, changes members and lead, shows refusals', async () => {
    window.history.pushState({}, '', '/admin/work-groups');
    let groups: WorkGroup[] = [GROUP];
    const server = fakeServer({
      'GET /api/v1/auth/me': () => ({ status: 200, body: LEAD }),
      'GET /api/v1/alerts/assignees': () => ({
        status: 200,
        body: {
          users: [
            { id: 'u1', display_name: 'Lea Lead', email: 'lead@example.test', role: 'team_lead' },
            { id: 'u2', display_name: 'Ana', email: 'ana@example.test', role: 'analyst' },
          ],
          groups: [],
        },
      }),
      'GET /api/v1/work-groups': () => ({ status: 200, body: { items: groups } }),
      'POST /api/v1/work-groups': (req) => {
        const name = (req.body as { name: string }).name;
        if (name === 'Tier 2')
          return apiError(409, 'work_group_exists', 'A work group with this name exists.');
        groups = [...groups, { ...GROUP, id: 'g2', name, lead_user_id: null, member_ids: [] }];
        return { status: 201, body: groups.at(-1) };
      },
      'PATCH /api/v1/work-groups/g1': (req) => {
        groups = [{ ...GROUP, ...(req.body as object), updated_at: '2026-11-23T11:00:00.000Z' }];
        return { status: 200, body: groups[0] };
      },
    });
    render(<App http={new HttpClient({ fetch: server.fetch, cookies: () => '' })} />);
    const card = await screen.findByRole('region', { name: 'Tier 2' });
    await waitFor(() => expect(within(card).getByText(/Lead: Lea Lead · 1 member$/)).toBeTruthy());
    expect(screen.getByRole('link', { name: 'Work groups' })).toBeTruthy();

    const form = screen.getByRole('form', { name: 'New work group' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Tier 2' } });
    fireEvent.submit(form);
    expect(await screen.findByText('A work group with this name exists.')).toBeTruthy();
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Night shift' } });
    fireEvent.submit(form);
    expect(await screen.findByRole('region', { name: 'Night shift' })).toBeTruthy();

    const editor = within(card).getByRole('form', { name: 'Edit Tier 2' });
    fireEvent.click(within(editor).getByLabelText('Ana'));
    fireEvent.change(within(editor).getByLabelText('Lead'), { target: { value: 'u2' } });
    fireEvent.click(within(editor).getByRole('button', { name: 'Save Tier 2' }));
    await waitFor(() =>
      expect(server.requests.find((r) => r.method === 'PATCH')?.body).toEqual({
        member_ids: ['u1', 'u2'],
        lead_user_id: 'u2',
      }),
    );
  });
});
