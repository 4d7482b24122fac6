import type { Kysely } from 'kysely';
import type { KnowledgeBase, KnowledgeBaseFile } from '../knowledge/groups.js';
import { syncGroups } from './groups.js';
import type { Database } from './schema.js';

/** Which knowledge base the store's groups were last synced from. */
export interface KnowledgeBaseStamp {
  /** sha256 of the effective groups (shipped plus user files). */
  readonly version: string;
  readonly groups: number;
  readonly files: readonly KnowledgeBaseFile[];
  /** ISO 8601 date-time of the sync. */
  readonly loaded_at: string;
}

export async function knowledgeBaseStamp(db: Kysely<Database>): Promise<KnowledgeBaseStamp | null> {
  const row = await db
    .selectFrom('knowledge_base')
    .select(['version', 'groups', 'files', 'loaded_at'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    version: row.version,
    groups: Number(row.groups),
    files: JSON.parse(row.files) as KnowledgeBaseFile[],
    loaded_at: row.loaded_at,
  };
}

/** Upserts the knowledge base's groups and stamps the store with its version, unless the store was
 * last synced from the same version; `changed` says whether it was synced. */
export async function syncKnowledgeBase(
  db: Kysely<Database>,
  kb: KnowledgeBase,
  now: string,
): Promise<{ readonly changed: boolean; readonly stamp: KnowledgeBaseStamp }> {
  const current = await knowledgeBaseStamp(db);
  if (current?.version === kb.version) return { changed: false, stamp: current };
  await syncGroups(db, kb.groups);
  const stamp: KnowledgeBaseStamp = {
    version: kb.version,
    groups: kb.groups.length,
    files: kb.files,
    loaded_at: now,
  };
  await db
    .insertInto('knowledge_base')
    .values({ ...stamp, files: JSON.stringify(stamp.files) })
    .execute();
  return { changed: true, stamp };
}
