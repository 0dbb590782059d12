import { uuidv7 } from '@harrier/schema';
import { readJson } from '../db/json-column.ts';
import { badRequest, notFound } from '../errors.ts';
import type {
  DetectorConfigRow,
  DetectorConfigsRepository,
  PolicyRuleRow,
} from '../repositories/detector-configs-repository.ts';
import type { PoliciesRepository } from '../repositories/policies-repository.ts';
import { canonicalJson } from './policy-document.ts';
import { uniqueOr409 } from './unique-violation.ts';

export interface DetectorInput {
  name: string;
  description?: string | null | undefined;
  params?: Record<string, unknown> | undefined;
  rule_packs?: string[] | undefined;
  enabled?: boolean | undefined;
}

export interface PolicyRuleInput {
  name: string;
  type?: string | undefined;
  definition?: string | undefined;
  enabled?: boolean | undefined;
  policy_id?: string | null | undefined;
}

/**
 * Detector configurations (named parameter sets: thresholds, windows, rule
 * packs; seed 000) and seed 000's policy rules. A change of parameters or rule
 * packs is a new version, so an exported configuration names what it was.
 */
export class DetectorService {
  constructor(
    private readonly repo: DetectorConfigsRepository,
    private readonly policies: PoliciesRepository,
  ) {}

  list(orgId: string, enabledOnly = false): Promise<DetectorConfigRow[]> {
    return this.repo.list(orgId, enabledOnly);
  }

  async get(orgId: string, id: string): Promise<DetectorConfigRow> {
    const row = await this.repo.get(orgId, id);
    if (!row) throw notFound('detector_not_found', 'Detector config not found');
    return row;
  }

  async create(orgId: string, input: DetectorInput, now = Date.now()): Promise<DetectorConfigRow> {
    const name = input.name.trim();
    if (name === '') throw badRequest('validation_failed', 'The detector name is empty.');
    const row: DetectorConfigRow = {
      id: uuidv7(now),
      org_id: orgId,
      name,
      description: input.description?.trim() || null,
      params: JSON.stringify(input.params ?? {}),
      rule_packs: JSON.stringify(input.rule_packs ?? []),
      enabled: input.enabled === false ? 0 : 1,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await uniqueOr409(
      () => this.repo.insert(row),
      'detector_exists',
      'A detector config with this name exists.',
    );
    return row;
  }

  async update(
    orgId: string,
    id: string,
    input: Partial<DetectorInput>,
    now = Date.now(),
  ): Promise<DetectorConfigRow> {
    const current = await this.get(orgId, id);
    const changes: Partial<DetectorConfigRow> = { updated_at: now };
    if (input.name !== undefined) {
      changes.name = input.name.trim();
      if (changes.name === '') throw badRequest('validation_failed', 'The detector name is empty.');
    }
    if (input.description !== undefined) changes.description = input.description?.trim() || null;
    if (input.enabled !== undefined) changes.enabled = input.enabled ? 1 : 0;
    let changed = false;
    if (
      input.params !== undefined &&
      canonicalJson(input.params) !== canonicalJson(readJson(current.params, {}))
    ) {
      changes.params = JSON.stringify(input.params);
      changed = true;
    }
    if (
      input.rule_packs !== undefined &&
      canonicalJson(input.rule_packs) !== canonicalJson(readJson(current.rule_packs, []))
    ) {
      changes.rule_packs = JSON.stringify(input.rule_packs);
      changed = true;
    }
    if (changed) changes.version = current.version + 1;
    await uniqueOr409(
      () => this.repo.update(orgId, id, changes),
      'detector_exists',
      'A detector config with this name exists.',
    );
    return this.get(orgId, id);
  }

  async delete(orgId: string, id: string): Promise<void> {
    if (!(await this.repo.delete(orgId, id)))
      throw notFound('detector_not_found', 'Detector config not found');
  }

  // ---- seed 000 rules ----

  listRules(orgId: string, enabledOnly = false): Promise<PolicyRuleRow[]> {
    return this.repo.listRules(orgId, enabledOnly);
  }

  async getRule(orgId: string, id: string): Promise<PolicyRuleRow> {
    const row = await this.repo.getRule(orgId, id);
    if (!row) throw notFound('rule_not_found', 'Rule not found');
    return row;
  }

  private async checkPolicy(orgId: string, policyId: string | null | undefined): Promise<void> {
    if (policyId && !(await this.policies.get(orgId, policyId)))
      throw badRequest('unknown_policy', 'No such policy in this organization.');
  }

  async createRule(orgId: string, input: PolicyRuleInput, now = Date.now()): Promise<PolicyRuleRow> {
    await this.checkPolicy(orgId, input.policy_id);
    const row: PolicyRuleRow = {
      id: uuidv7(now),
      org_id: orgId,
      policy_id: input.policy_id ?? null,
      name: input.name,
      type: input.type ?? 'rule_based',
      definition: input.definition ?? '',
      enabled: input.enabled === false ? 0 : 1,
      created_at: now,
      updated_at: now,
    };
    await this.repo.insertRule(row);
    return row;
  }

  async updateRule(
    orgId: string,
    id: string,
    input: Partial<PolicyRuleInput>,
    now = Date.now(),
  ): Promise<PolicyRuleRow> {
    await this.getRule(orgId, id);
    if (input.policy_id !== undefined) await this.checkPolicy(orgId, input.policy_id);
    const changes: Partial<PolicyRuleRow> = { updated_at: now };
    if (input.name !== undefined) changes.name = input.name;
    if (input.type !== undefined) changes.type = input.type;
    if (input.definition !== undefined) changes.definition = input.definition;
    if (input.enabled !== undefined) changes.enabled = input.enabled ? 1 : 0;
    if (input.policy_id !== undefined) changes.policy_id = input.policy_id;
    await this.repo.updateRule(orgId, id, changes);
    return this.getRule(orgId, id);
  }

  async deleteRule(orgId: string, id: string): Promise<void> {
    if (!(await this.repo.deleteRule(orgId, id))) throw notFound('rule_not_found', 'Rule not found');
  }

  enabledSigmaRules(orgId: string) {
    return this.repo.enabledSigmaRules(orgId);
  }
}
