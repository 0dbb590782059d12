import type { ReactNode } from 'react';

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="hl-keyword">null</span>;
  if (typeof value === 'string') return <span className="hl-string">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="hl-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="hl-keyword">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

/** Strings that hold JSON objects (dynamic columns) open like the objects they are. */
function unwrap(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function Node({ name, value, depth }: { name: ReactNode; value: unknown; depth: number }) {
  const v = unwrap(value);
  if (v === null || typeof v !== 'object') {
    return (
      <li>
        <span className="json-key">{name}</span>: <Scalar value={v} />
      </li>
    );
  }
  const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
  const brackets = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  return (
    <li>
      <details open={depth < 2}>
        <summary>
          <span className="json-key">{name}</span>: {brackets[0]}
          <span className="muted"> {entries.length} </span>
          {brackets[1]}
        </summary>
        <ul className="json-tree">
          {entries.map(([k, x]) => (
            <Node key={k} name={k} value={x} depth={depth + 1} />
          ))}
        </ul>
      </details>
    </li>
  );
}

/** A record as a collapsible JSON tree, with the exact JSON one click away for copying. */
export function JsonViewer({ value, label }: { value: Record<string, unknown>; label: string }) {
  return (
    <div className="json-viewer">
      <ul className="json-tree root" aria-label={label}>
        {Object.entries(value).map(([k, v]) => (
          <Node key={k} name={k} value={v} depth={0} />
        ))}
      </ul>
      <details>
        <summary>Raw JSON</summary>
        <pre className="code-block" data-testid="row-json">
          {JSON.stringify(value, null, 2)}
        </pre>
      </details>
    </div>
  );
}
