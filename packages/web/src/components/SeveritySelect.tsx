import { SEVERITIES } from '../lib/severity.ts';

/** A labelled choice of severity; the empty choice (`emptyLabel`) means no severity given. */
export function SeveritySelect({
  label,
  value,
  emptyLabel,
  onChange,
}: {
  label: string;
  value: string;
  emptyLabel: string;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{emptyLabel}</option>
        {SEVERITIES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
}
