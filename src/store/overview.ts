import { type Kysely, type Migration, type RawBuilder, type SqlBool, sql } from 'kysely';
import { type Audience, audienceLevel, type Clearance, type MarkingLevel } from '../tlp/index.js';
import type { Database } from './schema.js';

/* The dashboard's overview counts at GTD scale without reading every incident. Incidents of one
 * audience (src/tlp/audience.ts) are counted by aggregates, the audiences the caller may not see left
 * out; mixed incidents are not counted here: the service layer adds the caller's views of them one by
 * one (src/access). Most documents carry no marking (CLEAR, stored by the local CLI), and a store
 * with only audiences the caller sees is counted by plain aggregates over its indexes. */

export interface OverviewCounts {
  /** Incidents of one audience the caller sees, by their marking for the caller. */
  readonly incidentsByTlp: Readonly<Partial<Record<MarkingLevel, number>>>;
  readonly killed: number;
  readonly wounded: number;
  readonly countries: readonly string[];
  /** Groups named as perpetrators (not denied) of those incidents. */
  readonly groups: readonly string[];
  /** Stored documents the caller sees. */
  readonly documents: number;
}

export interface OverviewStore {
  counts(c: Clearance): Promise<OverviewCounts>;
  /** How many stored documents the caller may not see: with none, every incident is theirs in full. */
  hiddenDocuments(c: Clearance): Promise<number>;
  /** The restricted audiences of stored incidents and documents: two callers who see the same of
   * them (at the same marking) see the same incidents. */
  audiences(): Promise<string[]>;
}

export function overviewStore(db: Kysely<Database>): OverviewStore {
  const hiddenDocuments = async (c: Clearance) => {
    const rows = await sql<{ audience: string; n: number | string }>`select audience, count(*) as n
      from documents where audience is not null group by audience`.execute(db);
    return rows.rows
      .filter((r) => audienceLevel(c, r.audience) === null)
      .reduce((n, r) => n + Number(r.n), 0);
  };
  return {
    hiddenDocuments,
    async audiences() {
      const rows = await sql<{
        audience: string;
      }>`select distinct audience from incidents where audience is not null
        union select distinct audience from documents where audience is not null`.execute(db);
      return rows.rows.map((r) => r.audience).sort();
    },
    async counts(c) {
      type Tally = { n: number | string; killed: number | string | null; wounded: number | string | null };
      const tolls = sql`count(*) as n, sum(coalesce(killed_value, killed_min)) as killed,
        sum(coalesce(wounded_value, wounded_min)) as wounded`;
      const tally = (where: RawBuilder<SqlBool> | null) =>
        where === null
          ? sql<Tally & { audience: Audience }>`select null as audience, ${tolls} from incidents`.execute(db)
          : sql<Tally & { audience: Audience }>`select audience, ${tolls} from incidents where ${where}
            group by audience`.execute(db);
      // Every incident (its tolls from their covering index), then those of a restricted audience
      // (few, from theirs) and the mixed ones (counted above the store, as the caller's views) apart:
      // what is left is CLEAR, and seen by every caller.
      const [all, restricted, mixed] = await Promise.all([
        tally(null),
        tally(sql<SqlBool>`audience is not null`),
        tally(sql<SqlBool>`mixed = 1`),
      ]);
      const sum = (rows: { rows: Tally[] }, k: keyof Tally) =>
        rows.rows.reduce((n, r) => n + Number(r[k] ?? 0), 0);
      const byTlp: Partial<Record<MarkingLevel, number>> = {};
      const hidden: string[] = [];
      const clear = sum(all, 'n') - sum(restricted, 'n') - sum(mixed, 'n');
      if (clear > 0) byTlp.clear = clear;
      let killed = sum(all, 'killed') - sum(mixed, 'killed');
      let wounded = sum(all, 'wounded') - sum(mixed, 'wounded');
      for (const r of restricted.rows) {
        const level = audienceLevel(c, r.audience);
        if (level === null) {
          hidden.push(r.audience as string);
          killed -= Number(r.killed ?? 0);
          wounded -= Number(r.wounded ?? 0);
        } else byTlp[level] = (byTlp[level] ?? 0) + Number(r.n);
      }
      // What is left out: mixed incidents, and those of audiences the caller does not see.
      const out: RawBuilder<SqlBool> | null =
        hidden.length > 0
          ? sql<SqlBool>`mixed = 1 or audience in (${sql.join(hidden)})`
          : sum(mixed, 'n') > 0
            ? sql<SqlBool>`mixed = 1`
            : null;
      const leftOut = (column: string) =>
        out === null ? sql`` : sql`and ${sql.ref(column)} not in (select id from incidents where ${out})`;
      const countries = await sql<{ country: string }>`select distinct country from incidents
        where country is not null ${leftOut('id')} order by country`.execute(db);
      const groups = await sql<{ group_id: string }>`select distinct group_id from incident_groups
        where attribution <> 'denied' ${leftOut('incident_id')} order by group_id`.execute(db);
      const documents = await db
        .selectFrom('documents')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return {
        incidentsByTlp: byTlp,
        killed,
        wounded,
        countries: countries.rows.map((r) => r.country),
        groups: groups.rows.map((r) => r.group_id),
        documents: Number(documents.n) - (await hiddenDocuments(c)),
      };
    },
  };
}

/** The tolls as a covering index: the overview's sums read it instead of every incident row. */
export const overviewMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('incidents_tolls_idx')
      .on('incidents')
      .columns(['killed_value', 'killed_min', 'wounded_value', 'wounded_min'])
      .execute();
  },
};

/** Alerts in force, newest first, as the dashboard pages them: an index in that order (which also
 * counts them without reading each alert's record). */
export const alertOrderMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('alerts_in_force_idx')
      .on('alerts')
      .columns(['withdrawn_at', 'incident_date', 'id'])
      .execute();
  },
};
