import { parentPort, workerData } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import { HEARTBEAT_COLUMNS, ingestStatements, SIGNAL_COLUMNS } from './ingest-statements.ts';
import { openSqliteConnection } from './sqlite-connection.ts';
import { EVENT_COLUMNS, type WriteJob, type WriteOutcome } from './write-jobs.ts';

// The one SQLite writer of the ingest path, in its own thread so that inserting
// runs on the second core while the main thread parses and verifies requests.

interface WorkerInput {
  path: string;
  synchronous: 'NORMAL' | 'FULL';
}

const { path, synchronous } = workerData as WorkerInput;
const db: BetterSqlite3.Database = openSqliteConnection(path, synchronous);
const text = ingestStatements('sqlite');
const st = {
  claimNonce: db.prepare(text.claimNonce),
  findBatch: db.prepare(text.findBatch).pluck(),
  insertBatch: db.prepare(text.insertBatch),
  insertEvent: db.prepare(text.insertEvent),
  touchDevice: db.prepare(text.touchDevice),
  upsertHeartbeat: db.prepare(text.upsertHeartbeat),
  touchDeviceHeartbeat: db.prepare(text.touchDeviceHeartbeat),
  insertSignal: db.prepare(text.insertSignal),
  purgeNonces: db.prepare(text.purgeNonces),
};

function bindRow<T extends object>(row: T, columns: readonly (keyof T)[]): unknown[] {
  const out = new Array<unknown>(columns.length);
  for (let i = 0; i < columns.length; i++) out[i] = row[columns[i]!] ?? null;
  return out;
}

/** Statements of `statements` jobs, prepared once per SQL text (the set is small and fixed). */
const prepared = new Map<string, BetterSqlite3.Statement>();
function statement(sql: string): BetterSqlite3.Statement {
  let s = prepared.get(sql);
  if (s === undefined) {
    s = db.prepare(sql);
    if (prepared.size > 512) prepared.clear();
    prepared.set(sql, s);
  }
  return s;
}

function apply(job: WriteJob): WriteOutcome {
  switch (job.kind) {
    case 'events': {
      if (
        job.nonce &&
        st.claimNonce.run(job.nonce.scope, job.nonce.nonce, job.nonce.expiresAt).changes === 0
      ) {
        return { status: 'replay' };
      }
      if (job.batch) {
        const existing = st.findBatch.get(job.batch.deviceId, job.batch.batchId) as string | undefined;
        if (existing !== undefined) return { status: 'duplicate_batch', result: existing };
      }
      let inserted = 0;
      let existingIds: string[] | undefined;
      for (const row of job.events) {
        const changes = st.insertEvent.run(bindRow(row, EVENT_COLUMNS)).changes;
        inserted += changes;
        if (changes === 0) {
          existingIds ??= [];
          existingIds.push(row.id);
        }
      }
      if (job.batch) {
        const b = job.batch;
        st.insertBatch.run(b.deviceId, b.batchId, b.orgId, b.result, Date.now());
      }
      if (job.deviceSeen) st.touchDevice.run(job.deviceSeen.at, job.deviceSeen.deviceId);
      return existingIds
        ? { status: 'ok', inserted, duplicate: false, existingIds }
        : { status: 'ok', inserted, duplicate: false };
    }
    case 'heartbeat': {
      if (
        job.nonce &&
        st.claimNonce.run(job.nonce.scope, job.nonce.nonce, job.nonce.expiresAt).changes === 0
      ) {
        return { status: 'replay' };
      }
      st.upsertHeartbeat.run(bindRow(job.row, HEARTBEAT_COLUMNS));
      const d = job.device;
      st.touchDeviceHeartbeat.run(
        job.row.received_at,
        job.row.received_at,
        d.agentVersion,
        d.osName,
        d.osVersion,
        d.platform,
        d.id,
      );
      return { status: 'ok', inserted: 1, duplicate: false };
    }
    case 'signal': {
      const changes = st.insertSignal.run(bindRow(job.row, SIGNAL_COLUMNS)).changes;
      if (changes === 0) return { status: 'ok', inserted: 0, duplicate: true };
      st.insertEvent.run(bindRow(job.event, EVENT_COLUMNS));
      if (job.deviceSeen) st.touchDevice.run(job.deviceSeen.at, job.deviceSeen.deviceId);
      return { status: 'ok', inserted: 1, duplicate: false };
    }
    case 'purge_nonces':
      return { status: 'ok', inserted: st.purgeNonces.run(job.before).changes, duplicate: false };
    case 'statements': {
      let changes = 0;
      for (const s of job.statements) changes += statement(s.sql).run(...s.parameters).changes;
      return { status: 'ok', inserted: changes, duplicate: false };
    }
  }
}

const applyGroup = db.transaction((jobs: WriteJob[]) => jobs.map(apply));
const applyOne = db.transaction((job: WriteJob) => apply(job));

parentPort!.on('message', (message: { seq: number; jobs: WriteJob[] } | 'close') => {
  if (message === 'close') {
    db.close();
    parentPort!.postMessage({ closed: true });
    return;
  }
  let outcomes: Array<WriteOutcome | { error: string }>;
  try {
    outcomes = applyGroup(message.jobs);
  } catch {
    // One bad job must not fail its neighbours: retry each in its own transaction.
    outcomes = message.jobs.map((job) => {
      try {
        return applyOne(job);
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error) };
      }
    });
  }
  parentPort!.postMessage({ seq: message.seq, outcomes });
});
