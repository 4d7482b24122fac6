import { type Kysely, PostgresAdapter, type SelectQueryBuilder, sql } from 'kysely';
import type { Incident } from '../resolve/index.js';
import type { AlertTable, AnalysisDatabase, ThreatChangeTable, ThreatStateTable } from './analysis-schema.js';
import { hydrate, listIncidents } from './incidents.js';
import type { StoreKind } from './migrations.js';
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
  readonly severity?: string;
  /** Also withdrawn alerts. */
  readonly withdrawn?: boolean;
  /** A page of them (newest first): at most `limit`, after skipping `offset`. */
  readonly limit?: number;
  readonly offset?: number;
}

/** Which stored alerts a recomputation replaces: all of them, a group's on incidents from a replay
 * step on (`date id`, see src/analyze/threat.ts `stepOf`), or those of no group on some incidents. */
export type AlertScope =
  | { readonly all: true }
  | { readonly group: string; readonly fromStep: string }
  | { readonly unattributed: readonly string[] };

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

/** A change and its place in the replay (src/analyze/threat.ts `PlacedChange`). */
export interface PlacedChangeInput {
  readonly change: ThreatChangeInput;
  readonly step: string;
  readonly ord: number;
}

export interface StoredThreatChange extends ThreatChangeInput {
  readonly computedAt: string;
}

/** A subject's state after its last incident (src/analyze/threat.ts `SubjectState`). */
export interface ThreatStateInput {
  readonly subject: { readonly kind: string; readonly id: string; readonly name: string };
  readonly incidents: number;
  readonly lastDate: string;
  readonly level: string;
  readonly measure: readonly number[];
  readonly firstStep: string;
  readonly firstOrd: number;
}

/** Stored alerts of a scope by id: the record (JSON) and when withdrawn. */
export type StoredScope = ReadonlyMap<
  string,
  { readonly record: string; readonly withdrawnAt: string | null }
>;

export interface SubjectKey {
  readonly kind: string;
  readonly id: string;
}

/** The analysis' own writes, inside one transaction (see `AnalysisStore.update`). */
export interface AnalysisSession {
  readonly kind: StoreKind;
  meta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
  /** Takes the ids of the incidents written since the last update (they are no longer pending). */
  takeDirty(): Promise<string[]>;
  /** The incidents as the analysis last read them (light: no evidence or texts), found by id. */
  analysed(ids: readonly string[]): Promise<Incident[]>;
  /** The incidents as stored now, with the analysts' decisions applied; deleted ones are missing. */
  current(ids: readonly string[]): Promise<Incident[]>;
  /** Every stored incident (a full rebuild). */
  everything(): Promise<Incident[]>;
  /** Records what the analysis read: `incidents` (light copies) replace theirs, `removed` go. */
  record(incidents: readonly Incident[], removed: readonly string[]): Promise<void>;
  /** Forgets every analysed incident, change and state, and what is pending (a full rebuild). */
  clear(): Promise<void>;
  /** Light incidents attributed to a group (not denied), or in a country, as last recorded. */
  ofSubject(subject: SubjectKey): Promise<Incident[]>;
  /** Makes the stored alerts in `scope` those given: new ones raised now, ones stored keep their
   * first `raisedAt` (their record refreshed), stored ones missing are marked withdrawn. */
  syncAlerts(scope: AlertScope, alerts: readonly AlertInput[], stored?: StoredScope): Promise<AlertSync>;
  /** The alerts stored in a scope (withdrawn ones too), to sync it (`syncAlerts`) after reading them. */
  storedAlerts(scope: AlertScope): Promise<StoredScope>;
  /** Replaces a subject's changes of level from position `fromSeq` on with `changes`. */
  writeChanges(subject: SubjectKey, fromSeq: number, changes: readonly PlacedChangeInput[]): Promise<void>;
  /** Replaces a subject's state (removes it when null: no dated incident touches it now). */
  writeState(subject: SubjectKey, state: ThreatStateInput | null): Promise<void>;
}

export interface AnalysisStore {
  /** Runs `work` in one transaction, one at a time across processes (PostgreSQL advisory lock). */
  update<T>(work: (session: AnalysisSession) => Promise<T>): Promise<T>;
  /** Incidents written since the analysis last ran. */
  pending(): Promise<number>;
  /** Makes the stored alerts those given (all of them); see `AnalysisSession.syncAlerts`. */
  syncAlerts(alerts: readonly AlertInput[]): Promise<AlertSync>;
  /** Stored alerts, newest incident first (then id). */
  listAlerts<A extends AlertInput = AlertInput>(query?: AlertListQuery): Promise<StoredAlert<A>[]>;
  /** How many stored alerts the query's filters select (its page aside). */
  countAlerts(query?: AlertListQuery): Promise<number>;
  /** Changes of level, of one subject in order or of all in replay order. */
  threatHistory(subject?: SubjectKey): Promise<StoredThreatChange[]>;
  /** Changes whenever a stored threat state does: readers may keep what they derived from the states
   * while it stays the same. */
  threatStamp(): Promise<string>;
  /** Every subject's state after its last incident (one subject's when given). */
  threatStates(subject?: SubjectKey): Promise<ThreatStateInput[]>;
  /** Light incidents as last analysed, dated on or after `from` (ISO date). */
  analysedSince(from: string): Promise<Incident[]>;
}

const CHUNK = 200;
/** Keeps `in (…)` lists well under SQLite's and PostgreSQL's bound-parameter limits. */
const ID_CHUNK = 500;

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

export function analysisStore(database: Kysely<Database>): AnalysisStore {
  const db = database as unknown as Kysely<AnalysisDatabase>;
  const kind: StoreKind = database.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
  return {
    update: (work) =>
      db.transaction().execute(async (trx) => {
        // Two writers updating at once would each miss the other's incidents' subjects.
        if (kind === 'postgres')
          await sql`select pg_advisory_xact_lock(hashtext('vigil-analysis'))`.execute(trx);
        return work(session(trx, kind));
      }),
    async pending() {
      const row = await db
        .selectFrom('analysis_dirty')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    syncAlerts: (alerts) => db.transaction().execute((trx) => syncAlerts(trx, { all: true }, alerts)),
    async listAlerts<A extends AlertInput = AlertInput>(query: AlertListQuery = {}) {
      let select = alertFilter(db.selectFrom('alerts').selectAll(), query)
        .orderBy('incident_date', (ob) => ob.desc().nullsLast())
        .orderBy('id');
      if (query.limit !== undefined) select = select.limit(query.limit);
      if (query.offset !== undefined) select = select.offset(query.offset).limit(query.limit ?? 1e9);
      const rows = await select.execute();
      return rows.map((r) => ({
        alert: JSON.parse(r.record) as A,
        raisedAt: r.raised_at,
        withdrawnAt: r.withdrawn_at,
      }));
    },
    async countAlerts(query: AlertListQuery = {}) {
      const row = await alertFilter(db.selectFrom('alerts'), query)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async threatStamp() {
      const row = await db
        .selectFrom('threat_states')
        .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('computed_at').as('last')])
        .executeTakeFirst();
      return `${row?.n ?? 0} ${row?.last ?? ''}`;
    },
    async threatHistory(subject) {
      let select = db.selectFrom('threat_changes').selectAll();
      if (subject !== undefined)
        select = select.where('subject_kind', '=', subject.kind).where('subject_id', '=', subject.id);
      const rows = await select.execute();
      // Replay order: the incident replayed, the subject's place in it, then the subject's own order.
      // Sorted here, as JavaScript compares strings, whatever the database's collation.
      rows.sort(
        (a, b) =>
          compare(a.step, b.step) ||
          a.ord - b.ord ||
          compare(a.subject_kind, b.subject_kind) ||
          compare(a.subject_id, b.subject_id) ||
          a.seq - b.seq,
      );
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
    async threatStates(subject) {
      let select = db.selectFrom('threat_states').selectAll();
      if (subject !== undefined)
        select = select.where('subject_kind', '=', subject.kind).where('subject_id', '=', subject.id);
      return (await select.execute()).map(toState);
    },
    async analysedSince(from) {
      const rows = await db
        .selectFrom('analysed_incidents')
        .select('record')
        .where('date', '>=', from)
        .execute();
      return rows.map((r) => fromRecord(r.record));
    },
  };
}

/** Whether a stored change says what a recomputed one says (all but when it was computed). */
function sameChange(a: ThreatChangeTable, b: ThreatChangeTable): boolean {
  return (
    a.subject_name === b.subject_name &&
    a.date === b.date &&
    a.step === b.step &&
    Number(a.ord) === b.ord &&
    a.incident_id === b.incident_id &&
    a.cause === b.cause &&
    a.from_level === b.from_level &&
    a.to_level === b.to_level &&
    (a.score_before === null ? null : Number(a.score_before)) === b.score_before &&
    Number(a.score_after) === b.score_after &&
    a.reason === b.reason &&
    a.components === b.components
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toState(r: ThreatStateTable): ThreatStateInput {
  return {
    subject: { kind: r.subject_kind, id: r.subject_id, name: r.subject_name },
    incidents: Number(r.incidents),
    lastDate: r.last_date,
    level: r.level,
    measure: JSON.parse(r.measure) as number[],
    firstStep: r.first_step,
    firstOrd: Number(r.first_ord),
  };
}

function session(trx: Kysely<AnalysisDatabase>, kind: StoreKind): AnalysisSession {
  const plain = trx as unknown as Kysely<Database>;
  return {
    kind,
    async meta(key) {
      const row = await trx
        .selectFrom('analysis_meta')
        .select('value')
        .where('key', '=', key)
        .executeTakeFirst();
      return row?.value ?? null;
    },
    async setMeta(key, value) {
      await trx
        .insertInto('analysis_meta')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    },
    async takeDirty() {
      // Deleted first, in this transaction: a writer marking one of them meanwhile waits for this
      // transaction and marks it again, so no change goes unseen.
      const rows = await trx.deleteFrom('analysis_dirty').returning('incident_id').execute();
      return [...new Set(rows.map((r) => r.incident_id))].sort();
    },
    async analysed(ids) {
      const out: Incident[] = [];
      for (const chunk of chunks(ids, ID_CHUNK)) {
        const rows = await trx
          .selectFrom('analysed_incidents')
          .select('record')
          .where('id', 'in', chunk)
          .execute();
        for (const r of rows) out.push(fromRecord(r.record));
      }
      return out;
    },
    async current(ids) {
      const out: Incident[] = [];
      for (const chunk of chunks(ids, ID_CHUNK)) {
        const rows = await plain.selectFrom('incidents').selectAll().where('id', 'in', chunk).execute();
        out.push(...(await hydrate(plain, rows)));
      }
      return out;
    },
    everything: () => listIncidents(plain),
    async record(incidents, removed) {
      const ids = [...new Set([...removed, ...incidents.map((i) => i.id)])];
      for (const chunk of chunks(ids, ID_CHUNK)) {
        await trx.deleteFrom('analysed_groups').where('incident_id', 'in', chunk).execute();
        await trx.deleteFrom('analysed_incidents').where('id', 'in', chunk).execute();
      }
      for (const chunk of chunks(incidents, CHUNK)) {
        await trx
          .insertInto('analysed_incidents')
          .values(
            chunk.map((i) => ({
              id: i.id,
              date: i.date?.date ?? null,
              country: i.country,
              record: toRecord(i),
            })),
          )
          .execute();
        const groups = chunk.flatMap((i) =>
          i.perpetratorGroups.map((g, position) => ({
            incident_id: i.id,
            position,
            group_id: g.groupId,
            attribution: g.attribution,
          })),
        );
        for (const part of chunks(groups, CHUNK))
          await trx.insertInto('analysed_groups').values(part).execute();
      }
    },
    async clear() {
      for (const table of [
        'analysed_groups',
        'analysed_incidents',
        'threat_changes',
        'threat_states',
        'analysis_dirty',
      ] as const)
        await trx.deleteFrom(table).execute();
    },
    async ofSubject(subject) {
      const rows =
        subject.kind === 'group'
          ? await trx
              .selectFrom('analysed_incidents')
              .select('record')
              .where('id', 'in', (eb) =>
                eb
                  .selectFrom('analysed_groups')
                  .select('incident_id')
                  .where('group_id', '=', subject.id)
                  .where('attribution', '<>', 'denied'),
              )
              .execute()
          : await trx
              .selectFrom('analysed_incidents')
              .select('record')
              .where('country', '=', subject.id)
              .execute();
      return rows.map((r) => fromRecord(r.record));
    },
    syncAlerts: (scope, alerts, stored) => syncAlerts(trx, scope, alerts, stored),
    storedAlerts: (scope) => storedAlerts(trx, scope),
    async writeChanges(subject, fromSeq, changes) {
      const now = new Date().toISOString();
      const rows: ThreatChangeTable[] = changes.map(({ change: c, step, ord }, n) => ({
        subject_kind: subject.kind,
        subject_id: subject.id,
        seq: fromSeq + n,
        subject_name: c.subject.name,
        date: c.date,
        step,
        ord,
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
      // Rows that say the same as before are kept (with when they were computed): a late report
      // usually changes a few levels after it, not the whole history.
      const stored = await trx
        .selectFrom('threat_changes')
        .selectAll()
        .where('subject_kind', '=', subject.kind)
        .where('subject_id', '=', subject.id)
        .where('seq', '>=', fromSeq)
        .execute();
      const before = new Map(stored.map((r) => [Number(r.seq), r]));
      const changed = rows.filter((r) => {
        const old = before.get(r.seq);
        return old === undefined || !sameChange(old, r);
      });
      const gone = [
        ...changed.map((r) => r.seq),
        ...[...before.keys()].filter((seq) => seq >= fromSeq + rows.length),
      ];
      for (const part of chunks(gone, ID_CHUNK))
        await trx
          .deleteFrom('threat_changes')
          .where('subject_kind', '=', subject.kind)
          .where('subject_id', '=', subject.id)
          .where('seq', 'in', part)
          .execute();
      for (const part of chunks(changed, CHUNK))
        await trx.insertInto('threat_changes').values(part).execute();
    },
    async writeState(subject, state) {
      if (state === null) {
        await trx
          .deleteFrom('threat_states')
          .where('subject_kind', '=', subject.kind)
          .where('subject_id', '=', subject.id)
          .execute();
        return;
      }
      const row: ThreatStateTable = {
        subject_kind: subject.kind,
        subject_id: subject.id,
        subject_name: state.subject.name,
        incidents: state.incidents,
        last_date: state.lastDate,
        level: state.level,
        measure: JSON.stringify(state.measure),
        first_step: state.firstStep,
        first_ord: state.firstOrd,
        computed_at: new Date().toISOString(),
      };
      const { subject_kind: _k, subject_id: _i, ...rest } = row;
      await trx
        .insertInto('threat_states')
        .values(row)
        .onConflict((oc) => oc.columns(['subject_kind', 'subject_id']).doUpdateSet(rest))
        .execute();
    },
  };
}

async function storedAlerts(trx: Kysely<AnalysisDatabase>, scope: AlertScope): Promise<StoredScope> {
  let select = trx
    .selectFrom('alerts')
    .select(['id', 'withdrawn_at', 'incident_date', 'incident_id', 'record']);
  if ('group' in scope) select = select.where('group_id', '=', scope.group);
  let rows: {
    id: string;
    withdrawn_at: string | null;
    incident_date: string | null;
    incident_id: string;
    record: string;
  }[] = [];
  if ('unattributed' in scope) {
    for (const chunk of chunks(scope.unattributed, ID_CHUNK))
      rows.push(...(await select.where('group_id', 'is', null).where('incident_id', 'in', chunk).execute()));
  } else rows = await select.execute();
  if ('group' in scope)
    rows = rows.filter((r) => `${r.incident_date ?? ''} ${r.incident_id}` >= scope.fromStep);
  return new Map(rows.map((r) => [r.id, { record: r.record, withdrawnAt: r.withdrawn_at }]));
}

async function syncAlerts(
  trx: Kysely<AnalysisDatabase>,
  scope: AlertScope,
  alerts: readonly AlertInput[],
  given?: StoredScope,
): Promise<AlertSync> {
  const now = new Date().toISOString();
  const inScope = given ?? (await storedAlerts(trx, scope));
  const stored = new Map([...inScope].map(([id, a]) => [id, a.withdrawnAt]));
  const records = new Map([...inScope].map(([id, a]) => [id, a.record]));
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
    if (!wasWithdrawn && records.get(a.id) === row.record) continue;
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
  // An alert of another scope with the same id (the same kind, group and incident) cannot exist:
  // ids hash the group, and unattributed alerts are scoped by incident.
  for (const part of chunks(fresh, CHUNK)) await trx.insertInto('alerts').values(part).execute();
  const withdrawn = [...stored.entries()]
    .filter(([id, at]) => at === null && !current.has(id))
    .map(([id]) => id)
    .sort();
  for (const part of chunks(withdrawn, CHUNK))
    await trx.updateTable('alerts').set({ withdrawn_at: now }).where('id', 'in', part).execute();
  return { raised, withdrawn };
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

/** What the analysis keeps of an incident: what alerts and levels read, but its evidence and texts
 * (an alert's evidence is read from the incident itself when the alert is made). */
interface AnalysedRecord {
  readonly id: string;
  readonly date: Incident['date'];
  readonly country: string | null;
  readonly city: string | null;
  readonly killed: Incident['killed'];
  readonly wounded: Incident['wounded'];
  readonly groups: readonly (readonly [string, string, string])[];
  readonly sources: readonly string[];
}

function toRecord(i: Incident): string {
  const record: AnalysedRecord = {
    id: i.id,
    date: i.date,
    country: i.country,
    city: i.city,
    killed: i.killed,
    wounded: i.wounded,
    groups: i.perpetratorGroups.map((g) => [g.groupId, g.group, g.attribution] as const),
    sources: i.sources,
  };
  return JSON.stringify(record);
}

/** An incident as far as the analysis knows it: the other fields are empty. */
function fromRecord(json: string): Incident {
  const r = JSON.parse(json) as AnalysedRecord;
  return {
    id: r.id,
    date: r.date,
    country: r.country,
    city: r.city,
    lat: null,
    lon: null,
    placePrecision: 'country',
    attackTypes: [],
    weaponTypes: [],
    targetTypes: [],
    targetText: [],
    perpetratorGroups: r.groups.map(([groupId, group, attribution]) => ({
      groupId,
      group,
      aliasesSeen: [],
      attribution: attribution as Incident['perpetratorGroups'][number]['attribution'],
      discovered: false,
    })),
    perpetratorsMin: null,
    perpetratorsMax: null,
    perpetratorNationalities: [],
    perpetratorText: [],
    victimText: [],
    weaponText: [],
    physicalTargetText: [],
    killed: r.killed,
    wounded: r.wounded,
    kidnapped: null,
    perpetratorsKilled: null,
    suicide: false,
    outcome: 'carried_out',
    sources: r.sources,
    evidence: [],
  };
}

/** The filters of an alert query. */
function alertFilter<Q extends SelectQueryBuilder<AnalysisDatabase, 'alerts', object>>(
  select: Q,
  query: AlertListQuery,
): Q {
  let q = select;
  if (query.group !== undefined) q = q.where('group_id', '=', query.group) as Q;
  if (query.country !== undefined) q = q.where('country', '=', query.country.toUpperCase()) as Q;
  if (query.severity !== undefined) q = q.where('severity', '=', query.severity) as Q;
  if (!query.withdrawn) q = q.where('withdrawn_at', 'is', null) as Q;
  return q;
}
