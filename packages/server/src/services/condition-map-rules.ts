import { createHash } from 'node:crypto';
import { parseSeverity } from '@harrier/schema';

/** Seed 004's detection rule: every condition must hold; a list means "one of". */
export interface ConditionMapRule {
  /** Optional stable id; otherwise one is derived from the name. */
  id?: string | undefined;
  name: string;
  description?: string | null | undefined;
  severity?: string | undefined;
  enabled?: boolean | undefined;
  conditions: Record<string, unknown>;
  create_incident?: boolean | undefined;
}

/** A UUID derived from a name, so re-importing the same seed rule updates it instead of duplicating it. */
function uuidFromName(name: string): string {
  const h = createHash('sha256').update('harrier:condition_map:').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Sigma treats `*`, `?` and `\` specially; seed values are literal. */
function literal(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value.replace(/[\\*?]/g, (c) => `\\${c}`);
}

/**
 * The Sigma field a seed 004 condition key names: `details.a.b` is the event
 * field `a.b` (agents send details flattened into fields); any other key
 * (`event_type`, `category`, …) is a field of the same name.
 */
export function conditionField(key: string): string {
  return key.startsWith('details.') ? key.slice('details.'.length) : key;
}

/**
 * Converts a seed 004 condition map into a Sigma rule (YAML text): one
 * selection with a field per condition, `condition: selection`, level from the
 * rule's severity. JSON scalars are valid YAML, so values are written as JSON.
 */
export function conditionMapToSigma(rule: ConditionMapRule): string {
  const lines: string[] = [
    `title: ${JSON.stringify(rule.name)}`,
    `id: ${rule.id ?? uuidFromName(rule.name)}`,
    'status: experimental',
  ];
  if (rule.description) lines.push(`description: ${JSON.stringify(rule.description)}`);
  lines.push('author: seed 004 condition map (converted)');
  // No logsource: seed 004 evaluated every rule on every event.
  lines.push('detection:', '  selection:');
  const entries = Object.entries(rule.conditions ?? {});
  for (const [key, expected] of entries) {
    const field = JSON.stringify(conditionField(key));
    if (Array.isArray(expected)) {
      lines.push(`    ${field}:`);
      for (const v of expected) lines.push(`      - ${JSON.stringify(literal(v))}`);
    } else {
      lines.push(`    ${field}: ${JSON.stringify(literal(expected))}`);
    }
  }
  lines.push('  condition: selection');
  lines.push(`level: ${parseSeverity(rule.severity) ?? 'medium'}`);
  if (rule.create_incident) lines.push('tags:', '  - harrier.create_incident');
  return `${lines.join('\n')}\n`;
}
