import { uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { readJson } from '../db/json-column.ts';
import { notFound, unprocessable } from '../errors.ts';
import {
  type HandoverItem,
  type HandoverRow,
  HandoversRepository,
} from '../repositories/handovers-repository.ts';
import { OPEN_CASE_STATUSES } from './case-transitions.ts';
import { CLOSED_ALERT_STATUSES } from './detection-service.ts';
import type { Mailer } from './smtp-mailer.ts';

/** How far back a shift reaches when neither the caller nor an earlier handover says. */
const DEFAULT_SHIFT_MS = 12 * 3600_000;
/** A handover lists at most this many alerts and cases each (the rest are counted). */
const MAX_ITEMS = 200;

export interface HandoverInput {
  notes: string;
  recipients?: string[] | undefined;
  shift_start?: number | undefined;
  shift_end?: number | undefined;
}

/**
 * Shift handovers (seed 004): a note with the open alerts and cases of the
 * shift, computed when it is written, e-mailed to the recipients through
 * SMTP and kept in the history with how the delivery went.
 */
export class HandoverService {
  private readonly handovers: HandoversRepository;

  constructor(
    database: HarrierDatabase,
    private readonly mailer: Mailer,
  ) {
    this.handovers = new HandoversRepository(database.db);
  }

  list(orgId: string, before: string | undefined, limit: number): Promise<HandoverRow[]> {
    return this.handovers.list(orgId, before, limit);
  }

  async get(orgId: string, id: string): Promise<HandoverRow> {
    const row = await this.handovers.find(orgId, id);
    if (!row) throw notFound('handover_not_found', 'No such handover.');
    return row;
  }

  async create(
    orgId: string,
    author: { id: string; email: string },
    input: HandoverInput,
    now = Date.now(),
  ): Promise<HandoverRow> {
    const shiftEnd = input.shift_end ?? now;
    const previous = (await this.handovers.list(orgId, undefined, 1))[0];
    const shiftStart = input.shift_start ?? previous?.shift_end ?? shiftEnd - DEFAULT_SHIFT_MS;
    if (shiftStart >= shiftEnd)
      throw unprocessable('invalid_shift', 'The shift must start before it ends.', {
        shift_start: new Date(shiftStart).toISOString(),
        shift_end: new Date(shiftEnd).toISOString(),
      });
    const [alerts, cases] = await Promise.all([
      this.handovers.openAlerts(orgId, CLOSED_ALERT_STATUSES, shiftStart, MAX_ITEMS),
      this.handovers.openCases(orgId, OPEN_CASE_STATUSES, MAX_ITEMS),
    ]);
    const recipients = [...new Set((input.recipients ?? []).map((r) => r.trim().toLowerCase()))];
    const row: HandoverRow = {
      id: uuidv7(now),
      org_id: orgId,
      author_id: author.id,
      shift_start: shiftStart,
      shift_end: shiftEnd,
      notes: input.notes,
      recipients: JSON.stringify(recipients),
      open_alerts: JSON.stringify(alerts),
      open_cases: JSON.stringify(cases),
      delivery_status: 'not_sent',
      delivery_error: null,
      sent_at: null,
      created_at: now,
    };
    await this.handovers.insert(row);
    if (recipients.length === 0) return row;
    return this.deliver(row, author.email);
  }

  /** Sends (again) the handover to its recipients; the outcome is kept on the handover. */
  async send(orgId: string, id: string, senderEmail: string): Promise<HandoverRow> {
    const row = await this.get(orgId, id);
    if (readJson<string[]>(row.recipients, []).length === 0)
      throw unprocessable('no_recipients', 'This handover has no recipients.');
    return this.deliver(row, senderEmail);
  }

  private async deliver(row: HandoverRow, authorEmail: string, now = Date.now()): Promise<HandoverRow> {
    const mail = handoverMail(row, authorEmail);
    let changes: Pick<HandoverRow, 'delivery_status' | 'delivery_error' | 'sent_at'>;
    try {
      await this.mailer.send({ to: readJson<string[]>(row.recipients, []), ...mail });
      changes = { delivery_status: 'sent', delivery_error: null, sent_at: now };
    } catch (error) {
      // The handover is kept whatever the mail server says; the history shows why it was not sent.
      changes = {
        delivery_status: 'failed',
        delivery_error: (error as Error).message.slice(0, 500),
        sent_at: null,
      };
    }
    await this.handovers.update(row.org_id, row.id, changes);
    return { ...row, ...changes };
  }
}

/** The e-mail of a handover: plain text, one line per open alert and case. */
export function handoverMail(row: HandoverRow, authorEmail: string): { subject: string; text: string } {
  const alerts = readJson<HandoverItem[]>(row.open_alerts, []);
  const cases = readJson<HandoverItem[]>(row.open_cases, []);
  const start = new Date(row.shift_start).toISOString();
  const end = new Date(row.shift_end).toISOString();
  const line = (i: HandoverItem) => `- [${i.severity}] ${i.title} (${i.status}) ${i.id}`;
  const text = [
    `Shift handover from ${authorEmail}`,
    `Shift: ${start} – ${end}`,
    '',
    row.notes,
    '',
    `Open cases (${cases.length}):`,
    ...(cases.length > 0 ? cases.map(line) : ['- none']),
    '',
    `Open alerts of the shift (${alerts.length}):`,
    ...(alerts.length > 0 ? alerts.map(line) : ['- none']),
    '',
  ].join('\n');
  return {
    subject: `Shift handover: ${cases.length} open case(s), ${alerts.length} open alert(s)`,
    text,
  };
}
