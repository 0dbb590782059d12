import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveJwtKey, signJwt, verifyAccessToken, verifyJwt } from './jwt.ts';

const key = deriveJwtKey('a-server-secret-of-at-least-32-characters');
const claims = {
  sub: 'u1',
  org: 'o1',
  sid: 's1',
  role: 'analyst',
  typ: 'access',
  jti: 'j',
  iat: 100,
  exp: 1000,
};

test('round trip, and the key is derived from the server secret', () => {
  const token = signJwt(claims, key);
  assert.deepEqual(verifyAccessToken(token, key, 500), claims);
  assert.notDeepEqual(deriveJwtKey('another-server-secret-of-32-characters!'), key);
  assert.equal(verifyJwt(token, deriveJwtKey('another-server-secret-of-32-characters!'), 500), undefined);
});

test('expired, tampered, alg:none and malformed tokens are refused', () => {
  const token = signJwt(claims, key);
  assert.equal(verifyJwt(token, key, 1000), undefined, 'exp is exclusive');
  const [h, p, s] = token.split('.') as [string, string, string];
  const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
  assert.equal(verifyJwt(`${h}.${forged}.${s}`, key, 500), undefined);
  const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  assert.equal(verifyJwt(`${none}.${p}.`, key, 500), undefined);
  assert.equal(verifyJwt(`${h}.${p}`, key, 500), undefined);
  assert.equal(verifyJwt(`${h}.${p}.${s}x`, key, 500), undefined);
  assert.equal(verifyJwt('x'.repeat(5000), key, 500), undefined);
  // A refresh-typed or incomplete token is not an access token.
  assert.equal(verifyAccessToken(signJwt({ ...claims, typ: 'refresh' }, key), key, 500), undefined);
  assert.equal(verifyAccessToken(signJwt({ ...claims, sid: undefined }, key), key, 500), undefined);
});
