import { uuidv7 } from '@harrier/schema';
import { type Static, Type } from '@sinclair/typebox';
import { badRequest, conflict, HarrierError, notFound, unprocessable } from '../errors.ts';
import type { Device } from '../repositories/devices-repository.ts';
import type { OrganizationsRepository } from '../repositories/organizations-repository.ts';
import {
  OPEN_ACTION_STATUSES,
  type ResponseActionRow,
  type ResponseActionsRepository,
} from '../repositories/response-actions-repository.ts';
import type { FleetService } from './fleet-service.ts';
import { RESPONSE_ACTION_TYPES, type ResponseActionType } from './policy-document.ts';
import type { PolicyService } from './policy-service.ts';

/** Default lifetime of a queued action: an agent that has not pulled it within an hour should not act on it. */
export const DEFAULT_ACTION_TTL_S = 3600;
export const MAX_ACTION_TTL_S = 7 * 86_400;
/** Most actions handed to an agent per pull. */
const PULL_LIMIT = 20;

/** What the agent reports (packages/agent/src/delivery/management.ts `ActionResult`). */
export const ActionResultBody = Type.Object(
  {
    status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('rejected')]),
    output: Type.Optional(Type.Unknown()),
    error: Type.Optional(Type.String({ maxLength: 4000 })),
    finished_at: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: true },
);
export type ActionResultBody = Static<typeof ActionResultBody>;

export interface QueueInput {
  type: ResponseActionType;
  params?: Record<string, unknown> | undefined;
  reason?: string | undefined;
  expires_in_s?: number | undefined;
  decision_id?: string | undefined;
}

/** The program a `run_command` action would start (argv[0]), as the agent derives it. */
export function commandProgram(params: Record<string, unknown>): string | undefined {
  const raw = params.command ?? params.argv;
  const argv = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.trim().split(/\s+/) : [];
  return argv[0] || undefined;
}

/**
 * The response action queue (seed 004): actions are queued per device by
 * people (or by executing a decision), pulled by the device's agent, and
 * completed with a result. Response can be switched off per organization; then
 * nothing can be queued, agents receive nothing, and open actions are cancelled.
 */
export class ResponseService {
  constructor(
    private readonly actions: ResponseActionsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly fleet: FleetService,
    private readonly policies: PolicyService,
  ) {}

  async responseEnabled(orgId: string): Promise<boolean> {
    return ((await this.organizations.findById(orgId))?.response_enabled ?? 0) === 1;
  }

  /** Turns response on or off; turning it off cancels every open action of the organization. */
  async setResponseEnabled(
    orgId: string,
    enabled: boolean,
    now = Date.now(),
  ): Promise<{ cancelled: number }> {
    await this.actions.setResponseEnabled(orgId, enabled);
    return { cancelled: enabled ? 0 : await this.actions.cancelOpen(orgId, {}, now) };
  }

  /**
   * Queues an action after checking the organization's switch, the device
   * (live, not retired) and its effective policy: the action type must be
   * allowed there, and `run_command` must name a program on its approved list.
   */
  async queue(
    orgId: string,
    actorId: string | null,
    deviceId: string,
    input: QueueInput,
    now = Date.now(),
  ): Promise<ResponseActionRow> {
    if (!(await this.responseEnabled(orgId)))
      throw new HarrierError(
        409,
        'response_disabled',
        'Response actions are turned off for this organization.',
      );
    const device = await this.fleet.get(orgId, deviceId, now);
    if (device.row.retired_at !== null || device.row.revoked_at !== null)
      throw conflict('device_unavailable', 'The device is retired or its credentials are revoked.');
    if (!RESPONSE_ACTION_TYPES.includes(input.type))
      throw badRequest('unknown_action', `Unknown action type ${String(input.type)}.`);
    const params = input.params ?? {};
    const effective = await this.policies.effective(orgId, deviceId);
    const response = effective.body.config.response;
    if (!response.allowed_actions.includes(input.type))
      throw unprocessable('action_not_allowed', `The device's policy does not allow ${input.type}.`, {
        allowed_actions: response.allowed_actions,
      });
    if (input.type === 'kill_process') {
      const pid = Number(params.pid);
      if (!Number.isInteger(pid) || pid <= 1)
        throw badRequest('invalid_pid', 'kill_process needs params.pid > 1.');
    }
    if (input.type === 'run_command') {
      const program = commandProgram(params);
      if (!program || !response.allowed_commands.includes(program))
        throw unprocessable(
          'command_not_approved',
          'run_command accepts only programs on the policy’s approved list.',
          {
            allowed_commands: response.allowed_commands,
          },
        );
    }
    const ttl = Math.min(input.expires_in_s ?? DEFAULT_ACTION_TTL_S, MAX_ACTION_TTL_S);
    const row: ResponseActionRow = {
      id: uuidv7(now),
      org_id: orgId,
      device_id: deviceId,
      type: input.type,
      params: JSON.stringify(params),
      status: 'pending',
      reason: input.reason?.trim() || null,
      requested_by: actorId,
      decision_id: input.decision_id ?? null,
      created_at: now,
      expires_at: now + ttl * 1000,
      delivered_at: null,
      completed_at: null,
      result: null,
      error: null,
    };
    await this.actions.insert(row);
    return row;
  }

  async list(
    orgId: string,
    f: {
      deviceId?: string | undefined;
      status?: string | undefined;
      before?: string | undefined;
      limit: number;
    },
    now = Date.now(),
  ) {
    await this.actions.expire(now);
    return this.actions.list({ orgId, ...f });
  }

  async get(orgId: string, id: string, now = Date.now()): Promise<ResponseActionRow> {
    await this.actions.expire(now);
    const row = await this.actions.get(orgId, id);
    if (!row) throw notFound('action_not_found', 'Response action not found.');
    return row;
  }

  /** Cancels an action the agent has not completed yet. */
  async cancel(orgId: string, id: string, now = Date.now()): Promise<ResponseActionRow> {
    const row = await this.get(orgId, id, now);
    if (!(OPEN_ACTION_STATUSES as readonly string[]).includes(row.status))
      throw conflict('action_closed', `The action is already ${row.status}.`);
    await this.actions.transition([id], OPEN_ACTION_STATUSES, { status: 'cancelled', completed_at: now });
    return this.get(orgId, id, now);
  }

  async cancelPendingForDevice(orgId: string, deviceId: string, now = Date.now()): Promise<number> {
    return this.actions.cancelOpen(orgId, { deviceId }, now);
  }

  /**
   * The agent's pull: pending, unexpired actions of the device, marked
   * delivered. With response off for the organization the agent gets nothing.
   */
  async pull(device: Device, now = Date.now()): Promise<ResponseActionRow[]> {
    await this.actions.expire(now, device.id);
    if (!(await this.responseEnabled(device.org_id))) return [];
    const pending = await this.actions.pendingForDevice(device.id, PULL_LIMIT);
    const ids = pending.map((a) => a.id);
    await this.actions.transition(ids, ['pending'], { status: 'delivered', delivered_at: now });
    return pending;
  }

  /** Records the agent's result: 404 for another device's action, 410 once expired, 409 once completed. */
  async complete(
    device: Device,
    id: string,
    result: ActionResultBody,
    now = Date.now(),
  ): Promise<ResponseActionRow> {
    await this.actions.expire(now, device.id);
    const row = await this.actions.getForDevice(device.id, id);
    if (!row) throw notFound('action_not_found', 'Response action not found.');
    if (row.status === 'expired') throw new HarrierError(410, 'action_expired', 'The action expired.');
    if (!(OPEN_ACTION_STATUSES as readonly string[]).includes(row.status))
      throw conflict('action_closed', `The action is already ${row.status}.`);
    let output = result.output === undefined ? null : JSON.stringify(result.output);
    // Output is capped so a chatty command cannot bloat the store.
    if (output !== null && output.length > 256 * 1024)
      output = JSON.stringify({ truncated: output.slice(0, 256 * 1024) });
    const changed = await this.actions.transition([id], OPEN_ACTION_STATUSES, {
      status: result.status,
      completed_at: now,
      result: output,
      error: result.error ?? null,
    });
    if (changed === 0) throw conflict('action_closed', 'The action was completed meanwhile.');
    return (await this.actions.getForDevice(device.id, id)) as ResponseActionRow;
  }
}
