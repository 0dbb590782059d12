import { useId, useRef } from 'react';
import type { RuleProblem } from '../api/rules-api.ts';

interface Props {
  value: string;
  onChange: (value: string) => void;
  problems: readonly RuleProblem[];
  label?: string;
}

/** Offset of a 1-based line and column in `text`. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const end = text.indexOf('\n', offset);
  const lineLength = (end < 0 ? text.length : end) - offset;
  return offset + Math.min(Math.max(column - 1, 0), lineLength);
}

/**
 * Sigma YAML in a plain textarea with a line-number gutter. Lines the server refused are marked
 * in the gutter, and each problem is a button that puts the caret where it is.
 */
export function SigmaEditor({ value, onChange, problems, label = 'Sigma YAML' }: Props) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lines = value.split('\n').length;
  const bad = new Set(problems.map((p) => p.line));
  const goTo = (p: RuleProblem) => {
    const el = area.current;
    if (!el) return;
    const at = offsetOf(value, p.line, p.column);
    el.focus();
    el.setSelectionRange(at, at);
  };
  return (
    <div className="sigma-editor">
      <label htmlFor={`${id}-yaml`} className="visually-hidden">
        {label}
      </label>
      <div className="sigma-surface">
        <div ref={gutter} className="sigma-gutter" aria-hidden="true">
          {Array.from({ length: lines }, (_, i) => i + 1).map((n) => (
            <div key={n} className={bad.has(n) ? 'bad-line' : undefined}>
              {n}
            </div>
          ))}
        </div>
        <textarea
          ref={area}
          id={`${id}-yaml`}
          className="sigma-input"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          wrap="off"
          aria-invalid={problems.length > 0 ? true : undefined}
          aria-describedby={problems.length > 0 ? `${id}-problems` : undefined}
          rows={Math.min(Math.max(lines + 1, 14), 40)}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={(e) => {
            // Tab indents (YAML is all indentation); Shift+Tab and Escape leave the field as usual.
            if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
              e.preventDefault();
              const el = e.currentTarget;
              const { selectionStart: s, selectionEnd: end } = el;
              onChange(`${value.slice(0, s)}  ${value.slice(end)}`);
              requestAnimationFrame(() => el.setSelectionRange(s + 2, s + 2));
            }
          }}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
      {problems.length > 0 && (
        <ul id={`${id}-problems`} className="problem-list" aria-label="Problems" aria-live="assertive">
          {problems.map((p) => (
            <li key={`${p.path ?? ''}:${p.line}:${p.column}:${p.message}`}>
              <button type="button" className="link-button" onClick={() => goTo(p)}>
                Line {p.line}, column {p.column}
              </button>
              : {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
