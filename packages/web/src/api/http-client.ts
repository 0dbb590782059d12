import { ApiError, toApiError } from './api-error.ts';
import { CSRF_COOKIE, CSRF_HEADER, readCookie } from './cookies.ts';
import { type QueryValue, toQueryString } from './query-string.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  query?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
  signal?: AbortSignal;
  /** Auth endpoints themselves must not trigger a refresh-and-retry. */
  noRefresh?: boolean;
  /** A body sent as it is (a zip, a YAML file) instead of as JSON. */
  raw?: { type: string; data: Blob | ArrayBuffer | string };
}

export interface HttpClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Where the CSRF cookie is read from (document.cookie in the browser). */
  cookies?: () => string;
  /** Called once when a refresh fails: the session is over. */
  onSessionExpired?: () => void;
}

const REFRESH_PATH = '/api/v1/auth/refresh';

/**
 * The console's HTTP client. Authentication rides on the HttpOnly cookies the
 * server sets at login; state-changing requests echo the readable CSRF cookie
 * in a header (double submit). A 401 triggers one refresh (shared by every
 * request that failed at the same time) and one retry; if that fails too the
 * session is declared expired.
 */
export class HttpClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly cookies: () => string;
  private refreshing: Promise<boolean> | undefined;
  onSessionExpired: (() => void) | undefined;

  constructor(options: HttpClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    // Bound so that `this` inside the browser's fetch stays the window.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.cookies = options.cookies ?? (() => (typeof document === 'undefined' ? '' : document.cookie));
    this.onSessionExpired = options.onSessionExpired;
  }

  get<T>(path: string, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }
  post<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }
  patch<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  delete<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  async request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
    let res = await this.send(method, path, options);
    if (res.status === 401 && !options.noRefresh) {
      if (await this.refresh()) res = await this.send(method, path, options);
      if (res.status === 401) {
        this.onSessionExpired?.();
      }
    }
    return this.parse<T>(res);
  }

  /** One refresh for every request that hit a 401 at the same moment. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.send('POST', REFRESH_PATH, {})
      .then((r) => r.ok)
      .catch(() => false)
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  private async send(method: Method, path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.raw) headers['content-type'] = options.raw.type;
    else if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET') {
      const csrf = readCookie(CSRF_COOKIE, this.cookies());
      if (csrf) headers[CSRF_HEADER] = csrf;
    }
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (options.raw) init.body = options.raw.data;
    else if (options.body !== undefined) init.body = JSON.stringify(options.body);
    if (options.signal) init.signal = options.signal;
    try {
      return await this.fetchImpl(`${this.baseUrl}${path}${toQueryString(options.query)}`, init);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'network_error', 'The server could not be reached.');
    }
  }

  private async parse<T>(res: Response): Promise<T> {
    const text = await res.text();
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (!res.ok) throw toApiError(res.status, body);
    return body as T;
  }
}

/** The one client of the running console. */
export const api = new HttpClient();
