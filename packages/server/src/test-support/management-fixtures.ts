import { SEVERITIES, uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import type { TestApp } from './test-app.ts';

export interface AlertFixture {
  orgId: string;
  deviceId?: string | null;
  severity?: (typeof SEVERITIES)[number];
  status?: string;
  kind?: string;
  title?: string;
  at?: number;
  details?: Record<string, unknown>;
}

/** Inserts an alert row directly (decision rules, risk and metrics are tested on fixed alerts). */
export async function insertAlert(database: HarrierDatabase, a: AlertFixture): Promise<string> {
  const at = a.at ?? Date.now();
  const id = uuidv7(at);
  const severity = a.severity ?? 'medium';
  await database.db
    .insertInto('alerts')
    .values({
      id,
      org_id: a.orgId,
      rule_id: null,
      rule_uid: `rule-${id}`,
      rule_version: null,
      rule_title: a.title ?? 'Fixture rule',
      kind: a.kind ?? 'rule',
      title: a.title ?? 'Fixture alert',
      severity,
      severity_rank: SEVERITIES.indexOf(severity),
      status: a.status ?? 'open',
      device_id: a.deviceId ?? null,
      group_key: id,
      first_seen: at,
      last_seen: at,
      count: 1,
      matched_event_ids: '[]',
      mitre_techniques: '[]',
      mitre_tactics: '[]',
      details: JSON.stringify(a.details ?? {}),
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}

/** Sends a signed heartbeat with resource figures. */
export async function sendHeartbeat(
  t: TestApp,
  device: { deviceId: string; secret: string },
  figures: Record<string, unknown> = {},
): Promise<void> {
  const res = await t.signed(device, 'POST', '/api/v1/agents/heartbeat', {
    agent_version: '1.2.3',
    ...figures,
  });
  if (res.statusCode !== 200) throw new Error(`heartbeat failed: ${res.statusCode} ${res.body}`);
}

/** Inserts an event row directly (metrics are tested on fixed events). */
export async function insertEvent(
  database: HarrierDatabase,
  e: { orgId: string; deviceId?: string | null; ts: number; category: string | null; source?: string },
): Promise<void> {
  await database.db
    .insertInto('events')
    .values({
      id: uuidv7(e.ts),
      org_id: e.orgId,
      device_id: e.deviceId ?? null,
      ts: e.ts,
      received_at: e.ts,
      source: e.source ?? 'native',
      product: 'linux',
      category: e.category,
      service: null,
      event_code: null,
      severity: null,
      title: null,
      hostname: null,
      user_name: null,
      image: null,
      command_line: null,
      parent_image: null,
      target_filename: null,
      source_ip: null,
      destination_ip: null,
      destination_port: null,
      fields: '{}',
      raw: null,
      batch_id: null,
    })
    .execute();
}
