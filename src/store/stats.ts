import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface TableCounts {
  readonly documents: number;
  readonly incidents: number;
  readonly groups: number;
  readonly evidence: number;
}

/** Row counts, read in one statement so they are consistent with each other. */
export async function countRows(db: Kysely<Database>): Promise<TableCounts> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('documents').select(eb.fn.countAll().as('n')).as('documents'),
      eb.selectFrom('incidents').select(eb.fn.countAll().as('n')).as('incidents'),
      eb.selectFrom('groups').select(eb.fn.countAll().as('n')).as('groups'),
      eb.selectFrom('evidence').select(eb.fn.countAll().as('n')).as('evidence'),
    ])
    .executeTakeFirstOrThrow();
  return {
    documents: Number(row.documents),
    incidents: Number(row.incidents),
    groups: Number(row.groups),
    evidence: Number(row.evidence),
  };
}
