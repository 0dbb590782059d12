import { ApiError } from '../api/api-error.ts';

export type ResourceState<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  /** The server has no such API yet (its route answers 404). */
  | { status: 'unavailable' }
  | { status: 'forbidden'; message: string }
  | { status: 'not-found'; message: string }
  | { status: 'error'; message: string };

/** How a failed load is shown: the status codes the API contract distinguishes. */
export function failureState<T>(err: unknown): ResourceState<T> {
  if (!(err instanceof ApiError)) return { status: 'error', message: 'Something went wrong in the console.' };
  if (err.status === 403) return { status: 'forbidden', message: err.message };
  if (err.routeMissing) return { status: 'unavailable' };
  if (err.status === 404) return { status: 'not-found', message: err.message };
  return { status: 'error', message: err.message };
}

/** The same load seen through `pick` once ready (a KPI card showing one figure of a summary). */
export function mapResource<T, U>(state: ResourceState<T>, pick: (data: T) => U): ResourceState<U> {
  return state.status === 'ready' ? { status: 'ready', data: pick(state.data) } : state;
}
