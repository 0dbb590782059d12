import { type Severity, uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { badRequest, notFound } from '../errors.ts';
import { IocRepository, type IocRow } from '../repositories/ioc-repository.ts';
import type { DetectionService } from './detection-service.ts';
import { type IocListProblem, parseIocList } from './ioc-list-parser.ts';
import type { IocType } from './ioc-matcher.ts';

export interface IocImportOptions {
  format: 'csv' | 'text';
  type?: IocType | undefined;
  severity?: Severity | undefined;
  source?: string | undefined;
  expiresAt?: number | null | undefined;
}

export interface IocImportResult {
  imported: number;
  created: number;
  refreshed: number;
  problems: IocListProblem[];
}

/** IOC lists: imported from CSV or plain text, matched by detection against normalized fields. */
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

  /** Reads a list and stores its indicators; lines that cannot be read are reported, not fatal. */
  async import(
    orgId: string,
    userId: string | null,
    text: string,
    options: IocImportOptions,
  ): Promise<IocImportResult> {
    const { indicators, problems } = parseIocList(text, options.format, {
      type: options.type,
      severity: options.severity ?? 'high',
      source: options.source ?? null,
      expiresAt: options.expiresAt ?? null,
    });
    if (indicators.length === 0 && problems.length === 0)
      throw badRequest('empty_list', 'The list holds no indicators.');
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
    const created = rows.length > 0 ? await this.repo.upsertMany(rows) : 0;
    this.detection.invalidate(orgId, 'lists');
    return { imported: rows.length, created, refreshed: rows.length - created, problems };
  }

  async delete(orgId: string, id: string): Promise<void> {
    if (!(await this.repo.delete(orgId, id))) throw notFound('ioc_not_found', 'No such indicator.');
    this.detection.invalidate(orgId, 'lists');
  }
}
