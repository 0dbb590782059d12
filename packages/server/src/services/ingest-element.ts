import {
  type NativeEventDefaults,
  type NativeEventResult,
  normalizeNativeEvent,
  normalizeWindowsEvent,
} from '@harrier/schema';

/**
 * One element of a native batch. Our agent's events are normalized by the
 * native normalizer; a Windows event record as exported from the event log
 * (`{"Event":{"System":…,"EventData":…}}`) is accepted as is, so collectors
 * such as Winlogbeat-style forwarders can send raw records.
 */
export function normalizeIngestElement(input: unknown, defaults: NativeEventDefaults): NativeEventResult {
  if (typeof input === 'object' && input !== null && !Array.isArray(input) && 'Event' in input) {
    let event: ReturnType<typeof normalizeWindowsEvent>;
    try {
      event = normalizeWindowsEvent(input);
    } catch (error) {
      return { ok: false, error: { code: 'invalid_event', message: (error as Error).message } };
    }
    if (!event.ts) {
      return {
        ok: false,
        error: {
          code: 'invalid_timestamp',
          message: 'Event.System.TimeCreated.SystemTime is missing or not a time.',
        },
      };
    }
    const recordId = event.fields.EventRecordID;
    const computer = event.fields.Computer;
    const channel = event.fields.Channel;
    // The event log's own identity makes a resent record idempotent.
    const id =
      recordId !== undefined && computer !== undefined ? `win:${computer}:${channel}:${recordId}` : undefined;
    return { ok: true, event, id };
  }
  return normalizeNativeEvent(input, defaults);
}
