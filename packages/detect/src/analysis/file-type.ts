/** A file type recognized from its first bytes. */
export interface FileType {
  /** Short stable name: `pe`, `elf`, `pdf`, `zip`, `ole`, `script`, `text`, `unknown`… */
  kind: string;
  mime: string;
  description: string;
}

interface Magic {
  bytes: number[];
  offset?: number;
  type: FileType;
}

const MAGICS: Magic[] = [
  {
    bytes: [0x4d, 0x5a],
    type: {
      kind: 'pe',
      mime: 'application/vnd.microsoft.portable-executable',
      description: 'Windows executable (MZ)',
    },
  },
  {
    bytes: [0x7f, 0x45, 0x4c, 0x46],
    type: { kind: 'elf', mime: 'application/x-elf', description: 'ELF executable' },
  },
  {
    bytes: [0xcf, 0xfa, 0xed, 0xfe],
    type: { kind: 'macho', mime: 'application/x-mach-binary', description: 'Mach-O 64-bit executable' },
  },
  {
    bytes: [0xca, 0xfe, 0xba, 0xbe],
    type: {
      kind: 'macho',
      mime: 'application/x-mach-binary',
      description: 'Mach-O universal binary or Java class',
    },
  },
  {
    bytes: [0x25, 0x50, 0x44, 0x46, 0x2d],
    type: { kind: 'pdf', mime: 'application/pdf', description: 'PDF document' },
  },
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    type: { kind: 'zip', mime: 'application/zip', description: 'ZIP archive (or OOXML/JAR/APK)' },
  },
  {
    bytes: [0x50, 0x4b, 0x05, 0x06],
    type: { kind: 'zip', mime: 'application/zip', description: 'empty ZIP archive' },
  },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    type: {
      kind: 'ole',
      mime: 'application/x-ole-storage',
      description: 'OLE compound document (legacy Office, MSI)',
    },
  },
  {
    bytes: [0x1f, 0x8b],
    type: { kind: 'gzip', mime: 'application/gzip', description: 'gzip compressed data' },
  },
  {
    bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07],
    type: { kind: 'rar', mime: 'application/vnd.rar', description: 'RAR archive' },
  },
  {
    bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c],
    type: { kind: '7z', mime: 'application/x-7z-compressed', description: '7-Zip archive' },
  },
  { bytes: [0x89, 0x50, 0x4e, 0x47], type: { kind: 'png', mime: 'image/png', description: 'PNG image' } },
  { bytes: [0xff, 0xd8, 0xff], type: { kind: 'jpeg', mime: 'image/jpeg', description: 'JPEG image' } },
  { bytes: [0x47, 0x49, 0x46, 0x38], type: { kind: 'gif', mime: 'image/gif', description: 'GIF image' } },
  {
    bytes: [0x4c, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00],
    type: { kind: 'lnk', mime: 'application/x-ms-shortcut', description: 'Windows shortcut (LNK)' },
  },
  {
    bytes: [0x75, 0x73, 0x74, 0x61, 0x72],
    offset: 257,
    type: { kind: 'tar', mime: 'application/x-tar', description: 'tar archive' },
  },
];

const startsWith = (data: Uint8Array, bytes: number[], offset = 0) =>
  data.length >= offset + bytes.length && bytes.every((b, i) => data[offset + i] === b);

/** Whether the bytes look like text: no NUL and almost only printable characters. */
export function looksLikeText(data: Uint8Array): boolean {
  const n = Math.min(data.length, 8192);
  if (n === 0) return true;
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const c = data[i]!;
    if (c === 0) return false;
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 128) printable++;
  }
  return printable / n > 0.95;
}

/**
 * Recognizes a file's type from its magic bytes (never from its name), then
 * scripts by their shebang or typical start, then plain text.
 */
export function detectFileType(data: Uint8Array): FileType {
  for (const m of MAGICS) if (startsWith(data, m.bytes, m.offset)) return m.type;
  if (looksLikeText(data)) {
    const head = new TextDecoder().decode(data.subarray(0, 512)).trimStart().toLowerCase();
    if (head.startsWith('#!'))
      return { kind: 'script', mime: 'text/x-shellscript', description: `script (${head.split('\n')[0]})` };
    if (head.startsWith('<?php'))
      return { kind: 'script', mime: 'application/x-php', description: 'PHP script' };
    if (/^(<!doctype html|<html)/.test(head))
      return { kind: 'html', mime: 'text/html', description: 'HTML document' };
    if (/^(param\s*\(|\$[a-z_]+\s*=|function\s+[a-z-]+|set-strictmode|\[cmdletbinding)/.test(head)) {
      return { kind: 'script', mime: 'text/x-powershell', description: 'PowerShell script' };
    }
    return { kind: 'text', mime: 'text/plain', description: 'text' };
  }
  return { kind: 'unknown', mime: 'application/octet-stream', description: 'data' };
}
