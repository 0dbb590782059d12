/**
 * Browser-side rules of alert triage. The server decides (409 for a move it
 * refuses); this mirrors its table (packages/server/src/services/alert-transitions.ts)
 * only so the console offers the moves it would accept.
 */

const NEXT: Readonly<Record<string, readonly string[]>> = {
  open: ['acknowledged', 'in_progress', 'resolved', 'false_positive'],
  acknowledged: ['in_progress', 'resolved', 'false_positive'],
  in_progress: ['resolved', 'false_positive'],
  resolved: ['open'],
  false_positive: ['open'],
  closed: ['open'],
};

const LABELS: Readonly<Record<string, string>> = {
  acknowledged: 'Acknowledge',
  in_progress: 'Start work',
  resolved: 'Resolve',
  false_positive: 'False positive',
  open: 'Reopen',
};

/** The status buttons an alert in `status` gets, in lifecycle order. */
export function statusActions(status: string): Array<{ status: string; label: string }> {
  return (NEXT[status] ?? []).map((to) => ({ status: to, label: LABELS[to] ?? to }));
}

/** Statuses a bulk change may set (each alert is still checked on its own by the server). */
export const BULK_STATUSES = ['acknowledged', 'in_progress', 'resolved', 'false_positive', 'open'] as const;

/** One line about a bulk change's outcome, naming why alerts were refused. */
export function bulkSummary(r: {
  succeeded: number;
  failed: number;
  results: Array<{ ok: boolean; error?: { code: string; message: string } }>;
}): string {
  const parts = [`${r.succeeded} changed`];
  if (r.failed > 0) {
    const reasons = new Map<string, number>();
    for (const x of r.results)
      if (!x.ok && x.error) reasons.set(x.error.message, (reasons.get(x.error.message) ?? 0) + 1);
    parts.push(
      `${r.failed} refused (${[...reasons].map(([m, n]) => (n > 1 ? `${n}× ${m}` : m)).join('; ')})`,
    );
  }
  return `${parts.join(', ')}.`;
}

/** What a history entry says, in a sentence (the actor is shown apart). */
export function describeHistory(
  h: {
    action: string;
    from_status: string | null;
    to_status: string | null;
    details: Record<string, unknown>;
  },
  nameOf: (ref: { user_id?: unknown; group_id?: unknown } | undefined) => string,
): string {
  const s = (v: string | null) => (v ?? '?').replaceAll('_', ' ');
  switch (h.action) {
    case 'status':
      return `moved it from ${s(h.from_status)} to ${s(h.to_status)}`;
    case 'reopen':
      return `reopened it (was ${s(h.from_status)})`;
    case 'assign':
      return `assigned it to ${nameOf(h.details.to as { user_id?: unknown; group_id?: unknown })}`;
    case 'escalate':
      return `escalated it to ${nameOf(h.details.to as { user_id?: unknown; group_id?: unknown })} (level ${String(h.details.level ?? '?')})`;
    case 'action':
      return `recorded ${String(h.details.action ?? 'an action').replaceAll('_', ' ')}${h.details.target ? ` on ${String(h.details.target)}` : ''}`;
    case 'conclude':
      return 'wrote the conclusion';
    default:
      return h.action;
  }
}
