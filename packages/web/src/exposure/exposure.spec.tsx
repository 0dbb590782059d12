import { describe, expect, it } from 'vitest';
import { mapResource } from '../hooks/resource-state.ts';
import { analysisKindOf, formatBytes } from './exposure-api.ts';

describe('exposure pages', () => {
  it('sends .eml files and message/rfc822 uploads to e-mail analysis, the rest to file analysis', () => {
    expect(analysisKindOf({ name: 'Invoice.EML', type: '' })).toBe('email');
    expect(analysisKindOf({ name: 'forwarded', type: 'message/rfc822' })).toBe('email');
    expect(analysisKindOf({ name: 'setup.exe', type: 'application/x-msdownload' })).toBe('file');
  });

  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(32 * 1024 * 1024)).toBe('32.0 MiB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MiB');
  });

  it('a KPI reads one figure of a loaded summary and passes other states through', () => {
    expect(mapResource({ status: 'ready', data: { n: 3 } }, (d) => ({ value: d.n }))).toEqual({
      status: 'ready',
      data: { value: 3 },
    });
    expect(mapResource({ status: 'forbidden', message: 'no' }, () => ({ value: 1 }))).toEqual({
      status: 'forbidden',
      message: 'no',
    });
  });
});
