import type { HarrierEvent } from '@harrier/schema';

/**
 * Names on the NATS server of one deployment, derived from its PostgreSQL
 * schema so that deployments (and test runs) sharing a NATS server never see
 * each other's batches. Subjects are `harrier.<ns>.events.<org id>.<partition>`.
 */
export interface BusNames {
  stream: string;
  subjectPrefix: string;
  claimsBucket: string;
  domainPrefix: string;
}

export function busNames(namespace: string): BusNames {
  return {
    stream: `HARRIER_EVENTS_${namespace}`,
    subjectPrefix: `harrier.${namespace}.events`,
    claimsBucket: `harrier_detect_${namespace}`,
    domainPrefix: `harrier.${namespace}.domain`,
  };
}
/** Largest message body we build; NATS refuses bodies above its max_payload (1 MiB by default). */
export const MAX_MESSAGE_BYTES = 512 * 1024;

/** One JetStream message of a committed batch. */
export interface EventMessage {
  subject: string;
  /** Deterministic per batch, partition and chunk: JetStream drops a republished copy (Nats-Msg-Id). */
  msgId: string;
  partition: number;
  data: Uint8Array;
}

/**
 * The partition of an event: a stable hash of its organization and device, so
 * every event of a host reaches the same detection worker and correlations
 * grouped by host keep their state in one place.
 */
export function partitionOf(orgId: string, deviceId: string | null, partitions: number): number {
  // FNV-1a, 32 bits: stable across processes and releases (never change it while data is in flight).
  let h = 0x811c9dc5;
  const key = `${orgId}\u0000${deviceId ?? ''}`;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}

/** The subject a partition's consumer filters on (any organization). */
export function partitionFilter(subjectPrefix: string, partition: number): string {
  return `${subjectPrefix}.*.${partition}`;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Splits a committed batch into messages: one subject per organization and
 * partition, bodies below `maxBytes` (JSON arrays of events). The split is
 * deterministic, so a batch published again by the outbox relay gets the same
 * message ids and JetStream's duplicate window drops it.
 */
export function encodeBatch(
  batchId: string,
  events: readonly HarrierEvent[],
  partitions: number,
  subjectPrefix: string,
  maxBytes = MAX_MESSAGE_BYTES,
): EventMessage[] {
  const groups = new Map<string, { orgId: string; partition: number; events: HarrierEvent[] }>();
  for (const e of events) {
    const partition = partitionOf(e.org_id, e.device_id, partitions);
    const key = `${e.org_id}.${partition}`;
    const g = groups.get(key);
    if (g) g.events.push(e);
    else groups.set(key, { orgId: e.org_id, partition, events: [e] });
  }
  const out: EventMessage[] = [];
  for (const [key, g] of groups) {
    const subject = `${subjectPrefix}.${g.orgId}.${g.partition}`;
    let chunk: string[] = [];
    let size = 2;
    const flush = () => {
      if (chunk.length === 0) return;
      out.push({
        subject,
        msgId: `${batchId}:${key}:${out.length}`,
        partition: g.partition,
        data: encoder.encode(`[${chunk.join(',')}]`),
      });
      chunk = [];
      size = 2;
    };
    for (const e of g.events) {
      const json = JSON.stringify(e);
      if (chunk.length > 0 && size + json.length + 1 > maxBytes) flush();
      chunk.push(json);
      size += json.length + 1;
    }
    flush();
  }
  return out;
}

/** The events of one message; throws on a body that is not a JSON array of events. */
export function decodeEvents(data: Uint8Array): HarrierEvent[] {
  const parsed: unknown = JSON.parse(decoder.decode(data));
  if (!Array.isArray(parsed)) throw new Error('event message is not a JSON array');
  for (const e of parsed) {
    if (typeof e !== 'object' || e === null || typeof (e as { id?: unknown }).id !== 'string') {
      throw new Error('event message holds an element without an id');
    }
  }
  return parsed as HarrierEvent[];
}
