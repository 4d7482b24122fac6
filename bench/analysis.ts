/**
 * Analysis benchmark: synthesises a GTD-sized history (250,000 incidents, 300 groups, 120
 * countries, 1970–2024) in memory and times recomputing every threat level with its full history
 * of changes (`computeThreat`), replaying every alert (`replayAlerts`) and the backtest.
 * Target: threat levels for 250k incidents in ≤ 5 s.
 *
 *   npx tsx bench/analysis.ts [--incidents N]
 *
 * `benchAnalysis()` is exported for `npm run bench` to call.
 */
import { backtest, computeThreat, makeKnowledge, replayAlerts } from '../src/analyze/index.js';
import { loadGroups } from '../src/knowledge/groups.js';
import { loadCountries } from '../src/knowledge/places.js';
import type { Incident } from '../src/resolve/index.js';

export interface AnalysisBench {
  readonly incidents: number;
  readonly threatMs: number;
  readonly alertsMs: number;
  readonly backtestMs: number;
  readonly levelChanges: number;
  readonly alerts: number;
}

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

export function benchAnalysis(n = 250_000): AnalysisBench {
  const groups = loadGroups();
  const countries = loadCountries();
  const knowledge = makeKnowledge(groups, countries);
  const incidents = synthesise(
    n,
    groups.slice(0, 300).map((g) => g.id),
    countries
      .filter((c) => c.region !== 'Antarctic')
      .slice(0, 120)
      .map((c) => c.code),
  );
  computeThreat(incidents.slice(0, 5000), knowledge); // warm up the JIT
  const threat = time(() => computeThreat(incidents, knowledge));
  const alerts = time(() => replayAlerts(incidents, knowledge));
  const bt = time(() => backtest(incidents, knowledge, 90));
  return {
    incidents: n,
    threatMs: Math.round(threat.ms),
    alertsMs: Math.round(alerts.ms),
    backtestMs: Math.round(bt.ms),
    levelChanges: threat.result.changes.length,
    alerts: alerts.result.length,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const n = Number(args[args.indexOf('--incidents') + 1] ?? 0) || 250_000;
  const r = benchAnalysis(n);
  console.log(
    `analysis, ${r.incidents} incidents: threat levels ${r.threatMs} ms (${r.levelChanges} level changes; target ≤ 5000 ms), alerts ${r.alertsMs} ms (${r.alerts} alerts), backtest ${r.backtestMs} ms`,
  );
}
