import type { Command } from 'commander';
import type { Alert, Knowledge, Locate } from '../../analyze/index.js';
import type { Incident } from '../../resolve/index.js';
import type { Store } from '../../store/index.js';
import { CliError } from '../errors.js';
import { print, withStore } from '../io.js';
import { databaseOf, withExamples } from './shared.js';

/* Shared by `vigil alerts`, `vigil threat`, `vigil analysis`, `vigil graph` and `vigil history`.
 * Alerts and levels are kept up to date in the store as incidents are written (docs/analysis.md,
 * "Incremental analysis"); these commands bring them up to date with anything written since, then
 * read them. Other parameters than the stored ones (`--mass-casualty N`, `--as-of D`) are computed
 * from every stored incident and not stored. */

/** The groups in effect and the countries with their UN region and subregion. */
export async function analysisKnowledge(): Promise<Knowledge> {
  const [{ makeKnowledge }, { knowledgeBase }, { loadCountries }] = await Promise.all([
    import('../../analyze/index.js'),
    import('../../knowledge/groups.js'),
    import('../../knowledge/places.js'),
  ]);
  return makeKnowledge(knowledgeBase().groups, loadCountries());
}

/** Coordinates of a city from the gazetteer (the most populous of that name in the country). */
export function locateCity(): Locate {
  return (city, country) => {
    // Loaded lazily: the gazetteer takes half a second.
    const cities = citiesCache ?? [];
    const found = cities
      .filter((c) => c.country === country && c.name.toLowerCase() === city.toLowerCase())
      .sort((a, b) => b.population - a.population)[0];
    return found ? { lat: found.lat, lon: found.lon } : null;
  };
}
let citiesCache:
  | readonly { name: string; country: string; lat: number; lon: number; population: number }[]
  | undefined;

/** Loads the gazetteer for `locateCity`. */
export async function loadCityGazetteer(): Promise<void> {
  const { loadCities } = await import('../../knowledge/places.js');
  citiesCache ??= loadCities();
}

/** A group by id, name or alias (any case), as the knowledge base or the incidents name it. */
export function resolveGroupOption(
  value: string,
  knowledge: Knowledge,
  incidents: readonly Incident[],
): string {
  const v = value.toLowerCase();
  for (const g of knowledge.groups.values()) {
    if (g.id === v || g.name.toLowerCase() === v || g.aliases.some((a) => a.toLowerCase() === v)) return g.id;
  }
  for (const i of incidents) {
    for (const g of i.perpetratorGroups) {
      if (g.groupId.toLowerCase() === v || g.group.toLowerCase() === v) return g.groupId;
    }
  }
  throw new CliError('--group', `unknown group "${value}"`);
}

export function countryOption(value: string, knowledge: Knowledge): string {
  const code = value.toUpperCase();
  if (!knowledge.countries.has(code)) throw new CliError('--country', `unknown country code "${value}"`);
  return code;
}

export function positiveNumber(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(name, `not a positive number: "${value}"`);
  return n;
}

/** A group option: from the knowledge base, else from the groups the stored incidents name (read
 * only then: a store can be large). */
export async function groupOption(store: Store, value: string, knowledge: Knowledge): Promise<string> {
  try {
    return resolveGroupOption(value, knowledge, []);
  } catch {
    return resolveGroupOption(value, knowledge, await allIncidents(store));
  }
}

/** Every stored incident (analysis needs the whole history). */
export function allIncidents(store: Store): Promise<Incident[]> {
  return store.listIncidents();
}

interface AlertsOptions {
  readonly group?: string;
  readonly country?: string;
  readonly massCasualty: string;
  readonly withdrawn?: boolean;
  readonly recompute?: boolean;
  readonly json?: boolean;
}

export function registerAlerts(program: Command): void {
  const command = program
    .command('alerts')
    .description(
      'Raise and list alerts: a group’s first attack in a new country, UN subregion or region, a sharp rise in its tempo or lethality, a mass-casualty attack',
    )
    .option('--group <group>', 'only alerts about this group (id, name or alias)')
    .option('--country <CC>', 'only alerts about incidents in this country (ISO 3166-1 alpha-2)')
    .option('--mass-casualty <n>', 'killed at or above which an attack is mass-casualty', '10')
    .option('--withdrawn', 'also alerts that later data withdrew')
    .option('--recompute', 'recompute every alert and level from every stored incident first')
    .option('--json', 'a JSON array of alerts with their numbers, evidence, and when they were raised')
    .action((options: AlertsOptions, self: Command) => alertsCommand(options, self));
  withExamples(
    command,
    'vigil history load && vigil ingest ../shared/examples/moscow-concert-hall.txt --published 2024-03-25 && vigil alerts --group ISKP',
    'vigil alerts --country RU --json',
    'vigil alerts --mass-casualty 50   # another threshold: computed now, not stored',
  );
}

async function alertsCommand(options: AlertsOptions, command: Command): Promise<void> {
  const massCasualtyKilled = positiveNumber('--mass-casualty', options.massCasualty);
  const [{ DEFAULT_ALERT_PARAMS, replayAlerts }, { rebuildAnalysis, updateAnalysis }] = await Promise.all([
    import('../../analyze/index.js'),
    import('../../analyze/incremental.js'),
  ]);
  const knowledge = await analysisKnowledge();
  const country = options.country === undefined ? undefined : countryOption(options.country, knowledge);
  const { listed, raised, withdrawn } = await withStore(databaseOf(command), async (store) => {
    const group =
      options.group === undefined ? undefined : await groupOption(store, options.group, knowledge);
    if (massCasualtyKilled !== DEFAULT_ALERT_PARAMS.massCasualtyKilled) {
      // Not the stored alerts' parameters: computed from every incident, shown, not stored.
      const alerts = replayAlerts(await allIncidents(store), knowledge, { massCasualtyKilled })
        .filter(
          (a) =>
            (group === undefined || a.group === group) && (country === undefined || a.country === country),
        )
        .sort(
          (a, b) =>
            (a.date === b.date ? 0 : a.date === null ? 1 : b.date === null ? -1 : a.date < b.date ? 1 : -1) ||
            (a.id < b.id ? -1 : 1),
        );
      const listed = alerts.map((alert) => ({ alert, raisedAt: null, withdrawnAt: null }));
      return { listed, raised: new Set<string>(), withdrawn: 0 };
    }
    const update = options.recompute
      ? await rebuildAnalysis(store.analysis, knowledge)
      : await updateAnalysis(store.analysis, knowledge);
    const listed: { alert: Alert; raisedAt: string | null; withdrawnAt: string | null }[] =
      await store.analysis.listAlerts<Alert>({
        ...(group === undefined ? {} : { group }),
        ...(country === undefined ? {} : { country }),
        withdrawn: options.withdrawn === true,
      });
    return { listed, raised: new Set(update.raised), withdrawn: update.withdrawn.length };
  });
  if (options.json) {
    await print(
      JSON.stringify(
        listed.map((s) => ({
          ...s.alert,
          raised_at: s.raisedAt,
          withdrawn_at: s.withdrawnAt,
          new: raised.has(s.alert.id),
        })),
        null,
        2,
      ),
    );
    return;
  }
  for (const s of listed) {
    const a = s.alert;
    await print(
      `${a.date ?? 'undated   '}  ${a.severity.padEnd(8)}  ${a.kind.padEnd(14)}  ${(a.group ?? '-').padEnd(14)}  ${a.country ?? '--'}  ${a.title}${raised.has(a.id) ? '  [new]' : ''}${s.withdrawnAt ? '  [withdrawn]' : ''}`,
    );
    await print(`    ${a.explanation}`);
    const ev = a.evidence.find((e) => e.field === 'country' || e.field === 'city' || e.field === 'killed');
    if (ev)
      await print(
        `    evidence: "${ev.text}" in "${ev.sentence.length > 160 ? `${ev.sentence.slice(0, 157)}…` : ev.sentence}"`,
      );
    await print(
      `    incident ${a.incident}; ${s.raisedAt === null ? 'not stored (other parameters)' : `raised ${s.raisedAt}`}${s.withdrawnAt ? `; withdrawn ${s.withdrawnAt}` : ''}`,
    );
  }
  await print(
    `${listed.length} alert${listed.length === 1 ? '' : 's'} (${[...listed].filter((s) => raised.has(s.alert.id)).length} new${withdrawn ? `, ${withdrawn} withdrawn` : ''})`,
  );
}
