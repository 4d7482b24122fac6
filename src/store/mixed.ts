import type { Kysely } from 'kysely';
import type { ClusterConstraints, Incident, Report } from '../resolve/index.js';
import type { Audience } from '../tlp/index.js';
import { changes } from './audience.js';
import { decisionsInForce, idsCountingAs } from './group-decisions.js';
import { hydrate } from './incidents.js';
import { constraintsAmong, loadReports } from './resolution.js';
import type { Database } from './schema.js';

/* What a caller's views of mixed incidents are made from (src/access/views.ts): incidents whose
 * documents have different audiences, their reports, and the facts about their documents. Reads only:
 * what a caller may see of them is decided above the store. */

export interface MixedIncident {
  readonly id: string;
  /** Its reports (each one document's account), with their documents. */
  readonly reports: readonly { readonly id: string; readonly documentId: string }[];
  /** Every document it cites (sources and evidence). */
  readonly cited: readonly string[];
}

export interface DocumentFacts {
  readonly audience: Audience;
  readonly ingestedAt: string;
}

export interface MixedStore {
  /** Changes whenever the mixed incidents or their documents' audiences change. */
  stamp(): Promise<string>;
  /** Every mixed incident, oldest first. */
  incidents(): Promise<MixedIncident[]>;
  /** Audience and ingestion time of stored documents, by id. */
  documents(ids: readonly string[]): Promise<Map<string, DocumentFacts>>;
  /** Reports by id. */
  reports(ids: readonly string[]): Promise<Report[]>;
  /** What keeps these reports together (near-duplicate copies, analysts' merges) or apart (splits). */
  constraints(reports: readonly Report[]): Promise<ClusterConstraints>;
  /** Discovered groups as the analysts' decisions in force count them. */
  decisions(): Promise<ReadonlyMap<string, { readonly id: string; readonly name: string }>>;
  /** Stored incidents by id, before the analysts' group decisions (the record as stored). */
  stored(ids: readonly string[]): Promise<Incident[]>;
  /** Group ids whose incidents count for a group: itself and those analysts merged into it. */
  countingAs(groupId: string): Promise<string[]>;
}

const CHUNK = 500;

export function mixedStore(db: Kysely<Database>): MixedStore {
  return {
    stamp: async () => (await changes(db)).mixed,
    async incidents() {
      const rows = await db
        .selectFrom('incidents')
        .select('id')
        .where('mixed', '=', 1)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const reports = new Map<string, { id: string; documentId: string }[]>();
      const cited = new Map<string, Set<string>>();
      const add = (incident: string, doc: string) => {
        const set = cited.get(incident);
        if (set === undefined) cited.set(incident, new Set([doc]));
        else set.add(doc);
      };
      for (let i = 0; i < rows.length; i += CHUNK) {
        const ids = rows.slice(i, i + CHUNK).map((r) => r.id);
        const [members, sources] = await Promise.all([
          db
            .selectFrom('incident_reports')
            .innerJoin('reports', 'reports.id', 'incident_reports.report_id')
            .select(['incident_reports.incident_id', 'reports.id', 'reports.document_id'])
            .where('incident_reports.incident_id', 'in', ids)
            .orderBy('reports.id')
            .execute(),
          db
            .selectFrom('incident_sources')
            .select(['incident_id', 'document_id'])
            .where('incident_id', 'in', ids)
            .union(
              db
                .selectFrom('evidence')
                .select(['incident_id', 'document_id'])
                .where('incident_id', 'in', ids),
            )
            .execute(),
        ]);
        for (const m of members) {
          const list = reports.get(m.incident_id) ?? [];
          list.push({ id: m.id, documentId: m.document_id });
          reports.set(m.incident_id, list);
          add(m.incident_id, m.document_id);
        }
        for (const s of sources) add(s.incident_id, s.document_id);
      }
      return rows.map((r) => ({
        id: r.id,
        reports: reports.get(r.id) ?? [],
        cited: [...(cited.get(r.id) ?? [])].sort(),
      }));
    },
    async documents(ids) {
      const out = new Map<string, DocumentFacts>();
      const unique = [...new Set(ids)];
      for (let i = 0; i < unique.length; i += CHUNK) {
        for (const d of await db
          .selectFrom('documents')
          .select(['id', 'audience', 'ingested_at'])
          .where('id', 'in', unique.slice(i, i + CHUNK))
          .execute())
          out.set(d.id, { audience: d.audience, ingestedAt: d.ingested_at });
      }
      return out;
    },
    reports: (ids) => loadReports(db, ids),
    constraints: (reports) => constraintsAmong(db, reports),
    decisions: () => decisionsInForce(db),
    async stored(ids) {
      const out: Incident[] = [];
      for (let i = 0; i < ids.length; i += CHUNK) {
        const rows = await db
          .selectFrom('incidents')
          .selectAll()
          .where('id', 'in', ids.slice(i, i + CHUNK))
          .execute();
        out.push(...(await hydrate(db, rows, false)));
      }
      return out;
    },
    countingAs: (groupId) => idsCountingAs(db, groupId),
  };
}
