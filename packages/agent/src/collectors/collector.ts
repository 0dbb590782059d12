import type { AgentEvent, AgentEventType } from '../agent-event.ts';
import { newEventId } from '../event-id.ts';
import type { AgentPolicy } from '../policy.ts';
import { sanitizeFields, sanitizeString } from '../sanitize.ts';

/** What every collector gets on each run. */
export interface CollectContext {
  now: Date;
  policy: AgentPolicy;
}

/**
 * One source of events. Collectors keep their own baseline (known PIDs, file hashes, log
 * offsets) and expose it as JSON so it survives restarts: what happened while the agent was
 * down is still reported, and nothing is reported twice.
 */
export interface Collector {
  readonly name: string;
  collect(ctx: CollectContext): Promise<AgentEvent[]>;
  exportState(): unknown;
  importState(state: unknown): void;
}

/** Builds a sanitized event with a fresh id. */
export function makeEvent(input: {
  type: AgentEventType;
  ts: Date | number;
  logsource: AgentEvent['logsource'];
  fields: Record<string, string | number | boolean | null | undefined>;
  title?: string;
  severity?: AgentEvent['severity'];
}): AgentEvent {
  const ts = typeof input.ts === 'number' ? new Date(input.ts) : input.ts;
  const event: AgentEvent = {
    id: newEventId(),
    ts: ts.toISOString(),
    type: input.type,
    logsource: input.logsource,
    fields: sanitizeFields(input.fields),
  };
  if (input.title !== undefined) event.title = sanitizeString(input.title, 512);
  if (input.severity !== undefined) event.severity = input.severity;
  return event;
}

/** Reads a plain object out of persisted state, or an empty one. */
export function asRecord(state: unknown): Record<string, unknown> {
  return state !== null && typeof state === 'object' && !Array.isArray(state)
    ? (state as Record<string, unknown>)
    : {};
}
