/**
 * Required literal of a regular expression, for the prefilter: the longest run of plain characters
 * that every match must contain. Conservative: a top-level alternation, or anything not clearly a
 * literal (classes, groups, quantified characters), yields no requirement.
 */

const META = new Set(['.', '^', '$', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}', '\\']);
const ESCAPED_LITERALS = new Set([
  '.',
  '^',
  '$',
  '|',
  '?',
  '*',
  '+',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '\\',
  '/',
  '-',
  ' ',
  '"',
  "'",
  ':',
  '@',
  '#',
  '%',
  '&',
  ',',
  ';',
  '<',
  '>',
  '=',
  '!',
  '~',
  '`',
]);

/** Longest literal every match of `source` contains (lowercased), or '' when none is certain. */
export function requiredRegexLiteral(source: string): string {
  let best = '';
  let run = '';
  let depth = 0;
  const endRun = (): void => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const n = source[i + 1];
      if (n === undefined) return '';
      i++;
      if (depth === 0 && ESCAPED_LITERALS.has(n)) {
        if (isQuantifier(source[i + 1])) {
          endRun();
          continue;
        }
        run += n;
      } else endRun();
      continue;
    }
    if (c === '[') {
      endRun();
      // Skip the class (a `]` right after `[` or `[^` is literal).
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      for (; j < source.length && source[j] !== ']'; j++) if (source[j] === '\\') j++;
      i = j;
      continue;
    }
    if (c === '(') {
      endRun();
      depth++;
      continue;
    }
    if (c === ')') {
      endRun();
      depth--;
      continue;
    }
    if (c === '|') {
      if (depth === 0) return '';
      continue;
    }
    if (META.has(c)) {
      endRun();
      continue;
    }
    if (depth > 0) continue;
    if (isQuantifier(source[i + 1])) {
      endRun();
      continue;
    }
    run += c;
  }
  endRun();
  return best.toLowerCase();
}

function isQuantifier(c: string | undefined): boolean {
  return c === '?' || c === '*' || c === '+' || c === '{';
}
