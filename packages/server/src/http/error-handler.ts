import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HarrierError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Seed-compatible routes answer errors in their seed's shape (`{"detail": …}`). */
    errorShape?: 'harrier' | 'fastapi';
  }
}

// Fastify's own client errors, mapped to our stable codes.
const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'payload_too_large',
    message: 'The request body is too large.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'This content type is not accepted here.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'empty_body', message: 'The JSON body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'invalid_json',
    message: 'The body is not valid JSON.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'invalid_content_length',
    message: 'Content-Length does not match the body.',
  },
  FST_ERR_CTP_INVALID_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'Invalid Content-Type header.',
  },
  FST_ERR_BAD_URL: { status: 400, code: 'bad_url', message: 'The URL is malformed.' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'bad_request', message: 'The request was malformed.' },
};

interface Presented {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  headers?: Record<string, string>;
}

/** The database went away (connection refused or dropped, server shutting down): retry, not a bug. */
function storeUnreachable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  if (
    typeof e.code === 'string' &&
    (/^(08|57P0)/.test(e.code) || /^E(CONNREFUSED|CONNRESET|PIPE)$/.test(e.code))
  )
    return true;
  return (
    typeof e.message === 'string' &&
    /^Connection terminated|^timeout exceeded when trying to connect/.test(e.message)
  );
}

function present(error: unknown): Presented {
  if (error instanceof HarrierError) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      details: error.details,
      ...(error.headers ? { headers: error.headers } : {}),
    };
  }
  const fe = error as FastifyError & { validation?: Array<{ instancePath?: string; message?: string }> };
  if (fe.validation) {
    const problems = fe.validation.map((v) => ({
      path: v.instancePath || '/',
      message: v.message ?? 'invalid',
    }));
    return {
      status: 400,
      code: 'validation_failed',
      message: `The request is not valid: ${fe.message}`,
      details: { problems },
    };
  }
  const known = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (known) return { ...known };
  if (error instanceof SyntaxError)
    return { status: 400, code: 'invalid_json', message: 'The body is not valid JSON.' };
  if (storeUnreachable(error)) {
    return {
      status: 503,
      code: 'storage_unavailable',
      message: 'The database is unavailable; retry later.',
      headers: { 'retry-after': '5' },
    };
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500)
    return { status, code: 'bad_request', message: 'The request was malformed.' };
  return { status: 500, code: 'internal_error', message: 'An internal error occurred; it has been logged.' };
}

/** One error handler for the whole app: the `{ error: { code, message, details } }` shape, never a stack trace. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const p = present(error);
    if (p.status >= 500 && p.status !== 503) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: p.code, status: p.status }, 'request refused');
    if (p.headers) reply.headers(p.headers);
    if (request.routeOptions.config?.errorShape === 'fastapi') {
      const fe = error as {
        validation?: Array<{ instancePath?: string; message?: string; keyword?: string }>;
      };
      if (fe.validation) {
        return reply.status(422).send({
          detail: fe.validation.map((v) => ({
            type: v.keyword ?? 'value_error',
            loc: ['body', ...(v.instancePath ?? '').split('/').filter(Boolean)],
            msg: v.message ?? 'invalid',
          })),
        });
      }
      return reply.status(p.status).send({ detail: p.details && p.status === 422 ? p.details : p.message });
    }
    return reply
      .status(p.status)
      .send({ error: { code: p.code, message: p.message, details: p.details ?? null } });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      error: {
        code: 'not_found',
        message: `No route ${request.method} ${request.url.split('?')[0]}.`,
        details: null,
      },
    });
  });
}
