/**
 * Browser-side rules of the case pages. The server decides (and refuses with
 * 409/413/415); these only keep the console from offering what it would refuse.
 */

/** The statuses a case may move to (the server lists them as `next_statuses`), labelled for buttons. */
export function statusActions(
  status: string,
  next: readonly string[],
): Array<{ status: string; label: string }> {
  return next.map((to) => ({
    status: to,
    label:
      to === 'in_progress' && (status === 'resolved' || status === 'closed')
        ? 'Reopen'
        : to === 'in_progress' && status === 'contained'
          ? 'Back to in progress'
          : `Move to ${to.replaceAll('_', ' ')}`,
  }));
}

/** Case statuses, for the list filter. */
export const CASE_STATUSES = ['new', 'triage', 'in_progress', 'contained', 'resolved', 'closed'] as const;

/** Media types the server accepts as attachments (packages/server/src/services/attachment-types.ts). */
export const ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'application/pdf',
  'application/zip',
  'application/gzip',
  'application/vnd.tcpdump.pcap',
  'text/plain',
  'text/csv',
  'application/json',
] as const;

/** Why a picked file will be refused before it is sent, or null. */
export function uploadProblem(file: { name: string; size: number; type: string }): string | null {
  if (file.size === 0) return `${file.name} is empty.`;
  if (!(ATTACHMENT_TYPES as readonly string[]).includes(file.type))
    return `${file.name}: files of type ${file.type || 'unknown'} cannot be attached (allowed: images, PDF, zip, gzip, pcap, text, CSV, JSON).`;
  return null;
}

/** Alert ids typed into the link box: separated by commas, spaces or new lines, each once. */
export function parseIdList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
}

/** E-mail addresses typed into the recipients box; the invalid ones are returned apart. */
export function parseRecipients(text: string): { valid: string[]; invalid: string[] } {
  const all = parseIdList(text.replaceAll(';', ','));
  return {
    valid: all.filter((a) => /^[^\s@]+@[^\s@]+$/.test(a)),
    invalid: all.filter((a) => !/^[^\s@]+@[^\s@]+$/.test(a)),
  };
}

/** One line saying what a war-room entry recorded. */
export function describeEntry(e: {
  kind: string;
  body: string | null;
  data: Record<string, unknown>;
}): string {
  const d = e.data;
  const s = (v: unknown) => (typeof v === 'string' ? v.replaceAll('_', ' ') : '—');
  switch (e.kind) {
    case 'note':
      return 'added a note';
    case 'status':
      return `moved the case from ${s(d.from)} to ${s(d.to)}${e.body ? `: ${e.body}` : ''}`;
    case 'severity':
      return `changed the severity from ${s(d.from)} to ${s(d.to)}`;
    case 'owner':
      return d.to ? 'assigned the case' : 'removed the owner';
    case 'alert_linked':
      return `linked alert ${s(d.alert_id)}`;
    case 'alert_unlinked':
      return `unlinked alert ${s(d.alert_id)}`;
    case 'event_linked':
      return `added event ${s(d.event_id)} as evidence${e.body ? `: ${e.body}` : ''}`;
    case 'attachment':
      return `attached ${s(d.filename)}`;
    case 'attachment_removed':
      return `removed the attachment ${s(d.filename)}`;
    default:
      return e.kind.replaceAll('_', ' ');
  }
}

/** Human size of an attachment. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
