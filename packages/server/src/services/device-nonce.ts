import type { HarrierDatabase } from '../db/database.ts';
import type { NonceClaim } from '../db/write-jobs.ts';
import { conflict } from '../errors.ts';
import { commitThroughWriter } from './committed-writes.ts';

/**
 * Claims the nonce of a signed request that writes nothing through the ingest
 * path (configuration and action pulls), through the same writer and table as
 * ingest, so a replay inside the window is a 409 even across restarts.
 */
export async function claimNonce(database: HarrierDatabase, nonce: NonceClaim): Promise<void> {
  const inserted = await commitThroughWriter(database, [
    database.db
      .insertInto('nonces')
      .values({ scope: nonce.scope, nonce: nonce.nonce, expires_at: nonce.expiresAt })
      .onConflict((oc) => oc.columns(['scope', 'nonce']).doNothing()),
  ]);
  if (inserted === 0)
    throw conflict('nonce_reused', 'This nonce was already used; sign each request with a new one.');
}
