import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type ServerProcess, startServer } from '../../server/src/test-support/server-process.ts';
import { type Device, postSigned } from '../../server/src/test-support/signed-client.ts';
import { buildConsole, chromiumPath, launch, snap } from './browser.ts';

const ADMIN_EMAIL = 'admin@harrier.test';
const ADMIN_PASSWORD = 'correct horse battery staple';
const ANALYST_EMAIL = 'analyst@harrier.test';
const ANALYST_PASSWORD = 'analyst password 2026!';
const executable = chromiumPath();

const E2E_ALERT_TITLE = 'E2E curl to a paste site';
const RULE_YAML = `title: ${E2E_ALERT_TITLE}
id: 6f1b3c4e-2d1a-4c59-9d7e-0e2f5a7b9c11
status: test
description: Raised by the console's end-to-end test.
logsource:
  product: linux
  category: process_creation
detection:
  selection:
    Image|endswith: /curl
    CommandLine|contains: pastebin
  condition: selection
level: high
tags:
  - attack.command_and_control
  - attack.t1105
`;

const IMPORT_RULE_TITLE = 'E2E import - wget to a paste site';
const IMPORT_RULE_YAML = `title: ${IMPORT_RULE_TITLE}
id: 0d6b1f9e-5a3c-4e1b-8f2d-7c9a1b3e5d20
status: test
logsource:
  product: linux
  category: process_creation
detection:
  selection:
    Image|endswith: /wget
    CommandLine|contains: paste
  condition: selection
level: medium
`;
/** The modifier on line 9 does not exist. */
const BROKEN_RULE_YAML = `title: E2E broken rule
id: 3e0f1a2b-4c5d-4e6f-8a7b-9c0d1e2f3a4b
status: test
logsource:
  product: linux
  category: process_creation
detection:
  selection:
    Image|endz: /curl
  condition: selection
level: low
`;

/** The console's sections and the heading each shows. */
const SECTIONS: Array<[path: string, heading: string, shot: string]> = [
  ['/alerts', 'Alerts', '03-alerts'],
  ['/cases', 'Cases', '04-cases'],
  ['/endpoints', 'Endpoints', '05-endpoints'],
  ['/rules', 'Rules', '06-rules'],
  ['/hunting', 'Hunting', '07-hunting'],
  ['/policies', 'Policies', '08-policies'],
  ['/decisions', 'Decisions', '09-decisions'],
  ['/admin/users', 'Administration', '10-admin-users'],
  ['/admin/tokens', 'Administration', '11-admin-tokens'],
  ['/admin/enrollment', 'Administration', '12-admin-enrollment'],
  ['/admin/audit', 'Administration', '13-admin-audit'],
  ['/admin/organizations', 'Administration', '13-admin-organizations'],
  ['/admin/account', 'Administration', '13-admin-account'],
];

/** A fetch as the admin (cookie session of a separate login), for setting up data the test then views. */
async function adminApiFor(url: string) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  assert.equal(login.status, 200);
  const { access_token } = (await login.json()) as { access_token: string };
  return (method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${access_token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}

/** Enrolls a device the way the agent does. */
async function enroll(url: string, key: string, hostname: string, platform: string): Promise<Device> {
  const res = await fetch(`${url}/api/v1/agents/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrollment_key: key, hostname, os: { name: 'Debian', version: '12', platform } }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const b = (await res.json()) as { device_id: string; device_secret: string };
  return { deviceId: b.device_id, secret: b.device_secret };
}

/** Waits until no spinner or pending KPI figure is left on the page. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      !document.querySelector('.spinner') &&
      ![...document.querySelectorAll('.kpi-value')].some((e) => e.textContent === '…'),
  );
}

describe('web console in Chromium', { skip: executable ? false : 'HARRIER_TEST_CHROMIUM is not set' }, () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Whether this server has the identity API yet (issue 2); without it the console says so. */
  let hasAuth: boolean;
  const adminApi = () => adminApiFor(server.url);

  before(async () => {
    buildConsole();
    dataDir = mkdtempSync(join(tmpdir(), 'harrier-web-e2e-'));
    server = await startServer({
      HARRIER_DATA_DIR: dataDir,
      HARRIER_ADMIN_EMAIL: ADMIN_EMAIL,
      HARRIER_ADMIN_PASSWORD: ADMIN_PASSWORD,
      HARRIER_SECRET: 'e2e-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    });
    const probe = await fetch(`${server.url}/api/v1/auth/me`, { headers: { accept: 'application/json' } });
    hasAuth = probe.status !== 404;
    browser = await launch(executable!);
    context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    page = await context.newPage();
  });

  after(async () => {
    // A server that died mid-suite explains every failure after it.
    if (server && server.child.exitCode !== null) console.error(`server exited:\n${server.output()}`);
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('the server serves the console to a browser, the JSON index to others', async () => {
    const res = await page.goto(`${server.url}/`);
    assert.equal(res?.status(), 200);
    assert.match((await res?.headerValue('content-type')) ?? '', /text\/html/);
    const json = await (await fetch(`${server.url}/`)).json();
    assert.equal(json.name, 'Harrier');
    // A deep link reloads into the console, not into a 404.
    const deep = await page.goto(`${server.url}/endpoints/some-id`);
    assert.equal(deep?.status(), 200);
  });

  test('a visitor without a session lands on the sign-in page', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
    await snap(page, '00-login');
  });

  test('a wrong password is refused with a message', async (t) => {
    if (!hasAuth) {
      // Honest state until the identity API lands: the form says sign-in is not available.
      await page.getByText('Sign-in is not available on this server yet').first().waitFor();
      assert.equal(await page.getByRole('button', { name: 'Sign in' }).isDisabled(), true);
      t.diagnostic('server has no /api/v1/auth yet: checked the "not available" state');
      return;
    }
    // Keyboard only: the e-mail field has focus, Tab moves on, Enter submits.
    await page.getByLabel('E-mail').waitFor();
    await page.keyboard.type(ADMIN_EMAIL);
    await page.keyboard.press('Tab');
    await page.keyboard.type('not the password');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.textContent(), 'Wrong e-mail or password.');
    await snap(page, '00-login-bad-password');
  });

  test('the admin signs in and sees the overview shell', async (t) => {
    if (!hasAuth) {
      t.diagnostic('server has no /api/v1/auth yet: sign-in is not possible');
      return;
    }
    await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const label of ['Overview', 'Alerts', 'Cases', 'Endpoints', 'Rules', 'Hunting', 'Administration']) {
      assert.equal(await nav.getByRole('link', { name: label }).count(), 1, label);
    }
    const cookies = await context.cookies();
    const access = cookies.find((c) => c.name === 'harrier_access');
    assert.ok(access?.httpOnly, 'the access cookie is HttpOnly');
    assert.ok(cookies.some((c) => c.name === 'harrier_csrf' && !c.httpOnly));
    await settled(page);
    await snap(page, '01-overview');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    await snap(page, '02-overview-light');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  });

  test('every section opens, with its data or an honest "not available yet"', async (t) => {
    if (!hasAuth) {
      t.diagnostic('server has no /api/v1/auth yet: sections need a session');
      return;
    }
    for (const [path, heading, shot] of SECTIONS) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: heading }).click();
      if (new URL(page.url()).pathname !== path) await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await settled(page);
      const body = (await page.locator('main').textContent()) ?? '';
      assert.doesNotMatch(body, /Could not load/, `${path} failed to load: ${body.slice(0, 300)}`);
      await snap(page, shot);
    }
  });

  test('administration: users listed, an enrollment key with its install command, an API token', async (t) => {
    if (!hasAuth) {
      t.diagnostic('server has no /api/v1/auth yet');
      return;
    }
    await page.goto(`${server.url}/admin/users`);
    await page.getByRole('cell', { name: ADMIN_EMAIL, exact: true }).waitFor();

    await page.goto(`${server.url}/admin/enrollment`);
    await page.getByLabel('Name').fill('laptops');
    await page.getByRole('button', { name: 'Create key' }).click();
    const command = (await page.getByTestId('install-command').textContent()) ?? '';
    const key = (await page.getByTestId('secret').textContent()) ?? '';
    assert.equal(command, `harrier-agent enroll --server ${server.url} --key ${key}`);
    await page.getByRole('cell', { name: 'laptops', exact: true }).waitFor();
    // The key shown is a working key: an agent enrolls with it.
    const enrolled = await fetch(`${server.url}/api/v1/agents/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        enrollment_key: key,
        hostname: 'e2e-host-1',
        os: { name: 'Debian', version: '12', platform: 'linux' },
      }),
    });
    assert.equal(enrolled.status, 201);
    await snap(page, '15-admin-enrollment-key-created');

    await page.goto(`${server.url}/admin/tokens`);
    await page.getByLabel('Name').fill('ci pipeline');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('secret').textContent()) ?? '';
    assert.ok(token.length > 20);
    // The token works for automation (Bearer), without cookies.
    const me = await fetch(`${server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
    await page.getByRole('cell', { name: 'ci pipeline', exact: true }).waitFor();
    await snap(page, '16-admin-token-created');

    await page.goto(`${server.url}/admin/audit`);
    await page.getByRole('cell', { name: 'enrollment_key.create' }).first().waitFor();
    await snap(page, '17-admin-audit-after');
  });

  test('a user created with the analyst role is refused the administration pages', async (t) => {
    if (!hasAuth) {
      t.diagnostic('server has no /api/v1/auth yet');
      return;
    }
    await page.goto(`${server.url}/admin/users`);
    const form = page.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('E-mail').fill(ANALYST_EMAIL);
    await form.getByLabel('Role').selectOption('analyst');
    await form.getByLabel('Initial password').fill(ANALYST_PASSWORD);
    await form.getByRole('button', { name: 'Add user' }).click();
    await page.getByText(`${ANALYST_EMAIL} can now sign in.`).waitFor();
    await page.getByRole('cell', { name: ANALYST_EMAIL, exact: true }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    // The sign-in page must be there before its fields are looked up (the users page has "password" buttons too).
    await page.getByText('You have signed out.').waitFor();
    await page.getByLabel('E-mail').fill(ANALYST_EMAIL);
    await page.getByLabel('Password').fill(ANALYST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.goto(`${server.url}/admin/users`);
    await page.getByText('Not allowed.').waitFor();
    // The form to add users is not offered to a role that may not use it.
    assert.equal(await page.getByRole('form', { name: 'Add a user' }).count(), 0);
    await snap(page, '18-analyst-refused-admin');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    // Back as the admin for what follows.
    await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
  });

  test('an expired access token is refreshed silently; a lost session goes back to sign-in with a message', async (t) => {
    if (!hasAuth) {
      t.diagnostic('server has no /api/v1/auth yet');
      return;
    }
    await page.goto(`${server.url}/admin/users`);
    await page.getByRole('cell', { name: ADMIN_EMAIL, exact: true }).waitFor();
    // As if the 15-minute access token had run out: the refresh cookie gets a new one.
    await context.clearCookies({ name: 'harrier_access' });
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.getByRole('cell', { name: 'ci pipeline', exact: true }).waitFor();
    assert.ok(
      (await context.cookies()).some((c) => c.name === 'harrier_access'),
      'a new access cookie',
    );

    // Now the whole session is gone: the next request fails, refresh fails, the console says why.
    await context.clearCookies({ name: 'harrier_access' });
    await context.clearCookies({ name: 'harrier_refresh' });
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByText('Your session expired. Sign in again.').waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
    await snap(page, '19-session-expired');
    await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where the session ran out.
    await page.getByRole('heading', { name: 'Users' }).waitFor();
  });

  test('an alert raised by a signed ingest appears in the open queue without a reload', async (t) => {
    if (!hasAuth) {
      t.diagnostic('server has no /api/v1/auth yet');
      return;
    }
    const api = await adminApi();
    const rulesRoute = await api('GET', '/api/v1/rules?limit=1');
    const alertsRoute = await api('GET', '/api/v1/alerts?limit=1');
    if (rulesRoute.status === 404 || alertsRoute.status === 404) {
      t.diagnostic('server has no rules or alerts API yet');
      return;
    }
    const created = await api('POST', '/api/v1/rules', { yaml: RULE_YAML, enabled: true });
    assert.equal(created.status, 201, await created.text());

    await page.goto(`${server.url}/alerts`);
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    await settled(page);

    // An agent enrolls and sends a signed batch with a matching process start.
    const keyRes = await api('POST', '/api/v1/enrollment-keys', { name: 'alert-e2e' });
    const key = ((await keyRes.json()) as { key: string }).key;
    const device = await enroll(server.url, key, 'e2e-linux-1', 'linux');
    const body = Buffer.from(
      JSON.stringify({
        batch_id: 'e2e-alert-1',
        events: [
          {
            ts: new Date().toISOString(),
            type: 'process_start',
            fields: {
              Image: '/usr/bin/curl',
              CommandLine: 'curl -s https://pastebin.example/raw/harrier-e2e',
              User: 'alice',
              ProcessId: 4242,
            },
          },
        ],
      }),
    );
    const ingest = await postSigned(server.url, '/api/v1/ingest', device, body);
    assert.ok(ingest.status < 300, `ingest: ${ingest.status} ${ingest.body}`);

    // The queue refreshes in place: the alert arrives while the analyst watches.
    const link = page.getByRole('link', { name: E2E_ALERT_TITLE });
    await link.waitFor({ timeout: 40_000 });
    await snap(page, '20-alert-arrived');
    await link.click();
    await page.getByRole('heading', { level: 1, name: E2E_ALERT_TITLE }).waitFor();
    // The matched event opens to its fields; the rule that fired is shown as YAML.
    await page.locator('.event-view > summary').first().click();
    await page.getByRole('cell', { name: '/usr/bin/curl', exact: true }).waitFor();
    await page.getByText('Image|endswith: /curl').waitFor();
    await snap(page, '21-alert-detail');
  });

  test('triage: the alert raised by signed ingest is acknowledged, taken, commented in Markdown', async (t) => {
    if (!hasAuth) {
      t.diagnostic('server has no /api/v1/auth yet');
      return;
    }
    // Still on the alert raised above.
    await page.getByRole('heading', { level: 1, name: E2E_ALERT_TITLE }).waitFor();
    const triage = page.getByRole('region', { name: 'Triage' });
    await triage.getByLabel('Reason (optional)').fill('Looking at it');
    await triage.getByRole('button', { name: 'Acknowledge' }).click();
    const history = page.getByRole('list', { name: 'History' });
    await history.getByText('moved it from open to acknowledged').waitFor();
    await triage.getByRole('button', { name: 'Assign to me' }).click();
    await history.getByText(/assigned it to/).waitFor();
    await triage.getByRole('button', { name: 'Start work' }).click();
    await history.getByText('moved it from acknowledged to in progress').waitFor();
    // Markdown renders as elements; markup in a comment stays text.
    await page.getByLabel('Comment (Markdown)').fill('**Contained** on `e2e-linux-1` <b>not bold</b>');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    const comments = page.getByRole('list', { name: 'Comments' });
    await comments.locator('strong', { hasText: 'Contained' }).waitFor();
    assert.equal(await comments.locator('b').count(), 0);
    await comments.getByText('<b>not bold</b>', { exact: false }).waitFor();
    await snap(page, '22-alert-triaged');

    // A case opened from the alert carries it; a note lands in the war-room timeline.
    await page.getByRole('link', { name: 'Open a case from this alert' }).click();
    await page.getByRole('button', { name: 'Open case' }).click();
    await page.getByRole('heading', { level: 1, name: E2E_ALERT_TITLE }).waitFor();
    await page.getByRole('link', { name: E2E_ALERT_TITLE }).first().waitFor();
    const note = page.getByRole('form', { name: 'Add a note' });
    await note.getByLabel('Note').fill('Isolated the host; collecting the curl payload.');
    await note.getByRole('button', { name: 'Add note' }).click();
    await page
      .getByRole('list', { name: 'Timeline' })
      .getByText('Isolated the host; collecting the curl payload.')
      .waitFor();
    await snap(page, '23-case-war-room');
  });

  test('rules: a refused rule is marked at its line; a rule imported as YAML is tested against a sample event', async (t) => {
    if (!hasAuth) {
      t.diagnostic('server has no /api/v1/auth yet');
      return;
    }
    // A rule the engine cannot run: the editor marks the line the server names.
    await page.goto(`${server.url}/rules/new`);
    const editor = page.getByLabel('Sigma YAML');
    await editor.fill(BROKEN_RULE_YAML);
    await page.getByRole('button', { name: 'Create rule' }).click();
    const problems = page.getByRole('list', { name: 'Problems' });
    await problems.waitFor();
    assert.match((await problems.textContent()) ?? '', /Line \d+, column \d+/);
    assert.ok((await page.locator('.sigma-gutter .bad-line').count()) > 0, 'a gutter line is marked');
    await snap(page, '22-rule-refused-at-line');

    // Import: pasted YAML, progress, a result per rule.
    await page.goto(`${server.url}/rules/import`);
    await page.getByLabel(/Or paste YAML/).fill(IMPORT_RULE_YAML);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText('Imported 1 file.').waitFor();
    assert.equal(
      await page.getByTestId('import-totals').textContent(),
      '1 created · 0 updated · 0 unchanged · 0 invalid',
    );
    await snap(page, '23-rules-imported');

    // The imported rule opens, and its test panel runs it over a matching sample event.
    await page.getByRole('link', { name: IMPORT_RULE_TITLE }).click();
    await page.getByRole('heading', { level: 1, name: IMPORT_RULE_TITLE }).waitFor();
    await page.getByRole('link', { name: 'Edit and test' }).click();
    await page.getByLabel(/Sample events/).fill(
      JSON.stringify([
        {
          logsource: { product: 'linux', category: 'process_creation' },
          fields: { Image: '/usr/bin/wget', CommandLine: 'wget https://paste.example/raw/x' },
        },
        { logsource: { product: 'linux', category: 'process_creation' }, fields: { Image: '/bin/ls' } },
      ]),
    );
    await page.getByRole('button', { name: 'Run test' }).click();
    const results = page.getByTestId('rule-test-results');
    await results.waitFor();
    assert.match((await results.textContent()) ?? '', /1 of 2 sample events match/);
    await snap(page, '24-rule-tested');

    // Suppressions are listed and added from the rules section.
    await page.goto(`${server.url}/rules/suppressions`);
    const form = page.getByRole('form', { name: 'Add a suppression' });
    await form.getByLabel(/Conditions/).fill('User=backup-svc');
    await form.getByLabel('Reason').fill('nightly backup job');
    await form.getByRole('button', { name: 'Add suppression' }).click();
    await page.getByRole('cell', { name: 'nightly backup job', exact: true }).waitFor();
    await snap(page, '25-suppressions');
  });

  test('hunting: a query typed with completion runs with Ctrl+Enter; a row opens as JSON; a mistake is marked', async (t) => {
    if (!hasAuth) {
      t.diagnostic('server has no /api/v1/auth yet');
      return;
    }
    await page.goto(`${server.url}/hunting`);
    await page.getByRole('heading', { level: 1, name: 'Hunting' }).waitFor();
    const editor = page.getByRole('textbox', { name: 'Query', exact: true });
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    // Completion: "Ev" offers Events; Tab takes it.
    await page.keyboard.type('Ev');
    await page.getByRole('listbox', { name: 'Completions' }).waitFor();
    await snap(page, '26-hunting-completion');
    await page.keyboard.press('Tab');
    await page.keyboard.type(' | where CommandLine contains "pastebin" | take 20');
    assert.equal(await editor.inputValue(), 'Events | where CommandLine contains "pastebin" | take 20');
    await page.keyboard.press('Control+Enter');
    await page.getByRole('button', { name: 'Show row 1 as JSON' }).waitFor();
    await page.getByRole('button', { name: 'Show row 1 as JSON' }).click();
    await page.getByRole('list', { name: 'Fields of row 1' }).waitFor();
    assert.match((await page.getByTestId('row-json').textContent()) ?? '', /pastebin/);
    await snap(page, '27-hunting-row-json');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    await snap(page, '27-hunting-row-json-light');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();

    // A misspelt operator: the server's position is underlined and named.
    await editor.fill('Events\n| whre Image == "x"');
    await page.keyboard.press('Control+Enter');
    const problem = page.getByTestId('query-problem');
    await problem.waitFor();
    assert.match((await problem.textContent()) ?? '', /^Line 2, column \d+/);
    await snap(page, '28-hunting-error');
    // The history lists what ran.
    await page
      .getByRole('button', { name: /Load query from history: Events \| where CommandLine/ })
      .first()
      .waitFor();
  });

  test('endpoint detail, decisions and policies open with their data', async (t) => {
    if (!hasAuth) {
      t.diagnostic('server has no /api/v1/auth yet');
      return;
    }
    // A device that reports heartbeats gets its resource chart.
    const api = await adminApi();
    const keyRes = await api('POST', '/api/v1/enrollment-keys', { name: 'heartbeat-e2e' });
    const hbDevice = await enroll(
      server.url,
      ((await keyRes.json()) as { key: string }).key,
      'e2e-hb-1',
      'linux',
    );
    for (const cpu of [12, 48, 30]) {
      const hb = await postSigned(
        server.url,
        '/api/v1/agents/heartbeat',
        hbDevice,
        Buffer.from(
          JSON.stringify({
            agent_version: '1.0.0',
            cpu_pct: cpu,
            mem_used_bytes: 2 * 1024 ** 3,
            mem_total_bytes: 8 * 1024 ** 3,
            disk_used_bytes: 40,
            disk_total_bytes: 100,
            uptime_s: 3600,
          }),
        ),
      );
      assert.equal(hb.status, 200, hb.body);
    }
    // Its agent's inventory meets an imported advisory: the endpoint shows the finding.
    const inv = await postSigned(
      server.url,
      '/api/v1/agents/inventory',
      hbDevice,
      Buffer.from(
        JSON.stringify({
          software: [
            { name: 'libcurl4', version: '7.88.1-10+deb12u3', source: 'dpkg', source_package: 'curl' },
          ],
          hardware: { cpu_model: 'E2E CPU' },
        }),
      ),
    );
    assert.equal(inv.status, 200, inv.body);
    const osv = await api('POST', '/api/v1/vulnerabilities/advisories', {
      id: 'DSA-5587-1',
      summary: 'curl - security update',
      affected: [
        {
          package: { ecosystem: 'Debian:12', name: 'curl' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '7.88.1-10+deb12u4' }] }],
        },
      ],
    });
    assert.equal(osv.status, 200, await osv.text());
    await page.goto(`${server.url}/endpoints/${hbDevice.deviceId}`);
    const inventory = page.getByRole('region', { name: 'Inventory and vulnerabilities' });
    await inventory.getByText(/DSA-5587-1/).waitFor();
    await inventory.getByRole('cell', { name: 'libcurl4' }).waitFor();
    const heartbeats = page.getByRole('region', { name: 'Heartbeats (24 h)' });
    await heartbeats.getByText(/CPU 30 %/).waitFor();
    await heartbeats.locator('.recharts-line').first().waitFor();
    assert.equal(await heartbeats.locator('.recharts-line').count(), 3, 'CPU, memory and disk lines');
    await snap(page, '30-endpoint-heartbeats');

    await page.goto(`${server.url}/endpoints`);
    await page.getByRole('link', { name: 'e2e-linux-1' }).click();
    await page.getByRole('heading', { level: 1, name: 'e2e-linux-1' }).waitFor();
    await page.getByRole('heading', { name: 'Response actions' }).waitFor();
    await page.getByRole('link', { name: E2E_ALERT_TITLE }).waitFor();
    await settled(page);
    // Queueing an action asks first; cancelling the question sends nothing.
    await page.getByRole('button', { name: 'Queue action…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send this response action?' });
    await dialog.waitFor();
    await snap(page, '29-endpoint-confirm-action');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await snap(page, '30-endpoint-detail');

    await page.goto(`${server.url}/policies`);
    await page.getByRole('button', { name: 'New policy' }).click();
    const form = page.getByRole('form', { name: 'New policy' });
    await form.getByLabel('Name').fill('E2E servers');
    await form.getByRole('button', { name: 'Create policy' }).click();
    await page.getByRole('cell', { name: 'E2E servers', exact: true }).waitFor();
    await page.getByRole('form', { name: 'Assign a policy' }).getByRole('button', { name: 'Assign' }).click();
    await page.getByRole('cell', { name: 'Organization', exact: true }).waitFor();
    await snap(page, '31-policies');

    await page.goto(`${server.url}/decisions`);
    await page.getByRole('heading', { level: 1, name: 'Decisions' }).waitFor();
    await settled(page);
    await snap(page, '32-decisions');

    await page.goto(`${server.url}/vulnerabilities`);
    await page.getByRole('cell', { name: 'DSA-5587-1' }).waitFor();
    await snap(page, '33-vulnerabilities');

    // A file analyzed in the browser: the EICAR test string is malicious, with its reason.
    await page.goto(`${server.url}/analysis`);
    await page.getByLabel('File', { exact: true }).setInputFiles({
      name: 'eicar.com',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(String.raw`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`),
    });
    await page.getByRole('button', { name: 'Analyze file' }).click();
    const report = page.getByRole('article', { name: 'Analysis of eicar.com' });
    await report.getByText('Malicious', { exact: true }).waitFor();
    await report.getByText(/EICAR_Test_File/).waitFor();
    await snap(page, '34-analysis');
  });

  test('signing out returns to the sign-in page with a notice', async (t) => {
    if (!hasAuth) {
      t.diagnostic('server has no /api/v1/auth yet');
      return;
    }
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
    // The session is really gone: reloading a page asks to sign in again.
    await page.goto(`${server.url}/endpoints`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await snap(page, '14-signed-out');
  });
});
