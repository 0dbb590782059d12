import { Type } from '@sinclair/typebox';
import { badRequest } from '../errors.ts';

/** `?cursor=&limit=` of list routes. */
export const PageQuery = {
  cursor: Type.Optional(
    Type.String({ maxLength: 200, description: 'Opaque; from `next_cursor` of the previous page.' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
};

/** Encodes the position after `id` (ids are time-ordered, so the cursor is stable under inserts). */
export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** Decodes a cursor; 400 when it was not made by us. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f-]{36}$/.test(id)) throw badRequest('invalid_cursor', 'The cursor is not valid.');
  return id;
}

/** Splits `limit + 1` fetched rows into a page and the cursor of the next one. */
export function page<T extends { id: string }, V>(rows: T[], limit: number, present: (row: T) => V) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(present),
    next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}
