import type { Catalog } from '@harrier/query';
import { type CompletionItem, completeAt } from '@harrier/query/completion';
import { type KeyboardEvent, useId, useMemo, useRef, useState } from 'react';
import { highlightQuery, markOffset } from './highlight.ts';

/** Where the server says the query is wrong (the `details` of a 400 `invalid_query`). */
export interface QueryProblem {
  message: string;
  line: number;
  column: number;
  offset: number;
  expected?: string[];
}

interface Props {
  value: string;
  onChange: (value: string) => void;
  onRun: () => void;
  problem: QueryProblem | null;
  /** The server's tables and fields; the query package's defaults until it has answered. */
  catalog?: Catalog | undefined;
}

interface Popup {
  from: number;
  to: number;
  items: CompletionItem[];
  active: number;
  line: number;
  column: number;
}

const WORD_CHAR = /[A-Za-z0-9_|]/;

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) };
}

/**
 * The hunting editor: a plain textarea (so typing, selection, undo and screen readers behave
 * as in any text field) laid over a highlighted copy of its text. Table and field names
 * complete as you type or on Ctrl+Space; Ctrl/Cmd+Enter runs.
 */
export function QueryEditor({ value, onChange, onRun, problem, catalog }: Props) {
  const id = useId();
  const listId = `${id}-completions`;
  const area = useRef<HTMLTextAreaElement>(null);
  const mirror = useRef<HTMLPreElement>(null);
  const [popup, setPopup] = useState<Popup | null>(null);
  const spans = useMemo(() => {
    const plain = highlightQuery(value);
    return problem ? markOffset(plain, problem.offset) : plain;
  }, [value, problem]);

  const suggest = (text: string, caret: number, explicit: boolean) => {
    const c = completeAt(text, caret, catalog);
    const typed = text.slice(c.from, caret);
    // Typing a word opens the list; an exact, single match needs no list.
    const items = c.items.filter((i) => explicit || i.label !== typed).slice(0, 50);
    if (items.length === 0 || (!explicit && typed === '' && text[caret - 1] !== '|')) {
      setPopup(null);
      return;
    }
    setPopup({ from: c.from, to: c.to, items, active: 0, ...lineAndColumn(text, c.from) });
  };

  const accept = (item: CompletionItem) => {
    if (!popup) return;
    const needsSpace = value[popup.from - 1] === '|';
    const insert = `${needsSpace ? ' ' : ''}${item.label}`;
    const next = value.slice(0, popup.from) + insert + value.slice(popup.to);
    onChange(next);
    setPopup(null);
    const caret = popup.from + insert.length;
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(caret, caret);
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      setPopup(null);
      onRun();
      return;
    }
    if (e.key === ' ' && e.ctrlKey) {
      e.preventDefault();
      suggest(value, e.currentTarget.selectionStart, true);
      return;
    }
    if (!popup) return;
    const n = popup.items.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setPopup({ ...popup, active: (popup.active + step + n) % n });
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      const item = popup.items[popup.active];
      if (item) accept(item);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setPopup(null);
    }
  };

  const activeId = popup ? `${listId}-${popup.active}` : undefined;
  return (
    <div className="query-editor">
      <div className="query-editor-surface">
        <pre ref={mirror} className="query-mirror code" aria-hidden="true">
          {spans.map((s, i) => (
            <span
              // biome-ignore lint/suspicious/noArrayIndexKey: spans are positional and re-made on each edit.
              key={i}
              className={`hl-${s.kind}${'marked' in s && s.marked ? ' hl-marked' : ''}`}
            >
              {s.text}
            </span>
          ))}
          {/* A trailing newline needs a character after it to take up its line. */}
          {'\n'}
        </pre>
        <textarea
          ref={area}
          id="hunt-query"
          className="query-input code"
          aria-label="Query"
          aria-describedby={problem ? `${id}-problem` : `${id}-help`}
          aria-invalid={problem ? true : undefined}
          aria-autocomplete="list"
          aria-controls={popup ? listId : undefined}
          aria-activedescendant={activeId}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          rows={Math.max(4, value.split('\n').length + 1)}
          value={value}
          onChange={(e) => {
            onChange(e.target.value);
            const caret = e.target.selectionStart;
            const typed = e.target.value[caret - 1] ?? '';
            if (WORD_CHAR.test(typed)) suggest(e.target.value, caret, false);
            else setPopup(null);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setPopup(null)}
          onScroll={(e) => {
            if (mirror.current) {
              mirror.current.scrollTop = e.currentTarget.scrollTop;
              mirror.current.scrollLeft = e.currentTarget.scrollLeft;
            }
          }}
        />
        {popup && (
          <div
            id={listId}
            role="listbox"
            aria-label="Completions"
            className="completion-list"
            style={{
              top: `calc(${popup.line + 1} * 1.5em + 0.6rem)`,
              left: `calc(${popup.column}ch + 0.75rem)`,
            }}
          >
            {popup.items.map((item, i) => (
              <div
                key={`${item.kind}:${item.label}`}
                tabIndex={-1}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === popup.active}
                className={i === popup.active ? 'active' : undefined}
                // mousedown, not click: the textarea must not blur (and close the list) first.
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(item);
                }}
              >
                <span className={`hl-${item.kind === 'operator' ? 'keyword' : item.kind}`}>{item.label}</span>
                <span className="muted">{item.detail ?? item.kind}</span>
              </div>
            ))}
          </div>
        )}
      </div>
      {problem ? (
        <p id={`${id}-problem`} className="form-error" role="alert" data-testid="query-problem">
          Line {problem.line}, column {problem.column}: {problem.message}
          {problem.expected && problem.expected.length > 0 && (
            <span className="muted"> (expected {problem.expected.slice(0, 6).join(', ')})</span>
          )}
        </p>
      ) : (
        <p id={`${id}-help`} className="muted small">
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd> runs · <kbd>Ctrl</kbd>+<kbd>Space</kbd> completes table and field
          names
        </p>
      )}
    </div>
  );
}
