import { type FormEvent, useState } from 'react';
import type { Endpoint } from '../api/endpoints-api.ts';
import { useHttp } from '../api/http-context.ts';
import { ChangeError } from '../components/ChangeError.tsx';
import { useChange } from '../hooks/useChange.ts';

/** Comma-separated tags as typed → the API's list (trimmed, no empties, no repeats). */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

const value = (v: unknown) => (typeof v === 'string' ? v : '');

/** The management profile of an endpoint: name, owner, location, notes and tags. */
export function EditEndpointCard({ endpoint, onSaved }: { endpoint: Endpoint; onSaved: () => void }) {
  const http = useHttp();
  const [displayName, setDisplayName] = useState(value(endpoint.display_name));
  const [owner, setOwner] = useState(value(endpoint.owner));
  const [location, setLocation] = useState(value(endpoint.location));
  const [notes, setNotes] = useState(value(endpoint.notes));
  const [tags, setTags] = useState((endpoint.tags ?? []).join(', '));
  const [saved, setSaved] = useState(false);
  const change = useChange(onSaved);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const ok = await change.run(() =>
      http.patch(`/api/v1/devices/${encodeURIComponent(endpoint.id)}`, {
        display_name: displayName.trim() || null,
        owner: owner.trim() || null,
        location: location.trim() || null,
        notes: notes.trim() || null,
        tags: parseTags(tags),
      }),
    );
    setSaved(ok);
  };
  return (
    <section className="card" aria-labelledby="endpoint-edit">
      <h2 id="endpoint-edit">Profile</h2>
      <form className="stacked-form" aria-label="Edit the endpoint's profile" onSubmit={submit}>
        <label>
          Display name
          <input maxLength={255} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </label>
        <label>
          Owner
          <input maxLength={255} value={owner} onChange={(e) => setOwner(e.target.value)} />
        </label>
        <label>
          Location
          <input maxLength={255} value={location} onChange={(e) => setLocation(e.target.value)} />
        </label>
        <label>
          Tags (comma-separated)
          <input value={tags} onChange={(e) => setTags(e.target.value)} />
        </label>
        <label>
          Notes
          <textarea rows={3} maxLength={4000} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </label>
        <button type="submit" className="button" disabled={change.busy}>
          Save profile
        </button>
        {saved && (
          <p className="notice" role="status">
            Saved.
          </p>
        )}
        <ChangeError error={change.error} />
      </form>
    </section>
  );
}
