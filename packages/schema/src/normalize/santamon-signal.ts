/**
 * Seed 001 (Santamon) signals → the event model. Santamon detects on the agent and the server
 * stores signals as sent (DESIGN.md §5); normalizing them as events too lets hunting and
 * correlation see them with Sigma field names. Input is a signal validated by
 * `parseSantamonSignal`.
 */
import type { Logsource, NormalizedEvent } from '../event-model.ts';
import type { SantamonSignalData } from '../seeds/santamon.ts';
import { parseSeverity } from '../severity.ts';
import { parseInstant } from '../timestamps.ts';

/** Sigma logsource categories a tag may name directly. */
const SIGMA_CATEGORIES = new Set([
  'process_creation',
  'process_termination',
  'process_access',
  'network_connection',
  'dns_query',
  'file_event',
  'file_access',
  'file_change',
  'file_delete',
  'file_rename',
  'image_load',
  'authentication',
]);

/** Santa event kinds (the signal's `context.kind`) and their Sigma categories. */
const KIND_CATEGORY: Record<string, string> = {
  execution: 'process_creation',
  exec: 'process_creation',
  process: 'process_creation',
  file_access: 'file_access',
  fileaccess: 'file_access',
  file: 'file_event',
  network: 'network_connection',
  login: 'authentication',
  authentication: 'authentication',
};

/**
 * Sigma category of a signal: the first tag that is a Sigma category name, otherwise the
 * category of the Santa event kind in `context.kind`, otherwise none.
 */
export function santamonCategory(
  tags: readonly string[],
  context: Record<string, unknown>,
): string | undefined {
  for (const tag of tags) {
    const t = tag.toLowerCase();
    if (SIGMA_CATEGORIES.has(t)) return t;
  }
  const kind = context.kind;
  if (typeof kind === 'string') {
    const k = kind.toLowerCase();
    if (Object.hasOwn(KIND_CATEGORY, k)) return KIND_CATEGORY[k];
  }
  return undefined;
}

/** Context keys of a Santamon rule match with an obvious Sigma name (CONTRACTS.md §1.6). */
const CONTEXT_ALIASES: Record<string, string> = {
  target_path: 'Image',
  actor_path: 'ParentImage',
  target_sha256: 'sha256',
  target_team: 'Company',
  target_signing_id: 'SigningId',
};

function setIfAbsent(fields: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined && value !== null && value !== '' && !Object.hasOwn(fields, key))
    fields[key] = value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Santa passes argv as a list; Sigma's CommandLine is one string. */
function commandLine(args: unknown): string | undefined {
  if (typeof args === 'string') return args;
  if (Array.isArray(args) && args.every((a) => typeof a === 'string')) return args.join(' ');
  return undefined;
}

/** Process fields from the signal's `process_tree` (target node and its parent). */
function addProcessTree(fields: Record<string, unknown>, tree: unknown): void {
  if (!Array.isArray(tree)) return;
  for (const node of tree) {
    if (!isRecord(node)) continue;
    if (node.relation === 'target') {
      setIfAbsent(fields, 'Image', node.path);
      setIfAbsent(fields, 'ProcessId', node.pid);
      setIfAbsent(fields, 'User', node.user);
      setIfAbsent(fields, 'CommandLine', commandLine(node.args));
    } else if (node.relation === 'parent') {
      setIfAbsent(fields, 'ParentImage', node.path);
      setIfAbsent(fields, 'ParentProcessId', node.pid);
      setIfAbsent(fields, 'ParentUser', node.user);
      setIfAbsent(fields, 'ParentCommandLine', commandLine(node.args));
    }
  }
}

/**
 * Maps a Santamon signal onto the event model: `source: 'santamon'`, `product: 'macos'`,
 * category from the tags or the Santa event kind ({@link santamonCategory}), `ts` parsed
 * from the signal (Santamon accepts free text; an unparseable one falls back to
 * `receivedAt`). Fields: every context key as sent, plus Sigma names — target_path→Image,
 * actor_path→ParentImage, target_sha256→sha256 and `Hashes: SHA256=…`, the target and parent
 * of `process_tree` → Image/ProcessId/User/CommandLine and Parent*, `execution.args` →
 * CommandLine — and the signal's identity (`signal_id`, `rule_id`, `host_id`→Computer, tags).
 * `raw` is the signal itself.
 */
export function normalizeSantamonSignal(signal: SantamonSignalData, receivedAt: number): NormalizedEvent {
  const context = signal.context;
  const fields: Record<string, unknown> = { ...context };
  for (const from in CONTEXT_ALIASES) setIfAbsent(fields, CONTEXT_ALIASES[from]!, context[from]);
  if (typeof context.target_sha256 === 'string' && context.target_sha256 !== '') {
    setIfAbsent(fields, 'Hashes', `SHA256=${context.target_sha256.toUpperCase()}`);
  }
  addProcessTree(fields, context.process_tree);
  // `extra_context` keeps dotted paths such as `execution.args` as flat keys.
  setIfAbsent(fields, 'CommandLine', commandLine(context['execution.args']));
  setIfAbsent(fields, 'signal_id', signal.signal_id);
  setIfAbsent(fields, 'rule_id', signal.rule_id);
  setIfAbsent(fields, 'Computer', signal.host_id);
  if (signal.tags.length > 0) setIfAbsent(fields, 'tags', signal.tags);

  const logsource: Logsource = { product: 'macos' };
  const category = santamonCategory(signal.tags, context);
  if (category !== undefined) logsource.category = category;

  const event: NormalizedEvent = {
    ts: parseInstant(signal.ts) ?? receivedAt,
    source: 'santamon',
    logsource,
    fields,
    title: signal.title,
    raw: signal,
  };
  const severity = parseSeverity(signal.severity);
  if (severity !== undefined) event.severity = severity;
  return event;
}
