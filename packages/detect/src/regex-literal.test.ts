import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requiredRegexLiteral } from './regex-literal.ts';

describe('requiredRegexLiteral', () => {
  it('finds the longest certain literal run', () => {
    assert.equal(requiredRegexLiteral('echo.*clip.*&&.*(?:Clipboard|invoke)'), 'echo');
    assert.equal(requiredRegexLiteral('ipconfig\\s+/all'), 'ipconfig');
    assert.equal(requiredRegexLiteral('\\.exe["\']?\\s+werfaultsecure\\.exe'), 'werfaultsecure.exe');
    assert.equal(requiredRegexLiteral('abcd?ef'), 'abc');
    assert.equal(requiredRegexLiteral('[abc]xyz{2}'), 'xy');
  });
  it('gives nothing for top-level alternation or pure classes', () => {
    assert.equal(requiredRegexLiteral('foo|bar'), '');
    assert.equal(requiredRegexLiteral('[a-z]+\\d*'), '');
    assert.equal(requiredRegexLiteral('(foo|bar)baz'), 'baz');
  });
});
