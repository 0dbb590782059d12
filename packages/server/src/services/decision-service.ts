import { uuidv7 } from '@harrier/schema';
import { readJson } from '../db/json-column.ts';
import { conflict, notFound, unprocessable } from '../errors.ts';
import type { DecisionRow, DecisionsRepository } from '../repositories/decisions-repository.ts';
import { decisionFacts } from './decision-facts.ts';
import { DEFAULT_DECISION_RULES, type DecisionRuleSet, recommend } from './decision-rules.ts';
import type { ResponseActionType } from './policy-document.ts';
import type { ResponseService } from './response-service.ts';

/** How far back a pass looks for alerts without a decision (seed 000: 24 h). */
export const DECISION_LOOKBACK_MS = 24 * 3600 * 1000;
/** Most alerts one pass decides per organization (seed 000: 200). */
export const DECISION_BATCH = 200;

/** The response action that carries out a recommendation; the others are for people (no agent action). */
export const ACTION_FOR_RECOMMENDATION: Readonly<Record<string, ResponseActionType>> = {
  isolate_host: 'isolate',
  terminate_process: 'kill_process',
};

/**
 * The decision engine (seed 000): each pass turns recent alerts without a
 * decision into a pending recommendation (rules as data, `decision-rules.ts`);
 * people execute (which queues the matching response action) or dismiss it.
 */
export class DecisionService {
  constructor(
    private readonly repo: DecisionsRepository,
    private readonly responses: ResponseService,
    private readonly rules: DecisionRuleSet = DEFAULT_DECISION_RULES,
  ) {}

  /** One pass for one organization; returns how many decisions it created. */
  async run(orgId: string, now = Date.now()): Promise<number> {
    const alerts = await this.repo.undecidedAlerts(orgId, now - DECISION_LOOKBACK_MS, DECISION_BATCH);
    let created = 0;
    for (const alert of alerts) {
      const firstId = readJson<string[]>(alert.matched_event_ids, [])[0];
      const event = firstId ? await this.repo.firstEvent(orgId, firstId) : undefined;
      const facts = decisionFacts(alert, event);
      const rec = recommend(facts, this.rules);
      const inserted = await this.repo.insert({
        id: uuidv7(now),
        org_id: orgId,
        alert_id: alert.id,
        device_id: alert.device_id,
        event_type: String(facts.event_type),
        severity: alert.severity,
        score: Number(facts.score),
        recommended_action: rec.action,
        priority: rec.priority,
        rule_name: rec.rule,
        rationale: JSON.stringify({
          rule: rec.rule,
          boosts: rec.boosts,
          features: facts.features,
          reasons: facts.reasons,
          alert_title: alert.title,
        }),
        status: 'pending',
        action_id: null,
        decided_by: null,
        created_at: now,
        updated_at: now,
      });
      if (inserted) created++;
    }
    return created;
  }

  /** One pass over every organization (the scheduled job). */
  async runAll(now = Date.now()): Promise<number> {
    let total = 0;
    for (const { id } of await this.repo.orgIds()) total += await this.run(id, now);
    return total;
  }

  list(
    orgId: string,
    f: { status?: string | undefined; limit: number; offset: number },
  ): Promise<DecisionRow[]> {
    return this.repo.list({ orgId, ...f });
  }

  async get(orgId: string, id: string): Promise<DecisionRow> {
    const row = await this.repo.get(orgId, id);
    if (!row) throw notFound('decision_not_found', 'Decision not found');
    return row;
  }

  /**
   * Executes a pending decision: queues the response action it stands for on
   * the alert's device (subject to the response switch and the device's
   * policy); recommendations without an agent action are just marked executed.
   */
  async execute(orgId: string, actorId: string | null, id: string, now = Date.now()): Promise<DecisionRow> {
    const d = await this.get(orgId, id);
    if (d.status !== 'pending') throw conflict('decision_closed', `The decision is already ${d.status}.`);
    const type = ACTION_FOR_RECOMMENDATION[d.recommended_action];
    let actionId: string | null = null;
    if (type) {
      if (!d.device_id) throw unprocessable('no_device', 'The alert names no device to act on.');
      const features = readJson<{ features?: { pid?: unknown } }>(d.rationale, {}).features ?? {};
      const params: Record<string, unknown> = {};
      if (type === 'kill_process') {
        const pid = Number(features.pid);
        if (!Number.isInteger(pid) || pid <= 1)
          throw unprocessable('no_pid', 'The alert names no process id to terminate.');
        params.pid = pid;
      }
      const action = await this.responses.queue(orgId, actorId, d.device_id, {
        type,
        params,
        reason: `Decision ${d.id}: ${d.recommended_action} (rule ${d.rule_name})`,
        decision_id: d.id,
      });
      actionId = action.id;
    }
    if (
      !(await this.repo.decide(orgId, id, {
        status: 'executed',
        action_id: actionId,
        decided_by: actorId,
        updated_at: now,
      }))
    )
      throw conflict('decision_closed', 'The decision was decided meanwhile.');
    return this.get(orgId, id);
  }

  async dismiss(orgId: string, actorId: string | null, id: string, now = Date.now()): Promise<DecisionRow> {
    const d = await this.get(orgId, id);
    if (d.status !== 'pending') throw conflict('decision_closed', `The decision is already ${d.status}.`);
    if (!(await this.repo.decide(orgId, id, { status: 'dismissed', decided_by: actorId, updated_at: now })))
      throw conflict('decision_closed', 'The decision was decided meanwhile.');
    return this.get(orgId, id);
  }
}
