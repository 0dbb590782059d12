import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { LoadingState } from '../components/LoadingState.tsx';
import { useSession } from './session-context.ts';
import { SIGNED_OUT } from './session-messages.ts';

/** Renders its children for a signed-in user; everyone else goes to /login, remembering where they were. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <LoadingState label="Checking your session" />;
  if (state.status !== 'signed-in') {
    // After an explicit sign-out the next person starts at the overview, not on the last page.
    const signedOut = state.status === 'signed-out' && state.notice === SIGNED_OUT;
    const from = signedOut ? undefined : `${location.pathname}${location.search}`;
    return <Navigate to="/login" replace state={{ from }} />;
  }
  return <>{children}</>;
}
