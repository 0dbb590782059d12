import type { ReactNode } from 'react';
import type { ResourceState } from '../hooks/resource-state.ts';
import { LoadingState } from './LoadingState.tsx';

interface Props<T> {
  state: ResourceState<T>;
  /** What is missing when the API is not there, e.g. "The alerts API". */
  feature: string;
  children: (data: T) => ReactNode;
  onRetry?: () => void;
}

/** Loading, "not available on this server yet", "not allowed", not found and errors, in one place. */
export function ResourceView<T>({ state, feature, children, onRetry }: Props<T>) {
  switch (state.status) {
    case 'loading':
      return <LoadingState />;
    case 'ready':
      return <>{children(state.data)}</>;
    case 'unavailable':
      return (
        <div className="state-message" data-state="unavailable">
          <strong>Not available on this server yet.</strong> {feature} is not part of this Harrier server
          version.
        </div>
      );
    case 'forbidden':
      return (
        <div className="state-message" data-state="forbidden" role="alert">
          <strong>Not allowed.</strong> Your role does not give access to this. Ask an administrator if you
          need it.
        </div>
      );
    case 'not-found':
      return (
        <div className="state-message" data-state="not-found">
          <strong>Not found.</strong> {state.message}
        </div>
      );
    case 'error':
      return (
        <div className="state-message error" data-state="error" role="alert">
          <strong>Could not load.</strong> {state.message}
          {onRetry && (
            <button type="button" className="button" onClick={onRetry}>
              Retry
            </button>
          )}
        </div>
      );
  }
}
