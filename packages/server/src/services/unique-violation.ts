import { conflict } from '../errors.ts';

/** True when a database error is a unique-constraint violation (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  )
    return true;
  return /unique constraint|duplicate key/i.test(String(e?.message ?? error));
}

/**
 * Runs a write and turns a unique violation into a 409 with the given code: a
 * duplicate name is the client's mistake, never a 500 (seed 000 answered 500).
 */
export async function uniqueOr409<T>(work: () => Promise<T>, code: string, message: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(code, message);
    throw error;
  }
}
