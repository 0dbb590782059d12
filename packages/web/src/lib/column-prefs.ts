/** Which columns an analyst chose to see, remembered per table in this browser. */
const prefix = 'harrier.columns.';

export function loadHiddenColumns(tableId: string, defaults: readonly string[]): Set<string> {
  try {
    const raw = localStorage.getItem(prefix + tableId);
    if (raw) {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) return new Set(parsed.filter((x): x is string => typeof x === 'string'));
    }
  } catch {
    // Corrupt or refused storage: fall back to the defaults.
  }
  return new Set(defaults);
}

export function saveHiddenColumns(tableId: string, hidden: ReadonlySet<string>): void {
  try {
    localStorage.setItem(prefix + tableId, JSON.stringify([...hidden]));
  } catch {
    // Not fatal: the choice lasts for this page view.
  }
}
