import { useEffect, useState } from 'react';

/** A counter that ticks every `ms` while the tab is visible: a dependency that makes loads refresh. 0 never ticks. */
export function useTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (ms <= 0) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setTick((t) => t + 1);
    }, ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
}
