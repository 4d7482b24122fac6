import { type Kysely, type Migration, type RawBuilder, sql } from 'kysely';
import type { Clearance, MarkingLevel } from './access.js';
import type { Database } from './schema.js';

/* The dashboard's overview counts at GTD scale without reading every incident. Most documents carry
 * no marking (CLEAR, stored by the local CLI), so incidents none of whose sources is marked are
 * counted by plain aggregates; only incidents with a marked source are looked at per source, and
 * only those the caller sees in part are returned by id for the service layer to redact (its rule,
 * src/server/access.ts, decides which of their values the caller may read). The cost grows with the
 * marked data, not with the store. */

const LEVELS: readonly MarkingLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

export interface OverviewCounts {
  /** Incidents the caller sees in full (every source visible), by their marking for the caller. */
  readonly incidentsByTlp: Readonly<Partial<Record<MarkingLevel, number>>>;
  readonly killed: number;
  readonly wounded: number;
  readonly countries: readonly string[];
  /** Groups named as perpetrators (not denied) of incidents seen in full. */
  readonly groups: readonly string[];
  /** Stored documents the caller sees. */
  readonly documents: number;
  /** Incidents the caller sees only in part (some sources hidden): to be redacted one by one. */
  readonly partial: readonly string[];
}

export interface OverviewStore {
  counts(c: Clearance): Promise<OverviewCounts>;
  /** How many stored documents the caller may not see: with none, every incident is theirs in full. */
  hiddenDocuments(c: Clearance): Promise<number>;
}

/** SQL: the caller's rank of marking row `m` (0 clear … 4 red), or null if they may not see it. */
function visibleRank(c: Clearance): RawBuilder<number | null> {
  const amber = sql.join(c.amberOrgs.length > 0 ? c.amberOrgs : [c.org]);
  const red =
    c.userId === null
      ? sql`1 = 0`
      : sql`exists (select 1 from marking_recipients r where r.marking_id = m.id and r.user_id = ${c.userId})`;
  return sql<number | null>`case
    when m.tlp = 'clear' then 0
    when m.tlp = 'green' then 1
    when m.tlp = 'amber' and m.org in (${amber}) then 2
    when m.tlp = 'amber+strict' and m.org = ${c.org} then 3
    when m.tlp = 'red' and ${red} then 4
  end`;
}

export function overviewStore(db: Kysely<Database>): OverviewStore {
  const hiddenDocuments = async (c: Clearance) => {
    const hidden = await sql<{ n: number | string }>`with doc_rank as (
        select m.document_id as doc, min(${visibleRank(c)}) as rank
        from document_markings m group by m.document_id)
      select count(*) as n from doc_rank where rank is null`.execute(db);
    return Number(hidden.rows[0]?.n ?? 0);
  };
  return {
    hiddenDocuments,
    async counts(c) {
      // Per marked document, the caller's least restrictive visible marking (null: hidden); per
      // incident with a marked source, how many sources it has, how many are hidden, and its best rank.
      const anyMarked = (await sql`select 1 as one from document_markings limit 1`.execute(db)).rows[0];
      // Every document CLEAR (as the CLI stores them): plain aggregates over the whole store.
      const marked =
        anyMarked === undefined
          ? sql`with touched as (select cast(null as text) as id, 0 as hidden where 1 = 0)`
          : sql`with doc_rank as (
          select m.document_id as doc, min(${visibleRank(c)}) as rank
          from document_markings m group by m.document_id),
        touched as (
          select s.incident_id as id, count(*) as marked, min(d.rank) as rank,
            sum(case when d.rank is null then 1 else 0 end) as hidden,
            (select count(*) from incident_sources s2 where s2.incident_id = s.incident_id) as sources
          from incident_sources s join doc_rank d on d.doc = s.document_id
          group by s.incident_id)`;
      const touched =
        anyMarked === undefined
          ? []
          : (
              await sql<{
                id: string;
                marked: number;
                rank: number | null;
                hidden: number;
                sources: number;
              }>`${marked}
          select id, marked, rank, hidden, sources from touched`.execute(db)
            ).rows.map((r) => ({
              id: r.id,
              rank: r.rank === null ? null : Number(r.rank),
              marked: Number(r.marked),
              hidden: Number(r.hidden),
              sources: Number(r.sources),
            }));
      const byTlp: Partial<Record<MarkingLevel, number>> = {};
      const add = (level: MarkingLevel, n: number) => {
        if (n > 0) byTlp[level] = (byTlp[level] ?? 0) + n;
      };
      const partial: string[] = [];
      for (const t of touched) {
        if (t.hidden === 0) {
          // An unmarked source is CLEAR, and the least restrictive marking is the incident's.
          add(LEVELS[t.marked < t.sources ? 0 : (t.rank ?? 0)] as MarkingLevel, 1);
          continue;
        }
        if (t.hidden < t.sources) partial.push(t.id);
      }
      // Without markings every incident is seen in full: no exclusion, so the covering indexes serve.
      const none = anyMarked === undefined;
      const untouched = await sql<{ n: number | string }>`${marked}
        select count(*) as n from incidents ${none ? sql`` : sql`where id not in (select id from touched)`}`.execute(
        db,
      );
      add('clear', Number(untouched.rows[0]?.n ?? 0));

      // Incidents seen in full: not among those with a hidden source.
      const seen = (column: string) =>
        none ? sql`1 = 1` : sql`${sql.ref(column)} not in (select id from touched where hidden > 0)`;
      const totals = await sql<{ killed: number | string | null; wounded: number | string | null }>`${marked}
        select sum(coalesce(killed_value, killed_min)) as killed, sum(coalesce(wounded_value, wounded_min)) as wounded
        from incidents where ${seen('id')}`.execute(db);
      const countries = await sql<{ country: string }>`${marked}
        select distinct country from incidents where country is not null and ${seen('id')}
        order by country`.execute(db);
      const groups = await sql<{ group_id: string }>`${marked}
        select distinct group_id from incident_groups
        where attribution <> 'denied' and ${seen('incident_id')} order by group_id`.execute(db);
      const documents = await db
        .selectFrom('documents')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return {
        incidentsByTlp: byTlp,
        killed: Number(totals.rows[0]?.killed ?? 0),
        wounded: Number(totals.rows[0]?.wounded ?? 0),
        countries: countries.rows.map((r) => r.country),
        groups: groups.rows.map((r) => r.group_id),
        documents: Number(documents.n) - (none ? 0 : await hiddenDocuments(c)),
        partial,
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
