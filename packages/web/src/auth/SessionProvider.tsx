import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/api-error.ts';
import { authApi } from '../api/auth-api.ts';
import type { HttpClient } from '../api/http-client.ts';
import { type Session, SessionContext, type SessionState } from './session-context.ts';
import { SESSION_EXPIRED, SIGNED_OUT } from './session-messages.ts';

export function SessionProvider({ http, children }: { http: HttpClient; children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  // The expiry callback fires from inside the client; it must see the latest state.
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    http.onSessionExpired = () => {
      // Only a session that existed can expire; a first visit without cookies is just signed out.
      if (stateRef.current.status === 'signed-in')
        setState({ status: 'signed-out', notice: SESSION_EXPIRED });
    };
    const controller = new AbortController();
    authApi
      .me(http)
      .then((user) => setState({ status: 'signed-in', user }))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError && err.routeMissing) setState({ status: 'unavailable' });
        else setState({ status: 'signed-out', notice: null });
      });
    return () => {
      controller.abort();
      http.onSessionExpired = undefined;
    };
  }, [http]);

  const login = useCallback(
    async (email: string, password: string) => {
      await authApi.login(http, email, password);
      const user = await authApi.me(http);
      setState({ status: 'signed-in', user });
    },
    [http],
  );

  const logout = useCallback(async () => {
    try {
      await authApi.logout(http);
    } catch {
      // Signing out locally matters more than the server's answer; the cookies expire anyway.
    }
    setState({ status: 'signed-out', notice: SIGNED_OUT });
  }, [http]);

  const session = useMemo<Session>(() => ({ state, login, logout }), [state, login, logout]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
