import type { EventsTable, HeartbeatsTable, SignalsTable } from './tables.ts';

// The writes of the ingest path. They travel to one writer (a worker thread on
// SQLite, a pooled connection on PostgreSQL) which commits many of them in one
// transaction and only then answers, so an acknowledgement means "committed".

/** A nonce that must not have been seen inside its window; `scope` is per device. */
export interface NonceClaim {
  scope: string;
  nonce: string;
  expiresAt: number;
}

export type EventRow = EventsTable;
export type HeartbeatRow = HeartbeatsTable;
export type SignalRow = SignalsTable;

export interface DeviceSeen {
  deviceId: string;
  at: number;
}

/**
 * A batch for the NATS bus, committed with its events (PostgreSQL) and deleted once JetStream
 * acknowledged it; events already stored before are left out of it.
 */
export interface OutboxEntry {
  id: string;
  events: ReadonlyArray<{ id: string }>;
}

export interface EventBatchJob {
  kind: 'events';
  outbox?: OutboxEntry;
  nonce?: NonceClaim;
  /** Idempotency: a batch id already stored returns its stored result instead. */
  batch?: { deviceId: string; batchId: string; orgId: string; result: string };
  events: EventRow[];
  deviceSeen?: DeviceSeen;
}

export interface HeartbeatJob {
  kind: 'heartbeat';
  nonce?: NonceClaim;
  row: HeartbeatRow;
  device: {
    id: string;
    agentVersion: string | null;
    osName: string | null;
    osVersion: string | null;
    platform: string | null;
  };
}

export interface SignalJob {
  kind: 'signal';
  outbox?: OutboxEntry;
  row: SignalRow;
  event: EventRow;
  deviceSeen?: DeviceSeen;
}

export interface PurgeNoncesJob {
  kind: 'purge_nonces';
  before: number;
}

/**
 * Compiled statements (from Kysely, in the store's dialect) committed together in the writer's
 * transaction: other writers (detection's alerts) join the one SQLite writer instead of
 * contending with it for the lock.
 */
export interface StatementsJob {
  kind: 'statements';
  statements: Array<{ sql: string; parameters: readonly unknown[] }>;
}

export type WriteJob = EventBatchJob | HeartbeatJob | SignalJob | PurgeNoncesJob | StatementsJob;

export type WriteOutcome =
  | {
      status: 'ok';
      inserted: number;
      duplicate: boolean;
      /** Events of the job that already existed (same id) and were not stored again. */
      existingIds?: string[];
    }
  | { status: 'replay' }
  | { status: 'duplicate_batch'; result: string };

/** The single writer of the ingest path; every implementation commits before resolving. */
export interface IngestWriter {
  submit(job: WriteJob): Promise<WriteOutcome>;
  /** Jobs waiting or being written, for back-pressure and `/metrics`. */
  depth(): number;
  /** Finishes what was submitted, then stops. */
  close(): Promise<void>;
}

/** Thrown by `submit` when the writer is saturated: the caller answers 503 with Retry-After. */
export class WriterOverloadedError extends Error {
  constructor() {
    super('ingest writer queue is full');
    this.name = 'WriterOverloadedError';
  }
}

/** Thrown by `submit` when the store failed; nothing of the job was committed. */
export class WriterFailedError extends Error {
  constructor(cause: unknown) {
    super(`storage write failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'WriterFailedError';
  }
}

/** Column order of `events` used by both writers' bulk statements. */
export const EVENT_COLUMNS = [
  'id',
  'org_id',
  'device_id',
  'ts',
  'received_at',
  'source',
  'product',
  'category',
  'service',
  'event_code',
  'severity',
  'title',
  'hostname',
  'user_name',
  'image',
  'command_line',
  'parent_image',
  'target_filename',
  'source_ip',
  'destination_ip',
  'destination_port',
  'fields',
  'raw',
  'batch_id',
] as const satisfies readonly (keyof EventRow)[];
