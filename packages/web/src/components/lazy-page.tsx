import { type ComponentType, lazy, Suspense } from 'react';
import { LoadingState } from './LoadingState.tsx';

/**
 * A route element whose page is fetched when first opened, so editors and their helpers stay
 * out of the bundle every visitor downloads.
 */
export function lazyPage<M>(load: () => Promise<M>, pick: (module: M) => ComponentType) {
  const Page = lazy(async () => ({ default: pick(await load()) }));
  return (
    <Suspense fallback={<LoadingState />}>
      <Page />
    </Suspense>
  );
}
