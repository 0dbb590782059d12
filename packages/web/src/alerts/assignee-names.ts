import type { Assignees } from '../api/alerts-api.ts';

/** Names for user and group ids; unknown ids show shortened (the list may not be readable). */
export function assigneeNamer(a: Assignees | null) {
  const users = new Map((a?.users ?? []).map((u) => [u.id, u.display_name || u.email]));
  const groups = new Map((a?.groups ?? []).map((g) => [g.id, g.name]));
  const user = (id: string) => users.get(id) ?? `user ${id.slice(0, 8)}`;
  const group = (id: string) => groups.get(id) ?? `group ${id.slice(0, 8)}`;
  return {
    user,
    group,
    /** "Ana", "Tier 2", "Ana (Tier 2)" or "nobody". */
    of(ref: { user_id?: unknown; group_id?: unknown } | undefined): string {
      const u = typeof ref?.user_id === 'string' ? user(ref.user_id) : null;
      const g = typeof ref?.group_id === 'string' ? group(ref.group_id) : null;
      if (u && g) return `${u} (${g})`;
      return u ?? g ?? 'nobody';
    },
  };
}

/** `user:<id>` / `group:<id>` of the assignment pickers, back to the API's body. */
export function parseAssigneeChoice(value: string): { user_id: string | null; group_id: string | null } {
  if (value.startsWith('user:')) return { user_id: value.slice(5), group_id: null };
  if (value.startsWith('group:')) return { user_id: null, group_id: value.slice(6) };
  return { user_id: null, group_id: null };
}
