import { createRequire } from 'node:module';
import { LRUCache } from 'lru-cache';
import type { Seen } from '../access/reader.js';
import type {
  Alert,
  BriefDocument,
  BriefSubject,
  Knowledge,
  ThreatAssessment,
  ThreatResult,
} from '../analyze/index.js';
import { evidenceJson, type Incident, incidentJson } from '../resolve/index.js';
import type { AlertListQuery, IncidentFilter, MarkingLevel, Principal } from '../store/index.js';
import { StoreError } from '../store/index.js';
import { audienceLevel, documentMarking, type Holding } from '../tlp/index.js';
import { hasRole } from './access.js';
import { ApiError, badRequest, forbidden, notFound } from './errors.js';
import { countValue, csvHeader, csvLine, type ExportRow, geojsonFeature } from './exports.js';
import { DISCOVERED_ID, type IncidentListQuery, type Service } from './service.js';

/* What the web dashboard reads beyond the REST resources: overview, map points, timeline, exports,
 * an incident's reports, analyses (alerts, threat levels, group profiles, graph) and the analysts'
 * merge and split. Part of the service layer: every incident comes through the reader of src/access
 * (as the caller may see it, built from the documents they see), every document through the store's
 * reads filtered by their clearance, so the analyses count only what the caller sees and nothing else
 * reaches the browser. */

const SCAN_PAGE = 1000;
/** Incidents and alerts the overview lists. */
const LATEST = 8;
export const MAP_CAP = 2000;
export const MAX_MAP_CAP = 10_000;
export const MAX_EXPORT = 100_000;
const FETCH_MAX_BYTES = 5 * 1024 * 1024;
const FETCH_MAX_DOCUMENTS = 20;

type Filters = Omit<IncidentListQuery, 'limit' | 'cursor'>;

export interface BriefQuery {
  readonly group?: string | undefined;
  readonly country?: string | undefined;
  readonly since?: string | undefined;
  readonly period?: 'year' | 'month' | undefined;
  readonly format: 'md' | 'html';
}

let numericCodes: Map<string, string> | undefined;
/** ISO 3166-1 numeric code of an alpha-2 code (world-atlas names its shapes by it), or null. */
function numericCode(alpha2: string): string | null {
  numericCodes ??= new Map(
    (createRequire(import.meta.url)('world-countries') as { cca2: string; ccn3: string }[]).map((c) => [
      c.cca2,
      c.ccn3,
    ]),
  );
  return numericCodes.get(alpha2) ?? null;
}

/** The short form of an incident for lists, the map and the overview. */
export function incidentSummary(v: Seen) {
  const i = v.incident;
  return {
    id: i.id,
    date: i.date?.date ?? null,
    date_precision: i.date?.precision ?? null,
    country: i.country,
    city: i.city,
    lat: i.lat,
    lon: i.lon,
    attack_types: i.attackTypes,
    groups: i.perpetratorGroups.map((g) => ({ id: g.groupId, name: g.group, attribution: g.attribution })),
    killed: countValue(i.killed),
    wounded: countValue(i.wounded),
    tlp: v.tlp,
  };
}

function alertJson(a: Alert, tlp: MarkingLevel | undefined) {
  return {
    id: a.id,
    kind: a.kind,
    severity: a.severity,
    group: a.group,
    group_name: a.groupName,
    incident: a.incident,
    date: a.date,
    country: a.country,
    title: a.title,
    explanation: a.explanation,
    numbers: a.numbers,
    evidence: a.evidence.map(evidenceJson),
    sources: a.sources,
    tlp: tlp ?? null,
  };
}

function assessmentJson(a: ThreatAssessment) {
  return {
    subject: a.subject,
    as_of: a.asOf,
    level: a.level,
    score: a.score,
    incidents: a.incidents,
    components: a.components,
  };
}

const byDateDesc = (a: { date: string | null; id: string }, b: { date: string | null; id: string }) =>
  (b.date ?? '').localeCompare(a.date ?? '') || a.id.localeCompare(b.id);

export class Dashboard {
  readonly #service: Service;
  #knowledge: Knowledge | undefined;
  #analysisChecked = false;
  #levels: { stamp: string; result: ThreatResult } | undefined;
  /** Analyses computed for callers who do not see everything, by what they see (#computedAnalysis). */
  readonly #computed = new LRUCache<
    string,
    Promise<{ alerts: ReturnType<typeof alertJson>[]; threat: ThreatResult }>
  >({ max: 16 });

  constructor(service: Service) {
    this.#service = service;
  }

  get #store() {
    return this.#service.store;
  }

  /** The incidents the caller sees, newest first, as they see them, at most `cap`. */
  async *#scan(p: Principal, filter: IncidentFilter, cap = Number.POSITIVE_INFINITY) {
    let n = 0;
    for await (const seen of this.#service.reader.scan(p, filter, Math.min(SCAN_PAGE, cap))) {
      if (n++ >= cap) return;
      yield seen;
    }
  }

  async #all(p: Principal, filters: Filters = {}): Promise<Seen[]> {
    const filter = await this.#service.incidentFilter(filters);
    const all: Seen[] = [];
    for await (const v of this.#scan(p, filter)) all.push(v);
    return all;
  }

  async #analysisKnowledge(): Promise<Knowledge> {
    if (this.#knowledge === undefined) {
      const [{ makeKnowledge }, { knowledgeBase }, { loadCountries }] = await Promise.all([
        import('../analyze/index.js'),
        import('../knowledge/groups.js'),
        import('../knowledge/places.js'),
      ]);
      this.#knowledge = makeKnowledge(knowledgeBase().groups, loadCountries());
    }
    return this.#knowledge;
  }

  async #alerts(visible: readonly Seen[]) {
    const { replayAlerts } = await import('../analyze/index.js');
    const tlp = new Map(visible.map((v) => [v.incident.id, v.tlp]));
    const alerts = replayAlerts(
      visible.map((v) => v.incident),
      await this.#analysisKnowledge(),
    );
    return alerts.sort(byDateDesc).map((a) => alertJson(a, tlp.get(a.incident)));
  }

  /** One incident (by its full id) as the caller may see it, or null. */
  async #visibleIncident(p: Principal, id: string): Promise<Seen | null> {
    const found = await this.#service.reader.find(p, id);
    return found === null || 'ambiguous' in found || found.incident.id !== id ? null : found;
  }

  /** Counts, the latest incidents and alerts, and the highest threat levels, of what the caller sees.
   * The counts of incidents of one audience come from aggregates in the database (store.overview);
   * the caller's views of mixed incidents are added one by one, so the overview does not read the
   * whole store. */
  async overview(p: Principal) {
    const counts = await this.#store.overview.counts(p);
    const byTlp: Record<string, number> = { ...counts.incidentsByTlp };
    const countries = new Set(counts.countries);
    const groups = new Set(counts.groups);
    let { killed, wounded } = counts;
    for (const v of await this.#service.reader.views(p)) {
      const i = v.incident;
      byTlp[v.tlp] = (byTlp[v.tlp] ?? 0) + 1;
      if (i.country !== null) countries.add(i.country);
      for (const g of v.raw.perpetratorGroups) if (g.attribution !== 'denied') groups.add(g.groupId);
      killed += countValue(i.killed) ?? 0;
      wounded += countValue(i.wounded) ?? 0;
    }
    const latest: Seen[] = [];
    for await (const v of this.#scan(p, {}, LATEST)) latest.push(v);
    const analysis = await this.#overviewAnalysis(p);
    return {
      counts: {
        incidents: Object.values(byTlp).reduce((a, b) => a + b, 0),
        killed,
        wounded,
        countries: countries.size,
        groups: groups.size,
        documents: counts.documents,
        by_tlp: byTlp,
      },
      latest_incidents: latest.map(incidentSummary),
      latest_alerts: analysis.alerts.slice(0, LATEST),
      threat: {
        as_of: analysis.threat.asOf,
        groups: analysis.threat.groups.slice(0, LATEST).map(assessmentJson),
        countries: analysis.threat.countries.slice(0, LATEST).map(assessmentJson),
      },
    };
  }

  /** Alerts and threat levels over what the caller sees. */
  async #overviewAnalysis(p: Principal) {
    if (await this.#seesEverything(p)) {
      const stored = await this.#storedAnalysis();
      const alerts = await this.#storedAlerts(p, { limit: LATEST });
      return { alerts, threat: await stored.threat('none') };
    }
    return this.#computedAnalysis(p);
  }

  /** Alerts and threat levels computed over the incidents the caller sees, kept for every caller who
   * sees the same (the same restricted audiences, at the same markings) until incidents change. */
  async #computedAnalysis(
    p: Principal,
  ): Promise<{ alerts: ReturnType<typeof alertJson>[]; threat: ThreatResult }> {
    const [changes, audiences] = await Promise.all([this.#store.changes(), this.#store.overview.audiences()]);
    const key = JSON.stringify([changes, audiences.map((a) => audienceLevel(p, a))]);
    let entry = this.#computed.get(key);
    if (entry === undefined) {
      entry = (async () => {
        const visible = await this.#all(p);
        const { computeThreat } = await import('../analyze/index.js');
        const threat = computeThreat(
          visible.map((v) => v.incident),
          await this.#analysisKnowledge(),
        );
        return { alerts: await this.#alerts(visible), threat };
      })();
      this.#computed.set(key, entry);
      entry.catch(() => this.#computed.delete(key));
    }
    return entry;
  }

  /** Whether the caller may see every stored document, and so every incident in full: then the
   * alerts and levels stored at ingest (computed over every incident, src/analyze/incremental.ts) are
   * exactly those of what they see, and need no recomputation. Others get them computed over their
   * incidents on each request. */
  async #seesEverything(p: Principal): Promise<boolean> {
    return (await this.#store.overview.hiddenDocuments(p)) === 0;
  }

  /** The stored analysis, brought up to date first (the first time in this process, and whenever a
   * writer left incidents noted but not yet analysed). */
  async #storedAnalysis() {
    const { storedThreat, updateAnalysis } = await import('../analyze/incremental.js');
    const knowledge = await this.#analysisKnowledge();
    const analysis = this.#store.analysis;
    if (!this.#analysisChecked || (await analysis.pending()) > 0) {
      await updateAnalysis(analysis, knowledge);
      this.#analysisChecked = true;
    }
    return {
      threat: async (changesOf: Parameters<typeof storedThreat>[2]) => {
        if (changesOf !== 'none') return storedThreat(analysis, knowledge, changesOf);
        // The levels of every subject, assessed anew only when a stored state changed.
        const stamp = await analysis.threatStamp();
        if (this.#levels?.stamp !== stamp)
          this.#levels = { stamp, result: await storedThreat(analysis, knowledge, 'none') };
        return this.#levels.result;
      },
    };
  }

  /** Loads what the first request would (modules, knowledge, the stored analysis brought up to date),
   * so that the first page after a start does not wait for it. Failures are left for that request. */
  async warm(): Promise<void> {
    await this.#storedAnalysis()
      .then((stored) => stored.threat('none'))
      .catch(() => {});
  }

  /** A page of the stored alerts (the caller sees every incident), each with its incident's marking. */
  async #storedAlerts(p: Principal, query: AlertListQuery) {
    await this.#storedAnalysis();
    const stored = await this.#store.analysis.listAlerts<Alert>(query);
    const out = [];
    for (const { alert } of stored)
      out.push(alertJson(alert, (await this.#visibleIncident(p, alert.incident))?.tlp));
    return out;
  }

  /** Points of the incidents in the filter that have coordinates, newest first, at most `limit`. */
  async mapPoints(p: Principal, query: Filters & { limit?: number | undefined }) {
    const cap = query.limit ?? MAP_CAP;
    if (!Number.isInteger(cap) || cap < 1 || cap > MAX_MAP_CAP)
      throw badRequest(`limit must be a whole number from 1 to ${MAX_MAP_CAP}`);
    const filter = await this.#service.incidentFilter(query);
    const points = [];
    let unplaced = 0;
    let capped = false;
    for await (const v of this.#scan(p, filter)) {
      if (v.incident.lat === null || v.incident.lon === null) {
        unplaced++;
        continue;
      }
      if (points.length >= cap) {
        capped = true;
        break;
      }
      points.push(incidentSummary(v));
    }
    return { points, capped, limit: cap, unplaced };
  }

  /** Incidents, killed and wounded per month or year, in total or by group or country (the six
   * largest, the rest as "other"). */
  async timeline(p: Principal, query: Filters & { by?: string | undefined; interval?: string | undefined }) {
    const by = query.by ?? 'none';
    if (!['none', 'group', 'country'].includes(by)) throw badRequest('by must be none, group or country');
    const all = await this.#all(p, query);
    const visible = all.filter((v) => v.incident.date !== null);
    const dates = visible.map((v) => (v.incident.date as NonNullable<Incident['date']>).date);
    const sorted = [...dates].sort();
    const first = sorted[0] ?? '';
    const last = sorted.at(-1) ?? '';
    const interval =
      query.interval ??
      (dates.length > 0 && Number(last.slice(0, 4)) - Number(first.slice(0, 4)) > 4 ? 'year' : 'month');
    if (interval !== 'month' && interval !== 'year') throw badRequest('interval must be month or year');
    const bucketOf = (date: string) => (interval === 'year' ? date.slice(0, 4) : date.slice(0, 7));
    const buckets: string[] = [];
    if (dates.length > 0) {
      let b = bucketOf(first);
      const end = bucketOf(last);
      while (b <= end && buckets.length < 2000) {
        buckets.push(b);
        if (interval === 'year') b = String(Number(b) + 1).padStart(4, '0');
        else {
          const [y, m] = b.split('-').map(Number) as [number, number];
          b =
            m === 12
              ? `${String(y + 1).padStart(4, '0')}-01`
              : `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
        }
      }
    }
    const index = new Map(buckets.map((b, n) => [b, n]));
    const keysOf = (i: Incident): { key: string; name: string }[] => {
      if (by === 'group') {
        const gs = i.perpetratorGroups.filter((g) => g.attribution !== 'denied');
        return gs.length === 0
          ? [{ key: 'unattributed', name: 'Unattributed' }]
          : gs.map((g) => ({ key: g.groupId, name: g.group }));
      }
      if (by === 'country') return [{ key: i.country ?? 'unknown', name: i.country ?? 'Unknown' }];
      return [{ key: 'all', name: 'All incidents' }];
    };
    const series = new Map<
      string,
      { key: string; name: string; incidents: number[]; killed: number[]; wounded: number[] }
    >();
    for (const v of visible) {
      const i = v.incident;
      const n = index.get(bucketOf((i.date as NonNullable<Incident['date']>).date));
      if (n === undefined) continue;
      for (const { key, name } of keysOf(i)) {
        let s = series.get(key);
        if (s === undefined) {
          const zeros = () => buckets.map(() => 0);
          s = { key, name, incidents: zeros(), killed: zeros(), wounded: zeros() };
          series.set(key, s);
        }
        (s.incidents[n] as number)++;
        s.killed[n] = (s.killed[n] as number) + (countValue(i.killed) ?? 0);
        s.wounded[n] = (s.wounded[n] as number) + (countValue(i.wounded) ?? 0);
      }
    }
    const total = (s: { incidents: number[] }) => s.incidents.reduce((a, b) => a + b, 0);
    const ranked = [...series.values()].sort((a, b) => total(b) - total(a) || a.key.localeCompare(b.key));
    const shown = ranked.slice(0, 6);
    const rest = ranked.slice(6);
    if (rest.length > 0) {
      const sum = (k: 'incidents' | 'killed' | 'wounded') =>
        buckets.map((_, n) => rest.reduce((a, s) => a + (s[k][n] as number), 0));
      shown.push({
        key: 'other',
        name: `${rest.length} others`,
        incidents: sum('incidents'),
        killed: sum('killed'),
        wounded: sum('wounded'),
      });
    }
    return { interval, by, buckets, series: shown, undated: all.length - visible.length };
  }

  /** The incidents in the filter as GTD-style CSV or GeoJSON, at most MAX_EXPORT of them. */
  async export(p: Principal, format: 'csv' | 'geojson', query: Filters) {
    const filter = await this.#service.incidentFilter(query);
    const knowledge = await this.#analysisKnowledge();
    const citations = new Map<string, string>();
    const cite = async (id: string) => {
      let c = citations.get(id);
      if (c === undefined) {
        const d = await this.#store.access.getDocument(p, id);
        c =
          d === null
            ? `Vigil document ${id}`
            : [d.title, d.outlet, d.published?.slice(0, 10), d.url ?? `Vigil document ${id}`]
                .filter((x) => x !== null && x !== undefined && x !== '')
                .join(', ');
        citations.set(id, c);
      }
      return c;
    };
    const rows: ExportRow[] = [];
    let truncated = false;
    for await (const v of this.#scan(p, filter, MAX_EXPORT + 1)) {
      if (rows.length >= MAX_EXPORT) {
        truncated = true;
        break;
      }
      const sources = [];
      for (const id of v.incident.sources.slice(0, 3)) sources.push(await cite(id));
      rows.push({
        incident: v.incident,
        tlp: v.tlp,
        countryName:
          v.incident.country === null ? null : (knowledge.countries.get(v.incident.country)?.name ?? null),
        citations: sources,
      });
    }
    const body =
      format === 'csv'
        ? csvHeader() + rows.map(csvLine).join('')
        : JSON.stringify({ type: 'FeatureCollection', features: rows.map(geojsonFeature) });
    return { body, count: rows.length, truncated };
  }

  /** The reports the caller's incident was merged from (all of them the caller sees), with why each
   * joined: for a view of a mixed incident, as its reports were clustered again on their own. */
  async reports(p: Principal, id: string) {
    const seen = await this.#service.seenIncident(p, id);
    const stored =
      seen.view === undefined
        ? await this.#store.incidentReports(seen.incident.id)
        : seen.view.members.map((m) => ({
            documentId: m.report.documentId,
            published: m.report.published,
            score: m.score,
            reasons: m.reasons,
            incident: m.report.incident,
          }));
    const copies = await this.#store.nearDuplicates(stored.map((r) => r.documentId));
    const ids = [...stored.map((r) => r.documentId), ...copies.values()];
    const markings = await this.#store.access.markingsOf(ids);
    const out = [];
    for (const r of stored) {
      const tlp = documentMarking(p, markings.get(r.documentId));
      const doc = tlp === null ? null : await this.#store.access.getDocument(p, r.documentId);
      if (tlp === null || doc === null) continue;
      const copyOf = copies.get(r.documentId) ?? null;
      out.push({
        document_id: r.documentId,
        published: r.published,
        outlet: doc.outlet,
        title: doc.title,
        url: doc.url,
        copy_of: copyOf !== null && documentMarking(p, markings.get(copyOf)) !== null ? copyOf : null,
        score: r.score,
        reasons: r.reasons,
        tlp,
        incident: incidentJson(r.incident),
      });
    }
    return { incident: seen.incident.id, reports: out };
  }

  /** An analyst merges two incidents they both see in full, each built only from public documents
   * and their own organisation's: a decision never changes what another organisation sees of its
   * own reports. */
  async mergeIncidents(p: Principal, id: string, other: string, reason: string) {
    this.#requireAnalyst(p);
    const [a, b] = [await this.#decidable(p, id), await this.#decidable(p, other)];
    const merged = await this.#storeCall(() => this.#store.mergeIncidents(a, b, { by: this.#by(p), reason }));
    return { merged };
  }

  /** An analyst takes the report of a source out of an incident they see in full (as for a merge). */
  async splitIncident(p: Principal, id: string, documentId: string, reason: string) {
    this.#requireAnalyst(p);
    const seen = await this.#service.seenIncident(p, id);
    if (!seen.incident.sources.includes(documentId))
      throw badRequest(`document ${documentId} is not a source of incident ${seen.incident.id}`);
    const stored = await this.#decidable(p, id);
    const [rest, part] = await this.#storeCall(() =>
      this.#store.splitIncident(stored, documentId, { by: this.#by(p), reason }),
    );
    return { incidents: [rest, part] };
  }

  /** The stored incident behind the caller's incident, if an analyst of theirs may decide about it:
   * they see all of it, and every document it cites is public or held by their organisation. */
  async #decidable(p: Principal, id: string): Promise<string> {
    const seen = await this.#service.seenIncident(p, id);
    const stored = seen.from ?? seen.incident.id;
    const cited = await this.#store.citedDocuments(stored);
    const markings = await this.#store.access.markingsOf(cited);
    const ours = (h: Holding) => h.tlp === 'clear' || h.tlp === 'green' || h.org === p.org;
    const all = cited.every(
      (d) => documentMarking(p, markings.get(d)) !== null && (markings.get(d) ?? []).every(ours),
    );
    if (!all)
      throw forbidden(
        `incident ${seen.incident.id} cannot be merged or split by ${p.org}: only incidents built entirely from public documents and ${p.org}'s own can be, so that no decision changes what another organisation sees`,
      );
    return stored;
  }

  async alerts(
    p: Principal,
    query: {
      group?: string | undefined;
      country?: string | undefined;
      severity?: string | undefined;
      limit?: number | undefined;
      offset?: number | undefined;
    },
  ) {
    const group = query.group === undefined ? undefined : await this.#groupId(query.group);
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    if (await this.#seesEverything(p)) {
      const filter = {
        ...(group === undefined ? {} : { group }),
        ...(query.country === undefined ? {} : { country: query.country }),
        ...(query.severity === undefined ? {} : { severity: query.severity }),
      };
      const alerts = await this.#storedAlerts(p, { ...filter, limit, offset });
      const total = await this.#store.analysis.countAlerts(filter);
      return { alerts, total, next_offset: offset + limit < total ? offset + limit : null };
    }
    const all = (await this.#computedAnalysis(p)).alerts.filter(
      (a) =>
        (group === undefined || a.group === group) &&
        (query.country === undefined || a.country === query.country.toUpperCase()) &&
        (query.severity === undefined || a.severity === query.severity),
    );
    return {
      alerts: all.slice(offset, offset + limit),
      total: all.length,
      next_offset: offset + limit < all.length ? offset + limit : null,
    };
  }

  async threat(p: Principal) {
    const result = (await this.#seesEverything(p))
      ? await (await this.#storedAnalysis()).threat('none')
      : (await this.#computedAnalysis(p)).threat;
    return {
      as_of: result.asOf,
      groups: result.groups.map(assessmentJson),
      countries: result.countries.map(assessmentJson),
    };
  }

  /** A group: the knowledge base's record, hierarchy and relations, and, over the incidents the
   * caller sees, its profile, threat level with components and history, alerts and latest incidents. */
  async groupProfile(p: Principal, idOrName: string) {
    const { computeThreat, groupProfile } = await import('../analyze/index.js');
    const knowledge = await this.#analysisKnowledge();
    const id = await this.#groupId(idOrName);
    const everything = await this.#seesEverything(p);
    // Seeing everything, the stored levels and alerts serve and only the group's incidents are read.
    const visible = await this.#all(p, everything ? { group: id } : {});
    const incidents = visible.map((v) => v.incident);
    const own = visible.filter((v) =>
      v.incident.perpetratorGroups.some((g) => g.groupId === id && g.attribution !== 'denied'),
    );
    const known = knowledge.groups.get(id) ?? null;
    if (known === null && own.length === 0) throw notFound(`group ${idOrName}`);
    const ref = (gid: string) => ({ id: gid, name: knowledge.groups.get(gid)?.name ?? gid });
    const children = [...knowledge.groups.values()].filter((g) => g.parent === id).map((g) => ref(g.id));
    const inbound = [...knowledge.groups.values()].flatMap((g) =>
      g.relations.filter((r) => r.group === id).map((r) => ({ type: r.type, group: ref(g.id) })),
    );
    const profile = groupProfile(id, incidents, knowledge);
    const threat = everything
      ? await (await this.#storedAnalysis()).threat({ kind: 'group', id })
      : computeThreat(incidents, knowledge);
    const assessment = threat.groups.find((a) => a.subject.id === id) ?? null;
    return {
      id,
      known,
      parent: known?.parent ? ref(known.parent) : null,
      children,
      relations: known === null ? [] : known.relations.map((r) => ({ type: r.type, group: ref(r.group) })),
      related_by: inbound,
      profile,
      countries: Object.entries(profile.byCountry)
        .filter(([code]) => code !== 'unknown')
        .map(([code, t]) => ({
          code,
          name: knowledge.countries.get(code)?.name ?? code,
          numeric: numericCode(code),
          home: known?.home_countries.includes(code) ?? false,
          ...t,
        }))
        .sort((a, b) => b.incidents - a.incidents || a.code.localeCompare(b.code)),
      home_countries: (known?.home_countries ?? []).map((code) => ({
        code,
        name: knowledge.countries.get(code)?.name ?? code,
        numeric: numericCode(code),
      })),
      threat: assessment === null ? null : assessmentJson(assessment),
      threat_changes: threat.changes
        .filter((c) => c.subject.kind === 'group' && c.subject.id === id)
        .map((c) => ({
          date: c.date,
          incident: c.incident,
          cause: c.cause,
          from: c.from,
          to: c.to,
          score_before: c.scoreBefore,
          score_after: c.scoreAfter,
          reason: c.reason,
        })),
      alerts: everything
        ? await this.#storedAlerts(p, { group: id, limit: 20 })
        : (await this.#alerts(visible)).filter((a) => a.group === id).slice(0, 20),
      latest_incidents: own.slice(0, 10).map(incidentSummary),
    };
  }

  /** A situation report (src/analyze/brief.ts) over what the caller sees: its incidents, the reactions
   * read from documents they see, footnotes only to those documents. */
  async brief(p: Principal, query: BriefQuery): Promise<{ body: string; type: string; filename: string }> {
    const analyze = await import('../analyze/index.js');
    const { loadWorldOutlines } = await import('../knowledge/world.js');
    const knowledge = await this.#analysisKnowledge();
    const incidents = (await this.#all(p)).map((v) => v.incident);
    if (query.group !== undefined && query.country !== undefined)
      throw badRequest('give group or country, not both');
    const subject: BriefSubject =
      query.group !== undefined
        ? { kind: 'group', id: await this.#groupId(query.group) }
        : query.country !== undefined
          ? { kind: 'country', id: query.country.toUpperCase() }
          : { kind: 'all' };
    const stored = await this.#store.reactions.listReactions();
    const markings = await this.#store.access.markingsOf(stored.map((r) => r.documentId));
    const reactions = stored.filter((r) => documentMarking(p, markings.get(r.documentId)) !== null);
    const documents = new Map<string, BriefDocument>();
    for (const id of analyze.briefSourceIds(incidents, subject, query.since, reactions)) {
      const d = await this.#store.access.getDocument(p, id);
      if (d !== null)
        documents.set(id, {
          id,
          title: d.title,
          outlet: d.outlet,
          url: d.url,
          published: d.published,
          origin: d.origin,
        });
    }
    const outlines = loadWorldOutlines();
    const brief = analyze.buildBrief(
      {
        incidents,
        knowledge,
        reactions,
        documents,
        world: analyze.worldMap(outlines.topology, outlines.alpha2ByNumeric),
      },
      {
        subject,
        generatedAt: new Date().toISOString(),
        period: query.period ?? 'year',
        ...(query.since === undefined ? {} : { since: query.since }),
      },
    );
    const name = `vigil-brief-${subject.kind === 'all' ? 'all' : subject.id.toLowerCase()}`;
    return query.format === 'md'
      ? {
          body: analyze.renderMarkdown(brief).text,
          type: 'text/markdown; charset=utf-8',
          filename: `${name}.md`,
        }
      : { body: analyze.renderHtml(brief), type: 'text/html; charset=utf-8', filename: `${name}.html` };
  }

  /** The relations graph over the knowledge base and the incidents the caller sees. */
  async graph(p: Principal, group: string | undefined) {
    const { relationsGraph } = await import('../analyze/index.js');
    const focus = group === undefined ? undefined : await this.#groupId(group);
    const visible = await this.#all(p);
    return relationsGraph(
      visible.map((v) => v.incident),
      await this.#analysisKnowledge(),
      focus,
    );
  }

  /** Fetches a page or feed (public addresses only, as `vigil ingest <url>`) and ingests each
   * document as the caller, under the marking asked for. */
  async ingestUrl(
    p: Principal,
    request: { url: string; tlp?: MarkingLevel | undefined; published?: string | undefined },
  ) {
    this.#requireAnalyst(p);
    if (!/^https?:\/\//i.test(request.url)) throw badRequest('url must start with http:// or https://');
    const { readSources } = await import('../sources/index.js');
    const documents = [];
    const errors = [];
    for await (const result of readSources([request.url], {
      maxBytes: FETCH_MAX_BYTES,
      ...(request.published === undefined ? {} : { published: request.published }),
    })) {
      if (!result.ok) {
        errors.push({ input: result.input, reason: result.reason });
        continue;
      }
      if (documents.length >= FETCH_MAX_DOCUMENTS) break;
      const d = result.document;
      documents.push(
        await this.#service.ingest(p, {
          text: d.text,
          title: d.title ?? undefined,
          url: d.url ?? request.url,
          published: d.published?.slice(0, 10) ?? undefined,
          tlp: request.tlp,
        }),
      );
    }
    return { documents, errors };
  }

  async #groupId(value: string): Promise<string> {
    const wanted = value.trim().toLowerCase();
    if (DISCOVERED_ID.test(wanted)) return wanted;
    const groups = await this.#service.knowledgeGroups();
    const found =
      groups.find((g) => g.id === wanted) ??
      groups.find((g) => [g.name, ...g.aliases].some((n) => n.toLowerCase() === wanted));
    if (found === undefined) throw badRequest(`unknown group ${value}`, 'unknown_group');
    return found.id;
  }

  #requireAnalyst(p: Principal): void {
    if (!hasRole(p, 'analyst')) throw forbidden(`this needs the analyst role; the key has ${p.role}`);
  }

  #by(p: Principal): string {
    return p.userId ?? `${p.org} (key ${p.keyId})`;
  }

  async #storeCall<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof StoreError && error.code === 'invalid_option')
        throw new ApiError(400, 'invalid_request', error.message);
      throw error;
    }
  }
}
