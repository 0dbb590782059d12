import { uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { badRequest, notFound } from '../errors.ts';
import { type SuppressionRow, SuppressionsRepository } from '../repositories/suppressions-repository.ts';
import type { DetectionService } from './detection-service.ts';

export interface SuppressionInput {
  rule_id?: string | null | undefined;
  conditions?: Record<string, unknown> | undefined;
  reason?: string | undefined;
  expires_at?: string | null | undefined;
}

function expiry(value: string | null | undefined, now: number): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw badRequest('invalid_expiry', 'expires_at must be an RFC 3339 time.');
  if (t <= now) throw badRequest('invalid_expiry', 'expires_at must be in the future.');
  return t;
}

function checkConditions(conditions: Record<string, unknown>): void {
  for (const [field, v] of Object.entries(conditions)) {
    const ok = (x: unknown) => x === null || ['string', 'number', 'boolean'].includes(typeof x);
    if (!(ok(v) || (Array.isArray(v) && v.length > 0 && v.every(ok)))) {
      throw badRequest(
        'invalid_conditions',
        `conditions.${field} must be a value or a non-empty list of values.`,
      );
    }
  }
}

/**
 * Suppressions: exceptions stored as data (a rule or every rule, field
 * conditions, a reason, the author, an expiry) that detection applies before
 * an alert is raised, counting what each held back.
 */
export class SuppressionService {
  private readonly repo: SuppressionsRepository;

  constructor(
    database: HarrierDatabase,
    private readonly detection: DetectionService,
  ) {
    this.repo = new SuppressionsRepository(database.db);
  }

  list(orgId: string, opts: { ruleUid?: string | undefined; after?: string | undefined; limit: number }) {
    return this.repo.list(orgId, opts);
  }

  async get(orgId: string, id: string): Promise<SuppressionRow> {
    const row = await this.repo.findById(orgId, id);
    if (!row) throw notFound('suppression_not_found', 'No such suppression.');
    return row;
  }

  async create(
    orgId: string,
    authorId: string | null,
    input: Required<Pick<SuppressionInput, 'reason'>> & SuppressionInput,
  ) {
    const now = Date.now();
    const conditions = input.conditions ?? {};
    checkConditions(conditions);
    if (Object.keys(conditions).length === 0 && !input.rule_id) {
      throw badRequest('invalid_suppression', 'A suppression needs a rule_id, conditions, or both.');
    }
    const id = uuidv7(now);
    await this.repo.insert({
      id,
      org_id: orgId,
      rule_uid: input.rule_id ?? null,
      conditions: JSON.stringify(conditions),
      reason: input.reason,
      author_id: authorId,
      expires_at: expiry(input.expires_at, now) ?? null,
      suppressed_count: 0,
      last_suppressed_at: null,
      created_at: now,
      updated_at: now,
    });
    this.detection.invalidate(orgId, 'lists');
    return this.get(orgId, id);
  }

  async update(orgId: string, id: string, input: SuppressionInput) {
    const current = await this.get(orgId, id);
    const now = Date.now();
    const conditions = input.conditions;
    if (conditions !== undefined) checkConditions(conditions);
    const exp = expiry(input.expires_at, now);
    await this.repo.update(orgId, current.id, {
      ...(input.rule_id !== undefined ? { rule_uid: input.rule_id } : {}),
      ...(conditions !== undefined ? { conditions: JSON.stringify(conditions) } : {}),
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
      ...(exp !== undefined ? { expires_at: exp } : {}),
      updated_at: now,
    });
    this.detection.invalidate(orgId, 'lists');
    return this.get(orgId, id);
  }

  async delete(orgId: string, id: string): Promise<void> {
    if (!(await this.repo.delete(orgId, id))) throw notFound('suppression_not_found', 'No such suppression.');
    this.detection.invalidate(orgId, 'lists');
  }
}
