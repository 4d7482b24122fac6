import type { Kysely } from 'kysely';
import type { AlertTable, AnalysisDatabase, ThreatChangeTable } from './analysis-schema.js';
import type { Database } from './schema.js';

/** An alert as `src/analyze` computes it; the store keeps `record` (the whole alert) as JSON. */
export interface AlertInput {
  readonly id: string;
  readonly kind: string;
  readonly severity: string;
  readonly group: string | null;
  readonly incident: string;
  readonly date: string | null;
  readonly country: string | null;
  readonly title: string;
  readonly explanation: string;
}

export interface StoredAlert<A extends AlertInput = AlertInput> {
  readonly alert: A;
  readonly raisedAt: string;
  readonly withdrawnAt: string | null;
}

export interface AlertSync {
  /** Alerts stored for the first time (or raised again after a withdrawal). */
  readonly raised: readonly string[];
  /** Alerts stored before that no longer follow from the data. */
  readonly withdrawn: readonly string[];
}

export interface AlertListQuery {
  readonly group?: string;
  readonly country?: string;
  /** Also withdrawn alerts. */
  readonly withdrawn?: boolean;
}

/** A change of threat level as `src/analyze` computes it. */
export interface ThreatChangeInput {
  readonly subject: { readonly kind: string; readonly id: string; readonly name: string };
  readonly date: string;
  readonly incident: string | null;
  readonly cause: string;
  readonly from: string | null;
  readonly to: string;
  readonly scoreBefore: number | null;
  readonly scoreAfter: number;
  readonly reason: string;
  readonly components: readonly unknown[];
}

export interface StoredThreatChange extends ThreatChangeInput {
  readonly computedAt: string;
}

export interface AnalysisStore {
  /** Makes the stored alerts those given: new ones are stored with the time now, ones already stored
   * keep their first `raisedAt`, and stored ones missing from `alerts` are marked withdrawn. */
  syncAlerts(alerts: readonly AlertInput[]): Promise<AlertSync>;
  /** Stored alerts, newest incident first (then id). */
  listAlerts<A extends AlertInput = AlertInput>(query?: AlertListQuery): Promise<StoredAlert<A>[]>;
  /** Replaces the history of threat-level changes (it is derived from the incidents as a whole). */
  replaceThreatHistory(changes: readonly ThreatChangeInput[]): Promise<void>;
  /** Changes of level in date order, of one subject or of all. */
  threatHistory(subject?: { kind: string; id: string }): Promise<StoredThreatChange[]>;
}

const CHUNK = 200;

export function analysisStore(database: Kysely<Database>): AnalysisStore {
  const db = database as unknown as Kysely<AnalysisDatabase>;
  return {
    syncAlerts: (alerts) =>
      db.transaction().execute(async (trx) => {
        const now = new Date().toISOString();
        const stored = new Map(
          (await trx.selectFrom('alerts').select(['id', 'withdrawn_at']).execute()).map((r) => [
            r.id,
            r.withdrawn_at,
          ]),
        );
        const current = new Set(alerts.map((a) => a.id));
        const raised: string[] = [];
        const fresh: AlertTable[] = [];
        for (const a of alerts) {
          const row = alertRow(a, now);
          if (!stored.has(a.id)) {
            fresh.push(row);
            raised.push(a.id);
            continue;
          }
          const wasWithdrawn = stored.get(a.id) !== null;
          // Keep raised_at; refresh what the alert says (later reports may change the numbers).
          await trx
            .updateTable('alerts')
            .set({
              severity: row.severity,
              title: row.title,
              explanation: row.explanation,
              record: row.record,
              incident_date: row.incident_date,
              country: row.country,
              withdrawn_at: null,
              ...(wasWithdrawn ? { raised_at: now } : {}),
            })
            .where('id', '=', a.id)
            .execute();
          if (wasWithdrawn) raised.push(a.id);
        }
        for (let i = 0; i < fresh.length; i += CHUNK)
          await trx
            .insertInto('alerts')
            .values(fresh.slice(i, i + CHUNK))
            .execute();
        const withdrawn = [...stored.entries()]
          .filter(([id, at]) => at === null && !current.has(id))
          .map(([id]) => id)
          .sort();
        for (let i = 0; i < withdrawn.length; i += CHUNK) {
          await trx
            .updateTable('alerts')
            .set({ withdrawn_at: now })
            .where('id', 'in', withdrawn.slice(i, i + CHUNK))
            .execute();
        }
        return { raised, withdrawn };
      }),
    async listAlerts<A extends AlertInput = AlertInput>(query: AlertListQuery = {}) {
      let select = db.selectFrom('alerts').selectAll();
      if (query.group !== undefined) select = select.where('group_id', '=', query.group);
      if (query.country !== undefined) select = select.where('country', '=', query.country.toUpperCase());
      if (!query.withdrawn) select = select.where('withdrawn_at', 'is', null);
      const rows = await select
        .orderBy('incident_date', (ob) => ob.desc().nullsLast())
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        alert: JSON.parse(r.record) as A,
        raisedAt: r.raised_at,
        withdrawnAt: r.withdrawn_at,
      }));
    },
    replaceThreatHistory: (changes) =>
      db.transaction().execute(async (trx) => {
        const now = new Date().toISOString();
        await trx.deleteFrom('threat_changes').execute();
        const rows: ThreatChangeTable[] = changes.map((c, position) => ({
          position,
          subject_kind: c.subject.kind,
          subject_id: c.subject.id,
          subject_name: c.subject.name,
          date: c.date,
          incident_id: c.incident,
          cause: c.cause,
          from_level: c.from,
          to_level: c.to,
          score_before: c.scoreBefore,
          score_after: c.scoreAfter,
          reason: c.reason,
          components: JSON.stringify(c.components),
          computed_at: now,
        }));
        for (let i = 0; i < rows.length; i += CHUNK)
          await trx
            .insertInto('threat_changes')
            .values(rows.slice(i, i + CHUNK))
            .execute();
      }),
    async threatHistory(subject) {
      let select = db.selectFrom('threat_changes').selectAll();
      if (subject !== undefined)
        select = select.where('subject_kind', '=', subject.kind).where('subject_id', '=', subject.id);
      const rows = await select.orderBy('position').execute();
      return rows.map((r) => ({
        subject: { kind: r.subject_kind, id: r.subject_id, name: r.subject_name },
        date: r.date,
        incident: r.incident_id,
        cause: r.cause,
        from: r.from_level,
        to: r.to_level,
        scoreBefore: r.score_before === null ? null : Number(r.score_before),
        scoreAfter: Number(r.score_after),
        reason: r.reason,
        components: JSON.parse(r.components) as unknown[],
        computedAt: r.computed_at,
      }));
    },
  };
}

function alertRow(a: AlertInput, now: string): AlertTable {
  return {
    id: a.id,
    kind: a.kind,
    severity: a.severity,
    group_id: a.group,
    incident_id: a.incident,
    incident_date: a.date,
    country: a.country,
    title: a.title,
    explanation: a.explanation,
    record: JSON.stringify(a),
    raised_at: now,
    withdrawn_at: null,
  };
}
