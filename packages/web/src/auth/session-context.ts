import { createContext, useContext } from 'react';
import type { SessionUser } from '../api/auth-api.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; notice: string | null }
  | { status: 'signed-in'; user: SessionUser }
  /** The server has no identity API yet: nobody can sign in. */
  | { status: 'unavailable' };

export interface Session {
  state: SessionState;
  /** Resolves when signed in; rejects with the ApiError of a refused login. */
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside <SessionProvider>');
  return s;
}

/** The signed-in user; only for components rendered behind <RequireSession>. */
export function useUser(): SessionUser {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useUser without a session');
  return state.user;
}

/** Whether the signed-in user holds a permission; hides controls the server would refuse anyway. */
export function useCan(permission: string): boolean {
  return useUser().permissions.includes(permission);
}
