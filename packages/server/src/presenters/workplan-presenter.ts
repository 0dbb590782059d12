import type { WorkplanTaskRow } from '../repositories/workplans-repository.ts';
import type { WorkplanWithTasks } from '../services/workplan-service.ts';
import { isoTime } from './time.ts';

export function presentTask(t: WorkplanTaskRow) {
  return {
    id: t.id,
    title: t.title,
    owner_id: t.owner_id,
    due_at: isoTime(t.due_at),
    status: t.status,
    position: t.position,
    created_at: isoTime(t.created_at),
    updated_at: isoTime(t.updated_at),
  };
}

/** A workplan with its tasks and how far along it is. */
export function presentWorkplan({ plan, tasks }: WorkplanWithTasks) {
  return {
    id: plan.id,
    title: plan.title,
    description: plan.description,
    subject_type: plan.subject_type,
    subject_id: plan.subject_id,
    owner_id: plan.owner_id,
    created_by: plan.created_by,
    created_at: isoTime(plan.created_at),
    updated_at: isoTime(plan.updated_at),
    progress: { done: tasks.filter((t) => t.status === 'done').length, total: tasks.length },
    tasks: tasks.map(presentTask),
  };
}
