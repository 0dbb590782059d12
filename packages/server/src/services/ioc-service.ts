import { type Severity, uuidv7 } from '@harrier/schema';
import type { Updateable } from 'kysely';
import type { HarrierDatabase } from '../db/database.ts';
import type { IocIndicatorsTable } from '../db/detection-tables.ts';
import { badRequest, conflict, notFound, unprocessable } from '../errors.ts';
import { IocRepository, type IocRow } from '../repositories/ioc-repository.ts';
import type { DetectionService } from './detection-service.ts';
import { type IocListResult, parseIocList } from './ioc-list-parser.ts';
import { type IocHit, type IocType, normalizeIoc } from './ioc-matcher.ts';
import { parseMispExport } from './ioc-misp-parser.ts';
import { parseStixBundle } from './ioc-stix-parser.ts';

/** The list formats indicators are imported from. */
export const IOC_IMPORT_FORMATS = ['csv', 'text', 'stix', 'misp'] as const;
export type IocImportFormat = (typeof IOC_IMPORT_FORMATS)[number];

export interface IocImportOptions {
  format: IocImportFormat;
  type?: IocType | undefined;
  severity?: Severity | undefined;
  source?: string | undefined;
  expiresAt?: number | null | undefined;
}

/** What became of one entry of an imported list. */
export interface IocImportItem {
  /** The line (CSV, text) or the position of the object or attribute (STIX, MISP), from 1. */
  line: number;
  status: 'created' | 'refreshed' | 'rejected' | 'skipped';
  type?: string;
  value?: string;
  message?: string;
}

export interface IocImportResult {
  imported: number;
  created: number;
  refreshed: number;
  rejected: number;
  skipped: number;
  /** Rejected and skipped entries (kept for the clients of the first version). */
  problems: Array<{ line: number; message: string }>;
  items: IocImportItem[];
}

/** Fields of one indicator as the API creates or changes it. */
export interface IocInput {
  type: IocType;
  value: string;
  severity?: Severity | undefined;
  source?: string | null | undefined;
  description?: string | null | undefined;
  expiresAt?: number | null | undefined;
  active?: boolean | undefined;
}

export type IocPatch = Partial<Omit<IocInput, 'type' | 'value'>>;

function readList(text: string, options: IocImportOptions): IocListResult {
  const defaults = {
    type: options.type,
    severity: options.severity ?? 'high',
    source: options.source ?? null,
    expiresAt: options.expiresAt ?? null,
  };
  if (options.format === 'stix') return parseStixBundle(text, defaults);
  if (options.format === 'misp') return parseMispExport(text, defaults);
  return parseIocList(text, options.format, defaults);
}

/** Indicators: created one by one or imported from CSV, plain text, STIX 2.1 or MISP; matched by detection. */
export class IocService {
  private readonly repo: IocRepository;

  constructor(
    database: HarrierDatabase,
    private readonly detection: DetectionService,
  ) {
    this.repo = new IocRepository(database.db);
  }

  list(
    orgId: string,
    opts: {
      type?: string | undefined;
      search?: string | undefined;
      after?: string | undefined;
      limit: number;
    },
  ) {
    return this.repo.list(orgId, opts);
  }

  async get(orgId: string, id: string): Promise<IocRow> {
    const row = await this.repo.findById(orgId, id);
    if (!row) throw notFound('ioc_not_found', 'No such indicator.');
    return row;
  }

  /** Reads a list and stores its indicators; entries that cannot be read are reported per item, not fatal. */
  async import(
    orgId: string,
    userId: string | null,
    text: string,
    options: IocImportOptions,
  ): Promise<IocImportResult> {
    const { indicators, problems } = readList(text, options);
    if (indicators.length === 0 && problems.length === 0)
      throw badRequest('empty_list', 'The list holds no indicators.');
    if (indicators.length === 0 && problems.length === 1 && problems[0]!.line === 0)
      throw badRequest(
        'unreadable_list',
        `The ${options.format} document cannot be read: ${problems[0]!.message}.`,
      );
    const now = Date.now();
    const unique = new Map<string, (typeof indicators)[number]>();
    for (const i of indicators) unique.set(`${i.type}\u0000${i.value}`, i);
    const rows = [...unique.values()].map((i) => ({
      id: uuidv7(now),
      org_id: orgId,
      type: i.type,
      value: i.value,
      severity: i.severity,
      source: i.source,
      description: i.description,
      expires_at: i.expiresAt,
      active: 1,
      hit_count: 0,
      created_by: userId,
      created_at: now,
      updated_at: now,
    }));
    const existing = rows.length > 0 ? await this.repo.existingKeys(orgId, rows) : new Set<string>();
    const created = rows.length > 0 ? await this.repo.upsertMany(rows) : 0;
    if (rows.length > 0) this.detection.invalidate(orgId, 'lists');
    const items: IocImportItem[] = [
      ...indicators.map(
        (i): IocImportItem => ({
          line: i.line,
          status: existing.has(`${i.type}\u0000${i.value}`) ? 'refreshed' : 'created',
          type: i.type,
          value: i.value,
        }),
      ),
      ...problems.map(
        (p): IocImportItem => ({
          line: p.line,
          status: p.skipped ? 'skipped' : 'rejected',
          ...(p.value !== undefined ? { value: p.value } : {}),
          message: p.message,
        }),
      ),
    ].sort((a, b) => a.line - b.line);
    const skipped = problems.filter((p) => p.skipped).length;
    return {
      imported: rows.length,
      created,
      refreshed: rows.length - created,
      rejected: problems.length - skipped,
      skipped,
      problems: problems.map((p) => ({ line: p.line, message: p.message })),
      items,
    };
  }

  /** Adds one indicator; the same type and value twice is a 409. */
  async create(orgId: string, userId: string | null, input: IocInput): Promise<IocRow> {
    const value = this.valueOf(input.type, input.value);
    if (await this.repo.findByValue(orgId, input.type, value))
      throw conflict('ioc_exists', `A ${input.type} indicator ${value} already exists.`);
    const now = Date.now();
    const row = {
      id: uuidv7(now),
      org_id: orgId,
      type: input.type,
      value,
      severity: input.severity ?? 'high',
      source: input.source ?? null,
      description: input.description ?? null,
      expires_at: input.expiresAt ?? null,
      active: input.active === false ? 0 : 1,
      hit_count: 0,
      created_by: userId,
      created_at: now,
      updated_at: now,
    };
    await this.repo.insert(row);
    this.detection.invalidate(orgId, 'lists');
    return row;
  }

  /** Changes severity, source, description, expiry or the active flag. */
  async update(orgId: string, id: string, patch: IocPatch): Promise<IocRow> {
    await this.get(orgId, id);
    const set: Updateable<IocIndicatorsTable> = { updated_at: Date.now() };
    if (patch.severity !== undefined) set.severity = patch.severity;
    if (patch.source !== undefined) set.source = patch.source;
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.expiresAt !== undefined) set.expires_at = patch.expiresAt;
    if (patch.active !== undefined) set.active = patch.active ? 1 : 0;
    await this.repo.update(orgId, id, set);
    this.detection.invalidate(orgId, 'lists');
    return this.get(orgId, id);
  }

  /**
   * The active indicators of the organization found in a set of observed values, keyed by
   * the field names detection reads (`url`, `domain`, `DestinationIp`, `sha256`, `from`…):
   * for callers outside the event pipeline (file and e-mail analysis).
   */
  async matchObservables(orgId: string, fields: Readonly<Record<string, unknown>>): Promise<IocHit[]> {
    const detector = await this.detection.detectorFor(orgId);
    return detector.iocs.match(fields);
  }

  /** The active network indicators (addresses, ranges, domains, URLs) agents apply themselves. */
  networkIndicators(orgId: string): Promise<IocRow[]> {
    return this.repo.activeOfTypes(orgId, ['ip', 'cidr', 'domain', 'url'], Date.now());
  }

  private valueOf(type: IocType, raw: string): string {
    const effective: IocType = type === 'ip' && raw.includes('/') ? 'cidr' : type;
    const value = normalizeIoc(effective, raw);
    if (value === undefined || effective !== type)
      throw unprocessable('invalid_indicator', `"${raw}" is not a valid ${type}.`);
    return value;
  }

  async delete(orgId: string, id: string): Promise<void> {
    if (!(await this.repo.delete(orgId, id))) throw notFound('ioc_not_found', 'No such indicator.');
    this.detection.invalidate(orgId, 'lists');
  }
}
