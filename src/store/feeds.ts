import type { Kysely } from 'kysely';
import type { Database, FeedRow } from './schema.js';

/** What `vigil watch` keeps about one feed between polls and between runs. */
export interface FeedState {
  readonly url: string;
  /** Validators of the last full response, sent back for a conditional GET. */
  readonly etag: string | null;
  readonly lastModified: string | null;
  /** ISO 8601 date-times. */
  readonly lastAttempt: string | null;
  readonly lastSuccess: string | null;
  /** Consecutive failed polls; 0 after a success. */
  readonly failures: number;
  readonly lastError: string | null;
  /** When the feed is next due. */
  readonly nextAttempt: string | null;
}

const CHUNK = 500;

export async function getFeedState(db: Kysely<Database>, url: string): Promise<FeedState | null> {
  const row = await db.selectFrom('feeds').selectAll().where('url', '=', url).executeTakeFirst();
  return row ? rowToState(row) : null;
}

export async function listFeedStates(db: Kysely<Database>): Promise<FeedState[]> {
  const rows = await db.selectFrom('feeds').selectAll().orderBy('url').execute();
  return rows.map(rowToState);
}

/** Inserts or replaces the state of one feed. */
export async function saveFeedState(db: Kysely<Database>, state: FeedState): Promise<void> {
  const row: FeedRow = {
    url: state.url,
    etag: state.etag,
    last_modified: state.lastModified,
    last_attempt: state.lastAttempt,
    last_success: state.lastSuccess,
    failures: state.failures,
    last_error: state.lastError,
    next_attempt: state.nextAttempt,
  };
  const { url: _url, ...update } = row;
  await db
    .insertInto('feeds')
    .values(row)
    .onConflict((oc) => oc.column('url').doUpdateSet(update))
    .execute();
}

/** Which of these entry keys were already read from the feed. */
export async function knownFeedEntries(
  db: Kysely<Database>,
  url: string,
  keys: readonly string[],
): Promise<Set<string>> {
  const known = new Set<string>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await db
      .selectFrom('feed_entries')
      .select('entry_key')
      .where('feed_url', '=', url)
      .where('entry_key', 'in', keys.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) known.add(row.entry_key);
  }
  return known;
}

/** Records entries as read; the feed's state must exist. Recording one twice changes nothing. */
export async function rememberFeedEntries(
  db: Kysely<Database>,
  url: string,
  keys: readonly string[],
): Promise<void> {
  if (keys.length === 0) return;
  const seenAt = new Date().toISOString();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    await db
      .insertInto('feed_entries')
      .values(unique.slice(i, i + CHUNK).map((key) => ({ feed_url: url, entry_key: key, seen_at: seenAt })))
      .onConflict((oc) => oc.columns(['feed_url', 'entry_key']).doNothing())
      .execute();
  }
}

function rowToState(row: FeedRow): FeedState {
  return {
    url: row.url,
    etag: row.etag,
    lastModified: row.last_modified,
    lastAttempt: row.last_attempt,
    lastSuccess: row.last_success,
    failures: Number(row.failures),
    lastError: row.last_error,
    nextAttempt: row.next_attempt,
  };
}
