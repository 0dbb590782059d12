import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { forbidden, HarrierError } from '../errors.ts';
import type { Permission } from '../services/permissions.ts';
import type { Principal } from '../services/principal.ts';

/** The permission a log shipper's API token needs. */
export const SHIPPER_PERMISSION: Permission = 'ingest:write';

function credentialsRequired(message: string): HarrierError {
  return new HarrierError(401, 'authentication_required', message, undefined, {
    'www-authenticate': 'Basic realm="harrier", Bearer',
  });
}

/** The password of a Basic `Authorization` header, or undefined when the header is not Basic. */
export function basicPassword(header: string | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/**
 * The caller of a shipper route. Bearer tokens were already checked by the authentication
 * hook (the route declares `ingest:write`); syslog-ng's `user()/password()`, rsyslog's
 * `uid/pwd` and a journal-upload URL's `user:token@` arrive as Basic auth, whose password is
 * the API token.
 */
export async function shipperPrincipal(ctx: AppContext, request: FastifyRequest): Promise<Principal> {
  if (request.principal) return request.principal;
  const token = basicPassword(request.headers.authorization);
  if (token === undefined) {
    throw credentialsRequired('Send an API token with ingest:write as Bearer or as the Basic auth password.');
  }
  if (token === '') throw credentialsRequired('The Basic auth password (the API token) is empty.');
  const principal = await ctx.identity.authenticator.fromBearer(token, 'bearer');
  if (!principal.permissions.includes(SHIPPER_PERMISSION)) {
    throw forbidden('forbidden', `This needs the ${SHIPPER_PERMISSION} permission.`);
  }
  request.principal = principal;
  return principal;
}
