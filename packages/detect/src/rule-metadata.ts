/**
 * Rule metadata the platform shows and stores: id, title, level mapped onto Harrier's severity
 * scale, status, tags, logsource and false positives.
 */
import { type Logsource, parseSeverity, type Severity } from '@harrier/schema';

/** What the platform needs to know about a rule besides how to run it. */
export interface RuleMetadata {
  id: string;
  title: string;
  /** Sigma v2 `name`, used by correlation rules to reference it. */
  name?: string;
  level?: string;
  severity: Severity;
  status?: string;
  description?: string;
  author?: string;
  tags: string[];
  logsource: Logsource;
  falsepositives: string[];
  path?: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function strList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is string => typeof x === 'string');
}

/**
 * Extracts metadata from a rule document. A missing id falls back to `name`, then to
 * `<path>#<document index>` so every rule stays addressable. Unknown levels map to `medium`.
 */
export function extractRuleMetadata(doc: Record<string, unknown>, path?: string, index = 0): RuleMetadata {
  const ls =
    typeof doc['logsource'] === 'object' && doc['logsource'] !== null
      ? (doc['logsource'] as Record<string, unknown>)
      : {};
  const logsource: Logsource = {};
  for (const k of ['product', 'category', 'service'] as const) {
    const v = str(ls[k]);
    if (v !== undefined) logsource[k] = v.toLowerCase();
  }
  const level = str(doc['level'])?.toLowerCase();
  const name = str(doc['name']);
  const meta: RuleMetadata = {
    id: str(doc['id']) ?? name ?? `${path ?? 'rule'}#${index}`,
    title: str(doc['title']) ?? '(untitled)',
    severity: parseSeverity(level) ?? 'medium',
    tags: strList(doc['tags']),
    logsource,
    falsepositives: strList(doc['falsepositives']),
  };
  if (name !== undefined) meta.name = name;
  if (level !== undefined) meta.level = level;
  const status = str(doc['status']);
  if (status !== undefined) meta.status = status;
  const description = str(doc['description']);
  if (description !== undefined) meta.description = description;
  const author = str(doc['author']);
  if (author !== undefined) meta.author = author;
  if (path !== undefined) meta.path = path;
  return meta;
}
