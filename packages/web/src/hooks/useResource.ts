import { type DependencyList, useCallback, useEffect, useState } from 'react';
import { failureState, type ResourceState } from './resource-state.ts';

/**
 * Loads something from the API when `deps` change, cancelling the previous
 * load so a slow answer never overwrites a newer one.
 */
export function useResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
): ResourceState<T> & { reload: () => void } {
  const [state, setState] = useState<ResourceState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps stand for `load`.
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      },
      (err: unknown) => {
        if (!controller.signal.aborted) setState(failureState<T>(err));
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);

  return { ...state, reload };
}
