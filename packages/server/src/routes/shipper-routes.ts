import {
  BulkFormatError,
  JournalExportError,
  parseBulkBody,
  parseJournalExport,
  type ShipperItem,
  type ShipperItemResult,
} from '@harrier/schema';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { badRequest, unprocessable, unsupportedMediaType } from '../errors.ts';
import { acceptRawBodies, decodeBody, mediaType } from '../http/raw-body.ts';
import { SHIPPER_PERMISSION, shipperPrincipal } from '../http/shipper-auth.ts';
import type { ShipperIngestResult, ShipperRouter } from '../services/shipper-ingest-service.ts';

// Shippers authenticate with an API token: Bearer is checked by the authentication hook, Basic
// by the route (`seed-key` lets a request without Bearer through to it). Batches are data, not
// audit records, and a shipper's request rate is its log rate, so no per-minute limit applies.
const SHIPPER_ROUTE = {
  auth: 'seed-key',
  permission: SHIPPER_PERMISSION,
  audit: false,
  rateLimit: false,
} as const;

const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl']);
const JOURNAL_TYPE = 'application/vnd.fdo.journal';

/** Runs an ingest handler counted as in flight (drained on shutdown) and in the metrics. */
async function counted<T>(ctx: AppContext, route: string, work: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  ctx.inFlight.count++;
  try {
    const out = await work();
    ctx.metrics.ingestRequests.inc({ route, outcome: 'accepted' });
    return out;
  } catch (error) {
    ctx.metrics.ingestRequests.inc({ route, outcome: (error as { code?: string }).code ?? 'error' });
    throw error;
  } finally {
    ctx.inFlight.count--;
    ctx.metrics.batchLatency.observe({ route }, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

async function bodyText(ctx: AppContext, request: FastifyRequest): Promise<Buffer> {
  const raw = (request.body as Buffer | undefined) ?? Buffer.alloc(0);
  const body = await decodeBody(raw, request.headers['content-encoding'], ctx.config.maxDecompressedBytes);
  if (body.length === 0) throw badRequest('empty_body', 'The request body is empty.');
  return body;
}

/** Files events under the token's organization; a line that names no host is the sender's. */
function tokenRouter(orgId: string, request: FastifyRequest): ShipperRouter {
  return (host) => ({ orgId, host: host ?? request.ip });
}

/** NDJSON into documents; the error names the first line that is not JSON. */
function ndjsonItems(text: string): ShipperItem[] {
  const items: ShipperItem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      items.push({ kind: 'document', value: JSON.parse(line) });
    } catch (error) {
      throw badRequest('invalid_json', `Line ${i + 1} is not valid JSON: ${(error as Error).message}`, {
        line: i + 1,
      });
    }
  }
  return items;
}

/**
 * What syslog-ng's `http()` (and curl, scripts) send: a JSON array of documents or strings
 * (`body-prefix("[") delimiter(",")` around `$MSG`), NDJSON of `format-json`, or plain lines
 * (syslog or audit.log). A JSON type with several JSON lines is read as NDJSON.
 */
export function logBodyItems(body: Buffer, contentType: string | undefined): ShipperItem[] {
  const type = mediaType(contentType);
  const text = body.toString('utf8');
  if (NDJSON_TYPES.has(type)) return ndjsonItems(text);
  if (type === 'application/json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      if (text.trim().includes('\n')) return ndjsonItems(text);
      throw badRequest('invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
    }
    const values = Array.isArray(value) ? value : [value];
    return values.map((v) => ({ kind: 'document', value: v }));
  }
  if (type === '' || type === 'text/plain' || type === 'application/octet-stream') {
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => ({ kind: 'line', text: l }));
  }
  throw unsupportedMediaType(
    'unsupported_media_type',
    `Content-Type ${type} is not accepted; send application/json, application/x-ndjson or text/plain.`,
  );
}

function rejections(result: ShipperIngestResult) {
  const out: Array<{ index: number; code: string; message: string }> = [];
  for (const [index, item] of result.items.entries()) {
    if (!item.ok) out.push({ index, code: item.code, message: item.message });
  }
  return out;
}

/** The Elasticsearch bulk answer: one item per action, `errors` when any failed. */
function bulkResponse(
  actions: ReturnType<typeof parseBulkBody>,
  outcome: Map<number, ShipperIngestResult['items'][number]>,
  took: number,
) {
  let errors = false;
  const items = actions.map((a, i) => {
    const result = outcome.get(i);
    const index = a.index ?? 'harrier';
    const failure =
      a.error ?? (result && !result.ok ? { type: result.code, reason: result.message } : undefined);
    if (failure || !result) {
      errors = true;
      return { [a.action]: { _index: index, _id: a.id ?? null, status: 400, error: failure } };
    }
    return {
      [a.action]: {
        _index: index,
        _id: a.id ?? (result.ok ? result.eventIds[0] : undefined) ?? null,
        _version: 1,
        result: 'created',
        _shards: { total: 1, successful: 1, failed: 0 },
        _seq_no: i,
        _primary_term: 1,
        status: 201,
      },
    };
  });
  return { took, errors, items };
}

/**
 * Ingest from log shippers that need no agent of ours (issue 8): Elasticsearch `_bulk` for
 * syslog-ng `elasticsearch-http()` and rsyslog `omelasticsearch`, syslog-ng `http()` bodies,
 * and systemd-journal-upload's `/upload`. Each answers only after its events are committed.
 */
export async function shipperRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const service = ctx.shipperIngest;

  await app.register(async (scope) => {
    acceptRawBodies(scope, ctx.config.maxBodyBytes);

    const bulk = async (request: FastifyRequest<{ Params: { index?: string } }>) =>
      counted(ctx, 'bulk', async () => {
        const started = Date.now();
        const principal = await shipperPrincipal(ctx, request);
        const body = await bodyText(ctx, request);
        let actions: ReturnType<typeof parseBulkBody>;
        try {
          actions = parseBulkBody(body.toString('utf8'), request.params.index);
        } catch (error) {
          if (error instanceof BulkFormatError) {
            throw badRequest('invalid_bulk', error.message, { line: error.line });
          }
          throw error;
        }
        if (actions.length === 0) throw badRequest('empty_body', 'The bulk body holds no actions.');
        const itemOf: number[] = [];
        const items: ShipperItem[] = [];
        for (const [i, a] of actions.entries()) {
          if (a.error || a.doc === undefined) continue;
          itemOf.push(i);
          items.push({ kind: 'document', value: a.doc });
        }
        const now = Date.now();
        const normalized: ShipperItemResult[] = service.normalize(items, now);
        // A document id chosen by the shipper identifies the record across resends.
        for (const [k, r] of normalized.entries()) {
          const a = actions[itemOf[k]!]!;
          if (!r.ok || a.id === undefined) continue;
          for (const [j, e] of r.events.entries()) e.key = `es:${a.index ?? ''}:${a.id}:${j}`;
        }
        const result = await service.store(normalized, tokenRouter(principal.orgId, request), now);
        const outcome = new Map(result.items.map((r, k) => [itemOf[k]!, r] as const));
        ctx.metrics.ingestEvents.inc({ route: 'bulk', outcome: 'accepted' }, result.accepted);
        return bulkResponse(actions, outcome, Date.now() - started);
      });
    const bulkSchema = {
      tags: ['ingest'],
      summary: 'Elasticsearch-style bulk NDJSON (syslog-ng elasticsearch-http, rsyslog omelasticsearch)',
    };
    scope.post('/_bulk', { config: SHIPPER_ROUTE, schema: bulkSchema }, bulk);
    scope.put('/_bulk', { config: SHIPPER_ROUTE, schema: { ...bulkSchema, hide: true } }, bulk);
    scope.post('/:index/_bulk', { config: SHIPPER_ROUTE, schema: bulkSchema }, bulk);
    scope.put('/:index/_bulk', { config: SHIPPER_ROUTE, schema: { ...bulkSchema, hide: true } }, bulk);

    const logs = async (request: FastifyRequest, reply: FastifyReply) =>
      counted(ctx, 'logs', async () => {
        const principal = await shipperPrincipal(ctx, request);
        const body = await bodyText(ctx, request);
        const items = logBodyItems(body, request.headers['content-type']);
        if (items.length === 0) throw badRequest('empty_body', 'The body holds no records.');
        const result = await service.ingest(items, tokenRouter(principal.orgId, request), Date.now());
        const rejected = rejections(result);
        ctx.metrics.ingestEvents.inc({ route: 'logs', outcome: 'accepted' }, result.accepted);
        if (result.accepted === 0 && rejected.length > 0) {
          throw unprocessable('no_valid_records', 'No record of the batch could be read.', {
            rejected: rejected.slice(0, 100),
          });
        }
        return reply.send({ accepted: result.accepted, stored: result.stored, rejected });
      });
    const logsSchema = {
      tags: ['ingest'],
      summary: 'Log lines from shippers: JSON array, NDJSON (syslog-ng format-json) or text lines',
    };
    scope.post('/api/v1/ingest/logs', { config: SHIPPER_ROUTE, schema: logsSchema }, logs);
    // The paths of the syslog-ng http() configuration in shared/clients, so it works unchanged.
    scope.post(
      '/ingest/syslog-ng/raw',
      { config: SHIPPER_ROUTE, schema: { ...logsSchema, hide: true } },
      logs,
    );
    scope.post(
      '/ingest/syslog-ng/json',
      { config: SHIPPER_ROUTE, schema: { ...logsSchema, hide: true } },
      logs,
    );
  });

  // rsyslog's omelasticsearch probes `_cat/health` before it resumes a suspended action (after a
  // 503, say); Elasticsearch clients use `_cluster/health`. No data: they only learn it answers.
  app.get('/_cat/health', { config: { auth: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send('harrier green\n'),
  );
  app.get('/_cluster/health', { config: { auth: 'public' }, schema: { hide: true } }, async () => ({
    cluster_name: 'harrier',
    status: 'green',
  }));

  // journal-upload sends everything it has not sent yet in one request: a larger body limit.
  await app.register(async (scope) => {
    acceptRawBodies(scope, Math.max(ctx.config.maxBodyBytes, ctx.config.maxDecompressedBytes));
    scope.post(
      '/upload',
      {
        config: SHIPPER_ROUTE,
        schema: {
          tags: ['ingest'],
          summary: 'systemd-journal-upload: journal export format (chunked, Expect: 100-continue)',
        },
      },
      async (request, reply) =>
        counted(ctx, 'journal', async () => {
          const principal = await shipperPrincipal(ctx, request);
          const type = mediaType(request.headers['content-type']);
          if (type !== JOURNAL_TYPE) {
            throw unsupportedMediaType('unsupported_media_type', `Content-Type must be ${JOURNAL_TYPE}.`);
          }
          const raw = (request.body as Buffer | undefined) ?? Buffer.alloc(0);
          const body = await decodeBody(
            raw,
            request.headers['content-encoding'],
            ctx.config.maxDecompressedBytes,
          );
          let entries: ReturnType<typeof parseJournalExport>;
          try {
            entries = parseJournalExport(body);
          } catch (error) {
            if (error instanceof JournalExportError)
              throw badRequest('invalid_journal_export', error.message);
            throw error;
          }
          const router = tokenRouter(principal.orgId, request);
          const batch = ctx.config.maxBatchEvents;
          let accepted = 0;
          // Committed chunk by chunk; the answer comes after the last commit, and journal-upload
          // resends from its saved cursor after a failure, which the cursor-based ids absorb.
          for (let i = 0; i < entries.length; i += batch) {
            const items: ShipperItem[] = entries
              .slice(i, i + batch)
              .map((entry) => ({ kind: 'journal', entry }));
            accepted += (await service.ingest(items, router, Date.now())).accepted;
          }
          ctx.metrics.ingestEvents.inc({ route: 'journal', outcome: 'accepted' }, accepted);
          // systemd-journal-remote's answer, which journal-upload expects (Accept: text/plain).
          return reply.status(202).type('text/plain; charset=utf-8').send('OK.\n');
        }),
    );
  });
}
