import { gunzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { badRequest, payloadTooLarge, unsupportedMediaType } from '../errors.ts';

/**
 * Makes every body in this (encapsulated) Fastify scope arrive as the raw
 * bytes: signatures are computed over the wire bytes, so nothing may be parsed
 * or re-encoded before verification.
 */
export function acceptRawBodies(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));
}

/** Decompresses a gzip body with a cap on the output, so a gzip bomb costs at most `maxBytes`. */
export async function decodeBody(
  body: Buffer,
  contentEncoding: string | undefined,
  maxBytes: number,
): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return body;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw unsupportedMediaType(
      'unsupported_encoding',
      `Content-Encoding "${encoding}" is not supported; use gzip.`,
    );
  }
  return new Promise((resolve, reject) => {
    gunzip(body, { maxOutputLength: maxBytes }, (error, out) => {
      if (!error) return resolve(out);
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
        return reject(
          payloadTooLarge('decompressed_too_large', `The decompressed body exceeds ${maxBytes} bytes.`, {
            max_bytes: maxBytes,
          }),
        );
      }
      reject(badRequest('invalid_gzip', 'The body is not valid gzip data.'));
    });
  });
}

/** The media type without parameters, lower-cased. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Parses a JSON body, turning a syntax error into a 400 with the parser's message. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw badRequest('empty_body', 'The request body is empty.');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw badRequest('invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Parses NDJSON: one JSON value per non-blank line; the error names the line. */
export function parseNdjsonBody(body: Buffer): unknown[] {
  const lines = body.toString('utf8').split('\n');
  const out: unknown[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      out.push(JSON.parse(line));
    } catch (error) {
      throw badRequest('invalid_json', `Line ${i + 1} is not valid JSON: ${(error as Error).message}`, {
        line: i + 1,
      });
    }
  }
  return out;
}
