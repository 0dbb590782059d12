/**
 * Event files and records in the shapes Harrier reads (corpus, CLI, bulk import): text holding a
 * JSON array, JSON lines, one JSON object, or concatenated pretty-printed objects; each record a
 * Windows event (`{"Event":{…}}`), an auditd record, or an already normalized event.
 */
import {
  type Logsource,
  type NormalizedEvent,
  normalizeAuditdRecord,
  normalizeWindowsEvent,
} from '@harrier/schema';
import { resolveLogsource } from './logsource-routing.ts';

/** Splits concatenated top-level JSON values (objects/arrays) by bracket depth, string-aware. */
function splitConcatenated(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (depth === 0) start = i;
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0 && start >= 0) {
        out.push(text.slice(start, i + 1));
        start = -1;
      }
      if (depth < 0) throw new SyntaxError(`unbalanced "${text[i]}" at offset ${i}`);
    } else if (depth === 0 && c > 0x20) {
      throw new SyntaxError(`unexpected "${text[i]}" at offset ${i}`);
    }
  }
  if (depth !== 0) throw new SyntaxError('unterminated JSON value');
  return out;
}

/**
 * Parses an event file's text into records: a JSON array (its elements), JSON lines, a single
 * object, or concatenated objects. Throws SyntaxError when none of these fit.
 */
export function parseEventText(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    const whole: unknown = JSON.parse(trimmed);
    return Array.isArray(whole) ? whole : [whole];
  } catch {
    // not one JSON value: JSON lines or concatenated objects
  }
  const lines = trimmed.split('\n').filter((l) => l.trim() !== '');
  try {
    return lines.map((l) => JSON.parse(l) as unknown);
  } catch {
    return splitConcatenated(trimmed).map((s) => JSON.parse(s) as unknown);
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Normalizes one record of any supported shape; `undefined` when the shape is not recognised.
 * Already normalized events (`{fields, logsource?, ts?}`) get their logsource resolved if absent.
 */
export function normalizeRecord(record: unknown): NormalizedEvent | undefined {
  if (!isObj(record)) return undefined;
  if (isObj(record['Event']) && isObj(record['Event']['System'])) return normalizeWindowsEvent(record);
  if (isObj(record['System'])) return normalizeWindowsEvent({ Event: record });
  if (typeof record['msg'] === 'string' && record['msg'].startsWith('audit('))
    return normalizeAuditdRecord(record);
  if (isObj(record['fields'])) {
    const fields = record['fields'];
    const logsource = isObj(record['logsource'])
      ? (record['logsource'] as Logsource)
      : resolveLogsource(fields, {
          source: typeof record['source'] === 'string' ? record['source'] : undefined,
        });
    const ts = typeof record['ts'] === 'number' ? record['ts'] : 0;
    return { ts, source: 'bulk', logsource, fields };
  }
  // A flat record: route it by its shape.
  return { ts: 0, source: 'bulk', logsource: resolveLogsource(record), fields: record };
}
