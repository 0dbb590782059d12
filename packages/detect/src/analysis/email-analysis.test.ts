import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeEmail, type EmailMessage } from './email-analysis.ts';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

const phishing: EmailMessage = {
  headers: [
    ['Received', 'from mail.paypa1-secure.com (198.51.100.9)'],
    [
      'Authentication-Results',
      'mx.example.com; spf=fail smtp.mailfrom=paypa1-secure.com; dkim=none; dmarc=fail (p=REJECT) header.from=paypal.com',
    ],
  ],
  from: { address: 'security@paypa1-secure.com', name: 'service@paypal.com' },
  replyTo: [{ address: 'collect@mailbox-drop.net', name: '' }],
  returnPath: 'bounce@paypa1-secure.com',
  subject: 'Your account is limited',
  text: 'Verify now: http://bit.ly/3xYz',
  html: '<p>Verify at <a href="http://198.51.100.9/login?u=1&amp;x=2">https://www.paypal.com/login</a></p>',
  attachments: [
    { filename: 'invoice.pdf.exe', contentType: 'application/octet-stream', content: ascii('MZ\x90\x00') },
  ],
};

const clean: EmailMessage = {
  headers: [
    ['Authentication-Results', 'mx.example.com; spf=pass; dkim=pass header.d=example.org; dmarc=pass'],
  ],
  from: { address: 'alice@example.org', name: 'Alice' },
  replyTo: [{ address: 'alice@lists.example.org', name: 'Alice' }],
  returnPath: 'alice@example.org',
  subject: 'Lunch',
  text: 'See https://www.example.org/menu',
  html: '<a href="https://www.example.org/menu">www.example.org/menu</a>',
  attachments: [{ filename: 'menu.txt', contentType: 'text/plain', content: ascii('soup\n') }],
};

test('a phishing message: failed authentication, mismatched sender, deceptive link, disguised executable', async () => {
  const report = await analyzeEmail(phishing);
  assert.deepEqual(report.authentication, { spf: 'fail', dkim: 'none', dmarc: 'fail' });
  assert.equal(report.verdict, 'malicious');
  const reasons = report.reasons.map((r) => r.reason).join('\n');
  assert.match(reasons, /DMARC failed/);
  assert.match(reasons, /replies go to collect@mailbox-drop.net/);
  assert.match(reasons, /display name shows service@paypal.com/);
  assert.match(reasons, /shows www.paypal.com but goes to 198.51.100.9/);
  assert.match(reasons, /invoice.pdf.exe: double extension/);
  assert.deepEqual(
    report.links.map((l) => [l.href, l.problems.length > 0]),
    [
      ['http://198.51.100.9/login?u=1&x=2', true],
      ['http://bit.ly/3xYz', true],
    ],
  );
});

test('a legitimate message is clean; indicators on links and senders raise the verdict', async () => {
  assert.equal((await analyzeEmail(clean)).verdict, 'clean');
  assert.equal((await analyzeEmail(clean)).authentication.dkim, 'pass');
  const withIntel = await analyzeEmail(clean, {
    lookup: (o) =>
      o.urls.includes('https://www.example.org/menu')
        ? [{ type: 'url', value: 'https://www.example.org/menu', severity: 'critical', source: null }]
        : [],
  });
  assert.equal(withIntel.verdict, 'malicious');
});

test('Received-SPF is read when Authentication-Results is absent', async () => {
  const report = await analyzeEmail({
    ...clean,
    headers: [['Received-SPF', 'softfail (domain does not designate)']],
  });
  assert.deepEqual(report.authentication, { spf: 'softfail', dkim: null, dmarc: null });
  assert.equal(report.verdict, 'suspicious');
});
