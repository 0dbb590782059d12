/**
 * `harrier rules import <dir|zip|file>... [--org SLUG] [--disabled]`: loads Sigma rules into the
 * store (the server picks them up within seconds). Directories are read recursively for
 * `.yml`/`.yaml`; a `.zip` is read in memory. A progress bar goes to stderr, one line per rule to
 * stdout (`status<TAB>rule id<TAB>where<TAB>title or reason`), then totals to stderr.
 * Exit 0 when every rule was stored (or unchanged), 1 when some were refused, 2 on bad arguments.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrator.ts';
import { OrganizationsRepository } from '../repositories/organizations-repository.ts';
import { DEFAULT_ORG_SLUG } from '../services/bootstrap-service.ts';
import { DetectionService } from '../services/detection-service.ts';
import { RuleService } from '../services/rule-service.ts';
import { readZip, ZipError } from '../services/zip-reader.ts';

const USAGE = 'usage: harrier rules import <dir|zip|file>... [--org SLUG] [--disabled]';

interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

class UsageError extends Error {}

function collect(path: string, out: Array<{ path: string; text: string }>): void {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`not found: ${path}`);
  }
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(path, name);
      if (statSync(p).isDirectory() || /\.ya?ml$/i.test(name)) collect(p, out);
    }
  } else if (/\.zip$/i.test(path)) {
    try {
      const entries = readZip(
        readFileSync(path),
        (p) => /\.ya?ml$/i.test(p) && !/(^|\/)(\.|__MACOSX)/.test(p),
        {
          maxEntries: 50_000,
          maxTotalBytes: 500 * 1024 * 1024,
        },
      );
      for (const e of entries) out.push({ path: `${path}:${e.path}`, text: e.data.toString('utf8') });
    } catch (error) {
      if (error instanceof ZipError) throw new UsageError(`${path}: ${error.message}`);
      throw error;
    }
  } else {
    out.push({ path, text: readFileSync(path, 'utf8') });
  }
}

/** A progress bar that redraws in place on a terminal and prints every tenth otherwise. */
function progress(io: Io) {
  let lastDecile = -1;
  return (done: number, total: number) => {
    const ratio = total === 0 ? 1 : done / total;
    if (io.stderr.isTTY) {
      const width = Math.max(10, Math.min(40, (io.stderr.columns ?? 80) - 30));
      const filled = Math.round(ratio * width);
      io.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} files`);
      if (done === total) io.stderr.write('\n');
      return;
    }
    const decile = Math.floor(ratio * 10);
    if (decile !== lastDecile) {
      lastDecile = decile;
      io.stderr.write(`[${'#'.repeat(decile * 4)}${'.'.repeat(40 - decile * 4)}] ${done}/${total} files\n`);
    }
  };
}

/** Runs `harrier rules …`; returns the exit code. */
export async function rulesCommand(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{
      options: { org: { type: 'string' }; disabled: { type: 'boolean' } };
      allowPositionals: true;
    }>
  >;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { org: { type: 'string' }, disabled: { type: 'boolean' } },
    });
  } catch (error) {
    io.stderr.write(`harrier: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [sub, ...paths] = parsed.positionals;
  if (sub !== 'import' || paths.length === 0) {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const sources: Array<{ path: string; text: string }> = [];
  try {
    for (const p of paths) collect(p, sources);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`harrier: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (sources.length === 0) {
    io.stderr.write('harrier: no .yml or .yaml files found\n');
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
    const org = await new OrganizationsRepository(database.db).findBySlug(slug);
    if (!org) {
      io.stderr.write(
        `harrier: no organization "${slug}" (start the server once to create "${DEFAULT_ORG_SLUG}")\n`,
      );
      return 2;
    }
    // The running server notices stored changes by itself; this process only writes.
    const rules = new RuleService(database, new DetectionService(database, { promoteAtSeverity: null }));
    const started = performance.now();
    const summary = await rules.importSources(org.id, null, sources, {
      enabled: !parsed.values.disabled,
      onProgress: progress(io),
    });
    for (const r of summary.results) {
      const where = r.line !== undefined ? `${r.path ?? '-'}:${r.line}:${r.column ?? 1}` : (r.path ?? '-');
      const what = r.status === 'invalid' ? `${r.code}: ${r.message}` : (r.title ?? '');
      io.stdout.write(`${r.status}\t${r.rule_id ?? '-'}\t${where}\t${what}\n`);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.stderr.write(
      `${sources.length} files into "${slug}" in ${seconds} s: ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.invalid} refused\n`,
    );
    return summary.invalid > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}
