import { useState } from 'react';
import { ApiError } from '../api/api-error.ts';
import { endpointsApi } from '../api/endpoints-api.ts';
import { useHttp } from '../api/http-context.ts';
import { useCan } from '../auth/session-context.ts';

/** Revoking a lost or compromised endpoint's credentials: its agent is refused from the next request on. */
export function DeviceCredentialsCard({ id, hostname }: { id: string; hostname: string }) {
  const http = useHttp();
  const allowed = useCan('devices:manage');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (!allowed) return null;
  return (
    <section className="card" aria-labelledby="credentials-title">
      <h2 id="credentials-title">Agent credentials</h2>
      <p className="muted">
        Revoke when the machine is lost, retired or compromised. Its agent must enroll again with a new key.
      </p>
      <button
        type="button"
        className="button danger"
        onClick={async () => {
          if (!window.confirm(`Revoke the credentials of ${hostname}? Its agent is refused at once.`)) return;
          try {
            await endpointsApi.revoke(http, id);
            setMessage({ ok: true, text: `The credentials of ${hostname} are revoked.` });
          } catch (err) {
            setMessage({ ok: false, text: err instanceof ApiError ? err.message : 'Revoking failed.' });
          }
        }}
      >
        Revoke credentials
      </button>
      {message && (
        <p className={message.ok ? 'notice' : 'form-error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
