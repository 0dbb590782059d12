import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { CodePointString, codePointLength, compiled, Instant, pathToLoc, validate } from './validate.ts';

test('validate returns the value or JSON-pointer issues, and caches the compiled checker', () => {
  const schema = Type.Object({ a: Type.String({ maxLength: 3 }), b: Type.Array(Type.Integer()) });
  assert.deepEqual(validate(schema, { a: 'x', b: [1] }), { ok: true, value: { a: 'x', b: [1] } });
  const bad = validate(schema, { a: 'long', b: [1, 'x'] });
  assert.ok(!bad.ok);
  assert.deepEqual(
    bad.errors.map((e) => e.path),
    ['/a', '/b/1'],
  );
  assert.equal(compiled(schema), compiled(schema));
  const many = validate(
    Type.Array(Type.String()),
    Array.from({ length: 50 }, () => 1),
    5,
  );
  assert.ok(!many.ok && many.errors.length === 5);
});

test('CodePointString counts code points like Python len()', () => {
  const s = CodePointString({ minLength: 2, maxLength: 3 });
  assert.ok(validate(s, '😀😀😀').ok);
  assert.ok(!validate(s, '😀😀😀😀').ok);
  assert.ok(validate(s, '😀a').ok);
  assert.ok(!validate(s, '😀').ok);
  assert.ok(!validate(s, 'a').ok);
  assert.ok(!validate(s, 3).ok);
  const r = validate(s, 'abcd');
  assert.ok(!r.ok);
  assert.equal(r.errors[0]!.message, 'Expected string length between 2 and 3');
  // Serializes as plain JSON Schema for OpenAPI.
  assert.deepEqual(JSON.parse(JSON.stringify(s)), { type: 'string', minLength: 2, maxLength: 3 });
  assert.equal(codePointLength('a😀\ud800'), 3);
});

test('Instant accepts what parseInstant accepts', () => {
  const s = Instant();
  assert.ok(validate(s, '2026-02-15T10:00:00Z').ok);
  assert.ok(validate(s, '2026-02-15 10:00:00').ok);
  assert.ok(validate(s, 1700000000).ok);
  const bad = validate(s, 'not-a-date');
  assert.ok(!bad.ok);
  assert.match(bad.errors[0]!.message, /RFC 3339/);
  assert.ok(!validate(s, null).ok);
});

test('pathToLoc gives FastAPI-style locations', () => {
  assert.deepEqual(pathToLoc('/events/0/title'), ['body', 'events', 0, 'title']);
  assert.deepEqual(pathToLoc(''), ['body']);
  assert.deepEqual(pathToLoc('/a~1b/c~0d/01'), ['body', 'a/b', 'c~d', '01']);
});
