import type { Kysely } from 'kysely';
import { type ArmedGroup, armedGroupSchema } from '../knowledge/groups.js';
import type { Database } from './schema.js';

const CHUNK = 500;

/** Upserts the knowledge base by id. Groups no longer in the list are kept: incidents may name them. */
export async function syncGroups(db: Kysely<Database>, groups: readonly ArmedGroup[]): Promise<void> {
  if (groups.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < groups.length; i += CHUNK) {
      await trx
        .insertInto('groups')
        .values(
          groups.slice(i, i + CHUNK).map((g) => ({
            id: g.id,
            name: g.name,
            ideology: g.ideology,
            parent_id: g.parent,
            home_countries: JSON.stringify(g.home_countries),
            record: JSON.stringify(g),
          })),
        )
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            ideology: eb.ref('excluded.ideology'),
            parent_id: eb.ref('excluded.parent_id'),
            home_countries: eb.ref('excluded.home_countries'),
            record: eb.ref('excluded.record'),
          })),
        )
        .execute();
    }
  });
}

export async function listGroups(db: Kysely<Database>): Promise<ArmedGroup[]> {
  const rows = await db.selectFrom('groups').select('record').orderBy('id').execute();
  return rows.map((r) => armedGroupSchema.parse(JSON.parse(r.record)));
}
