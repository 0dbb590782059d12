/**
 * Syslog messages as rsyslog, syslog-ng and `logger` put them on the wire: RFC 5424
 * (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG`) and the legacy BSD format of RFC 3164
 * (`<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG`). Both become one {@link LogRecord}, the shape
 * every shipper's log line is turned into before it becomes an event.
 */

/** One log line from any shipper, before it becomes an event. */
export interface LogRecord {
  /** Epoch ms (UTC); undefined when the line carries no usable time. */
  ts: number | undefined;
  host?: string | undefined;
  program?: string | undefined;
  pid?: number | undefined;
  /** Facility name (`auth`, `authpriv`, `local0`, …). */
  facility?: string | undefined;
  /** Severity name (`emerg` … `debug`, syslog's words). */
  priority?: string | undefined;
  msgid?: string | undefined;
  /** RFC 5424 structured data: SD-ID → parameters. */
  sd?: Record<string, Record<string, string>> | undefined;
  message: string;
}

export const SYSLOG_FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'solaris-cron',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
] as const;

export const SYSLOG_SEVERITIES = [
  'emerg',
  'alert',
  'crit',
  'err',
  'warning',
  'notice',
  'info',
  'debug',
] as const;

const MONTHS: Record<string, number> = {
  Jan: 1,
  Feb: 2,
  Mar: 3,
  Apr: 4,
  May: 5,
  Jun: 6,
  Jul: 7,
  Aug: 8,
  Sep: 9,
  Oct: 10,
  Nov: 11,
  Dec: 12,
};

/** Why a line is not a syslog message; the listener counts these, the HTTP routes report them. */
export class SyslogParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyslogParseError';
  }
}

const RFC5424_HEAD = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) /;
const RFC3164_STAMP = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)? /;
const ISO_STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})) /;
// TAG[PID]: — the colon is optional (rsyslog forwards `sudo alice : …` without it).
const TAG = /^([^\s:[\]]{1,64})(?:\[(\d{1,10})\])?(?::\s?|\s)/;

function nil(value: string): string | undefined {
  return value === '-' ? undefined : value;
}

function priorityParts(pri: number): { facility: string | undefined; priority: string } {
  return { facility: SYSLOG_FACILITIES[pri >> 3], priority: SYSLOG_SEVERITIES[pri & 7]! };
}

/**
 * RFC 3164 has no year and no zone: the time is read as UTC in the year that puts it closest
 * to `now` (a December line received in January belongs to last year).
 */
function bsdTime(m: RegExpExecArray, now: number): number | undefined {
  const month = MONTHS[m[1]!];
  if (month === undefined) return undefined;
  const year = new Date(now).getUTCFullYear();
  const at = (y: number) => Date.UTC(y, month - 1, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  let ts = at(year);
  if (ts - now > 86_400_000) ts = at(year - 1);
  else if (now - ts > 300 * 86_400_000) ts = at(year + 1);
  return Number.isNaN(ts) ? undefined : ts;
}

function isoTime(value: string): number | undefined {
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** Parses RFC 5424 structured data at the start of `s`; returns it and the rest. */
function parseStructuredData(s: string): { sd: LogRecord['sd']; rest: string } {
  if (s.startsWith('-')) return { sd: undefined, rest: s.slice(1) };
  const sd: Record<string, Record<string, string>> = {};
  let i = 0;
  while (s[i] === '[') {
    i++;
    const idEnd = s.slice(i).search(/[ \]]/);
    if (idEnd < 0) throw new SyslogParseError('unterminated structured data');
    const id = s.slice(i, i + idEnd);
    i += idEnd;
    const params: Record<string, string> = {};
    while (s[i] === ' ') {
      i++;
      const eq = s.indexOf('="', i);
      if (eq < 0) throw new SyslogParseError('structured data parameter without a value');
      const name = s.slice(i, eq);
      i = eq + 2;
      let value = '';
      while (i < s.length && s[i] !== '"') {
        // RFC 5424 §6.3.3: only \" \\ and \] are escapes; any other backslash is kept.
        if (s[i] === '\\' && (s[i + 1] === '"' || s[i + 1] === '\\' || s[i + 1] === ']')) i++;
        value += s[i];
        i++;
      }
      if (s[i] !== '"') throw new SyslogParseError('unterminated structured data value');
      i++;
      params[name] = value;
    }
    if (s[i] !== ']') throw new SyslogParseError('unterminated structured data element');
    i++;
    sd[id] = params;
  }
  if (i === 0) throw new SyslogParseError('structured data must be "-" or start with "["');
  return { sd, rest: s.slice(i) };
}

/**
 * Parses one syslog message (no framing, trailing newline allowed). RFC 5424 is recognised by
 * its version `1` after the PRI; anything else with a PRI is read as RFC 3164. A line without
 * `<PRI>` (a shipper that strips it) is read as RFC 3164 without priority. Throws
 * {@link SyslogParseError} when nothing usable is left.
 */
export function parseSyslogMessage(input: string, now: number = Date.now()): LogRecord {
  let line = input.replace(/[\r\n\0]+$/, '');
  if (line.length === 0) throw new SyslogParseError('empty syslog message');
  const head = RFC5424_HEAD.exec(line);
  if (head) {
    const pri = Number(head[1]);
    if (pri > 191) throw new SyslogParseError(`priority ${pri} is out of range`);
    const ts = head[2] === '-' ? undefined : isoTime(head[2]!);
    if (head[2] !== '-' && ts === undefined) throw new SyslogParseError(`bad RFC 5424 timestamp ${head[2]}`);
    const { sd, rest } = parseStructuredData(line.slice(head[0].length));
    let message = rest.startsWith(' ') ? rest.slice(1) : rest;
    if (message.startsWith('\uFEFF')) message = message.slice(1);
    const procid = nil(head[5]!);
    return {
      ts,
      host: nil(head[3]!),
      program: nil(head[4]!),
      pid: procid !== undefined && /^\d{1,10}$/.test(procid) ? Number(procid) : undefined,
      ...priorityParts(pri),
      msgid: nil(head[6]!),
      sd,
      message,
    };
  }
  let facility: string | undefined;
  let priority: string | undefined;
  const pri = /^<(\d{1,3})>/.exec(line);
  if (pri) {
    const n = Number(pri[1]);
    if (n > 191) throw new SyslogParseError(`priority ${n} is out of range`);
    ({ facility, priority } = priorityParts(n));
    line = line.slice(pri[0].length);
  }
  let ts: number | undefined;
  const bsd = RFC3164_STAMP.exec(line);
  const iso = bsd ? null : ISO_STAMP.exec(line);
  if (bsd) {
    ts = bsdTime(bsd, now);
    line = line.slice(bsd[0].length);
  } else if (iso) {
    ts = isoTime(iso[1]!);
    line = line.slice(iso[0].length);
  } else if (!pri) {
    throw new SyslogParseError('not a syslog message: no <PRI> and no timestamp');
  }
  let host: string | undefined;
  // The host is the next word unless that word is already the tag (`prog[1]:` or `prog:`).
  const word = /^(\S+) /.exec(line);
  if ((bsd || iso) && word && !/[:\]]$/.test(word[1]!)) {
    host = word[1];
    line = line.slice(word[0].length);
  }
  const tag = TAG.exec(line);
  let program: string | undefined;
  let pid: number | undefined;
  if (tag) {
    program = tag[1];
    pid = tag[2] ? Number(tag[2]) : undefined;
    line = line.slice(tag[0].length);
  }
  return { ts, host, program, pid, facility, priority, message: line };
}

/**
 * Splits a TCP syslog stream into messages (RFC 6425 / RFC 6587): octet counting
 * (`LEN SP MSG`) when a frame starts with a digit, otherwise newline framing. Both may
 * alternate on one connection. Feed it chunks as they arrive; it keeps the partial frame.
 */
export class SyslogFramer {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(
    /** Largest frame accepted; a longer one is an error (the connection should be closed). */
    private readonly maxFrameBytes: number = 64 * 1024,
  ) {}

  /** Adds bytes and returns the complete messages found so far. Throws on a corrupt stream. */
  push(chunk: Buffer): string[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: string[] = [];
    let pos = 0;
    const buf = this.buffer;
    for (;;) {
      // Newlines and spaces between frames are not part of any message.
      while (pos < buf.length && (buf[pos] === 0x0a || buf[pos] === 0x0d || buf[pos] === 0x20)) pos++;
      if (pos >= buf.length) break;
      const c = buf[pos]!;
      if (c >= 0x30 && c <= 0x39) {
        let i = pos;
        while (i < buf.length && i - pos < 10 && buf[i]! >= 0x30 && buf[i]! <= 0x39) i++;
        if (i >= buf.length) break;
        if (buf[i] !== 0x20) throw new SyslogParseError('octet count not followed by a space');
        const len = Number(buf.toString('latin1', pos, i));
        if (len === 0 || len > this.maxFrameBytes) {
          throw new SyslogParseError(`frame length ${len} is out of range (1–${this.maxFrameBytes})`);
        }
        if (buf.length - (i + 1) < len) break;
        out.push(buf.toString('utf8', i + 1, i + 1 + len));
        pos = i + 1 + len;
        continue;
      }
      const nl = buf.indexOf(0x0a, pos);
      if (nl < 0) {
        if (buf.length - pos > this.maxFrameBytes) {
          throw new SyslogParseError(`line longer than ${this.maxFrameBytes} bytes`);
        }
        break;
      }
      out.push(buf.toString('utf8', pos, nl));
      pos = nl + 1;
    }
    this.buffer = pos >= buf.length ? Buffer.alloc(0) : buf.subarray(pos);
    return out;
  }

  /** What is left when the connection ends: a final newline-framed message without its newline. */
  end(): string[] {
    const rest = this.buffer.toString('utf8').trim();
    this.buffer = Buffer.alloc(0);
    return rest.length > 0 && !/^\d/.test(rest) ? [rest] : [];
  }
}
