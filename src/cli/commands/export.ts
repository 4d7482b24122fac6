import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ArmedGroup } from '../../knowledge/groups.js';
import type { IncidentQuery } from '../../store/index.js';
import { CliError, EXIT } from '../errors.js';
import { withStore, write } from '../io.js';
import { parseCountry, parseDay, parsePositiveInt, resolveGroupId } from '../options.js';
import { databaseOf, withExamples } from './shared.js';

interface ExportStixOptions {
  readonly out?: string;
  readonly tlp: string;
  readonly limit?: string;
  readonly country?: string;
  readonly group?: string;
  readonly since?: string;
  readonly until?: string;
}

const TLP_CHOICES = 'clear, green, amber, amber+strict or red';

export function registerExport(program: Command): void {
  const exportCommand = program
    .command('export')
    .description('Write stored incidents in a sharing format (STIX 2.1)');
  const stix = exportCommand
    .command('stix')
    .description(
      'Write stored incidents as a STIX 2.1 bundle, with their reports, groups, places and evidence',
    )
    .option('--out <file>', 'write the bundle to this file (default: stdout)')
    .option(
      '--tlp <level>',
      `TLP 2.0 marking of every incident and what derives from it: ${TLP_CHOICES}`,
      'clear',
    )
    .option('--limit <n>', 'at most n incidents, newest first (default: all)')
    .option('--country <CC>', 'only in this country (ISO 3166-1 alpha-2, such as RU)')
    .option('--group <id>', 'only attributed to this group (id such as iskp, name or alias)')
    .option('--since <date>', 'only dated on or after this day (YYYY-MM-DD)')
    .option('--until <date>', 'only dated on or before this day (YYYY-MM-DD)')
    .action((options: ExportStixOptions, self: Command) => exportStixCommand(options, self));
  const examples = [
    'vigil export stix --out incidents.stix.json',
    'vigil export stix --country RU --since 2024-01-01 --tlp amber > ru.json',
  ];
  withExamples(stix, ...examples);
  withExamples(exportCommand, ...examples);
}

async function exportStixCommand(options: ExportStixOptions, command: Command): Promise<void> {
  const { loadGroups } = await import('../../knowledge/groups.js');
  const { bundleText, checkBundle, exportBundle, isTlpLevel } = await import('../../stix/index.js');
  const tlp = options.tlp.trim().toLowerCase();
  if (!isTlpLevel(tlp))
    throw new CliError('--tlp', `'${options.tlp}' is not a TLP 2.0 level (${TLP_CHOICES})`);
  if (options.out !== undefined && options.out.trim() === '') throw new CliError('--out', 'must name a file');
  const groups = loadGroups();
  const query = queryOf(options, groups);
  const text = await withStore(databaseOf(command), async (store) => {
    const incidents = await store.listIncidents(query);
    const ids = new Set(incidents.flatMap((i) => [...i.sources, ...i.evidence.map((e) => e.documentId)]));
    const documents = [];
    for (const id of [...ids].sort()) {
      const doc = await store.getDocument(id);
      if (doc !== null) documents.push(doc);
    }
    const bundle = exportBundle({ incidents, documents, groups, tlp });
    // A bundle Vigil writes must be valid; if not, that is Vigil's bug, not the user's.
    const check = checkBundle(JSON.parse(bundleText(bundle)));
    if (check.errors.length > 0) {
      const first = check.errors[0];
      throw new CliError(
        'export stix',
        `the bundle does not validate (${first?.objectId} ${first?.path}: ${first?.message})`,
        EXIT.internal,
      );
    }
    return bundleText(bundle);
  });
  if (options.out === undefined) await write(process.stdout, text);
  else await writeFile(options.out, text, 'utf8');
}

function queryOf(options: ExportStixOptions, groups: readonly ArmedGroup[]): IncidentQuery {
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
