import type { Command } from 'commander';
import type { ArmedGroup } from '../../knowledge/groups.js';
import { incidentJson } from '../../resolve/incident-json.js';
import type { IncidentQuery } from '../../store/index.js';
import { CliError } from '../errors.js';
import { incidentsTable } from '../format.js';
import { print, printJsonArray, withStore } from '../io.js';
import { parseCountry, parseDay, parsePositiveInt, resolveGroupId } from '../options.js';
import { registerIncidentDecisions } from './incident-decisions.js';
import { databaseOf, withExamples } from './shared.js';

interface IncidentsOptions {
  readonly limit?: string;
  readonly country?: string;
  readonly group?: string;
  readonly since?: string;
  readonly until?: string;
  readonly json?: boolean;
}

export function registerIncidents(program: Command): void {
  const command = program
    .command('incidents')
    .description('List stored incidents, newest first')
    .option('--limit <n>', 'at most n incidents (default: all)')
    .option('--country <CC>', 'only in this country (ISO 3166-1 alpha-2, such as RU)')
    .option('--group <id>', 'only attributed to this group (id such as iskp, name or alias)')
    .option('--since <date>', 'only dated on or after this day (YYYY-MM-DD)')
    .option('--until <date>', 'only dated on or before this day (YYYY-MM-DD)')
    .option('--json', 'a JSON array of incidents with their evidence instead of a table')
    .action((options: IncidentsOptions, self: Command) => incidentsCommand(options, self));
  registerIncidentDecisions(command);
  withExamples(
    command,
    'vigil incidents --country RU --since 2024-01-01',
    'vigil incidents --group ISKP --json',
  );
}

async function incidentsCommand(options: IncidentsOptions, command: Command): Promise<void> {
  const { loadGroups } = await import('../../knowledge/groups.js');
  const query = queryOf(options, loadGroups());
  await withStore(databaseOf(command), async (store) => {
    const incidents = await store.listIncidents(query);
    if (options.json) await printJsonArray(incidents.map(incidentJson));
    else await print(incidentsTable(incidents));
  });
}

function queryOf(options: IncidentsOptions, groups: readonly ArmedGroup[]): IncidentQuery {
  const since = options.since === undefined ? undefined : parseDay('--since', options.since);
  const until = options.until === undefined ? undefined : parseDay('--until', options.until);
  if (since !== undefined && until !== undefined && since > until) {
    throw new CliError('--since', `${since} is after --until ${until}`);
  }
  return {
    ...(options.limit === undefined ? {} : { limit: parsePositiveInt('--limit', options.limit) }),
    ...(options.country === undefined ? {} : { country: parseCountry('--country', options.country) }),
    ...(options.group === undefined ? {} : { group: resolveGroupId('--group', options.group, groups) }),
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
  };
}
