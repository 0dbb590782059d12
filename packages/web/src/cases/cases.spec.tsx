import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { App } from '../App.tsx';
import { HttpClient } from '../api/http-client.ts';
import { fakeServer, type Handler } from '../test/fake-server.ts';
import { describeEntry, parseIdList, parseRecipients, statusActions, uploadProblem } from './case-logic.ts';

const USER = {
  id: 'u1',
  email: 'a@example.test',
  username: 'a',
  display_name: 'Ana',
  role: 'analyst',
  org: { id: 'o1', slug: 'default', name: 'Default' },
  is_instance_admin: false,
  permissions: ['alerts:read', 'cases:read', 'cases:write'],
};

const CASE = {
  id: 'c1',
  title: 'Beacon to C2',
  description: null,
  severity: 'high',
  status: 'triage',
  next_statuses: ['in_progress', 'contained', 'resolved', 'closed'],
  owner_id: 'u1',
  owner_name: 'Ana',
  tags: [],
  source: 'manual',
  origin_alert_id: null,
  created_at: '2026-11-23T10:00:00.000Z',
  updated_at: '2026-11-23T10:05:00.000Z',
  closed_at: null,
  alerts: [
    {
      id: 'al1',
      title: 'Curl to paste site',
      severity: 'high',
      status: 'open',
      device_id: null,
      linked_at: '2026-11-23T10:00:00.000Z',
    },
  ],
  attachments: [
    {
      id: 'at1',
      case_id: 'c1',
      filename: 'pcap.pcap',
      content_type: 'application/vnd.tcpdump.pcap',
      size: 2048,
      sha256: 'ab',
      uploaded_by: 'u1',
      created_at: '2026-11-23T10:01:00.000Z',
    },
  ],
};

const TIMELINE = [
  {
    id: 't1',
    kind: 'status',
    actor_id: 'u1',
    actor_name: 'Ana',
    body: 'looks real',
    data: { from: 'new', to: 'triage' },
    created_at: '2026-11-23T10:02:00.000Z',
  },
  {
    id: 't2',
    kind: 'note',
    actor_id: 'u1',
    actor_name: 'Ana',
    body: '<img src=x onerror=alert(1)> **bold**',
    data: {},
    created_at: '2026-11-23T10:03:00.000Z',
  },
];

function start(path: string, routes: Record<string, Handler>) {
  window.history.pushState({}, '', path);
  const server = fakeServer({ 'GET /api/v1/auth/me': () => ({ status: 200, body: USER }), ...routes });
  render(<App http={new HttpClient({ fetch: server.fetch, cookies: () => '' })} />);
  return server;
}

const warRoom = (): Record<string, Handler> => ({
  'GET /api/v1/cases/c1': () => ({ status: 200, body: CASE }),
  'GET /api/v1/cases/c1/timeline': () => ({ status: 200, body: { items: TIMELINE, next_cursor: null } }),
  'GET /api/v1/workplans': () => ({
    status: 200,
    body: {
      items: [
        {
          id: 'w1',
          title: 'Contain',
          description: null,
          subject_type: 'case',
          subject_id: 'c1',
          owner_id: null,
          progress: { done: 0, total: 1 },
          tasks: [
            { id: 'k1', title: 'Isolate host', owner_id: null, due_at: null, status: 'todo', position: 0 },
          ],
        },
      ],
      next_cursor: null,
    },
  }),
});

describe('case logic', () => {
  test('status buttons follow the server’s next statuses; reopening is named so', () => {
    expect(statusActions('closed', ['in_progress'])).toEqual([{ status: 'in_progress', label: 'Reopen' }]);
    expect(statusActions('new', ['triage']).map((a) => a.label)).toEqual(['Move to triage']);
    expect(statusActions('contained', ['in_progress'])[0]?.label).toBe('Back to in progress');
  });

  test('uploads the server would refuse are stopped before they are sent', () => {
    expect(uploadProblem({ name: 'a.png', size: 10, type: 'image/png' })).toBeNull();
    expect(uploadProblem({ name: 'a.html', size: 10, type: 'text/html' })).toMatch(/cannot be attached/);
    expect(uploadProblem({ name: 'empty.txt', size: 0, type: 'text/plain' })).toMatch(/empty/);
  });

  test('id lists and recipients are split, de-duplicated and checked', () => {
    expect(parseIdList(' a, b\nb c ')).toEqual(['a', 'b', 'c']);
    expect(parseRecipients('x@example.com; nope, y@example.com')).toEqual({
      valid: ['x@example.com', 'y@example.com'],
      invalid: ['nope'],
    });
    expect(
      describeEntry({ kind: 'status', body: null, data: { from: 'in_progress', to: 'contained' } }),
    ).toBe('moved the case from in progress to contained');
    expect(describeEntry({ kind: 'attachment', body: null, data: { filename: 'x.pcap' } })).toBe(
      'attached x.pcap',
    );
    expect(describeEntry({ kind: 'attachment_removed', body: null, data: { filename: 'x.pcap' } })).toBe(
      'removed the attachment x.pcap',
    );
  });
});

describe('case war room', () => {
  test('shows the timeline (notes as text, never HTML), linked alerts, attachments and the workplan', async () => {
    start('/cases/c1', warRoom());
    expect(await screen.findByRole('heading', { level: 1, name: 'Beacon to C2' })).toBeTruthy();
    expect(screen.getByText(/moved the case from new to triage: looks real/)).toBeTruthy();
    expect(screen.getByText('<img src=x onerror=alert(1)> **bold**')).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
    expect(screen.getByRole('link', { name: 'Curl to paste site' }).getAttribute('href')).toBe('/alerts/al1');
    const download = screen.getByRole('link', { name: 'pcap.pcap' });
    expect(download.getAttribute('href')).toBe('/api/v1/cases/c1/attachments/at1');
    expect(screen.getByText('Isolate host')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Move to new' })).toBeNull();
  });

  test('a status change, a note and a ticked task are sent to the API', async () => {
    const server = start('/cases/c1', {
      ...warRoom(),
      'POST /api/v1/cases/c1/status': () => ({ status: 200, body: { ...CASE, status: 'contained' } }),
      'POST /api/v1/cases/c1/notes': () => ({ status: 201, body: TIMELINE[1] }),
      'PATCH /api/v1/workplans/w1/tasks/k1': () => ({ status: 200, body: {} }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Move to contained' }));
    await waitFor(() =>
      expect(server.requests.find((r) => r.path === '/api/v1/cases/c1/status')?.body).toEqual({
        status: 'contained',
      }),
    );
    fireEvent.change(screen.getByLabelText('Note'), { target: { value: 'psexec seen on host-7' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    await waitFor(() =>
      expect(server.requests.find((r) => r.path === '/api/v1/cases/c1/notes')?.body).toEqual({
        body: 'psexec seen on host-7',
      }),
    );
    fireEvent.click(screen.getByRole('checkbox', { name: /Isolate host/ }));
    await waitFor(() =>
      expect(server.requests.find((r) => r.method === 'PATCH')?.body).toEqual({ status: 'done' }),
    );
  });

  test('a refused file type is explained without a request; an allowed file is sent as its bytes', async () => {
    const server = start('/cases/c1', {
      ...warRoom(),
      'POST /api/v1/cases/c1/attachments': () => ({ status: 201, body: CASE.attachments[0] }),
    });
    const input = (await screen.findByLabelText('Attach a file')) as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File(['<b>'], 'page.html', { type: 'text/html' })] } });
    expect(await screen.findByText(/page.html: files of type text\/html cannot be attached/)).toBeTruthy();
    expect(server.requests.some((r) => r.method === 'POST')).toBe(false);
    fireEvent.change(input, {
      target: { files: [new File(['1.2.3.4\n'], 'iocs.txt', { type: 'text/plain' })] },
    });
    await waitFor(() => {
      const sent = server.requests.find((r) => r.method === 'POST');
      expect(sent?.path).toBe('/api/v1/cases/c1/attachments?filename=iocs.txt');
      expect(sent?.headers['content-type']).toBe('text/plain');
    });
  });
});

describe('cases list', () => {
  test('a case opened from alerts (prefilled by ?alerts=) sends their ids and no title', async () => {
    const server = start('/cases?alerts=al1,al2', {
      'GET /api/v1/cases': () => ({ status: 200, body: { items: [CASE], next_cursor: null } }),
      'POST /api/v1/cases': () => ({ status: 201, body: CASE }),
      ...warRoom(),
    });
    expect(await screen.findByRole('link', { name: 'Beacon to C2' })).toBeTruthy();
    expect(server.requests.find((r) => r.path.startsWith('/api/v1/cases?'))?.path).toContain(
      'status=new%2Ctriage%2Cin_progress%2Ccontained',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Open case' }));
    await waitFor(() =>
      expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({ alert_ids: ['al1', 'al2'] }),
    );
    expect(await screen.findByRole('heading', { level: 1, name: 'Beacon to C2' })).toBeTruthy();
  });
});

describe('handover history', () => {
  test('a failed e-mail shows why on hover and can be sent again', async () => {
    const failed = {
      id: 'h9',
      author_id: 'u1',
      shift_start: null,
      shift_end: null,
      notes: 'quiet',
      recipients: ['a@example.com'],
      open_alerts: [],
      open_cases: [],
      delivery: { status: 'failed', error: 'connection refused', sent_at: null },
      created_at: null,
    };
    const server = start('/handovers', {
      'GET /api/v1/handovers': () => ({ status: 200, body: { items: [failed], next_cursor: null } }),
      'POST /api/v1/handovers/h9/send': () => ({
        status: 200,
        body: { ...failed, delivery: { status: 'sent' } },
      }),
    });
    expect((await screen.findByText('failed')).parentElement?.getAttribute('title')).toBe(
      'connection refused',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Send again' }));
    await waitFor(() =>
      expect(server.requests.some((r) => r.path === '/api/v1/handovers/h9/send')).toBe(true),
    );
  });
});

describe('alert page', () => {
  test('an alert shows the cases it is part of, a way to open one, and its workplan', async () => {
    const server = start('/alerts/al1', {
      'GET /api/v1/alerts/al1': () => ({
        status: 200,
        body: {
          id: 'al1',
          title: 'Curl to paste site',
          severity: 'high',
          status: 'open',
          kind: 'rule',
          rule: { id: 'r1', rule_id: 'sigma-1', title: 'Curl', version: 1 },
          device_id: null,
          group_key: 'g',
          first_seen: null,
          last_seen: null,
          count: 1,
          matched_event_ids: [],
          mitre: { techniques: [], tactics: [] },
          details: {},
          created_at: null,
          updated_at: null,
          events: [],
          rule_version: null,
        },
      }),
      'GET /api/v1/cases': () => ({ status: 200, body: { items: [CASE], next_cursor: null } }),
      'GET /api/v1/workplans': warRoom()['GET /api/v1/workplans']!,
    });
    expect(await screen.findByRole('link', { name: 'Beacon to C2' })).toBeTruthy();
    expect(server.requests.find((r) => r.path.startsWith('/api/v1/cases?'))?.path).toContain('alert_id=al1');
    expect(server.requests.find((r) => r.path.startsWith('/api/v1/workplans?'))?.path).toContain(
      'subject_type=alert&subject_id=al1',
    );
    expect(screen.getByRole('link', { name: 'Open a case from this alert' }).getAttribute('href')).toBe(
      '/cases?alerts=al1',
    );
    expect(screen.getByText('Isolate host')).toBeTruthy();
  });
});

describe('handovers', () => {
  test('invalid recipients block the form; a handover reports its open work and delivery', async () => {
    let created: unknown[] = [];
    const HANDOVER = {
      id: 'h1',
      author_id: 'u1',
      shift_start: '2026-11-23T00:00:00.000Z',
      shift_end: '2026-11-23T08:00:00.000Z',
      notes: 'Beacon still active',
      recipients: ['next@example.com'],
      open_alerts: [{ id: 'al1', title: 'Beacon alert', severity: 'high', status: 'open' }],
      open_cases: [],
      delivery: { status: 'sent', error: null, sent_at: '2026-11-23T08:00:00.000Z' },
      created_at: '2026-11-23T08:00:00.000Z',
    };
    const server = start('/handovers', {
      'GET /api/v1/handovers': () => ({ status: 200, body: { items: created, next_cursor: null } }),
      'POST /api/v1/handovers': () => {
        created = [HANDOVER];
        return { status: 201, body: HANDOVER };
      },
    });
    fireEvent.change(await screen.findByLabelText('Notes for the next shift'), {
      target: { value: 'Beacon still active' },
    });
    fireEvent.change(screen.getByLabelText(/Recipients/), { target: { value: 'next@example.com, oops' } });
    expect(screen.getByText('Not e-mail addresses: oops')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Hand over' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(/Recipients/), { target: { value: 'next@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Hand over' }));
    expect(await screen.findByText(/0 open case\(s\) and 1 open alert\(s\); e-mail sent/)).toBeTruthy();
    // The history reloads with the new handover; its open work unfolds into links.
    fireEvent.click(await screen.findByText('0 case(s), 1 alert(s)'));
    expect(screen.getByRole('link', { name: 'Beacon alert' }).getAttribute('href')).toBe('/alerts/al1');
    expect(server.requests.find((r) => r.method === 'POST')?.body).toEqual({
      notes: 'Beacon still active',
      recipients: ['next@example.com'],
    });
  });
});
