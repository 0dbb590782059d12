import { createHash } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { uuidv7 } from '@harrier/schema';
import { badRequest, HarrierError, notFound, payloadTooLarge } from '../errors.ts';
import type { CaseAttachmentRow } from '../repositories/case-attachments-repository.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { ALLOWED_ATTACHMENT_TYPES, attachmentTypeProblem, safeFilename } from './attachment-types.ts';
import type { CaseService } from './case-service.ts';

export interface AttachmentUpload {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** Case attachments: size cap, allowed types checked against the bytes, stored on disk. */
export class CaseAttachmentService {
  constructor(
    private readonly cases: CaseService,
    private readonly store: AttachmentStore,
    readonly maxBytes: number,
  ) {}

  /** The stable 413 of an attachment over the cap (also thrown while the body streams in). */
  tooLarge(): HarrierError {
    return payloadTooLarge('attachment_too_large', `Attachments are limited to ${this.maxBytes} bytes.`, {
      max_bytes: this.maxBytes,
    });
  }

  async upload(
    orgId: string,
    actorId: string,
    caseId: string,
    upload: AttachmentUpload,
    now = Date.now(),
  ): Promise<CaseAttachmentRow> {
    await this.cases.get(orgId, caseId);
    if (upload.bytes.length > this.maxBytes) throw this.tooLarge();
    if (upload.bytes.length === 0) throw badRequest('empty_attachment', 'The attachment is empty.');
    const problem = attachmentTypeProblem(upload.contentType, upload.bytes);
    if (problem === 'type_not_allowed') {
      throw new HarrierError(
        415,
        'attachment_type_not_allowed',
        `Attachments of type "${upload.contentType || '(none)'}" are not accepted.`,
        { allowed: ALLOWED_ATTACHMENT_TYPES },
      );
    }
    if (problem === 'content_mismatch') {
      throw new HarrierError(
        415,
        'attachment_content_mismatch',
        `The bytes are not ${upload.contentType}: the declared type must match the content.`,
      );
    }
    const row: CaseAttachmentRow = {
      id: uuidv7(now),
      org_id: orgId,
      case_id: caseId,
      filename: safeFilename(upload.filename),
      content_type: upload.contentType,
      size: upload.bytes.length,
      sha256: createHash('sha256').update(upload.bytes).digest('hex'),
      uploaded_by: actorId,
      created_at: now,
    };
    await this.store.save(orgId, row.id, upload.bytes);
    try {
      await this.cases.recordAttachment(row);
    } catch (error) {
      await this.store.remove(orgId, row.id);
      throw error;
    }
    return row;
  }

  async list(orgId: string, caseId: string): Promise<CaseAttachmentRow[]> {
    await this.cases.get(orgId, caseId);
    return this.cases.attachments.list(orgId, caseId);
  }

  /** Deletes an attachment: its record first (so it is never listed without its bytes), then the file. */
  async remove(orgId: string, actorId: string, caseId: string, id: string): Promise<void> {
    const row = await this.cases.attachments.find(orgId, caseId, id);
    if (!row) throw notFound('attachment_not_found', 'No such attachment.');
    await this.cases.forgetAttachment(row, actorId);
    await this.store.remove(orgId, id);
  }

  /** The attachment's metadata and a stream of its bytes. */
  async open(
    orgId: string,
    caseId: string,
    id: string,
  ): Promise<{ row: CaseAttachmentRow; stream: ReadStream }> {
    const row = await this.cases.attachments.find(orgId, caseId, id);
    if (!row) throw notFound('attachment_not_found', 'No such attachment.');
    const stream = await this.store.open(orgId, id);
    if (!stream) throw notFound('attachment_missing', "The attachment's file is missing from the server.");
    return { row, stream };
  }
}
