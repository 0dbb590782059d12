import type { Severity } from '@harrier/schema';
import { uuidv7 } from '@harrier/schema';
import type { Updateable } from 'kysely';
import type { HarrierDatabase } from '../db/database.ts';
import type { IocFeedsTable } from '../db/intel-tables.ts';
import { conflict, notFound, unprocessable } from '../errors.ts';
import { type IocFeedRow, IocFeedsRepository } from '../repositories/ioc-feeds-repository.ts';
import type { IocImportFormat, IocImportResult, IocService } from './ioc-service.ts';

/** Largest feed document read (larger: the fetch fails and is reported on the feed). */
export const MAX_FEED_BYTES = 50 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 30_000;

export interface IocFeedInput {
  name: string;
  url: string;
  format: IocImportFormat;
  severity?: Severity | undefined;
  enabled?: boolean | undefined;
}

/** Reads a feed's document; a fetch that fails or is too large throws with a message for the feed's status. */
export type FeedFetcher = (url: string) => Promise<string>;

/** `fetch` with a time limit and a size cap; no cookies, no credentials. */
export const fetchFeed: FeedFetcher = async (url) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > MAX_FEED_BYTES) throw new Error(`the feed is larger than ${MAX_FEED_BYTES} bytes`);
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length > MAX_FEED_BYTES) throw new Error(`the feed is larger than ${MAX_FEED_BYTES} bytes`);
  return body.toString('utf8');
};

function checkUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw unprocessable('invalid_feed_url', 'The feed URL is not a URL.');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw unprocessable('invalid_feed_url', 'A feed is fetched over http or https.');
  if (u.username || u.password)
    throw unprocessable(
      'invalid_feed_url',
      'Credentials in a feed URL would be stored in clear; use a tokenized URL path instead.',
    );
  return u.href;
}

/**
 * Indicator feeds: URLs fetched on a schedule (HARRIER_IOC_FEED_INTERVAL, off by default)
 * and imported like an uploaded file (CSV, plain, STIX 2.1, MISP), each fetch's outcome
 * kept on the feed.
 */
export class IocFeedService {
  private readonly repo: IocFeedsRepository;

  constructor(
    database: HarrierDatabase,
    private readonly iocs: IocService,
    private readonly fetcher: FeedFetcher = fetchFeed,
  ) {
    this.repo = new IocFeedsRepository(database.db);
  }

  list(orgId: string): Promise<IocFeedRow[]> {
    return this.repo.list(orgId);
  }

  async get(orgId: string, id: string): Promise<IocFeedRow> {
    const row = await this.repo.findById(orgId, id);
    if (!row) throw notFound('feed_not_found', 'No such feed.');
    return row;
  }

  async create(orgId: string, userId: string | null, input: IocFeedInput): Promise<IocFeedRow> {
    if (await this.repo.findByName(orgId, input.name))
      throw conflict('feed_exists', 'A feed with that name exists.');
    const now = Date.now();
    const row: IocFeedRow = {
      id: uuidv7(now),
      org_id: orgId,
      name: input.name,
      url: checkUrl(input.url),
      format: input.format,
      severity: input.severity ?? 'high',
      enabled: input.enabled === false ? 0 : 1,
      last_fetched_at: null,
      last_status: null,
      last_error: null,
      last_imported: null,
      created_by: userId,
      created_at: now,
      updated_at: now,
    };
    await this.repo.insert(row);
    return row;
  }

  async update(orgId: string, id: string, patch: Partial<IocFeedInput>): Promise<IocFeedRow> {
    await this.get(orgId, id);
    const set: Updateable<IocFeedsTable> = { updated_at: Date.now() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.url !== undefined) set.url = checkUrl(patch.url);
    if (patch.format !== undefined) set.format = patch.format;
    if (patch.severity !== undefined) set.severity = patch.severity;
    if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
    await this.repo.update(orgId, id, set);
    return this.get(orgId, id);
  }

  async delete(orgId: string, id: string): Promise<void> {
    if (!(await this.repo.delete(orgId, id))) throw notFound('feed_not_found', 'No such feed.');
  }

  /** Fetches and imports one feed now; the outcome is stored on the feed either way. */
  async fetchNow(orgId: string, id: string): Promise<{ feed: IocFeedRow; result: IocImportResult | null }> {
    const feed = await this.get(orgId, id);
    const result = await this.run(feed);
    return { feed: await this.get(orgId, id), result };
  }

  /** One scheduled pass: every enabled feed of every organization, one after the other. */
  async runAll(): Promise<void> {
    for (const feed of await this.repo.enabled()) await this.run(feed);
  }

  private async run(feed: IocFeedRow): Promise<IocImportResult | null> {
    const now = Date.now();
    try {
      const text = await this.fetcher(feed.url);
      const result = await this.iocs.import(feed.org_id, feed.created_by, text, {
        format: feed.format as IocImportFormat,
        severity: feed.severity as Severity,
        source: feed.name,
      });
      await this.repo.update(feed.org_id, feed.id, {
        last_fetched_at: now,
        last_status: 'ok',
        last_error: null,
        last_imported: result.imported,
      });
      return result;
    } catch (error) {
      await this.repo.update(feed.org_id, feed.id, {
        last_fetched_at: now,
        last_status: 'error',
        last_error: String((error as Error).message ?? error).slice(0, 500),
      });
      return null;
    }
  }
}
