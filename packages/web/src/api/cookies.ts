/** Reads one cookie from a `document.cookie`-style string; undefined when absent. */
export function readCookie(name: string, cookieString: string): string | undefined {
  for (const part of cookieString.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

export const CSRF_COOKIE = 'harrier_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
