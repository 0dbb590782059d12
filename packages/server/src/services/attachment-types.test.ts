import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attachmentDisposition, attachmentTypeProblem, safeFilename } from './attachment-types.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

test('declared types are checked against the magic of the bytes', () => {
  assert.equal(attachmentTypeProblem('image/png', PNG), undefined);
  assert.equal(attachmentTypeProblem('application/pdf', Buffer.from('%PDF-1.7\n')), undefined);
  assert.equal(attachmentTypeProblem('image/png', Buffer.from('MZ\x90\x00')), 'content_mismatch');
  assert.equal(attachmentTypeProblem('application/x-msdownload', Buffer.from('MZ')), 'type_not_allowed');
  assert.equal(attachmentTypeProblem('text/html', Buffer.from('<script>')), 'type_not_allowed');
});

test('text must be UTF-8 without NUL; JSON must parse', () => {
  assert.equal(attachmentTypeProblem('text/plain', Buffer.from('héllo\n')), undefined);
  assert.equal(attachmentTypeProblem('text/plain', Buffer.from([0x68, 0x00, 0x69])), 'content_mismatch');
  assert.equal(attachmentTypeProblem('text/csv', Buffer.from([0xff, 0xfe, 0x41])), 'content_mismatch');
  assert.equal(attachmentTypeProblem('application/json', Buffer.from('{"a":1}')), undefined);
  assert.equal(attachmentTypeProblem('application/json', Buffer.from('{a:1}')), 'content_mismatch');
});

test('file names lose paths, control characters and quotes; the disposition is an attachment', () => {
  assert.equal(safeFilename('../../etc/passwd'), 'passwd');
  assert.equal(safeFilename('C:\\temp\\evil".txt'), 'evil.txt');
  assert.equal(safeFilename('..'), 'attachment');
  assert.equal(safeFilename('a\r\nb.log'), 'ab.log');
  assert.equal(
    attachmentDisposition('résumé.pdf'),
    `attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`,
  );
});
