import { type ParseArgsConfig, parseArgs } from 'node:util';
import { SERVE_ROLES, type ServeRole } from './bus/cluster.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrator.ts';
import { OrganizationsRepository } from './repositories/organizations-repository.ts';
import { startRuntime } from './runtime.ts';
import { AgentKeyService } from './services/agent-key-service.ts';
import { DEFAULT_ORG_SLUG, ensureDefaultOrganization } from './services/bootstrap-service.ts';
import { EnrollmentService } from './services/enrollment-service.ts';
import { loadServerSecret } from './services/server-secret.ts';

const USAGE = `Usage: harrier <command> [options]

Commands:
  serve [--role all|ingest|detect|api]
                                Run the platform (API, console, ingest, detection); a role other
                                than all runs one part and needs HARRIER_NATS_URL
  migrate                       Apply pending database migrations and exit
  enroll-key create [--org SLUG] [--name NAME] [--expires-in HOURS] [--max-uses N]
                                Create an agent enrollment key; prints the key alone on stdout
  agent-key create --kind santamon|sec44 [--org SLUG] [--device HOST] [--name NAME]
                                Create a key for a seed agent (Santamon X-API-Key, sec44 signing key)
  user create|list|reset-password, org create, token create
                                Users, organizations and API tokens ("harrier user" lists the options)
  detect --rules <file|dir>... <event file>...
                                Run Sigma rules over event files; one JSON line per match
  rules import <dir|zip|file>... [--org SLUG] [--disabled]
                                Store Sigma rules (progress on stderr, one line per rule on stdout)
  demo seed [--reset] [--org SLUG]
                                Fill an organization with a demo fleet, events, alerts and decisions; --reset removes them
  maintenance [--days N]        Create the coming days' event partitions (PostgreSQL) and remove events,
                                rollups and heartbeats older than N days (default HARRIER_RETENTION_DAYS)
  help                          Show this help

Configuration comes from environment variables; see README.md.`;

type Io = { out: (s: string) => void; err: (s: string) => void };
const stdio: Io = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

/** Entry point of the `harrier` command; returns the exit code. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest, io);
      case 'migrate':
        return await migrate(io);
      case 'enroll-key':
        return await enrollKey(rest, io);
      case 'agent-key':
        return await agentKey(rest, io);
      case 'user':
      case 'org':
      case 'token': {
        const { identityCommand } = await import('./cli/identity-commands.ts');
        return await identityCommand(command, rest);
      }
      case 'detect': {
        const { detectCommand } = await import('./cli/detect-command.ts');
        return await detectCommand(rest, { stdout: process.stdout, stderr: process.stderr });
      }
      case 'rules': {
        const { rulesCommand } = await import('./cli/rules-import-command.ts');
        return await rulesCommand(rest);
      }
      case 'maintenance': {
        const { maintenanceCommand } = await import('./cli/maintenance-command.ts');
        return await maintenanceCommand(rest);
      }
      case 'demo': {
        const { demoCommand } = await import('./cli/demo-command.ts');
        return await demoCommand(rest);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.err(`harrier: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`harrier: configuration error: ${error.message}`);
      return 1;
    }
    if (error instanceof CliUsageError) {
      io.err(`harrier: ${error.message}`);
      return 2;
    }
    io.err(`harrier: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

class CliUsageError extends Error {}

/** parseArgs, with its complaints (unknown option, missing value) reported as usage errors. */
function parseCli<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

async function serve(args: string[], io: Io): Promise<number> {
  const { values } = parseCli({ args, options: { role: { type: 'string', default: 'all' } } });
  const role = values.role as ServeRole;
  if (!SERVE_ROLES.includes(role))
    throw new CliUsageError(`--role takes one of ${SERVE_ROLES.join(', ')}; got "${values.role}"`);
  const config = loadConfig();
  if (role !== 'all' && config.natsUrl === undefined)
    throw new ConfigError('HARRIER_NATS_URL', `--role ${role} needs HARRIER_NATS_URL`);
  const runtime = await startRuntime(config, {}, role);
  if (runtime.firstRun) {
    const f = runtime.firstRun;
    io.out('');
    io.out('  Harrier is set up. Keep these; they are shown only once.');
    io.out(`  Admin e-mail:      ${f.adminEmail}`);
    if (f.adminPassword) io.out(`  Admin password:    ${f.adminPassword}`);
    else io.out('  Admin password:    (from HARRIER_ADMIN_PASSWORD)');
    io.out(`  Enrollment key:    ${f.enrollmentKey}`);
    io.out('');
  }
  const scheme = config.tlsCert ? 'https' : 'http';
  await runtime.app.listen({ host: config.host, port: config.port });
  const address = runtime.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  io.out(
    `Harrier listening on ${scheme}://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port} (${runtime.ctx.database.dialect}, role ${role})`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      runtime.app.log.info({ signal }, 'shutting down: draining in-flight batches');
      runtime.close().then(resolve, resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

async function migrate(io: Io): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgSchema: config.pgSchema,
    dataDir: config.dataDir,
  });
  try {
    const applied = await migrateToLatest(database.db, database.dialect, database.schema);
    io.out(applied.length === 0 ? 'Database is up to date.' : `Applied: ${applied.join(', ')}`);
    return 0;
  } finally {
    await database.close();
  }
}

async function withStore<T>(
  fn: (ctx: { database: Awaited<ReturnType<typeof openDatabase>>; secret: string }) => Promise<T>,
) {
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgSchema: config.pgSchema,
    dataDir: config.dataDir,
  });
  try {
    await migrateToLatest(database.db, database.dialect, database.schema);
    return await fn({ database, secret: loadServerSecret(config.secret, config.dataDir) });
  } finally {
    await database.close();
  }
}

async function orgBySlug(database: Awaited<ReturnType<typeof openDatabase>>, slug: string) {
  if (slug === DEFAULT_ORG_SLUG) return ensureDefaultOrganization(database);
  const org = await new OrganizationsRepository(database.db).findBySlug(slug);
  if (!org)
    throw new CliUsageError(
      `no organization "${slug}" (start the server once to create "${DEFAULT_ORG_SLUG}")`,
    );
  return org;
}

async function enrollKey(args: string[], io: Io): Promise<number> {
  const { positionals, values } = parseCli({
    args,
    allowPositionals: true,
    options: {
      org: { type: 'string', default: DEFAULT_ORG_SLUG },
      name: { type: 'string', default: 'cli' },
      'expires-in': { type: 'string' },
      'max-uses': { type: 'string' },
    },
  });
  if (positionals[0] !== 'create')
    throw new CliUsageError(
      'usage: harrier enroll-key create [--org SLUG] [--name NAME] [--expires-in HOURS] [--max-uses N]',
    );
  const hours = values['expires-in'] === undefined ? undefined : Number(values['expires-in']);
  const maxUses = values['max-uses'] === undefined ? undefined : Number(values['max-uses']);
  if (hours !== undefined && !(hours > 0))
    throw new CliUsageError('--expires-in takes a positive number of hours');
  if (maxUses !== undefined && !(Number.isInteger(maxUses) && maxUses > 0))
    throw new CliUsageError('--max-uses takes a positive whole number');
  return withStore(async ({ database, secret }) => {
    const org = await orgBySlug(database, values.org!);
    const { key } = await new EnrollmentService(database, secret).createKey(org.id, {
      name: values.name!,
      expiresAt: hours === undefined ? null : Date.now() + hours * 3_600_000,
      maxUses: maxUses ?? null,
    });
    io.out(key);
    return 0;
  });
}

async function agentKey(args: string[], io: Io): Promise<number> {
  const { positionals, values } = parseCli({
    args,
    allowPositionals: true,
    options: {
      kind: { type: 'string' },
      org: { type: 'string', default: DEFAULT_ORG_SLUG },
      device: { type: 'string' },
      name: { type: 'string', default: 'cli' },
    },
  });
  if (positionals[0] !== 'create' || (values.kind !== 'santamon' && values.kind !== 'sec44')) {
    throw new CliUsageError(
      'usage: harrier agent-key create --kind santamon|sec44 [--org SLUG] [--device HOST] [--name NAME]',
    );
  }
  return withStore(async ({ database, secret }) => {
    const org = await orgBySlug(database, values.org!);
    const service = new AgentKeyService(database, secret);
    const { key } =
      values.kind === 'santamon'
        ? await service.createSantamonKey(org.id, { name: values.name!, deviceHost: values.device })
        : await service.createSec44Key(org.id, { name: values.name! });
    io.out(key);
    return 0;
  });
}
