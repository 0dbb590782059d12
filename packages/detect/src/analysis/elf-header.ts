/** Facts read from an ELF file's headers. */
export interface ElfFacts {
  bits: 32 | 64;
  endian: 'little' | 'big';
  type: 'relocatable' | 'executable' | 'shared' | 'core' | 'unknown';
  machine: string;
  entryPoint: number;
  /** The program interpreter (dynamic loader) when the file names one. */
  interpreter: string | null;
  sections: string[];
  /** No `.symtab`: symbols were removed (common, but notable together with other signs). */
  stripped: boolean;
}

const MACHINES: Record<number, string> = {
  3: 'x86',
  8: 'mips',
  20: 'powerpc',
  40: 'arm',
  62: 'x86-64',
  183: 'aarch64',
  243: 'riscv',
};
const TYPES: Record<number, ElfFacts['type']> = { 1: 'relocatable', 2: 'executable', 3: 'shared', 4: 'core' };

/**
 * Parses an ELF file's identification, header, program headers (for the
 * interpreter) and section names; null when the bytes are not ELF. Offsets are
 * bounds-checked and counts capped.
 */
export function parseElfHeaders(data: Uint8Array): ElfFacts | null {
  if (data.length < 52 || data[0] !== 0x7f || data[1] !== 0x45 || data[2] !== 0x4c || data[3] !== 0x46)
    return null;
  const bits = data[4] === 2 ? 64 : data[4] === 1 ? 32 : null;
  const little = data[5] === 1 ? true : data[5] === 2 ? false : null;
  if (bits === null || little === null || (bits === 64 && data.length < 64)) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const u16 = (at: number) => (at + 2 <= data.length ? view.getUint16(at, little) : 0);
  const u32 = (at: number) => (at + 4 <= data.length ? view.getUint32(at, little) : 0);
  const addr = (at: number) =>
    bits === 64 ? (at + 8 <= data.length ? Number(view.getBigUint64(at, little)) : 0) : u32(at);
  const type = TYPES[u16(16)] ?? 'unknown';
  const machine = u16(18);
  const entryPoint = addr(24);
  const phoff = addr(bits === 64 ? 32 : 28);
  const shoff = addr(bits === 64 ? 40 : 32);
  const phentsize = u16(bits === 64 ? 54 : 42);
  const phnum = Math.min(u16(bits === 64 ? 56 : 44), 256);
  const shentsize = u16(bits === 64 ? 58 : 46);
  const shnum = Math.min(u16(bits === 64 ? 60 : 48), 1024);
  const shstrndx = u16(bits === 64 ? 62 : 50);

  let interpreter: string | null = null;
  for (let i = 0; i < phnum && phentsize > 0; i++) {
    const p = phoff + i * phentsize;
    if (p + phentsize > data.length) break;
    if (u32(p) !== 3) continue;
    const off = bits === 64 ? addr(p + 8) : u32(p + 4);
    const size = bits === 64 ? addr(p + 32) : u32(p + 16);
    if (off + size <= data.length && size < 4096) {
      interpreter = new TextDecoder().decode(data.subarray(off, off + size)).replace(/\0+$/, '');
    }
  }
  const sections: string[] = [];
  if (shentsize > 0 && shstrndx < shnum) {
    const strHeader = shoff + shstrndx * shentsize;
    const strOff = bits === 64 ? addr(strHeader + 24) : u32(strHeader + 16);
    for (let i = 0; i < shnum; i++) {
      const h = shoff + i * shentsize;
      if (h + shentsize > data.length) break;
      const nameAt = strOff + u32(h);
      if (nameAt >= data.length) continue;
      let name = '';
      for (let j = nameAt; j < data.length && data[j] !== 0 && name.length < 128; j++)
        name += String.fromCharCode(data[j]!);
      if (name !== '') sections.push(name);
    }
  }
  return {
    bits,
    endian: little ? 'little' : 'big',
    type,
    machine: MACHINES[machine] ?? String(machine),
    entryPoint,
    interpreter,
    sections,
    stripped: !sections.includes('.symtab'),
  };
}
