import type { Command } from 'commander';
import type { Alert, Knowledge, Locate } from '../../analyze/index.js';
import type { Incident } from '../../resolve/index.js';
import type { Store } from '../../store/index.js';
import { CliError } from '../errors.js';
import { print, withStore } from '../io.js';
import { databaseOf, withExamples } from './shared.js';

/* Shared by `vigil alerts`, `vigil threat`, `vigil graph` and `vigil history`: analysis is computed
 * on demand from every stored incident (see docs/analysis.md for why), then remembered in the store. */

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

/** Every stored incident (analysis needs the whole history). */
export function allIncidents(store: Store): Promise<Incident[]> {
  return store.listIncidents();
}

interface AlertsOptions {
  readonly group?: string;
  readonly country?: string;
  readonly massCasualty: string;
  readonly withdrawn?: boolean;
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
    .option('--json', 'a JSON array of alerts with their numbers, evidence, and when they were raised')
    .action((options: AlertsOptions, self: Command) => alertsCommand(options, self));
  withExamples(
    command,
    'vigil history load && vigil ingest ../shared/examples/moscow-concert-hall.txt --published 2024-03-25 && vigil alerts --group ISKP',
    'vigil alerts --country RU --json',
  );
}

async function alertsCommand(options: AlertsOptions, command: Command): Promise<void> {
  const massCasualtyKilled = positiveNumber('--mass-casualty', options.massCasualty);
  const { replayAlerts } = await import('../../analyze/index.js');
  const knowledge = await analysisKnowledge();
  const country = options.country === undefined ? undefined : countryOption(options.country, knowledge);
  const { listed, raised, withdrawn } = await withStore(databaseOf(command), async (store) => {
    const incidents = await allIncidents(store);
    const group =
      options.group === undefined ? undefined : resolveGroupOption(options.group, knowledge, incidents);
    const alerts = replayAlerts(incidents, knowledge, { massCasualtyKilled });
    const sync = await store.analysis.syncAlerts(alerts);
    const listed = await store.analysis.listAlerts<Alert>({
      ...(group === undefined ? {} : { group }),
      ...(country === undefined ? {} : { country }),
      withdrawn: options.withdrawn === true,
    });
    return { listed, raised: new Set(sync.raised), withdrawn: sync.withdrawn.length };
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
      `    incident ${a.incident}; raised ${s.raisedAt}${s.withdrawnAt ? `; withdrawn ${s.withdrawnAt}` : ''}`,
    );
  }
  await print(
    `${listed.length} alert${listed.length === 1 ? '' : 's'} (${[...listed].filter((s) => raised.has(s.alert.id)).length} new${withdrawn ? `, ${withdrawn} withdrawn` : ''})`,
  );
}
