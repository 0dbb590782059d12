/**
 * `harrier detect --rules <file|dir>... <event file>...`: runs Sigma rules over event files
 * offline. Rule directories are read recursively (`.yml`/`.yaml`); event files hold a JSON array,
 * JSON lines, one JSON object, or concatenated objects, in the corpus shapes (Windows
 * `{"Event":…}`, auditd records, normalized events). One JSON line per match goes to stdout, a
 * summary to stderr. Exit 0 on success, 2 on unusable arguments or unreadable files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  DetectionEngine,
  normalizeRecord,
  parseEventText,
  type RuleError,
  type RuleSource,
} from '@harrier/detect';

const USAGE = 'usage: harrier detect --rules <file|dir>... <event file>...';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

class UsageError extends Error {}

function isRulePath(p: string): boolean {
  if (/\.ya?ml$/i.test(p)) return true;
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Splits argv into rule paths and event files (see the module comment for the grammar). */
function parseArgs(argv: readonly string[]): { rules: string[]; events: string[] } {
  const rules: string[] = [];
  const events: string[] = [];
  let inRules = false;
  let afterDashes = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!afterDashes && a === '--') {
      afterDashes = true;
      inRules = false;
    } else if (!afterDashes && a === '--rules') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new UsageError('--rules needs a file or directory');
      rules.push(next);
      i++;
      inRules = true;
    } else if (!afterDashes && a.startsWith('--rules=')) {
      rules.push(a.slice('--rules='.length));
      inRules = true;
    } else if (!afterDashes && a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a}`);
    } else if (inRules && isRulePath(a)) {
      rules.push(a);
    } else {
      inRules = false;
      events.push(a);
    }
  }
  if (rules.length === 0) throw new UsageError('no --rules given');
  if (events.length === 0) throw new UsageError('no event files given');
  return { rules, events };
}

function collectRuleFiles(path: string, out: string[]): void {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`rules not found: ${path}`);
  }
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      const p = join(path, name);
      if (statSync(p).isDirectory()) collectRuleFiles(p, out);
      else if (/\.ya?ml$/i.test(name)) out.push(p);
    }
  } else {
    out.push(path);
  }
}

function describeError(e: RuleError): string {
  return `  ${e.path ?? '<rule>'}:${e.line}:${e.column} ${e.code}${e.rule_id ? ` (${e.rule_id})` : ''}: ${e.message}`;
}

/** Runs the command; resolves to the process exit code. */
export async function detectCommand(argv: string[], io: Io): Promise<number> {
  let args: { rules: string[]; events: string[] };
  const ruleFiles: string[] = [];
  try {
    args = parseArgs(argv);
    for (const r of args.rules) collectRuleFiles(r, ruleFiles);
    for (const f of args.events) {
      try {
        if (!statSync(f).isFile()) throw new Error();
      } catch {
        throw new UsageError(`event file not found: ${f}`);
      }
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`harrier detect: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }

  const sources: RuleSource[] = ruleFiles.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const engine = DetectionEngine.fromSources(sources);

  let events = 0;
  let skipped = 0;
  let matches = 0;
  let detectMs = 0;
  for (const file of args.events) {
    let records: unknown[];
    try {
      records = parseEventText(readFileSync(file, 'utf8'));
    } catch (err) {
      io.stderr.write(`harrier detect: cannot parse ${file}: ${(err as Error).message}\n`);
      return 2;
    }
    const lines: string[] = [];
    const t0 = performance.now();
    for (let index = 0; index < records.length; index++) {
      let event: ReturnType<typeof normalizeRecord>;
      try {
        event = normalizeRecord(records[index]);
      } catch {
        event = undefined;
      }
      if (event === undefined) {
        skipped++;
        continue;
      }
      events++;
      for (const m of engine.match(event)) {
        matches++;
        lines.push(
          JSON.stringify({
            file,
            index,
            rule_id: m.rule_id,
            rule_title: m.rule_title,
            level: m.level ?? null,
          }),
        );
      }
    }
    detectMs += performance.now() - t0;
    if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
  }

  const reasons = new Map<string, number>();
  for (const e of engine.errors) reasons.set(e.code, (reasons.get(e.code) ?? 0) + 1);
  const rate = detectMs > 0 ? Math.round(events / (detectMs / 1000)) : events;
  const summary = [
    `events: ${events}${skipped > 0 ? ` (${skipped} records of unknown shape skipped)` : ''}`,
    `rules loaded: ${engine.rules.length + engine.correlations.length} (from ${ruleFiles.length} files)`,
    `rules unsupported: ${engine.errors.length}${[...reasons].map(([k, v]) => ` ${k}=${v}`).join('')}`,
    ...engine.errors.map(describeError),
    `matches: ${matches}`,
    `events/s: ${rate}`,
  ];
  io.stderr.write(`${summary.join('\n')}\n`);
  return 0;
}
