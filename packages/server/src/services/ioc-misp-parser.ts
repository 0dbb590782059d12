import type { Severity } from '@harrier/schema';
import {
  type IocListDefaults,
  type IocListProblem,
  type IocListResult,
  type ParsedIoc,
  readIndicator,
} from './ioc-list-parser.ts';

/** MISP attribute types → indicator type, and which part of a composite (`a|b`) value holds it. */
const ATTRIBUTE_TYPES: Readonly<Record<string, { type: string; part: 0 | 1 }>> = {
  'ip-src': { type: 'ip', part: 0 },
  'ip-dst': { type: 'ip', part: 0 },
  'ip-src|port': { type: 'ip', part: 0 },
  'ip-dst|port': { type: 'ip', part: 0 },
  'domain|ip': { type: 'domain', part: 0 },
  domain: { type: 'domain', part: 0 },
  hostname: { type: 'domain', part: 0 },
  'hostname|port': { type: 'domain', part: 0 },
  url: { type: 'url', part: 0 },
  link: { type: 'url', part: 0 },
  md5: { type: 'hash', part: 0 },
  sha1: { type: 'hash', part: 0 },
  sha256: { type: 'hash', part: 0 },
  sha512: { type: 'hash', part: 0 },
  'filename|md5': { type: 'hash', part: 1 },
  'filename|sha1': { type: 'hash', part: 1 },
  'filename|sha256': { type: 'hash', part: 1 },
  'email-src': { type: 'email', part: 0 },
  'email-dst': { type: 'email', part: 0 },
  email: { type: 'email', part: 0 },
  'email-reply-to': { type: 'email', part: 0 },
};

/** MISP `threat_level_id`: 1 high, 2 medium, 3 low, 4 undefined. */
const THREAT_LEVELS: Readonly<Record<string, Severity>> = { '1': 'high', '2': 'medium', '3': 'low' };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function eventsOf(doc: unknown): Record<string, unknown>[] | undefined {
  // A single export `{Event}`, the REST search answer `{response: [{Event}]}`, or a list of either.
  const list = Array.isArray(doc)
    ? doc
    : isObject(doc) && Array.isArray(doc['response'])
      ? doc['response']
      : [doc];
  const events = list
    .map((e) => (isObject(e) && isObject(e['Event']) ? e['Event'] : undefined))
    .filter((e): e is Record<string, unknown> => e !== undefined);
  return events.length > 0 ? events : undefined;
}

/**
 * Reads a MISP JSON export: the attributes of each event and of its objects. Attributes
 * flagged `to_ids: false` (context, not detection material) and deleted ones are skipped;
 * the event's threat level gives the severity, its creator organization the source, the
 * attribute comment (or the event's info) the description.
 */
export function parseMispExport(text: string, defaults: IocListDefaults): IocListResult {
  const indicators: ParsedIoc[] = [];
  const problems: IocListProblem[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { indicators, problems: [{ line: 0, message: `not JSON: ${(error as Error).message}` }] };
  }
  const events = eventsOf(doc);
  if (events === undefined)
    return { indicators, problems: [{ line: 0, message: 'not a MISP export: no "Event"' }] };
  let line = 0;
  for (const event of events) {
    const level = THREAT_LEVELS[String(event['threat_level_id'] ?? '')];
    const orgc =
      isObject(event['Orgc']) && typeof event['Orgc']['name'] === 'string'
        ? event['Orgc']['name']
        : undefined;
    const info = typeof event['info'] === 'string' ? event['info'] : undefined;
    const attributes: unknown[] = Array.isArray(event['Attribute']) ? [...event['Attribute']] : [];
    if (Array.isArray(event['Object']))
      for (const o of event['Object'])
        if (isObject(o) && Array.isArray(o['Attribute'])) attributes.push(...o['Attribute']);
    for (const a of attributes) {
      line++;
      if (!isObject(a)) {
        problems.push({ line, message: 'an attribute is an object' });
        continue;
      }
      const typeName = typeof a['type'] === 'string' ? a['type'] : '';
      const raw = typeof a['value'] === 'string' ? a['value'] : '';
      if (a['deleted'] === true || a['deleted'] === '1') {
        problems.push({ line, message: 'deleted', skipped: true, value: raw });
        continue;
      }
      if (a['to_ids'] === false || a['to_ids'] === '0' || a['to_ids'] === 0) {
        problems.push({ line, message: 'to_ids is false', skipped: true, value: raw });
        continue;
      }
      const mapping = ATTRIBUTE_TYPES[typeName];
      if (mapping === undefined) {
        problems.push({
          line,
          message: `attribute type "${typeName}" is not an indicator Harrier matches`,
          skipped: true,
          value: raw,
        });
        continue;
      }
      const parts = typeName.includes('|') ? raw.split('|') : [raw];
      const value = parts[mapping.part] ?? '';
      const comment = typeof a['comment'] === 'string' && a['comment'] !== '' ? a['comment'] : info;
      const r = readIndicator(
        line,
        mapping.type,
        value,
        undefined,
        orgc ?? defaults.source ?? undefined,
        comment,
        undefined,
        { ...defaults, severity: level ?? defaults.severity },
      );
      if (typeof r === 'string') problems.push({ line, message: r, value: raw });
      else indicators.push(r);
    }
  }
  return { indicators, problems };
}
