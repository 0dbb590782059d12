/**
 * Windows event JSON (evtx_dump shape `{"Event":{"System":…,"EventData"|"UserData":…}}`) →
 * NormalizedEvent with Sigma field names: EventData (or the UserData payload) flattened, plus the
 * System fields rules use (EventID, Channel, Provider_Name, Computer, …).
 */
import type { NormalizedEvent } from '../event-model.ts';
import { parseInstant } from '../timestamps.ts';
import { WINDOWS_FIELD_ALIASES, windowsLogsource } from './windows-logsource.ts';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** evtx exports EventID either as a number or as `{"#attributes":{Qualifiers},"#text":n}`. */
function scalarText(v: unknown): unknown {
  if (isObj(v) && '#text' in v) return v['#text'];
  return v;
}

function toEventId(v: unknown): number | undefined {
  const t = scalarText(v);
  if (typeof t === 'number' && Number.isFinite(t)) return t;
  if (typeof t === 'string' && /^\d+$/.test(t.trim())) return Number(t.trim());
  return undefined;
}

/** Adds one data item; names with spaces (Defender's `Threat Name`) are also exposed without. */
function put(fields: Obj, name: string, value: unknown): void {
  if (name === '#attributes' || name === 'xmlns') return;
  const v = scalarText(value);
  if (!(name in fields)) fields[name] = v;
  if (name.includes(' ')) {
    const compact = name.replace(/ /g, '');
    if (!(compact in fields)) fields[compact] = v;
  }
}

/** EventData: named keys, or the XML-ish `Data: [{"#attributes":{"Name"},"#text"}]` form. */
function flattenData(fields: Obj, data: unknown): void {
  if (!isObj(data)) return;
  for (const [k, v] of Object.entries(data)) {
    if (k === '#attributes') continue;
    if (k === 'Data' && Array.isArray(v)) {
      const unnamed: unknown[] = [];
      for (const item of v) {
        const name = isObj(item) && isObj(item['#attributes']) ? item['#attributes']['Name'] : undefined;
        if (typeof name === 'string') put(fields, name, item);
        else unnamed.push(scalarText(item));
      }
      if (unnamed.length > 0) put(fields, 'Data', unnamed.length === 1 ? unnamed[0] : unnamed);
      continue;
    }
    if (k === 'Data' && isObj(v) && isObj(v['#attributes']) && typeof v['#attributes']['Name'] === 'string') {
      put(fields, v['#attributes']['Name'], v);
      continue;
    }
    put(fields, k, v);
  }
}

/**
 * Normalizes one Windows event record (`{"Event":{…}}` or the inner `Event` object).
 * Throws a TypeError when the record has no `System` section.
 */
export function normalizeWindowsEvent(record: unknown): NormalizedEvent {
  const event = isObj(record) && isObj(record['Event']) ? record['Event'] : record;
  if (!isObj(event) || !isObj(event['System']))
    throw new TypeError('not a Windows event: missing Event.System');
  const system = event['System'];
  const fields: Obj = {};

  const eventId = toEventId(system['EventID']);
  if (eventId !== undefined) fields['EventID'] = eventId;
  const channel = typeof system['Channel'] === 'string' ? system['Channel'] : undefined;
  if (channel !== undefined) fields['Channel'] = channel;
  const provider =
    isObj(system['Provider']) && isObj(system['Provider']['#attributes'])
      ? system['Provider']['#attributes']
      : undefined;
  if (provider && typeof provider['Name'] === 'string') fields['Provider_Name'] = provider['Name'];
  for (const name of [
    'Computer',
    'Level',
    'Task',
    'Opcode',
    'Keywords',
    'EventRecordID',
    'Version',
  ] as const) {
    const v = scalarText(system[name]);
    if (v !== undefined && v !== null) fields[name] = v;
  }
  const security =
    isObj(system['Security']) && isObj(system['Security']['#attributes'])
      ? system['Security']['#attributes']
      : undefined;
  if (security && typeof security['UserID'] === 'string') fields['UserID'] = security['UserID'];

  // System fields win over same-named payload items (UserData of EventID 104 repeats `Channel`).
  flattenData(fields, event['EventData']);
  if (isObj(event['UserData'])) {
    for (const [k, v] of Object.entries(event['UserData'])) {
      if (k === '#attributes') continue;
      if (isObj(v)) flattenData(fields, v);
      else put(fields, k, v);
    }
  }

  const timeCreated =
    isObj(system['TimeCreated']) && isObj(system['TimeCreated']['#attributes'])
      ? system['TimeCreated']['#attributes']
      : undefined;
  const ts = parseInstant(timeCreated?.['SystemTime']) ?? 0;

  const logsource = windowsLogsource(channel, eventId);
  const aliases = logsource.service !== undefined ? WINDOWS_FIELD_ALIASES[logsource.service] : undefined;
  if (aliases !== undefined) {
    for (const [alias, name] of Object.entries(aliases)) {
      if (!(alias in fields) && fields[name] !== undefined) fields[alias] = fields[name];
    }
  }
  return { ts, source: 'windows', logsource, fields };
}
