import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { App } from '../App.tsx';
import { HttpClient } from '../api/http-client.ts';
import { fakeServer, type Handler } from '../test/fake-server.ts';
import { highlightQuery, markOffset } from './highlight.ts';

const USER = {
  id: 'u1',
  email: 'a@example.test',
  username: 'a',
  display_name: 'Ana',
  role: 'analyst',
  org: { id: 'o1', slug: 'default', name: 'Default' },
  is_instance_admin: false,
  permissions: ['alerts:read', 'events:read', 'queries:write'],
};

const RESULT = {
  table: 'Events',
  columns: [
    { name: 'Image', type: 'string' },
    { name: 'Fields', type: 'dynamic' },
  ],
  rows: [
    ['/usr/bin/curl', { CommandLine: 'curl pastebin', User: 'alice' }],
    ['/bin/sh', null],
  ],
  histogram: { bucket_ms: 3_600_000, buckets: [{ start: '2026-11-23T10:00:00.000Z', count: 2 }] },
  statistics: { row_count: 2, limit: 500, truncated: false, query_ms: 3 },
  warnings: [],
  elapsed_ms: 4,
};

const EMPTY_PAGE = { status: 200, body: { items: [], next_cursor: null } };

function start(routes: Record<string, Handler>, extraPermissions: string[] = []) {
  window.history.pushState({}, '', '/hunting');
  const user = { ...USER, permissions: [...USER.permissions, ...extraPermissions] };
  const server = fakeServer({
    'GET /api/v1/auth/me': () => ({ status: 200, body: user }),
    'GET /api/v1/saved-queries': () => EMPTY_PAGE,
    'GET /api/v1/hunt/history': () => EMPTY_PAGE,
    ...routes,
  });
  render(<App http={new HttpClient({ fetch: server.fetch, cookies: () => '' })} />);
  return server;
}

const hunts = (server: ReturnType<typeof fakeServer>) =>
  server.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/hunt');

describe('hunting editor highlighting', () => {
  test('spans rebuild the text exactly and name what each token is', () => {
    const q = "Events // recent\n| where Image endswith '/curl' and ts > ago(1h)\n| take 10";
    const spans = highlightQuery(q);
    expect(spans.map((s) => s.text).join('')).toBe(q);
    const kind = (t: string) => spans.find((s) => s.text === t)?.kind;
    expect(kind('Events')).toBe('table');
    expect(kind('// recent')).toBe('comment');
    expect(kind('where')).toBe('keyword');
    expect(kind('Image')).toBe('field');
    expect(kind("'/curl'")).toBe('string');
    expect(kind('ago')).toBe('function');
    expect(kind('1h')).toBe('number');
    expect(kind('|')).toBe('operator');
  });

  test('text after a lexical error is marked, and the text is still whole', () => {
    const q = "Events | where User == 'alice";
    const spans = highlightQuery(q);
    expect(spans.map((s) => s.text).join('')).toBe(q);
    expect(spans.at(-1)).toEqual({ kind: 'error', text: "'alice" });
  });

  test('markOffset underlines the word at a position, or the last character past the end', () => {
    const spans = highlightQuery('Events | whre x');
    const marked = markOffset(spans, 9).filter((s) => s.marked);
    expect(marked.map((s) => s.text).join('')).toBe('whre');
    const end = markOffset(spans, 99).filter((s) => s.marked);
    expect(end.map((s) => s.text)).toEqual(['x']);
  });
});

describe('hunting page', () => {
  test('runs with the Run button, and with Ctrl+Enter over the chosen time range', async () => {
    const server = start({ 'POST /api/v1/hunt': () => ({ status: 200, body: RESULT }) });
    fireEvent.click(await screen.findByRole('button', { name: 'Run' }));
    expect(await screen.findByText('/usr/bin/curl')).toBeTruthy();
    expect(screen.getByTestId('hunt-stats').textContent).toContain('2 rows');
    const editor = screen.getByLabelText('Query');
    fireEvent.change(screen.getByLabelText(/Time range/), { target: { value: '7d' } });
    fireEvent.change(editor, { target: { value: 'Events | summarize count() by Image' } });
    fireEvent.keyDown(editor, { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(hunts(server)).toHaveLength(2));
    const body = hunts(server)[1]!.body as { query: string; from: string; to: string; limit: number };
    expect(body.query).toBe('Events | summarize count() by Image');
    expect(body.limit).toBe(500);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(7 * 86_400_000);
  });

  test('a refused query is pointed at by line and column, and the mark goes when the text changes', async () => {
    start({
      'POST /api/v1/hunt': () => ({
        status: 400,
        body: {
          error: {
            code: 'invalid_query',
            message: 'unknown operator "whre"',
            details: {
              code: 'SYNTAX_ERROR',
              message: 'unknown operator "whre"',
              line: 2,
              column: 3,
              offset: 9,
              expected: ['where', 'project'],
            },
          },
        },
      }),
    });
    fireEvent.keyDown(await screen.findByLabelText('Query'), { key: 'Enter', ctrlKey: true });
    const problem = await screen.findByTestId('query-problem');
    expect(problem.textContent).toContain('Line 2, column 3: unknown operator "whre"');
    expect(problem.textContent).toContain('expected where, project');
    expect(screen.getByLabelText('Query').getAttribute('aria-invalid')).toBe('true');
    expect(document.querySelector('.hl-marked')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Query'), { target: { value: 'Events' } });
    expect(screen.queryByTestId('query-problem')).toBeNull();
  });

  test('completes table names, then field names of the table, from the keyboard', async () => {
    start({ 'POST /api/v1/hunt': () => ({ status: 200, body: RESULT }) });
    const editor = (await screen.findByLabelText('Query')) as HTMLTextAreaElement;
    fireEvent.change(editor, { target: { value: 'Ev', selectionStart: 2, selectionEnd: 2 } });
    const list = await screen.findByRole('listbox', { name: 'Completions' });
    expect(list.textContent).toContain('Events');
    fireEvent.keyDown(editor, { key: 'Enter' });
    expect(editor.value).toBe('Events');
    const text = 'Events | where Comm';
    fireEvent.change(editor, {
      target: { value: text, selectionStart: text.length, selectionEnd: text.length },
    });
    const fields = await screen.findByRole('listbox', { name: 'Completions' });
    expect(fields.textContent).toContain('CommandLine');
    fireEvent.keyDown(editor, { key: 'Tab' });
    expect(editor.value).toBe('Events | where CommandLine');
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  test('exports what ran as CSV', async () => {
    const server = start({
      'POST /api/v1/hunt': () => ({ status: 200, body: RESULT }),
      'POST /api/v1/hunt/export': () => ({ status: 200, body: 'Image\n/usr/bin/curl\n' }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Run' }));
    const exportCsv = await screen.findByRole('button', { name: 'Export CSV' });
    // The test DOM would follow the download link as a navigation; a browser saves the file.
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await act(async () => {
      fireEvent.click(exportCsv);
    });
    expect(click).toHaveBeenCalledTimes(1);
    click.mockRestore();
    const sent = server.requests.find((r) => r.path === '/api/v1/hunt/export')?.body as Record<
      string,
      unknown
    >;
    expect(sent.format).toBe('csv');
    expect(sent.query).toBe('Events\n| sort by Timestamp desc\n| take 50');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('completion and the tables panel follow the server schema once it answers', async () => {
    start({
      'GET /api/v1/hunt/schema': () => ({
        status: 200,
        body: {
          tables: [
            {
              name: 'Events',
              aliases: ['SecurityEvent'],
              openFields: true,
              columns: [
                { name: 'Timestamp', type: 'datetime', alias: false },
                { name: 'ts', type: 'datetime', alias: true },
                { name: 'ThreatName', type: 'string', alias: false },
              ],
            },
          ],
        },
      }),
    });
    const panel = await screen.findByRole('region', { name: 'Tables' });
    expect(await within(panel).findByText('ThreatName')).toBeTruthy();
    expect(within(panel).queryByText('ts')).toBeNull();
    const editor = screen.getByLabelText('Query') as HTMLTextAreaElement;
    const text = 'SecurityEvent | where Thr';
    fireEvent.change(editor, {
      target: { value: text, selectionStart: text.length, selectionEnd: text.length },
    });
    const list = await screen.findByRole('listbox', { name: 'Completions' });
    expect(list.textContent).toContain('ThreatName');
  });

  test('a rule author saves a query as a scheduled detection; others are not offered the schedule', async () => {
    const server = start({ 'POST /api/v1/saved-queries': (req) => ({ status: 201, body: req.body }) }, [
      'rules:write',
    ]);
    const form = await screen.findByRole('form', { name: 'Save the query' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Curl bursts' } });
    fireEvent.click(within(form).getByLabelText('Run on a schedule as a detection'));
    fireEvent.change(within(form).getByLabelText('Every'), { target: { value: '3600' } });
    fireEvent.change(within(form).getByLabelText('Alert when rows are more than'), {
      target: { value: '5' },
    });
    fireEvent.change(within(form).getByLabelText('Alert severity'), { target: { value: 'high' } });
    await act(async () => {
      fireEvent.submit(form);
    });
    await waitFor(() =>
      expect(
        server.requests.find((r) => r.method === 'POST' && r.path === '/api/v1/saved-queries')?.body,
      ).toEqual({
        name: 'Curl bursts',
        query: 'Events\n| sort by Timestamp desc\n| take 50',
        visibility: 'private',
        schedule: { interval_seconds: 3600, threshold: 5, severity: 'high' },
      }),
    );
  });

  test('a row opens as a JSON tree', async () => {
    start({ 'POST /api/v1/hunt': () => ({ status: 200, body: RESULT }) });
    fireEvent.click(await screen.findByRole('button', { name: 'Run' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Show row 1 as JSON' }));
    const tree = screen.getByRole('list', { name: 'Fields of row 1' });
    expect(tree.textContent).toContain('"curl pastebin"');
    expect(screen.getByTestId('row-json').textContent).toContain('"User": "alice"');
  });

  test('saves the query (shared), lists saved queries and history, and loads one into the editor', async () => {
    const saved: unknown[] = [];
    const server = start({
      'POST /api/v1/hunt': () => ({ status: 200, body: RESULT }),
      'GET /api/v1/saved-queries': () => ({ status: 200, body: { items: saved, next_cursor: null } }),
      'POST /api/v1/saved-queries': (req) => {
        const b = req.body as { name: string; query: string; visibility: string };
        saved.push({ id: 'sq1', ...b, description: null, owned: true, schedule: null, updated_at: '' });
        return { status: 201, body: saved[0] };
      },
      'GET /api/v1/hunt/history': () => ({
        status: 200,
        body: {
          items: [
            {
              id: 'h1',
              query: 'Alerts | take 5',
              status: 'ok',
              error_code: null,
              row_count: 5,
              elapsed_ms: 2,
              created_at: new Date().toISOString(),
            },
          ],
          next_cursor: null,
        },
      }),
    });
    const form = await screen.findByRole('form', { name: 'Save the query' });
    expect(within(form).queryByLabelText('Run on a schedule as a detection')).toBeNull();
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Recent events' } });
    fireEvent.click(screen.getByLabelText('Share with the organization'));
    await act(async () => {
      fireEvent.submit(form);
    });
    await waitFor(() =>
      expect(
        server.requests.find((r) => r.method === 'POST' && r.path === '/api/v1/saved-queries')?.body,
      ).toEqual({
        name: 'Recent events',
        query: 'Events\n| sort by Timestamp desc\n| take 50',
        visibility: 'shared',
      }),
    );
    expect(await screen.findByRole('button', { name: 'Load saved query Recent events' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Run Recent events' }));
    await waitFor(() =>
      expect(hunts(server).at(-1)?.body).toMatchObject({
        query: 'Events\n| sort by Timestamp desc\n| take 50',
      }),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Load query from history: Alerts | take 5' }));
    expect((screen.getByLabelText('Query') as HTMLTextAreaElement).value).toBe('Alerts | take 5');
  });
});
