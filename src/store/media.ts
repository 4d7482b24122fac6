import { type Kysely, type Migration, sql } from 'kysely';
import type { StoreKind } from './migrations.js';
import type { Database } from './schema.js';

/* Media items (migration 0011_media): groups' statements, magazine issues, video descriptions and
 * channel posts. Vigil never republishes propaganda: a row keeps metadata, language, attribution,
 * audiences and evidence snippets (at most 200 characters each); the text only when the analyst asks
 * for it (`vigil media ingest --keep-text`), else just its sha256. Typed here rather than in
 * schema.ts: only the media store reads them. */

export interface MediaItemTable {
  id: string;
  channel: string;
  channel_id: string | null;
  message_id: string | null;
  kind: string;
  published: string | null;
  language: string | null;
  language_method: string | null;
  title: string | null;
  origin: string;
  group_id: string | null;
  media_arm: string | null;
  attribution_method: string | null;
  /** JSON array of ISO alpha-2 codes. */
  audiences: string;
  /** JSON array of evidence (attribution and audiences: spans and snippets of at most 200 characters). */
  evidence: string;
  /** The full text, only when retention was asked for; else null. */
  text: string | null;
  text_sha256: string;
  ingested_at: string;
}

export interface MediaDatabase extends Database {
  media_items: MediaItemTable;
}

export function mediaMigration(_kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('media_items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text')
        .addColumn('message_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('published', 'text')
        .addColumn('language', 'text')
        .addColumn('language_method', 'text')
        .addColumn('title', 'text')
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('group_id', 'text')
        .addColumn('media_arm', 'text')
        .addColumn('attribution_method', 'text')
        .addColumn('audiences', 'text', (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('text', 'text')
        .addColumn('text_sha256', 'text', (c) => c.notNull())
        .addColumn('ingested_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('media_items_group_idx')
        .on('media_items')
        .columns(['group_id', 'published'])
        .execute();
      await db.schema
        .createIndex('media_items_published_idx')
        .on('media_items')
        .column('published')
        .execute();
    },
  };
}

/** One media item as stored. */
export interface MediaItemRecord {
  readonly id: string;
  readonly channel: string;
  readonly channelId: string | null;
  readonly messageId: string | null;
  readonly kind: string;
  readonly published: string | null;
  readonly language: string | null;
  readonly languageMethod: string | null;
  readonly title: string | null;
  readonly origin: string;
  readonly groupId: string | null;
  readonly mediaArm: string | null;
  readonly attributionMethod: string | null;
  readonly audiences: readonly string[];
  readonly evidence: readonly unknown[];
  /** Null unless text retention was on when it was stored. */
  readonly text: string | null;
  readonly textSha256: string;
}

export interface StoredMediaItem extends MediaItemRecord {
  readonly ingestedAt: string;
}

export interface MediaQuery {
  /** Only items attributed to this group id. */
  readonly group?: string;
  /** Published on or after / on or before this day (`YYYY-MM-DD`). */
  readonly since?: string;
  readonly until?: string;
}

export interface MediaStore {
  /** Stores one item in one statement (all of it or nothing); `duplicate` and no change if its id is stored. */
  saveMediaItem(item: MediaItemRecord): Promise<'stored' | 'duplicate'>;
  /** Stored items, oldest first (undated last), then by id. */
  listMediaItems(query?: MediaQuery): Promise<StoredMediaItem[]>;
  countMediaItems(): Promise<number>;
}

export function mediaStore(base: Kysely<Database>): MediaStore {
  const db = base as unknown as Kysely<MediaDatabase>;
  return {
    async saveMediaItem(item) {
      const result = await db
        .insertInto('media_items')
        .values({
          id: item.id,
          channel: item.channel,
          channel_id: item.channelId,
          message_id: item.messageId,
          kind: item.kind,
          published: item.published,
          language: item.language,
          language_method: item.languageMethod,
          title: item.title,
          origin: item.origin,
          group_id: item.groupId,
          media_arm: item.mediaArm,
          attribution_method: item.attributionMethod,
          audiences: JSON.stringify(item.audiences),
          evidence: JSON.stringify(item.evidence),
          text: item.text,
          text_sha256: item.textSha256,
          ingested_at: new Date().toISOString(),
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 ? 'stored' : 'duplicate';
    },
    async listMediaItems(query = {}) {
      let q = db.selectFrom('media_items').selectAll();
      if (query.group !== undefined) q = q.where('group_id', '=', query.group);
      if (query.since !== undefined) q = q.where('published', '>=', query.since);
      // A date-time on the last day sorts after the bare day: compare with the next day's start.
      if (query.until !== undefined) q = q.where('published', '<', `${query.until}\uffff`);
      const rows = await q
        .orderBy(sql`case when published is null then 1 else 0 end`)
        .orderBy('published')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        channel: r.channel,
        channelId: r.channel_id,
        messageId: r.message_id,
        kind: r.kind,
        published: r.published,
        language: r.language,
        languageMethod: r.language_method,
        title: r.title,
        origin: r.origin,
        groupId: r.group_id,
        mediaArm: r.media_arm,
        attributionMethod: r.attribution_method,
        audiences: JSON.parse(r.audiences) as string[],
        evidence: JSON.parse(r.evidence) as unknown[],
        text: r.text,
        textSha256: r.text_sha256,
        ingestedAt: r.ingested_at,
      }));
    },
    async countMediaItems() {
      const row = await db
        .selectFrom('media_items')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
