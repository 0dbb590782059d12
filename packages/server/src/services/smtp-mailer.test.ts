import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadConfig } from '../config.ts';
import { SmtpTestServer } from '../test-support/smtp-test-server.ts';
import { createMailer, SmtpMailer } from './smtp-mailer.ts';

let smtp: SmtpTestServer;
before(async () => {
  smtp = await SmtpTestServer.start();
});
after(async () => {
  await smtp.close();
});

test('HARRIER_SMTP_URL is parsed into host, port, TLS mode, credentials and sender', () => {
  const config = loadConfig({
    HARRIER_SMTP_URL: 'smtps://alerts%40corp:p%3Ass@mail.corp.example?from=soc@corp.example',
  });
  assert.deepEqual(config.smtp, {
    host: 'mail.corp.example',
    port: 465,
    secure: true,
    user: 'alerts@corp',
    password: 'p:ss',
    from: 'soc@corp.example',
  });
  assert.equal(loadConfig({ HARRIER_SMTP_URL: 'smtp://relay:2525' }).smtp?.port, 2525);
  assert.equal(loadConfig({}).smtp, undefined);
  assert.throws(() => loadConfig({ HARRIER_SMTP_URL: 'http://mail' }), /HARRIER_SMTP_URL/);
  assert.throws(() => loadConfig({ HARRIER_SMTP_URL: 'smtp://mail?from=nobody' }), /from=/);
});

test('the SMTP mailer delivers text and HTML to every recipient through a real SMTP server', async () => {
  const mailer = new SmtpMailer(loadConfig({ HARRIER_SMTP_URL: smtp.url }).smtp!);
  const before = smtp.messages.length;
  await mailer.send({
    to: ['ana@example.com', 'bo@example.com'],
    subject: 'Shift handover',
    text: 'Three alerts open.',
    html: '<p>Three alerts open.</p>',
  });
  await smtp.waitFor(before + 1);
  const mail = smtp.messages[before]!;
  assert.equal(mail.from, 'harrier@test.local');
  assert.deepEqual(mail.to, ['ana@example.com', 'bo@example.com']);
  assert.equal(mail.subject, 'Shift handover');
  assert.equal(mail.text.trim(), 'Three alerts open.');
  assert.match(mail.html ?? '', /<p>Three alerts open.<\/p>/);
  mailer.close();
});

test('without HARRIER_SMTP_URL sending is a clear 409, not a silent drop', async () => {
  await assert.rejects(createMailer(undefined).send({ to: ['a@b.c'], subject: 's', text: 't' }), {
    status: 409,
    code: 'smtp_not_configured',
  });
});
