import type { AgentEvent, AgentEventType } from '../agent-event.ts';
import { makeEvent } from './collector.ts';
import type { FileChange } from './file-watch.ts';
import type { UserResolver } from './user-resolver.ts';

/**
 * Turns a file change into a Sigma `file_event` (TargetFilename and friends), shared by the
 * persistence and file-integrity collectors.
 */
export async function fileChangeEvent(
  change: FileChange,
  type: AgentEventType,
  now: Date,
  users: UserResolver,
  extra: Record<string, string | undefined>,
  severity: AgentEvent['severity'],
): Promise<AgentEvent> {
  const snap = change.after ?? change.before;
  const owner = snap ? await users.name(snap.uid) : undefined;
  const label = type === 'persistence' ? `Persistence ${extra['PersistenceType']}` : 'File';
  return makeEvent({
    type,
    ts: change.after ? new Date(Math.min(change.after.mtimeMs, now.getTime())) : now,
    logsource: { product: 'linux', category: 'file_event' },
    severity,
    title: `${label} ${change.kind}: ${change.path}`,
    fields: {
      TargetFilename: change.path,
      ChangeType: change.kind,
      Hashes: change.after?.sha256 ? `SHA256=${change.after.sha256.toUpperCase()}` : undefined,
      PreviousHashes: change.before?.sha256 ? `SHA256=${change.before.sha256.toUpperCase()}` : undefined,
      FileSize: change.after?.size,
      FileMode: snap ? snap.mode.toString(8).padStart(4, '0') : undefined,
      PreviousFileMode:
        change.kind === 'metadata' ? change.before?.mode.toString(8).padStart(4, '0') : undefined,
      FileOwner: owner,
      LinkTarget: change.after?.link,
      ...extra,
    },
  });
}
