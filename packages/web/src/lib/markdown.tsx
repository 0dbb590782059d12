import type { ReactNode } from 'react';

/**
 * A small Markdown renderer for comments and notes that produces React
 * elements only: text is never parsed as HTML (a `<script>` shows as text),
 * and links keep only http, https and mailto targets. It covers what analysts
 * write: paragraphs, headings, lists, quotes, fenced and inline code, bold,
 * italics and links.
 */
export function Markdown({ text }: { text: string }) {
  return <div className="markdown">{renderBlocks(text)}</div>;
}

const SAFE_URL = /^(https?:\/\/|mailto:)/i;

/** True when a link target may be followed (no `javascript:`, `data:` or relative tricks). */
export function isSafeUrl(url: string): boolean {
  return SAFE_URL.test(url.trim());
}

/** A line of the source with its number, which keys what it renders (the text never reorders). */
interface Line {
  n: number;
  text: string;
}

type Block =
  | { kind: 'code'; n: number; text: string }
  | { kind: 'heading'; n: number; level: number; text: string }
  | { kind: 'list'; n: number; ordered: boolean; items: Line[] }
  | { kind: 'quote'; n: number; lines: Line[] }
  | { kind: 'paragraph'; n: number; lines: Line[] };

const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;
const FENCE = /^\s*```/;
const HEADING = /^(#{1,6})\s+(.*)$/;
const QUOTE = /^\s*>/;

/** Splits Markdown into blocks (exported for tests). */
export function parseBlocks(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const n = i;
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (FENCE.test(line)) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !FENCE.test(lines[i]!)) body.push(lines[i++]!);
      i++;
      blocks.push({ kind: 'code', n, text: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', n, level: heading[1]!.length, text: heading[2]!.trim() });
      i++;
      continue;
    }
    if (BULLET.test(line) || NUMBERED.test(line)) {
      const ordered = !BULLET.test(line);
      const re = ordered ? NUMBERED : BULLET;
      const items: Line[] = [];
      while (i < lines.length && re.test(lines[i]!)) {
        items.push({ n: i, text: re.exec(lines[i]!)![1]! });
        i++;
      }
      blocks.push({ kind: 'list', n, ordered, items });
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted: Line[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) {
        quoted.push({ n: i, text: lines[i]!.replace(/^\s*>\s?/, '') });
        i++;
      }
      blocks.push({ kind: 'quote', n, lines: quoted });
      continue;
    }
    const para: Line[] = [];
    while (i < lines.length) {
      const l = lines[i]!;
      if (
        l.trim() === '' ||
        FENCE.test(l) ||
        HEADING.test(l) ||
        BULLET.test(l) ||
        NUMBERED.test(l) ||
        QUOTE.test(l)
      )
        break;
      para.push({ n: i, text: l });
      i++;
    }
    blocks.push({ kind: 'paragraph', n, lines: para });
  }
  return blocks;
}

function renderBlocks(text: string): ReactNode[] {
  return parseBlocks(text).map((b) => {
    const key = `b${b.n}`;
    switch (b.kind) {
      case 'code':
        return (
          <pre key={key} className="code-block">
            <code>{b.text}</code>
          </pre>
        );
      case 'heading': {
        // Comments sit under the page's h1 and the card's h2.
        const level = Math.min(6, b.level + 2);
        const Tag = `h${level}` as 'h3' | 'h4' | 'h5' | 'h6';
        return <Tag key={key}>{renderInline(b.text)}</Tag>;
      }
      case 'list': {
        const items = b.items.map((item) => <li key={`l${item.n}`}>{renderInline(item.text)}</li>);
        return b.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
      }
      case 'quote':
        return <blockquote key={key}>{withBreaks(b.lines)}</blockquote>;
      default:
        return <p key={key}>{withBreaks(b.lines)}</p>;
    }
  });
}

function withBreaks(lines: Line[]): ReactNode[] {
  const out: ReactNode[] = [];
  for (const l of lines) {
    if (out.length > 0) out.push(<br key={`br${l.n}`} />);
    out.push(...renderInline(l.text, `l${l.n}`));
  }
  return out;
}

const INLINE =
  /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|\[([^\]]+)\]\(([^)\s]+)\)/;

/** Inline spans: code, bold, italics, links; the rest is text. */
export function renderInline(text: string, keyPrefix = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let n = 0;
  while (rest.length > 0) {
    const m = INLINE.exec(rest);
    if (!m) {
      out.push(rest);
      break;
    }
    if (m.index > 0) out.push(rest.slice(0, m.index));
    const key = `${keyPrefix}-${n++}`;
    if (m[1] !== undefined) out.push(<code key={key}>{m[2]}</code>);
    else if (m[3] !== undefined || m[4] !== undefined)
      out.push(<strong key={key}>{renderInline(m[3] ?? m[4]!, key)}</strong>);
    else if (m[5] !== undefined || m[6] !== undefined)
      out.push(<em key={key}>{renderInline(m[5] ?? m[6]!, key)}</em>);
    else if (m[7] !== undefined) {
      const url = m[8]!;
      out.push(
        isSafeUrl(url) ? (
          <a key={key} href={url} rel="noopener noreferrer nofollow" target="_blank">
            {m[7]}
          </a>
        ) : (
          m[0]
        ),
      );
    }
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}
