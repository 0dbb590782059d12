/**
 * The attachment types a case accepts, each with a check of the bytes' magic
 * (or, for text, that the bytes are text), so a declared `image/png` that is
 * really an executable is refused. Everything else is refused outright.
 */
type Sniff = (bytes: Buffer) => boolean;

const startsWith =
  (...signatures: number[][]): Sniff =>
  (bytes) =>
    signatures.some((sig) => bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b));

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** UTF-8 without NUL bytes: what text formats must be. */
function isText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function isJson(bytes: Buffer): boolean {
  if (!isText(bytes)) return false;
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

export const ATTACHMENT_TYPES: Readonly<Record<string, Sniff>> = {
  'image/png': startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': startsWith([0xff, 0xd8, 0xff]),
  'image/gif': startsWith(ascii('GIF87a'), ascii('GIF89a')),
  'application/pdf': startsWith(ascii('%PDF-')),
  'application/zip': startsWith([0x50, 0x4b, 0x03, 0x04], [0x50, 0x4b, 0x05, 0x06]),
  'application/gzip': startsWith([0x1f, 0x8b]),
  // Packet captures (libpcap in either byte order and nanosecond variants, pcapng).
  'application/vnd.tcpdump.pcap': startsWith(
    [0xd4, 0xc3, 0xb2, 0xa1],
    [0xa1, 0xb2, 0xc3, 0xd4],
    [0x4d, 0x3c, 0xb2, 0xa1],
    [0xa1, 0xb2, 0x3c, 0x4d],
    [0x0a, 0x0d, 0x0d, 0x0a],
  ),
  'text/plain': isText,
  'text/csv': isText,
  'application/json': isJson,
};

/** Media types that may be attached, for error messages and the console's file picker. */
export const ALLOWED_ATTACHMENT_TYPES = Object.keys(ATTACHMENT_TYPES);

/** Why bytes may not be stored as `contentType`, or undefined when they may. */
export function attachmentTypeProblem(
  contentType: string,
  bytes: Buffer,
): 'type_not_allowed' | 'content_mismatch' | undefined {
  const sniff = ATTACHMENT_TYPES[contentType];
  if (!sniff) return 'type_not_allowed';
  return sniff(bytes) ? undefined : 'content_mismatch';
}

/**
 * A file name safe to store and to send back in Content-Disposition: no path,
 * no control or quote characters, at most 255 characters.
 */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .replace(/^\.+/, '');
  return (cleaned || 'attachment').slice(0, 255);
}

/** `Content-Disposition: attachment` with an ASCII fallback and the RFC 5987 UTF-8 name. */
export function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/[\\;]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
