/**
 * Elasticsearch's `_bulk` NDJSON as syslog-ng's `elasticsearch-http()` and rsyslog's
 * `omelasticsearch` send it: an action line (`{"index":{"_index":…,"_id":…}}`, also `create`,
 * legacy `_type` allowed) followed by the document line. `delete` has no document line;
 * `update` is not a log shipper's action and is refused per item.
 */

/** One action of a bulk body, with its document or the reason it is refused. */
export interface BulkAction {
  action: string;
  index: string | undefined;
  id: string | undefined;
  /** The parsed document (`index`/`create`), absent otherwise. */
  doc?: unknown;
  error?: { type: string; reason: string };
}

/** A body that cannot be split into actions at all (the whole request is a 400). */
export class BulkFormatError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'BulkFormatError';
  }
}

const WITH_DOCUMENT = new Set(['index', 'create', 'update']);

/**
 * Parses a bulk body. An action line that is not JSON, or a missing document line, makes the
 * body unreadable (Elasticsearch answers 400 too); a document that is not JSON is an error of
 * that item only.
 */
export function parseBulkBody(text: string, defaultIndex?: string): BulkAction[] {
  const lines = text.split('\n');
  const out: BulkAction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let header: unknown;
    try {
      header = JSON.parse(line);
    } catch (error) {
      throw new BulkFormatError(`Line ${i + 1} is not a JSON action: ${(error as Error).message}`, i + 1);
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header)) {
      throw new BulkFormatError(`Line ${i + 1}: an action must be a JSON object.`, i + 1);
    }
    const names = Object.keys(header);
    if (names.length !== 1) {
      throw new BulkFormatError(`Line ${i + 1}: an action names exactly one operation.`, i + 1);
    }
    const action = names[0]!;
    const meta = (header as Record<string, unknown>)[action];
    const m = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : {};
    const entry: BulkAction = {
      action,
      index: typeof m['_index'] === 'string' ? m['_index'] : defaultIndex,
      id: typeof m['_id'] === 'string' || typeof m['_id'] === 'number' ? String(m['_id']) : undefined,
    };
    if (WITH_DOCUMENT.has(action)) {
      // The document is the next non-empty line.
      let j = i + 1;
      while (j < lines.length && lines[j]!.trim() === '') j++;
      if (j >= lines.length) {
        throw new BulkFormatError(`Line ${i + 1}: the ${action} action has no document line.`, i + 1);
      }
      const docLine = lines[j]!;
      i = j;
      try {
        entry.doc = JSON.parse(docLine);
      } catch (error) {
        entry.error = {
          type: 'document_parsing_exception',
          reason: `Line ${j + 1} is not valid JSON: ${(error as Error).message}`,
        };
      }
      if (action === 'update') {
        entry.error = {
          type: 'action_request_validation_exception',
          reason: 'update is not supported; use index',
        };
      }
    } else if (action !== 'delete') {
      throw new BulkFormatError(`Line ${i + 1}: unknown bulk action "${action}".`, i + 1);
    } else {
      entry.error = { type: 'action_request_validation_exception', reason: 'delete is not supported' };
    }
    out.push(entry);
  }
  return out;
}
