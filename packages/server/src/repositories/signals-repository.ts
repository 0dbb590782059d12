import type { Kysely, Selectable } from 'kysely';
import type { Database, SignalsTable } from '../db/tables.ts';

export type Signal = Selectable<SignalsTable>;

export interface SignalFilter {
  orgId: string;
  deviceId?: string | undefined;
  since?: number | undefined;
  severity?: string | undefined;
  hostId?: string | undefined;
  status?: string | undefined;
  search?: string | undefined;
  limit: number;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Queries on `signals` (seed 001's agent-detected signals). */
export class SignalsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(f: SignalFilter): Promise<Signal[]> {
    let q = this.db.selectFrom('signals').selectAll().where('org_id', '=', f.orgId);
    if (f.deviceId) q = q.where('device_id', '=', f.deviceId);
    if (f.since !== undefined) q = q.where('ts', '>', f.since);
    if (f.severity) q = q.where('severity', '=', f.severity);
    if (f.hostId) q = q.where('host_id', '=', f.hostId);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.search) {
      const pattern = `%${escapeLike(f.search.toLowerCase())}%`;
      q = q.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['title']), 'like', eb.val(pattern)),
          eb(eb.fn('lower', ['rule_id']), 'like', eb.val(pattern)),
        ]),
      );
    }
    return q.orderBy('ts', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  }

  findBySignalId(orgId: string, signalId: string): Promise<Signal | undefined> {
    return this.db
      .selectFrom('signals')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('signal_id', '=', signalId)
      .executeTakeFirst();
  }

  async updateStatus(orgId: string, signalId: string, status: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('signals')
      .set({ status, updated_at: at })
      .where('org_id', '=', orgId)
      .where('signal_id', '=', signalId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async stats(orgId: string, since24h: number, deviceId?: string) {
    const base = () => {
      let q = this.db.selectFrom('signals').where('org_id', '=', orgId);
      if (deviceId) q = q.where('device_id', '=', deviceId);
      return q;
    };
    const [total, last24h, bySeverity, byHost, topRules] = await Promise.all([
      base()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
      base()
        .where('ts', '>', since24h)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
      base()
        .select(['severity', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('severity')
        .execute(),
      base()
        .select(['host_id', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('host_id')
        .execute(),
      base()
        .select(['rule_id', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('rule_id')
        .orderBy('n', 'desc')
        .orderBy('rule_id')
        .limit(10)
        .execute(),
    ]);
    return {
      total: Number(total.n),
      last24h: Number(last24h.n),
      bySeverity: bySeverity.map((r) => [r.severity, Number(r.n)] as const),
      byHost: byHost.map((r) => [r.host_id, Number(r.n)] as const),
      topRules: topRules.map((r) => ({ rule_id: r.rule_id, count: Number(r.n) })),
    };
  }
}
