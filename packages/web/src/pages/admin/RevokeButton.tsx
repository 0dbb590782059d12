import { useState } from 'react';
import { useHttp } from '../../api/http-context.ts';

/** Revocation cannot be undone, so it asks first. */
export function RevokeButton({ path, what, onDone }: { path: string; what: string; onDone: () => void }) {
  const http = useHttp();
  const [failed, setFailed] = useState(false);
  return (
    <button
      type="button"
      className="button danger"
      aria-label={`Revoke ${what}`}
      onClick={async () => {
        if (!window.confirm(`Revoke ${what}? This cannot be undone.`)) return;
        try {
          await http.delete(path);
          setFailed(false);
          onDone();
        } catch {
          setFailed(true);
        }
      }}
    >
      {failed ? 'Failed, retry' : 'Revoke'}
    </button>
  );
}
