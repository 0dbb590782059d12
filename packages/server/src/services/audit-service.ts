import { uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import {
  type AuditFilter,
  AuditLogRepository,
  type AuditRecord,
} from '../repositories/audit-log-repository.ts';

export interface AuditEntry {
  orgId: string | null;
  actorType: 'user' | 'api_token' | 'device' | 'agent_key' | 'anonymous' | 'system';
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: 'success' | 'failure' | 'denied';
  statusCode: number;
  method: string;
  path: string;
  ip: string | null;
  userAgent: string | null;
  details?: Record<string, unknown>;
  at?: number;
}

/**
 * The audit log. Records are written after the response (they never delay or
 * fail a request); `flush` waits for the ones in flight (tests, shutdown).
 */
export class AuditService {
  private readonly records: AuditLogRepository;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    database: HarrierDatabase,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.records = new AuditLogRepository(database.db);
  }

  /** Queues one record. */
  record(entry: AuditEntry): void {
    const at = entry.at ?? Date.now();
    const write = this.records
      .insert({
        id: uuidv7(at),
        org_id: entry.orgId,
        actor_type: entry.actorType,
        actor_id: entry.actorId,
        actor_label: entry.actorLabel?.slice(0, 320) ?? null,
        action: entry.action,
        target_type: entry.targetType,
        target_id: entry.targetId?.slice(0, 256) ?? null,
        outcome: entry.outcome,
        status_code: entry.statusCode,
        method: entry.method,
        path: entry.path.slice(0, 1024),
        ip: entry.ip?.slice(0, 64) ?? null,
        user_agent: entry.userAgent?.slice(0, 512) ?? null,
        details: JSON.stringify(entry.details ?? {}),
        created_at: at,
      })
      .catch(this.onError)
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  /** Waits until every queued record is written. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  list(filter: AuditFilter): Promise<AuditRecord[]> {
    return this.records.list(filter);
  }
}
