import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../config.ts';
import { startRuntime } from '../runtime.ts';
import { testStores } from '../test-support/databases.ts';
import { type IdentityIo, identityCommand } from './identity-commands.ts';

function capture(stdin = ''): IdentityIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (s) => stdout.push(s),
    err: (s) => stderr.push(s),
    readStdin: async () => stdin,
  };
}

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`harrier user|org|token on ${store.name}`, () => {
    const env = {
      ...store.env,
      HARRIER_SECRET: 'cli-secret-0123456789abcdefghijklmnopqrstuvwxyz',
      HARRIER_LOG_LEVEL: 'silent',
    };
    before(async () => {
      // A first start creates the default organization and its admin.
      const runtime = await startRuntime(
        loadConfig({ ...env, HARRIER_ADMIN_PASSWORD: 'first admin password' }),
        {
          logger: false,
        },
      );
      await runtime.close();
    });
    after(() => store.cleanup());

    const login = async (email: string, password: string) => {
      const runtime = await startRuntime(loadConfig(env), { logger: false });
      try {
        const res = await runtime.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email, password },
        });
        return res;
      } finally {
        await runtime.close();
      }
    };

    test('user create prints the generated password alone; the user can log in', async () => {
      const io = capture();
      const code = await identityCommand(
        'user',
        ['create', '--email', 'ops@example.test', '--role', 'team_lead'],
        io,
        env,
      );
      assert.equal(code, 0, io.stderr.join('\n'));
      assert.equal(io.stdout.length, 1);
      const password = io.stdout[0]!;
      assert.ok(password.length >= 12);
      const res = await login('ops@example.test', password);
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().user.role, 'team_lead');
    });

    test('user create with --password-stdin prints nothing secret; the rules apply', async () => {
      const weak = capture('short\n');
      assert.equal(
        await identityCommand(
          'user',
          ['create', '--email', 'weak@example.test', '--password-stdin'],
          weak,
          env,
        ),
        1,
      );
      assert.match(weak.stderr.join('\n'), /at least 12/);
      const io = capture('a chosen long password\n');
      assert.equal(
        await identityCommand(
          'user',
          ['create', '--email', 'chosen@example.test', '--password-stdin'],
          io,
          env,
        ),
        0,
      );
      assert.deepEqual(io.stdout, []);
      assert.equal((await login('chosen@example.test', 'a chosen long password')).statusCode, 200);
    });

    test('user list and reset-password', async () => {
      const list = capture();
      assert.equal(await identityCommand('user', ['list'], list, env), 0);
      assert.ok(list.stdout.some((l) => /\tops@example\.test\tteam_lead\tactive$/.test(l)));
      const reset = capture();
      assert.equal(
        await identityCommand('user', ['reset-password', '--email', 'ops@example.test'], reset, env),
        0,
      );
      assert.equal((await login('ops@example.test', reset.stdout[0]!)).statusCode, 200);
    });

    test('org create with its admin; token create prints the token alone', async () => {
      const org = capture();
      assert.equal(
        await identityCommand(
          'org',
          ['create', '--slug', 'acme', '--name', 'ACME', '--admin-email', 'root@acme.test'],
          org,
          env,
        ),
        0,
        org.stderr.join('\n'),
      );
      const res = await login('root@acme.test', org.stdout[0]!);
      assert.equal(res.json().user.org.slug, 'acme');

      const token = capture();
      assert.equal(
        await identityCommand(
          'token',
          [
            'create',
            '--email',
            'root@acme.test',
            '--name',
            'ci',
            '--permissions',
            'alerts:read',
            '--expires-in-days',
            '7',
          ],
          token,
          env,
        ),
        0,
      );
      assert.match(token.stdout[0]!, /^hat_/);
      const beyond = capture();
      assert.equal(
        await identityCommand(
          'token',
          ['create', '--email', 'chosen@example.test', '--name', 'x', '--permissions', 'users:manage'],
          beyond,
          env,
        ),
        1,
      );
    });

    test('usage errors exit 2', async () => {
      const io = capture();
      assert.equal(await identityCommand('user', ['create'], io, env), 2);
      assert.equal(
        await identityCommand('user', ['create', '--email', 'x@y.z', '--role', 'root'], io, env),
        2,
      );
      assert.equal(await identityCommand('org', ['create', '--slug', 'Bad Slug', '--name', 'x'], io, env), 2);
      assert.equal(await identityCommand('token', ['frobnicate'], io, env), 2);
    });
  });
}
