import type { HttpClient } from './http-client.ts';

/** `GET /api/v1/auth/me`: the signed-in user as the identity API describes them. */
export interface SessionUser {
  id: string;
  email: string;
  username: string;
  display_name: string | null;
  role: string;
  org: { id: string; slug: string; name: string };
  is_instance_admin: boolean;
  permissions: string[];
}

export interface LoginResponse {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  csrf_token: string;
  user: unknown;
}

export const authApi = {
  /** The tokens in the body are for API clients; the console relies on the cookies set alongside. */
  login: (http: HttpClient, email: string, password: string) =>
    http.post<LoginResponse>('/api/v1/auth/login', { email, password }, { noRefresh: true }),
  logout: (http: HttpClient) => http.post<unknown>('/api/v1/auth/logout', undefined, { noRefresh: true }),
  me: (http: HttpClient) => http.get<SessionUser>('/api/v1/auth/me'),
};
