import { uuidv7 } from '@harrier/schema';
import { readJson } from '../db/json-column.ts';
import { badRequest, notFound } from '../errors.ts';
import { validateOrThrow } from '../http/validation.ts';
import type { DeviceGroupsRepository } from '../repositories/device-groups-repository.ts';
import type { FleetRepository } from '../repositories/fleet-repository.ts';
import type { OrganizationsRepository } from '../repositories/organizations-repository.ts';
import type { AssignmentRow, PoliciesRepository, PolicyRow } from '../repositories/policies-repository.ts';
import {
  defaultDocument,
  type EffectiveDocument,
  etagOf,
  overlay,
  PolicyDocument,
} from './policy-document.ts';
import { uniqueOr409 } from './unique-violation.ts';

/** Assignment targets, lowest precedence first. */
export const TARGET_TYPES = ['org', 'group', 'device'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

/** Priority of an assignment that names none (seed 000's assignments). */
export const DEFAULT_PRIORITY = 100;

export interface PolicyInput {
  name: string;
  description?: string | null | undefined;
  enabled?: boolean | undefined;
  document?: unknown;
}

export interface AssignmentInput {
  policy_id: string;
  target_type: TargetType;
  target_id?: string | null | undefined;
  priority?: number | undefined;
  status?: string | undefined;
}

/** One policy in an effective configuration, in the order it was applied. */
export interface AppliedPolicy {
  id: string;
  name: string;
  version: number;
  via: TargetType;
  target_id: string | null;
  priority: number;
}

/** The configuration a device runs with, and what it was built from. */
export interface EffectiveConfig {
  body: {
    device_id: string;
    response_enabled: boolean;
    policies: AppliedPolicy[];
    config: EffectiveDocument;
  };
  etag: string;
}

/**
 * Orders applicable assignments by precedence: organization-wide first, then
 * groups, then the device itself; inside a level by ascending priority, then
 * age. Later entries override earlier ones, so the device's own assignment with
 * the highest priority has the last word.
 */
export function byPrecedence<
  T extends { target_type: string; priority: number; assigned_at: number; id: string },
>(rows: readonly T[]): T[] {
  const level = (t: string) => TARGET_TYPES.indexOf(t as TargetType);
  return [...rows].sort(
    (a, b) =>
      level(a.target_type) - level(b.target_type) ||
      a.priority - b.priority ||
      a.assigned_at - b.assigned_at ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** Versioned agent policies, their assignments, and each device's effective configuration. */
export class PolicyService {
  constructor(
    private readonly policies: PoliciesRepository,
    private readonly fleet: FleetRepository,
    private readonly groups: DeviceGroupsRepository,
    private readonly organizations: OrganizationsRepository,
  ) {}

  list(orgId: string): Promise<PolicyRow[]> {
    return this.policies.list(orgId);
  }

  async get(orgId: string, id: string): Promise<PolicyRow> {
    const p = await this.policies.get(orgId, id);
    if (!p) throw notFound('policy_not_found', 'Policy not found');
    return p;
  }

  async create(
    orgId: string,
    actorId: string | null,
    input: PolicyInput,
    now = Date.now(),
  ): Promise<PolicyRow> {
    const document = validateOrThrow(PolicyDocument, input.document ?? {}, 'policy document');
    const row: PolicyRow = {
      id: uuidv7(now),
      org_id: orgId,
      name: input.name.trim(),
      description: input.description?.trim() || null,
      enabled: input.enabled === false ? 0 : 1,
      version: 1,
      document: JSON.stringify(document),
      created_by: actorId,
      created_at: now,
      updated_at: now,
    };
    if (row.name === '') throw badRequest('validation_failed', 'The policy name is empty.');
    await uniqueOr409(
      () =>
        this.policies.insert(row, {
          id: uuidv7(now),
          org_id: orgId,
          policy_id: row.id,
          version: 1,
          document: row.document,
          created_by: actorId,
          created_at: now,
        }),
      'policy_exists',
      'A policy with this name exists.',
    );
    return row;
  }

  /** Changes a policy; a changed document is a new version (the old ones stay readable). */
  async update(
    orgId: string,
    actorId: string | null,
    id: string,
    input: Partial<PolicyInput>,
    now = Date.now(),
  ): Promise<PolicyRow> {
    const current = await this.get(orgId, id);
    const changes: Partial<PolicyRow> = { updated_at: now };
    if (input.name !== undefined) {
      changes.name = input.name.trim();
      if (changes.name === '') throw badRequest('validation_failed', 'The policy name is empty.');
    }
    if (input.description !== undefined) changes.description = input.description?.trim() || null;
    if (input.enabled !== undefined) changes.enabled = input.enabled ? 1 : 0;
    let version: Parameters<PoliciesRepository['update']>[3];
    if (input.document !== undefined) {
      const document = JSON.stringify(validateOrThrow(PolicyDocument, input.document, 'policy document'));
      if (document !== JSON.stringify(readJson(current.document, {}))) {
        changes.document = document;
        changes.version = current.version + 1;
        version = {
          id: uuidv7(now),
          org_id: orgId,
          policy_id: id,
          version: current.version + 1,
          document,
          created_by: actorId,
          created_at: now,
        };
      }
    }
    await uniqueOr409(
      () => this.policies.update(orgId, id, changes, version),
      'policy_exists',
      'A policy with this name exists.',
    );
    return this.get(orgId, id);
  }

  async delete(orgId: string, id: string): Promise<void> {
    if (!(await this.policies.delete(orgId, id))) throw notFound('policy_not_found', 'Policy not found');
  }

  async versions(orgId: string, id: string) {
    await this.get(orgId, id);
    return this.policies.versions(orgId, id);
  }

  // ---- assignments ----

  listAssignments(orgId: string, policyId?: string): Promise<AssignmentRow[]> {
    return this.policies.listAssignments(orgId, policyId);
  }

  async getAssignment(orgId: string, id: string): Promise<AssignmentRow> {
    const a = await this.policies.getAssignment(orgId, id);
    if (!a) throw notFound('assignment_not_found', 'Assignment not found');
    return a;
  }

  /** Assigns a policy; the policy and the target must exist in the organization. */
  async assign(orgId: string, input: AssignmentInput, now = Date.now()): Promise<AssignmentRow> {
    await this.get(orgId, input.policy_id);
    const targetId = input.target_type === 'org' ? null : (input.target_id ?? null);
    if (input.target_type !== 'org' && !targetId)
      throw badRequest('target_required', `A ${input.target_type} assignment needs target_id.`);
    if (input.target_type === 'device' && targetId && !(await this.fleet.get(orgId, targetId)))
      throw badRequest('unknown_target', 'No such device in this organization.');
    if (input.target_type === 'group' && targetId && !(await this.groupExists(orgId, targetId)))
      throw badRequest('unknown_target', 'No such device group in this organization.');
    const row: AssignmentRow = {
      id: uuidv7(now),
      org_id: orgId,
      policy_id: input.policy_id,
      target_type: input.target_type,
      target_id: targetId,
      priority: input.priority ?? DEFAULT_PRIORITY,
      status: input.status ?? 'applied',
      created_at: now,
      updated_at: now,
    };
    await this.policies.insertAssignment(row);
    return row;
  }

  private async groupExists(orgId: string, id: string): Promise<boolean> {
    return (await this.groups.get(orgId, id)) !== undefined;
  }

  async updateAssignment(
    orgId: string,
    id: string,
    input: { priority?: number | undefined; status?: string | undefined },
    now = Date.now(),
  ): Promise<AssignmentRow> {
    await this.getAssignment(orgId, id);
    const changes: Partial<AssignmentRow> = { updated_at: now };
    if (input.priority !== undefined) changes.priority = input.priority;
    if (input.status !== undefined) changes.status = input.status;
    await this.policies.updateAssignment(orgId, id, changes);
    return this.getAssignment(orgId, id);
  }

  async unassign(orgId: string, id: string): Promise<void> {
    if (!(await this.policies.deleteAssignment(orgId, id)))
      throw notFound('assignment_not_found', 'Assignment not found');
  }

  // ---- effective configuration ----

  /**
   * The configuration of a device: the defaults, overlaid by every applicable
   * enabled policy in precedence order (`byPrecedence`). With response turned
   * off for the organization no response action is allowed, whatever a policy says.
   */
  async effective(orgId: string, deviceId: string): Promise<EffectiveConfig> {
    const device = await this.fleet.get(orgId, deviceId);
    if (!device) throw notFound('device_not_found', 'Device not found.');
    const groupIds = await this.fleet.groupIdsOf(orgId, deviceId, readJson<string[]>(device.tags, []));
    const rows = byPrecedence(await this.policies.applicable(orgId, deviceId, groupIds));
    let config = defaultDocument();
    const applied: AppliedPolicy[] = [];
    for (const r of rows) {
      config = overlay(config, readJson<Record<string, unknown>>(r.document, {}));
      applied.push({
        id: r.id,
        name: r.name,
        version: r.version,
        via: r.target_type as TargetType,
        target_id: r.target_id,
        priority: r.priority,
      });
    }
    const org = await this.organizations.findById(orgId);
    const responseEnabled = (org?.response_enabled ?? 0) === 1;
    if (!responseEnabled) config = { ...config, response: { allowed_actions: [], allowed_commands: [] } };
    const body = { device_id: deviceId, response_enabled: responseEnabled, policies: applied, config };
    return { body, etag: etagOf(body) };
  }
}
