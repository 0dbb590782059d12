import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { type HarrierDatabase, openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrator.ts';
import { HarrierError } from '../errors.ts';
import { OrganizationsRepository } from '../repositories/organizations-repository.ts';
import { UsersRepository } from '../repositories/users-repository.ts';
import { DEFAULT_ORG_SLUG } from '../services/bootstrap-service.ts';
import { createIdentityServices, type IdentityServices } from '../services/identity.ts';
import { generatePassword } from '../services/passwords.ts';
import { isRole, permissionsFor, ROLES, type Role } from '../services/permissions.ts';
import { loadServerSecret } from '../services/server-secret.ts';

export interface IdentityIo {
  out(line: string): void;
  err(line: string): void;
  /** Reads a secret from standard input (for `--password-stdin`). */
  readStdin(): Promise<string>;
}

export const IDENTITY_USAGE = `  user create --email E [--role ${ROLES.join('|')}] [--org SLUG] [--username U] [--name N] [--password-stdin]
                                Create a user; prints the generated password alone on stdout
  user list [--org SLUG]        List users (id, e-mail, role, state), one per line
  user reset-password --email E [--password-stdin]
                                Set a new password (printed alone when generated); ends the user's sessions
  org create --slug S --name N [--admin-email E]
                                Create an organization (instance admin); prints its admin's password alone
  token create --email E --name N [--permissions p1,p2] [--expires-in-days D]
                                Create an API token for a user; prints the token alone on stdout`;

class UsageError extends Error {}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Standard streams for the identity commands. */
export const identityStdio: IdentityIo = {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
  readStdin: () => readAll(process.stdin),
};

async function withIdentity<T>(
  env: Record<string, string | undefined>,
  fn: (s: { database: HarrierDatabase; identity: IdentityServices }) => Promise<T>,
): Promise<T> {
  const config = loadConfig(env);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgSchema: config.pgSchema,
    dataDir: config.dataDir,
  });
  try {
    await migrateToLatest(database.db, database.dialect, database.schema);
    const identity = createIdentityServices(database, loadServerSecret(config.secret, config.dataDir));
    const result = await fn({ database, identity });
    await identity.audit.flush();
    return result;
  } finally {
    await database.close();
  }
}

async function orgId(database: HarrierDatabase, slug: string): Promise<string> {
  const org = await new OrganizationsRepository(database.db).findBySlug(slug);
  if (!org) throw new UsageError(`no organization "${slug}"`);
  return org.id;
}

async function userByEmail(database: HarrierDatabase, email: string) {
  const user = await new UsersRepository(database.db).findByEmail(email);
  if (!user) throw new UsageError(`no user with e-mail "${email}"`);
  return user;
}

async function passwordFrom(values: { 'password-stdin'?: boolean | undefined }, io: IdentityIo) {
  if (!values['password-stdin']) return { password: generatePassword(), generated: true };
  const password = (await io.readStdin()).replace(/\r?\n$/, '');
  return { password, generated: false };
}

/** Records what the CLI did in the audit log, as the system actor. */
function audit(
  identity: IdentityServices,
  orgId: string,
  action: string,
  targetType: string,
  targetId: string,
) {
  identity.audit.record({
    orgId,
    actorType: 'system',
    actorId: null,
    actorLabel: 'harrier cli',
    action,
    targetType,
    targetId,
    outcome: 'success',
    statusCode: 0,
    method: 'CLI',
    path: `harrier ${action}`,
    ip: null,
    userAgent: null,
  });
}

/**
 * `harrier user|org|token …`: administration from the server's shell, for the
 * first admin of a new organization, a locked-out admin, or automation setup.
 * Secrets are printed alone on stdout so scripts can capture them.
 */
export async function identityCommand(
  command: 'user' | 'org' | 'token',
  args: string[],
  io: IdentityIo = identityStdio,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  try {
    return await run(command, args, io, env);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`harrier: ${error.message}\n\nUsage:\n${IDENTITY_USAGE}`);
      return 2;
    }
    if (error instanceof HarrierError) {
      io.err(`harrier: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

async function run(
  command: 'user' | 'org' | 'token',
  args: string[],
  io: IdentityIo,
  env: Record<string, string | undefined>,
): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      role: { type: 'string', default: 'analyst' },
      org: { type: 'string', default: DEFAULT_ORG_SLUG },
      username: { type: 'string' },
      name: { type: 'string' },
      slug: { type: 'string' },
      'admin-email': { type: 'string' },
      permissions: { type: 'string' },
      'expires-in-days': { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
  });
  const action = `${command} ${positionals[0] ?? ''}`.trim();
  switch (action) {
    case 'user create': {
      if (!values.email) throw new UsageError('--email is required');
      if (!isRole(values.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const role: Role = values.role;
      const { password, generated } = await passwordFrom(values, io);
      return withIdentity(env, async ({ database, identity }) => {
        const org = await orgId(database, values.org!);
        const user = await identity.users.create(org, {
          email: values.email!,
          username: values.username,
          display_name: values.name,
          password,
          role,
        });
        audit(identity, org, 'user.create', 'user', user.id);
        io.err(`Created ${user.email} (${user.role}) in ${values.org}: ${user.id}`);
        if (generated) io.out(password);
        return 0;
      });
    }
    case 'user list':
      return withIdentity(env, async ({ database, identity }) => {
        const users = await identity.users.list({
          orgId: await orgId(database, values.org!),
          limit: 100_000,
        });
        for (const u of users) {
          io.out(`${u.id}\t${u.email}\t${u.role}\t${u.disabled_at === null ? 'active' : 'disabled'}`);
        }
        return 0;
      });
    case 'user reset-password': {
      if (!values.email) throw new UsageError('--email is required');
      const { password, generated } = await passwordFrom(values, io);
      return withIdentity(env, async ({ database, identity }) => {
        const user = await userByEmail(database, values.email!);
        await identity.users.resetPassword(user.org_id, user.id, password);
        audit(identity, user.org_id, 'user.password.reset', 'user', user.id);
        io.err(`Password of ${user.email} reset; their sessions are ended.`);
        if (generated) io.out(password);
        return 0;
      });
    }
    case 'org create': {
      if (!values.slug || !values.name) throw new UsageError('--slug and --name are required');
      if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(values.slug)) {
        throw new UsageError('--slug takes lower-case letters, digits and dashes (2–63)');
      }
      const adminPassword = generatePassword();
      return withIdentity(env, async ({ identity }) => {
        const { org, admin } = await identity.organizations.create({
          slug: values.slug!,
          name: values.name!,
          admin: values['admin-email']
            ? { email: values['admin-email'], password: adminPassword }
            : undefined,
        });
        audit(identity, org.id, 'organization.create', 'organization', org.id);
        io.err(`Created organization ${org.slug}: ${org.id}${admin ? `; admin ${admin.email}` : ''}`);
        io.out(admin ? adminPassword : org.id);
        return 0;
      });
    }
    case 'token create': {
      if (!values.email || !values.name) throw new UsageError('--email and --name are required');
      const days = values['expires-in-days'] === undefined ? undefined : Number(values['expires-in-days']);
      if (days !== undefined && !(Number.isInteger(days) && days > 0)) {
        throw new UsageError('--expires-in-days takes a positive whole number');
      }
      return withIdentity(env, async ({ database, identity }) => {
        const user = await userByEmail(database, values.email!);
        if (!isRole(user.role)) throw new UsageError(`user ${user.email} has an unknown role`);
        const { token, record } = await identity.apiTokens.create(
          {
            userId: user.id,
            orgId: user.org_id,
            permissions: permissionsFor(user.role, user.is_instance_admin === 1),
          },
          {
            name: values.name!,
            permissions: values.permissions?.split(',').map((p) => p.trim()),
            expiresAt: days === undefined ? null : Date.now() + days * 86_400_000,
          },
        );
        audit(identity, user.org_id, 'token.create', 'api_token', record.id);
        io.err(`Created token ${record.prefix}… for ${user.email}`);
        io.out(token);
        return 0;
      });
    }
    default:
      throw new UsageError(`unknown command "harrier ${action}"`);
  }
}
