import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capturedRequests } from './capture-fixtures.ts';
import { BulkFormatError, parseBulkBody } from './es-bulk.ts';

describe('parseBulkBody', () => {
  it('reads the bodies syslog-ng elasticsearch-http() and rsyslog omelasticsearch sent', () => {
    const bulks = capturedRequests().filter((r) => r.url === '/_bulk');
    assert.equal(bulks.length, 4);
    for (const req of bulks) {
      const actions = parseBulkBody(req.body);
      assert.equal(actions.length, 1);
      assert.equal(actions[0]!.action, 'index');
      assert.equal(actions[0]!.error, undefined);
      assert.equal(typeof actions[0]!.doc, 'object');
    }
    const rsyslog = parseBulkBody(bulks[3]!.body)[0]!;
    assert.equal(rsyslog.index, 'rsyslog-test');
    assert.equal(
      (rsyslog.doc as Record<string, string>)['message'],
      'alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash',
    );
    assert.equal(parseBulkBody(bulks[0]!.body)[0]!.index, 'sng-test');
  });

  it('uses the path index, keeps ids, refuses items and unreadable bodies', () => {
    const actions = parseBulkBody(
      '{"create":{"_id":7}}\n{"a":1}\n{"index":{}}\nnot json\n{"delete":{"_id":"1"}}\n{"update":{"_id":"1"}}\n{"doc":{}}\n',
      'logs',
    );
    assert.deepEqual(
      actions.map((a) => [a.action, a.index, a.id, a.error?.type]),
      [
        ['create', 'logs', '7', undefined],
        ['index', 'logs', undefined, 'document_parsing_exception'],
        ['delete', 'logs', '1', 'action_request_validation_exception'],
        ['update', 'logs', '1', 'action_request_validation_exception'],
      ],
    );
    assert.throws(() => parseBulkBody('nope\n'), BulkFormatError);
    assert.throws(() => parseBulkBody('{"index":{}}\n'), BulkFormatError);
    assert.throws(() => parseBulkBody('{"frobnicate":{}}\n{}\n'), BulkFormatError);
    assert.throws(() => parseBulkBody('{"index":{},"create":{}}\n{}\n'), BulkFormatError);
    assert.throws(() => parseBulkBody('[1]\n'), BulkFormatError);
  });
});
