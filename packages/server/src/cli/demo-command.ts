/**
 * `harrier demo seed [--reset] [--org SLUG]`: fills an organization with a demo fleet, events,
 * alerts, a policy, a group and decisions (services/demo-seed-service.ts); `--reset` removes
 * exactly what the seed added. Exit 0 on success, 1 when there is nothing to do, 2 on bad arguments.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrator.ts';
import { HarrierError } from '../errors.ts';
import { OrganizationsRepository } from '../repositories/organizations-repository.ts';
import { DEFAULT_ORG_SLUG, ensureDefaultOrganization } from '../services/bootstrap-service.ts';
import { DemoSeedService } from '../services/demo-seed-service.ts';

const USAGE = 'usage: harrier demo seed [--reset] [--org SLUG]';

/** Runs `harrier demo …`; returns the exit code. */
export async function demoCommand(
  args: string[],
  io = { out: console.log, err: console.error },
): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{
      options: { reset: { type: 'boolean' }; org: { type: 'string' } };
      allowPositionals: true;
    }>
  >;
  try {
    parsed = parseArgs({
      args,
      options: { reset: { type: 'boolean' }, org: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (error) {
    io.err(`harrier: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.positionals[0] !== 'seed' || parsed.positionals.length !== 1) {
    io.err(USAGE);
    return 2;
  }
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgSchema: config.pgSchema,
    dataDir: config.dataDir,
  });
  try {
    await migrateToLatest(database.db, database.dialect, database.schema);
    const slug = parsed.values.org ?? DEFAULT_ORG_SLUG;
    // The default organization is created on first use, as `harrier serve` would.
    const org =
      slug === DEFAULT_ORG_SLUG
        ? await ensureDefaultOrganization(database)
        : await new OrganizationsRepository(database.db).findBySlug(slug);
    if (!org) {
      io.err(`harrier: no organization "${slug}" (start the server once to create "${DEFAULT_ORG_SLUG}")`);
      return 2;
    }
    const demo = new DemoSeedService(database);
    if (parsed.values.reset) {
      const m = await demo.reset(org.id);
      if (!m) {
        io.err(`harrier: organization "${slug}" holds no demo data`);
        return 1;
      }
      io.out(
        `removed ${m.devices.length} devices, ${m.events.length} events, ${m.alerts.length} alerts, ${m.decisions.length} decisions`,
      );
      return 0;
    }
    const m = await demo.seed(org.id);
    io.out(
      `added ${m.devices.length} devices, ${m.heartbeats.length} heartbeats, ${m.events.length} events, ${m.alerts.length} alerts, ${m.decisions.length} decisions, ${m.policies.length} policy, ${m.groups.length} group to "${slug}"`,
    );
    return 0;
  } catch (error) {
    if (error instanceof HarrierError && error.status === 409) {
      io.err(`harrier: ${error.message} (harrier demo seed --reset)`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}
