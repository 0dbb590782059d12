import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Attachment bytes on disk under `<dir>/<org id>/<attachment id>`. Both path
 * parts are ids we generated (never a client's file name), so no request can
 * reach outside the folder. Writes go to a temporary name first, so a crash
 * never leaves a truncated file under a real id.
 */
export class AttachmentStore {
  constructor(private readonly dir: string) {}

  private path(orgId: string, id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(orgId) || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('not an id');
    return join(this.dir, orgId, id);
  }

  async save(orgId: string, id: string, bytes: Buffer): Promise<void> {
    const target = this.path(orgId, id);
    await mkdir(join(this.dir, orgId), { recursive: true });
    const temp = `${target}.partial`;
    await writeFile(temp, bytes, { flag: 'wx' });
    await rename(temp, target);
  }

  /** A stream of the bytes; undefined when the file is gone (removed by hand, another disk). */
  async open(orgId: string, id: string): Promise<ReadStream | undefined> {
    const path = this.path(orgId, id);
    try {
      await stat(path);
    } catch {
      return undefined;
    }
    return createReadStream(path);
  }

  async remove(orgId: string, id: string): Promise<void> {
    await rm(this.path(orgId, id), { force: true });
  }
}
