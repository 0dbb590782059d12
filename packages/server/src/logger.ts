import type { FastifyServerOptions } from 'fastify';
import type { LogLevel } from './config.ts';

/** Paths whose values never reach the logs. */
export const REDACTED_PATHS = [
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-api-key"]',
  '*.headers["x-harrier-signature"]',
  '*.headers["x-em-signature"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-harrier-signature"]',
  'req.headers["x-em-signature"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.device_secret',
  '*.enrollment_key',
  '*.refresh_token',
  '*.access_token',
  '*.secret',
];

/** JSON logs (pino) with secrets redacted. */
export function loggerOptions(level: LogLevel): FastifyServerOptions['logger'] {
  return { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
}
