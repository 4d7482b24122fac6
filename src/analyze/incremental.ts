import { createHash } from 'node:crypto';
import type { ArmedGroup } from '../knowledge/groups.js';
import { loadCountries } from '../knowledge/places.js';
import type { Incident } from '../resolve/index.js';
import type {
  AlertInput,
  AlertSync,
  AnalysisSession,
  AnalysisStore,
  StoredScope,
  SubjectKey,
} from '../store/analysis.js';
import { ALERT_EVIDENCE_FIELDS, type Alert, DEFAULT_ALERT_PARAMS, replayAlerts } from './alerts.js';
import { attributedGroups, dayNumber, evidenceFor, isoDay, type Knowledge, makeKnowledge } from './common.js';
import {
  assessStates,
  DEFAULT_THREAT_PARAMS,
  type LevelChange,
  replaySubject,
  type Subject,
  type SubjectState,
  stepOf,
  type ThreatLevel,
  type ThreatResult,
} from './threat.js';

/* Incremental analysis (docs/analysis.md, "Incremental analysis"). Every write of an incident is
 * noted by the store (triggers of migration 0015). After each document is stored, and before alerts
 * or levels are read, `updateAnalysis` takes the incidents written since it last ran, finds the
 * groups and countries they touch or touched, and recomputes each of them from the analysed copies
 * of its incidents. A subject's alerts and changes of level depend only on its own incidents in
 * replay order, so the result is exactly that of a full recomputation; only what came before the
 * earliest changed incident is kept as stored. */

/** Bumped when a formula changes: stored results of another version are rebuilt. */
const FORMULAS_VERSION = 1;
const FINGERPRINT = 'fingerprint';

export interface AnalysisUpdate {
  /** Everything was recomputed (first run, or the knowledge base or the formulas changed). */
  readonly rebuilt: boolean;
  /** Incidents written since the last update. */
  readonly incidents: number;
  /** Groups and countries recomputed. */
  readonly subjects: number;
  readonly raised: readonly string[];
  readonly withdrawn: readonly string[];
}

/** What the stored results were computed from: the knowledge base, the parameters and the formulas. */
export function analysisFingerprint(knowledge: Knowledge): string {
  const cached = fingerprints.get(knowledge);
  if (cached !== undefined) return cached;
  const groups = [...knowledge.groups.values()]
    .map((g) => [g.id, g.name, [...g.home_countries]])
    .sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
  const countries = [...knowledge.countries.values()]
    .map((c) => [c.code, c.name, c.region, c.subregion])
    .sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
  const value = createHash('sha256')
    .update(
      JSON.stringify([FORMULAS_VERSION, DEFAULT_ALERT_PARAMS, DEFAULT_THREAT_PARAMS, groups, countries]),
    )
    .digest('hex')
    .slice(0, 32);
  fingerprints.set(knowledge, value);
  return value;
}
const fingerprints = new WeakMap<Knowledge, string>();

/**
 * The hook of `storeDocument` (src/pipeline/ingest.ts): after a document is stored, its incidents'
 * groups and countries are analysed again, alerts raised and changes of level recorded as they
 * happen. A failure here does not undo the document: what was written stays noted in the store and
 * the next update (the next document, `vigil alerts`, `vigil threat`) takes it up.
 */
export async function analyseAfterWrite(
  store: { readonly analysis: AnalysisStore },
  groups: ReadonlyMap<string, ArmedGroup>,
): Promise<AnalysisUpdate | null> {
  let knowledge = knowledgeOf.get(groups);
  if (knowledge === undefined) {
    knowledge = makeKnowledge([...groups.values()], loadCountries());
    knowledgeOf.set(groups, knowledge);
  }
  try {
    return await updateAnalysis(store.analysis, knowledge);
  } catch (error) {
    process.emitWarning(`analysis not updated, left for the next update: ${String(error)}`, 'VigilAnalysis');
    return null;
  }
}
const knowledgeOf = new WeakMap<ReadonlyMap<string, ArmedGroup>, Knowledge>();

/**
 * Brings the stored alerts and threat levels up to date with the incidents written since the last
 * update (after a document is ingested, a STIX import, a history load, a merge or an analyst's
 * decision). Recomputes everything when the store has never been analysed or was analysed with
 * another knowledge base or other formulas.
 */
export function updateAnalysis(analysis: AnalysisStore, knowledge: Knowledge): Promise<AnalysisUpdate> {
  return analysis.update(async (s) => {
    if ((await s.meta(FINGERPRINT)) !== analysisFingerprint(knowledge)) return rebuildIn(s, knowledge);
    const ids = await s.takeDirty();
    if (ids.length === 0) return { rebuilt: false, incidents: 0, subjects: 0, raised: [], withdrawn: [] };
    const before = await s.analysed(ids);
    const after = await s.current(ids);
    // Each subject the incidents touch or touched, from the earliest step (`date id`) it changes at.
    const from = new Map<string, { subject: SubjectKey; step: string }>();
    const touch = (incident: Incident) => {
      if (incident.date === null || !Number.isFinite(dayNumber(incident.date.date))) return;
      const step = stepOf(incident);
      const subjects: SubjectKey[] = attributedGroups(incident).map((g) => ({
        kind: 'group',
        id: g.groupId,
      }));
      if (incident.country !== null) subjects.push({ kind: 'country', id: incident.country });
      for (const subject of subjects) {
        const key = `${subject.kind}:${subject.id}`;
        const seen = from.get(key);
        if (seen === undefined || step < seen.step) from.set(key, { subject, step });
      }
    };
    for (const i of before) touch(i);
    for (const i of after) touch(i);
    const present = new Set(after.map((i) => i.id));
    await s.record(
      after,
      ids.filter((id) => !present.has(id)),
    );
    const raised: string[] = [];
    const withdrawn: string[] = [];
    const collect = (sync: AlertSync) => {
      raised.push(...sync.raised);
      withdrawn.push(...sync.withdrawn);
    };
    const keys = [...from.keys()].sort();
    for (const key of keys) {
      const { subject, step } = from.get(key) as { subject: SubjectKey; step: string };
      const incidents = await s.ofSubject(subject);
      // What comes before the earliest changed incident is as stored: replayed, not remade.
      const { changes, skipped, state } = replaySubject(subject as Subject, incidents, knowledge, {}, step);
      await s.writeChanges(subject, skipped, changes);
      await s.writeState(subject, state);
      if (subject.kind !== 'group') continue;
      const alerts = replayAlerts(incidents, knowledge, {}, { group: subject.id, from: step });
      const scope = { group: subject.id, fromStep: step };
      const stored = await s.storedAlerts(scope);
      collect(await s.syncAlerts(scope, await withEvidence(s, alerts, after, stored), stored));
    }
    // Mass-casualty attacks no group is attributed: each stands alone.
    const alone = after.filter((i) => attributedGroups(i).length === 0);
    collect(
      await s.syncAlerts(
        { unattributed: [...new Set([...before.map((i) => i.id), ...after.map((i) => i.id)])] },
        await withEvidence(s, replayAlerts(alone, knowledge, {}, { group: null }), after),
      ),
    );
    return { rebuilt: false, incidents: ids.length, subjects: keys.length, raised, withdrawn };
  });
}

/** Recomputes every alert and level from every stored incident (`vigil analysis rebuild`). Alerts
 * already stored keep when they were first raised. */
export function rebuildAnalysis(analysis: AnalysisStore, knowledge: Knowledge): Promise<AnalysisUpdate> {
  return analysis.update((s) => rebuildIn(s, knowledge));
}

async function rebuildIn(s: AnalysisSession, knowledge: Knowledge): Promise<AnalysisUpdate> {
  await s.clear();
  const incidents = await s.everything();
  await s.record(incidents, []);
  const byGroup = new Map<string, Incident[]>();
  const byCountry = new Map<string, Incident[]>();
  for (const i of incidents) {
    for (const g of attributedGroups(i)) push(byGroup, g.groupId, i);
    if (i.country !== null) push(byCountry, i.country, i);
  }
  let subjects = 0;
  for (const [kind, map] of [
    ['group', byGroup],
    ['country', byCountry],
  ] as const) {
    for (const [id, own] of map) {
      const { changes, state } = replaySubject({ kind, id }, own, knowledge);
      if (state === null) continue;
      subjects++;
      await s.writeChanges({ kind, id }, 0, changes);
      await s.writeState({ kind, id }, state);
    }
  }
  const sync = await s.syncAlerts({ all: true }, replayAlerts(incidents, knowledge));
  await s.setMeta(FINGERPRINT, analysisFingerprint(knowledge));
  return {
    rebuilt: true,
    incidents: incidents.length,
    subjects,
    raised: sync.raised,
    withdrawn: sync.withdrawn,
  };
}

/** Adds an incident to a subject's list once (a group named twice in one incident is one subject). */
function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (list[list.length - 1] !== value) list.push(value);
}

/** Alerts made from the analysed copies carry no evidence: read it from the incidents themselves. */
async function withEvidence(
  s: AnalysisSession,
  alerts: readonly Alert[],
  changed: readonly Incident[],
  stored: StoredScope = new Map(),
): Promise<AlertInput[]> {
  if (alerts.length === 0) return [];
  const full = new Map(changed.map((i) => [i.id, i]));
  // An incident not written since keeps its evidence: an alert in force on it already carries it
  // (a withdrawn one may be older than the incident's last change).
  const kept = new Map<string, Alert['evidence']>();
  for (const a of alerts) {
    const prior = stored.get(a.id);
    if (full.has(a.incident) || prior === undefined || prior.withdrawnAt !== null) continue;
    kept.set(a.id, (JSON.parse(prior.record) as Alert).evidence);
  }
  const missing = [
    ...new Set(alerts.filter((a) => !full.has(a.incident) && !kept.has(a.id)).map((a) => a.incident)),
  ];
  if (missing.length > 0) for (const i of await s.current(missing)) full.set(i.id, i);
  return alerts.map((a) => {
    const evidence = kept.get(a.id);
    if (evidence !== undefined) return { ...a, evidence };
    const incident = full.get(a.incident);
    return incident === undefined
      ? a
      : { ...a, evidence: evidenceFor(incident, ALERT_EVIDENCE_FIELDS[a.kind]) };
  });
}

/**
 * Threat levels as stored: every subject's state assessed on the day of the last incident, and the
 * changes of level (all, one subject's, or none), with the change the time since each subject's last
 * incident brings. Equal to `computeThreat` over every stored incident. Call `updateAnalysis` first.
 */
export async function storedThreat(
  analysis: AnalysisStore,
  knowledge: Knowledge,
  changesOf: SubjectKey | 'all' | 'none' = 'all',
): Promise<ThreatResult> {
  const states = (await analysis.threatStates()).map(
    (st): SubjectState => ({ ...st, subject: st.subject as Subject, level: st.level as ThreatLevel }),
  );
  if (states.length === 0) return { asOf: null, groups: [], countries: [], changes: [] };
  let asOf = '';
  for (const st of states) if (st.lastDate > asOf) asOf = st.lastDate;
  const reachDays = DEFAULT_THREAT_PARAMS.reachDays;
  const recent = await analysis.analysedSince(isoDay(dayNumber(asOf) - reachDays + 1));
  const assessed = assessStates(states, recent, knowledge, asOf);
  if (changesOf === 'none')
    return { asOf, groups: assessed.groups, countries: assessed.countries, changes: [] };
  const stored = await analysis.threatHistory(changesOf === 'all' ? undefined : changesOf);
  const changes: LevelChange[] = stored.map(({ computedAt: _, ...c }) => c as unknown as LevelChange);
  for (const c of assessed.changes) {
    if (changesOf === 'all' || (c.subject.kind === changesOf.kind && c.subject.id === changesOf.id))
      changes.push(c);
  }
  return { asOf, groups: assessed.groups, countries: assessed.countries, changes };
}
