import {
  type IngestWriter,
  type WriteJob,
  type WriteOutcome,
  WriterOverloadedError,
} from '../db/write-jobs.ts';
import { serviceUnavailable } from '../errors.ts';

/**
 * Submits a write and maps writer failures to client-facing errors: a full
 * queue or a failed store is a 503 with Retry-After (nothing was acknowledged,
 * so the sender retries), never a 500.
 */
export async function submitWrite(writer: IngestWriter, job: WriteJob): Promise<WriteOutcome> {
  try {
    return await writer.submit(job);
  } catch (error) {
    if (error instanceof WriterOverloadedError) {
      throw serviceUnavailable('overloaded', 'The server is saturated (writer queue); retry later.', 2);
    }
    throw serviceUnavailable('storage_unavailable', 'The event store is unavailable; retry later.', 5);
  }
}
