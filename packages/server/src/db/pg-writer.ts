import type pg from 'pg';
import { PartitionKeeper } from './event-partitions.ts';
import { GroupCommitQueue } from './group-commit-queue.ts';
import { HEARTBEAT_COLUMNS, ingestStatements, SIGNAL_COLUMNS } from './ingest-statements.ts';
import {
  EVENT_COLUMNS,
  type EventRow,
  type IngestWriter,
  type OutboxEntry,
  type WriteJob,
  type WriteOutcome,
  WriterFailedError,
} from './write-jobs.ts';

const EVENT_ARRAY_TYPES: Record<(typeof EVENT_COLUMNS)[number], string> = {
  id: 'text',
  org_id: 'text',
  device_id: 'text',
  ts: 'int8',
  received_at: 'int8',
  source: 'text',
  product: 'text',
  category: 'text',
  service: 'text',
  event_code: 'int4',
  severity: 'text',
  title: 'text',
  hostname: 'text',
  user_name: 'text',
  image: 'text',
  command_line: 'text',
  parent_image: 'text',
  target_filename: 'text',
  source_ip: 'text',
  destination_ip: 'text',
  destination_port: 'int4',
  fields: 'jsonb',
  raw: 'text',
  batch_id: 'text',
};

// One statement inserts a whole batch: each column travels as one array
// parameter and unnest() turns them back into rows.
const INSERT_EVENTS_UNNEST = `insert into "events" (${EVENT_COLUMNS.map((c) => `"${c}"`).join(', ')})
  select * from unnest(${EVENT_COLUMNS.map((c, i) => `$${i + 1}::${EVENT_ARRAY_TYPES[c]}[]`).join(', ')})
  on conflict do nothing
  returning "id"`;

function columnsOf(rows: EventRow[]): unknown[][] {
  const cols: unknown[][] = EVENT_COLUMNS.map(() => new Array<unknown>(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < EVENT_COLUMNS.length; c++) cols[c]![r] = row[EVENT_COLUMNS[c]!] ?? null;
  }
  return cols;
}

function* eventTimestamps(jobs: WriteJob[]): Iterable<number> {
  for (const job of jobs) {
    if (job.kind === 'events') for (const e of job.events) yield e.ts;
    else if (job.kind === 'signal') yield job.event.ts;
  }
}

function bindRow<T extends object>(row: T, columns: readonly (keyof T)[]): unknown[] {
  return columns.map((c) => row[c] ?? null);
}

/** The bus outbox row of a batch, in the batch's transaction; events stored before are left out. */
async function insertOutbox(
  client: pg.PoolClient,
  outbox: OutboxEntry,
  existingIds: readonly string[] | undefined,
): Promise<void> {
  const existing = existingIds ? new Set(existingIds) : undefined;
  const events = existing ? outbox.events.filter((e) => !existing.has(e.id)) : outbox.events;
  if (events.length === 0) return;
  await client.query('insert into "bus_outbox" ("id", "created_at", "events") values ($1, $2, $3)', [
    outbox.id,
    Date.now(),
    JSON.stringify(events),
  ]);
}

/**
 * The ingest writer for PostgreSQL: groups of jobs commit in one transaction on
 * one pooled connection; events go in with one unnest() insert per batch.
 */
export class PgIngestWriter implements IngestWriter {
  private readonly queue: GroupCommitQueue;
  private readonly text = ingestStatements('postgres');
  /** Day partitions of the events (migration 0012), created before a batch needs them. */
  readonly partitions: PartitionKeeper;

  constructor(
    private readonly pool: pg.Pool,
    maxWaitingJobs = 20_000,
  ) {
    this.queue = new GroupCommitQueue((jobs) => this.commit(jobs), maxWaitingJobs);
    this.partitions = new PartitionKeeper(() => this.pool.connect());
  }

  submit(job: WriteJob): Promise<WriteOutcome> {
    return this.queue.submit(job);
  }

  depth(): number {
    return this.queue.depth();
  }

  close(): Promise<void> {
    return this.queue.close();
  }

  private async commit(jobs: WriteJob[]): Promise<Array<WriteOutcome | Error>> {
    // Creating a partition locks the parent table: do it before, not inside, the batch's transaction.
    await this.partitions.ensure(eventTimestamps(jobs)).catch(() => undefined);
    const client = await this.pool.connect();
    try {
      try {
        await client.query('begin');
        const outcomes: WriteOutcome[] = [];
        for (const job of jobs) outcomes.push(await this.apply(client, job));
        await client.query('commit');
        return outcomes;
      } catch {
        await client.query('rollback').catch(() => undefined);
      }
      const outcomes: Array<WriteOutcome | Error> = [];
      for (const job of jobs) {
        try {
          await client.query('begin');
          const outcome = await this.apply(client, job);
          await client.query('commit');
          outcomes.push(outcome);
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          outcomes.push(new WriterFailedError(error));
        }
      }
      return outcomes;
    } finally {
      client.release();
    }
  }

  private async apply(client: pg.PoolClient, job: WriteJob): Promise<WriteOutcome> {
    const t = this.text;
    switch (job.kind) {
      case 'events': {
        if (job.nonce) {
          const r = await client.query(t.claimNonce, [job.nonce.scope, job.nonce.nonce, job.nonce.expiresAt]);
          if (r.rowCount === 0) return { status: 'replay' };
        }
        if (job.batch) {
          const r = await client.query<{ result: unknown }>(t.findBatch, [
            job.batch.deviceId,
            job.batch.batchId,
          ]);
          const existing = r.rows[0]?.result;
          if (existing !== undefined) {
            return {
              status: 'duplicate_batch',
              result: typeof existing === 'string' ? existing : JSON.stringify(existing),
            };
          }
        }
        let inserted = 0;
        let existingIds: string[] | undefined;
        if (job.events.length > 0) {
          const r = await client.query<{ id: string }>(INSERT_EVENTS_UNNEST, columnsOf(job.events));
          inserted = r.rowCount ?? 0;
          if (inserted < job.events.length) {
            const stored = new Set(r.rows.map((row) => row.id));
            existingIds = job.events.filter((e) => !stored.has(e.id)).map((e) => e.id);
          }
        }
        if (job.batch) {
          const b = job.batch;
          await client.query(t.insertBatch, [b.deviceId, b.batchId, b.orgId, b.result, Date.now()]);
        }
        if (job.deviceSeen) await client.query(t.touchDevice, [job.deviceSeen.at, job.deviceSeen.deviceId]);
        if (job.outbox) await insertOutbox(client, job.outbox, existingIds);
        return existingIds
          ? { status: 'ok', inserted, duplicate: false, existingIds }
          : { status: 'ok', inserted, duplicate: false };
      }
      case 'heartbeat': {
        if (job.nonce) {
          const r = await client.query(t.claimNonce, [job.nonce.scope, job.nonce.nonce, job.nonce.expiresAt]);
          if (r.rowCount === 0) return { status: 'replay' };
        }
        await client.query(t.upsertHeartbeat, bindRow(job.row, HEARTBEAT_COLUMNS));
        const d = job.device;
        await client.query(t.touchDeviceHeartbeat, [
          job.row.received_at,
          job.row.received_at,
          d.agentVersion,
          d.osName,
          d.osVersion,
          d.platform,
          d.id,
        ]);
        return { status: 'ok', inserted: 1, duplicate: false };
      }
      case 'signal': {
        const r = await client.query(t.insertSignal, bindRow(job.row, SIGNAL_COLUMNS));
        if (r.rowCount === 0) return { status: 'ok', inserted: 0, duplicate: true };
        await client.query(INSERT_EVENTS_UNNEST, columnsOf([job.event]));
        if (job.outbox) await insertOutbox(client, job.outbox, undefined);
        if (job.deviceSeen) await client.query(t.touchDevice, [job.deviceSeen.at, job.deviceSeen.deviceId]);
        return { status: 'ok', inserted: 1, duplicate: false };
      }
      case 'purge_nonces': {
        const r = await client.query(t.purgeNonces, [job.before]);
        return { status: 'ok', inserted: r.rowCount ?? 0, duplicate: false };
      }
      case 'statements': {
        let changes = 0;
        for (const s of job.statements)
          changes += (await client.query(s.sql, [...s.parameters])).rowCount ?? 0;
        return { status: 'ok', inserted: changes, duplicate: false };
      }
    }
  }
}
