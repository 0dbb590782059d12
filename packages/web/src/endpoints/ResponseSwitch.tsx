import { useState } from 'react';
import { responseApi } from '../api/endpoints-api.ts';
import { useHttp } from '../api/http-context.ts';
import { useCan } from '../auth/session-context.ts';
import { ChangeError } from '../components/ChangeError.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { useChange } from '../hooks/useChange.ts';
import { useResource } from '../hooks/useResource.ts';
import { countOf } from '../lib/format.ts';

/**
 * The organization's response switch. Off: nothing can be queued, agents receive nothing and
 * every open action is cancelled, so turning it off asks first.
 */
export function ResponseSwitch() {
  const http = useHttp();
  const canManage = useCan('response:manage');
  const [version, setVersion] = useState(0);
  const settings = useResource((signal) => responseApi.settings(http, signal), [version]);
  const [confirmOff, setConfirmOff] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const change = useChange(() => setVersion((v) => v + 1));
  const set = (enabled: boolean) =>
    change.run(async () => {
      const r = await responseApi.setEnabled(http, enabled);
      setNotice(
        enabled
          ? 'Response actions are on.'
          : `Response actions are off; ${countOf(r.cancelled, 'open action')} cancelled.`,
      );
    });
  return (
    <section className="card" aria-labelledby="response-switch">
      <h2 id="response-switch">Response actions</h2>
      <ResourceView state={settings} feature="Response settings">
        {(s) => (
          <div className="form-actions">
            <span>
              Response actions are <strong>{s.enabled ? 'on' : 'off'}</strong> for this organization
              {s.enabled ? '' : ': agents only monitor'}.
            </span>
            {canManage && (
              <button
                type="button"
                className={s.enabled ? 'button danger' : 'button'}
                disabled={change.busy}
                onClick={() => (s.enabled ? setConfirmOff(true) : void set(true))}
              >
                {s.enabled ? 'Turn off…' : 'Turn on'}
              </button>
            )}
          </div>
        )}
      </ResourceView>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ChangeError error={change.error} />
      {confirmOff && (
        <ConfirmDialog
          title="Turn response actions off?"
          confirmLabel="Turn off"
          danger
          busy={change.busy}
          onCancel={() => setConfirmOff(false)}
          onConfirm={async () => {
            await set(false);
            setConfirmOff(false);
          }}
        >
          <p>
            Every open action is cancelled, nothing new can be queued, and every agent becomes
            monitoring-only.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
