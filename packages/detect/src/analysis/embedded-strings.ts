/** Printable strings found in a file and what among them is worth an analyst's look. */
export interface EmbeddedStrings {
  urls: string[];
  ipv4: string[];
  emails: string[];
  /** Known-bad phrases (download cradles, injection APIs, shadow-copy deletion…), each with why. */
  suspicious: Array<{ text: string; reason: string }>;
  /** How many printable strings of at least the minimum length were seen. */
  count: number;
}

const MIN_LENGTH = 6;
const MAX_EACH = 100;

/** Phrases that mean little alone but much in a file someone asks about. */
const SUSPICIOUS: Array<[RegExp, string]> = [
  [/powershell(\.exe)?\s+.*-(e|en|enc|encodedcommand)\s/i, 'PowerShell with an encoded command'],
  [/(downloadstring|downloadfile|invoke-webrequest|net\.webclient)/i, 'PowerShell download cradle'],
  [/\b(iex|invoke-expression)\b/i, 'PowerShell executes a string'],
  [/(virtualallocex|writeprocessmemory|createremotethread|ntunmapviewofsection)/i, 'process injection API'],
  [/(isdebuggerpresent|checkremotedebuggerpresent)/i, 'debugger detection'],
  [/(mimikatz|sekurlsa|lsadump)/i, 'credential dumping tool'],
  [/vssadmin(\.exe)?\s+delete\s+shadows/i, 'shadow copy deletion (ransomware)'],
  [/bcdedit(\.exe)?\s+\/set\s+.*recoveryenabled\s+no/i, 'recovery disabled (ransomware)'],
  [/schtasks(\.exe)?\s+\/create/i, 'scheduled task creation'],
  [/\\currentversion\\run\b/i, 'Run key persistence'],
  [/\/dev\/tcp\/\d/i, 'bash reverse shell'],
  [/(nc|ncat|netcat)\s+(-e|-c)\s/i, 'netcat executing a shell'],
  [/(curl|wget)\s+[^|]*\|\s*(ba|z)?sh\b/i, 'download piped into a shell'],
  [/base64\s+(-d|--decode)/i, 'base64-decoded payload'],
  [/chmod\s+(\+x|[0-7]*7[0-7]{2})\s+\/tmp\//i, 'executable written to /tmp'],
  [/(your files (have been|are) encrypted|bitcoin wallet|\.onion\b)/i, 'ransom note wording'],
  [/\bUPX[0-9!]/, 'UPX packer marker'],
];

function uniquePush(list: string[], value: string) {
  if (list.length < MAX_EACH && !list.includes(value)) list.push(value);
}

/** Printable ASCII runs and UTF-16LE runs (Windows binaries keep many strings wide). */
export function printableStrings(data: Uint8Array, min = MIN_LENGTH, max = 20_000): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < data.length && out.length < max; i++) {
    const c = data[i]!;
    if (c >= 32 && c < 127) cur += String.fromCharCode(c);
    else {
      if (cur.length >= min) out.push(cur);
      cur = '';
    }
  }
  if (cur.length >= min) out.push(cur);
  cur = '';
  for (let i = 0; i + 1 < data.length && out.length < max; i += 2) {
    const c = data[i]!;
    if (data[i + 1] === 0 && c >= 32 && c < 127) cur += String.fromCharCode(c);
    else {
      if (cur.length >= min) out.push(cur);
      cur = '';
    }
  }
  if (cur.length >= min) out.push(cur);
  return out;
}

/** URLs, IPv4 addresses, e-mail addresses and suspicious phrases embedded in the bytes. */
export function embeddedStrings(data: Uint8Array): EmbeddedStrings {
  const strings = printableStrings(data);
  const found: EmbeddedStrings = { urls: [], ipv4: [], emails: [], suspicious: [], count: strings.length };
  const seenReasons = new Set<string>();
  for (const s of strings) {
    for (const m of s.matchAll(/\b(?:https?|ftp):\/\/[^\s"'<>()]{3,2000}/gi)) uniquePush(found.urls, m[0]);
    for (const m of s.matchAll(/\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g)) {
      if (!/^(0\.|127\.|255\.)/.test(m[0])) uniquePush(found.ipv4, m[0]);
    }
    for (const m of s.matchAll(
      /\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b/g,
    )) {
      uniquePush(found.emails, m[0]);
    }
    for (const [re, reason] of SUSPICIOUS) {
      if (seenReasons.has(reason) || !re.test(s)) continue;
      seenReasons.add(reason);
      found.suspicious.push({ text: s.length > 200 ? `${s.slice(0, 200)}…` : s, reason });
    }
  }
  return found;
}
