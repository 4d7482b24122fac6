/**
 * Analysis benchmark: synthesises a GTD-sized history (250,000 incidents, 300 groups, 120
 * countries, 1970–2024) in memory and times recomputing every threat level with its full history
 * of changes (`computeThreat`), replaying every alert (`replayAlerts`) and the backtest; then, on a
 * SQLite store of a few thousand incidents, the incremental analysis each stored document adds to
 * ingest (`updateAnalysis`: its groups' and country's alerts and levels recomputed and stored).
 * Target: threat levels for 250k incidents in ≤ 5 s.
 *
 *   npx tsx bench/analysis.ts [--incidents N] [--store N]
 *
 * `benchAnalysis()` is exported for `npm run bench` to call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { updateAnalysis } from '../src/analyze/incremental.js';
import {
  backtest,
  computeThreat,
  type Knowledge,
  makeKnowledge,
  replayAlerts,
} from '../src/analyze/index.js';
import { knowledgeBase, loadGroups } from '../src/knowledge/groups.js';
import { loadCountries } from '../src/knowledge/places.js';
import type { Incident } from '../src/resolve/index.js';
import type { Document } from '../src/sources/index.js';
import { openStore } from '../src/store/index.js';

/** A small deterministic generator (mulberry32), so every run times the same data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function synthesise(
  n: number,
  groupIds: readonly string[],
  countryCodes: readonly string[],
): Incident[] {
  const rnd = random(42);
  const start = Date.UTC(1970, 0, 1);
  const span = Date.UTC(2024, 11, 31) - start;
  const out: Incident[] = [];
  for (let i = 0; i < n; i++) {
    // Skewed like GTD: a few groups and countries carry most attacks.
    const g = groupIds[Math.floor(rnd() ** 3 * groupIds.length)] as string;
    const c =
      rnd() < 0.8
        ? (countryCodes[Math.floor(rnd() ** 2 * 20)] as string)
        : (countryCodes[Math.floor(rnd() * countryCodes.length)] as string);
    const killed = Math.floor(rnd() ** 4 * 60);
    const date = new Date(start + Math.floor(rnd() * span)).toISOString().slice(0, 10);
    const unattributed = rnd() < 0.4;
    out.push({
      id: `bench${i.toString(16).padStart(8, '0')}`,
      date: { date, precision: 'day' },
      country: c,
      city: null,
      lat: null,
      lon: null,
      placePrecision: 'country',
      attackTypes: ['bombing_explosion'],
      weaponTypes: ['explosives'],
      targetTypes: ['private_citizens_property'],
      targetText: [],
      perpetratorGroups: unattributed
        ? []
        : [
            {
              groupId: g,
              group: g,
              aliasesSeen: [g],
              attribution: rnd() < 0.7 ? 'claimed' : 'suspected',
              discovered: false,
            },
          ],
      perpetratorsMin: null,
      perpetratorsMax: null,
      perpetratorNationalities: [],
      perpetratorText: [],
      victimText: [],
      weaponText: [],
      physicalTargetText: [],
      killed: { value: killed, min: killed, max: killed, qualifier: 'exact' },
      wounded: null,
      kidnapped: null,
      perpetratorsKilled: null,
      suicide: false,
      outcome: 'carried_out',
      sources: [],
      evidence: [],
    });
  }
  return out;
}

function time<T>(fn: () => T): { ms: number; result: T } {
  const t = process.hrtime.bigint();
  const result = fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, result };
}

function setting() {
  const groups = loadGroups();
  const countries = loadCountries();
  return {
    knowledge: makeKnowledge(groups, countries),
    groupIds: groups.slice(0, 300).map((g) => g.id),
    countryCodes: countries
      .filter((c) => c.region !== 'Antarctic')
      .slice(0, 120)
      .map((c) => c.code),
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** A document for each synthetic incident (the store wants the source of every incident). */
function withDocument(incident: Incident, n: number): { document: Document; incident: Incident } {
  const text = `Synthetic report ${n} of incident ${incident.id}.`;
  const id = `benchdoc${n.toString(16).padStart(8, '0')}`;
  return {
    document: {
      id,
      text,
      title: null,
      url: null,
      outlet: null,
      published: incident.date?.date ?? null,
      language: 'eng',
      origin: 'bench',
    },
    incident: { ...incident, sources: [id] },
  };
}

/**
 * Milliseconds the incremental analysis adds per stored document, on a SQLite store of `storeSize`
 * synthetic incidents: each of `added` new incidents is stored (as an import: one transaction),
 * then `updateAnalysis` runs as ingest runs it. Half are dated at the end of the history (news), half
 * anywhere in it (late reports and back-filled history: more of each subject is rewritten).
 */
async function incrementalCost(
  knowledge: Knowledge,
  groupIds: readonly string[],
  countryCodes: readonly string[],
  storeSize: number,
  added: number,
): Promise<{ news: number[]; backfill: number[]; rebuildMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-analysis-'));
  const store = await openStore(join(dir, 'bench.db'));
  try {
    await store.syncKnowledgeBase(knowledgeBase());
    const base = synthesise(storeSize + added, groupIds, countryCodes).map(withDocument);
    const initial = base.slice(0, storeSize);
    for (let i = 0; i < initial.length; i += 500) {
      const part = initial.slice(i, i + 500);
      await store.saveImported(
        part.map((p) => p.document),
        part.map((p) => p.incident),
      );
    }
    const rebuild = process.hrtime.bigint();
    await updateAnalysis(store.analysis, knowledge);
    const rebuildMs = Number(process.hrtime.bigint() - rebuild) / 1e6;
    const news: number[] = [];
    const backfill: number[] = [];
    for (const [n, p] of base.slice(storeSize).entries()) {
      const late = n % 2 === 0;
      const incident = late
        ? { ...p.incident, date: { date: '2024-12-31', precision: 'day' as const } }
        : p.incident;
      await store.saveImported([p.document], [incident]);
      const t = process.hrtime.bigint();
      const update = await updateAnalysis(store.analysis, knowledge);
      if (update.incidents !== 1)
        throw new Error(`expected one incident to analyse, got ${update.incidents}`);
      (late ? news : backfill).push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return { news, backfill, rebuildMs };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Timings in milliseconds (and counts), for `npm run bench`. */
export async function benchAnalysis(
  options: { incidents: number; store?: number; added?: number } = { incidents: 250_000 },
): Promise<Record<string, number>> {
  const n = options.incidents;
  const { knowledge, groupIds, countryCodes } = setting();
  const incidents = synthesise(n, groupIds, countryCodes);
  computeThreat(incidents.slice(0, 5000), knowledge); // warm up the JIT
  // Each result is counted and dropped before the next timing: hundreds of MB kept alive would slow
  // the collector down for what follows.
  const measure = <T>(fn: () => T, count: (result: T) => number) => {
    const { ms, result } = time(fn);
    return { ms, count: count(result) };
  };
  const threat = measure(
    () => computeThreat(incidents, knowledge),
    (r) => r.changes.length,
  );
  const alerts = measure(
    () => replayAlerts(incidents, knowledge),
    (r) => r.length,
  );
  const bt = measure(
    () => backtest(incidents, knowledge, 90),
    (r) => r.rises,
  );
  const storeSize = options.store ?? 5000;
  const inc = await incrementalCost(knowledge, groupIds, countryCodes, storeSize, options.added ?? 200);
  const all = [...inc.news, ...inc.backfill];
  return {
    incidents: n,
    threatMs: Math.round(threat.ms),
    alertsMs: Math.round(alerts.ms),
    backtestMs: Math.round(bt.ms),
    levelChanges: threat.count,
    alerts: alerts.count,
    incrementalStoreIncidents: storeSize,
    incrementalRebuildMs: Math.round(inc.rebuildMs),
    incrementalMsMedian: round1(percentile(all, 0.5)),
    incrementalMsP95: round1(percentile(all, 0.95)),
    incrementalNewsMsMedian: round1(percentile(inc.news, 0.5)),
    incrementalBackfillMsMedian: round1(percentile(inc.backfill, 0.5)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i < 0 ? undefined : Number(args[i + 1]) || undefined;
  };
  const r = await benchAnalysis({
    incidents: option('--incidents') ?? 250_000,
    store: option('--store') ?? 5000,
  });
  console.log(
    `analysis, ${r.incidents} incidents: threat levels ${r.threatMs} ms (${r.levelChanges} level changes; target ≤ 5000 ms), alerts ${r.alertsMs} ms (${r.alerts} alerts), backtest ${r.backtestMs} ms`,
  );
  console.log(
    `incremental, SQLite store of ${r.incrementalStoreIncidents} incidents (first full build ${r.incrementalRebuildMs} ms): ${r.incrementalMsMedian} ms per document median, p95 ${r.incrementalMsP95} ms (news ${r.incrementalNewsMsMedian} ms, back-dated ${r.incrementalBackfillMsMedian} ms)`,
  );
}
