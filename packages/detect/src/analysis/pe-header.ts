/** Facts read from a Windows PE file's headers (never executed, only read). */
export interface PeFacts {
  machine: string;
  /** PE32 or PE32+ (64-bit). */
  format: 'PE32' | 'PE32+';
  /** Link time from the COFF header, epoch seconds (often forged; shown as stated). */
  timestamp: number;
  isDll: boolean;
  subsystem: string;
  entryPoint: number;
  sections: Array<{
    name: string;
    virtualSize: number;
    rawSize: number;
    entropy: number | null;
    executable: boolean;
    writable: boolean;
  }>;
  imports: Array<{ dll: string; functions: string[] }>;
}

const MACHINES: Record<number, string> = {
  332: 'x86',
  34404: 'x64',
  448: 'arm',
  43620: 'arm64',
  512: 'ia64',
};
const SUBSYSTEMS: Record<number, string> = {
  1: 'native',
  2: 'windows_gui',
  3: 'windows_cui',
  9: 'windows_ce',
  10: 'efi_application',
};
const MAX_IMPORT_DLLS = 256;
const MAX_IMPORT_FUNCTIONS = 4096;

/** Reads a NUL-terminated ASCII string at an offset, at most `max` bytes. */
function cString(data: Uint8Array, at: number, max = 256): string {
  let s = '';
  for (let i = at; i < data.length && i < at + max; i++) {
    const c = data[i]!;
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/**
 * Parses a PE file's DOS, COFF and optional headers, its section table and its
 * import directory. Returns null when the bytes are not a well-formed PE image;
 * every offset is bounds-checked and loops are capped, so hostile files can't
 * make it read out of range or spin.
 */
export function parsePeHeaders(data: Uint8Array, entropyOf?: (bytes: Uint8Array) => number): PeFacts | null {
  if (data.length < 0x40 || data[0] !== 0x4d || data[1] !== 0x5a) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const pe = view.getUint32(0x3c, true);
  if (pe + 24 > data.length || view.getUint32(pe, true) !== 0x00004550) return null;
  const machine = view.getUint16(pe + 4, true);
  const sectionCount = Math.min(view.getUint16(pe + 6, true), 96);
  const timestamp = view.getUint32(pe + 8, true);
  const optSize = view.getUint16(pe + 20, true);
  const characteristics = view.getUint16(pe + 22, true);
  const opt = pe + 24;
  if (opt + Math.max(optSize, 2) > data.length) return null;
  const magic = view.getUint16(opt, true);
  if (magic !== 0x10b && magic !== 0x20b) return null;
  const plus = magic === 0x20b;
  const readOpt = (offset: number, size: 2 | 4) =>
    opt + offset + size <= data.length
      ? size === 2
        ? view.getUint16(opt + offset, true)
        : view.getUint32(opt + offset, true)
      : 0;
  const entryPoint = readOpt(16, 4);
  const subsystem = readOpt(68, 2);
  const dirCount = readOpt(plus ? 108 : 92, 4);
  const dirs = opt + (plus ? 112 : 96);

  const sections: PeFacts['sections'] = [];
  const table: Array<{ va: number; vsize: number; raw: number; rawSize: number }> = [];
  let at = opt + optSize;
  for (let i = 0; i < sectionCount && at + 40 <= data.length; i++, at += 40) {
    const name = cString(data, at, 8);
    const vsize = view.getUint32(at + 8, true);
    const va = view.getUint32(at + 12, true);
    const rawSize = view.getUint32(at + 16, true);
    const raw = view.getUint32(at + 20, true);
    const flags = view.getUint32(at + 36, true);
    const inFile =
      raw < data.length ? data.subarray(raw, Math.min(data.length, raw + rawSize)) : new Uint8Array();
    sections.push({
      name,
      virtualSize: vsize,
      rawSize,
      entropy: entropyOf && inFile.length > 0 ? Math.round(entropyOf(inFile) * 1000) / 1000 : null,
      executable: (flags & 0x20000000) !== 0,
      writable: (flags & 0x80000000) !== 0,
    });
    table.push({ va, vsize: Math.max(vsize, rawSize), raw, rawSize });
  }
  const toOffset = (rva: number): number | null => {
    for (const s of table)
      if (rva >= s.va && rva < s.va + s.vsize && rva - s.va < s.rawSize) return s.raw + (rva - s.va);
    return null;
  };

  const imports: PeFacts['imports'] = [];
  if (dirCount > 1 && dirs + 16 <= data.length) {
    let desc = toOffset(view.getUint32(dirs + 8, true));
    let functions = 0;
    for (let d = 0; desc !== null && desc + 20 <= data.length && d < MAX_IMPORT_DLLS; d++, desc += 20) {
      const lookup = view.getUint32(desc, true) || view.getUint32(desc + 16, true);
      const nameRva = view.getUint32(desc + 12, true);
      if (lookup === 0 && nameRva === 0) break;
      const nameAt = toOffset(nameRva);
      const dll = nameAt === null ? '' : cString(data, nameAt);
      const names: string[] = [];
      let thunk = toOffset(lookup);
      const width = plus ? 8 : 4;
      while (thunk !== null && thunk + width <= data.length && functions < MAX_IMPORT_FUNCTIONS) {
        const lo = view.getUint32(thunk, true);
        const hi = plus ? view.getUint32(thunk + 4, true) : 0;
        if (lo === 0 && hi === 0) break;
        const byOrdinal = plus ? (hi & 0x80000000) !== 0 : (lo & 0x80000000) !== 0;
        if (byOrdinal) names.push(`#${lo & 0xffff}`);
        else {
          const hint = toOffset(lo);
          if (hint !== null) names.push(cString(data, hint + 2));
        }
        functions++;
        thunk += width;
      }
      if (dll !== '') imports.push({ dll, functions: names });
    }
  }
  return {
    machine: MACHINES[machine] ?? `0x${machine.toString(16)}`,
    format: plus ? 'PE32+' : 'PE32',
    timestamp,
    isDll: (characteristics & 0x2000) !== 0,
    subsystem: SUBSYSTEMS[subsystem] ?? String(subsystem),
    entryPoint,
    sections,
    imports,
  };
}
