/**
 * The case lifecycle (seed 004's incident statuses) as data: the statuses a
 * case may move to from each status. Work moves forward; a contained case may
 * fall back to in progress, and a resolved or closed case may be reopened.
 */
export const CASE_STATUSES = ['new', 'triage', 'in_progress', 'contained', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  new: ['triage', 'in_progress', 'closed'],
  triage: ['in_progress', 'contained', 'resolved', 'closed'],
  in_progress: ['contained', 'resolved', 'closed'],
  contained: ['in_progress', 'resolved', 'closed'],
  resolved: ['closed', 'in_progress'],
  closed: ['in_progress'],
};

/** Statuses in which a case still needs work (handovers list them; automatic cases count them). */
export const OPEN_CASE_STATUSES: readonly CaseStatus[] = ['new', 'triage', 'in_progress', 'contained'];

export function isCaseStatus(value: unknown): value is CaseStatus {
  return typeof value === 'string' && (CASE_STATUSES as readonly string[]).includes(value);
}

/** True when a case in `from` may move to `to` (staying put is not a transition). */
export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return CASE_TRANSITIONS[from].includes(to);
}
