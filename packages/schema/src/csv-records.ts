/**
 * Reads CSV text (RFC 4180: quoted fields may hold commas, doubled quotes and
 * line breaks) into records. Indicator lists, the CISA KEV catalogue and other
 * imports share it so every importer agrees on quoting.
 */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let sawAny = false;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    sawAny = true;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      sawAny = false;
    } else field += c;
  }
  if (sawAny || field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0] === ''));
}

/**
 * CSV records keyed by the header row's names (trimmed). Rows shorter than the
 * header get empty strings; extra cells are dropped.
 */
export function parseCsvObjects(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsvRecords(text);
  if (header === undefined) return [];
  const names = header.map((h) => h.trim());
  return rows.map((row) => {
    const out: Record<string, string> = {};
    names.forEach((name, i) => {
      out[name] = row[i] ?? '';
    });
    return out;
  });
}
