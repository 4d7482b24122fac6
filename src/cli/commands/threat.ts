import type { Command } from 'commander';
import type { ThreatAssessment } from '../../analyze/index.js';
import { CliError } from '../errors.js';
import { print, withStore } from '../io.js';
import { allIncidents, analysisKnowledge, countryOption, groupOption, positiveNumber } from './alerts.js';
import { databaseOf, withExamples } from './shared.js';

interface ThreatOptions {
  readonly group?: string;
  readonly country?: string;
  readonly asOf?: string;
  readonly recompute?: boolean;
  readonly json?: boolean;
}

export function registerThreat(program: Command): void {
  const threat = program
    .command('threat')
    .description(
      'Threat levels (low, moderate, substantial, severe, critical) of groups and countries, each with the components that produced it and the history of its changes',
    )
    .option('--group <group>', 'one group (id, name or alias): its components and every change of level')
    .option('--country <CC>', 'one country (ISO 3166-1 alpha-2): its components and every change of level')
    .option(
      '--as-of <date>',
      'assess on this date (YYYY-MM-DD) from the incidents up to it (default: the last incident’s date)',
    )
    .option('--recompute', 'recompute every alert and level from every stored incident first')
    .option('--json', 'the assessments (and changes) as JSON')
    .action((options: ThreatOptions, self: Command) => threatCommand(options, self));
  withExamples(
    threat,
    'vigil threat --group ISKP',
    'vigil threat --country RU --json',
    'vigil threat backtest --horizon 90',
  );
  const backtest = threat
    .command('backtest')
    .description(
      'Replay the stored history and report how often a rise of a level was followed by another attack',
    )
    .option('--horizon <days>', 'days after a rise in which another attack counts', '90')
    .option('--json', 'the result as JSON')
    .action((options: { horizon: string; json?: boolean }, self: Command) =>
      backtestCommand(
        { ...options, json: options.json ?? self.parent?.opts<{ json?: boolean }>().json },
        self,
      ),
    );
  withExamples(backtest, 'vigil threat backtest', 'vigil threat backtest --horizon 30 --json');
}

async function threatCommand(options: ThreatOptions, command: Command): Promise<void> {
  if (options.group !== undefined && options.country !== undefined)
    throw new CliError('--group', 'give --group or --country, not both');
  if (options.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.asOf))
    throw new CliError('--as-of', `not a date (YYYY-MM-DD): "${options.asOf}"`);
  const [{ computeThreat }, { rebuildAnalysis, storedThreat, updateAnalysis }] = await Promise.all([
    import('../../analyze/index.js'),
    import('../../analyze/incremental.js'),
  ]);
  const knowledge = await analysisKnowledge();
  const out = await withStore(databaseOf(command), async (store) => {
    const subject =
      options.group !== undefined
        ? { kind: 'group' as const, id: await groupOption(store, options.group, knowledge) }
        : options.country !== undefined
          ? { kind: 'country' as const, id: countryOption(options.country, knowledge) }
          : null;
    // A view at another date is computed from the incidents up to it and not stored; otherwise the
    // stored levels, brought up to date with what was written since they were (docs/analysis.md).
    if (options.asOf !== undefined)
      return { result: computeThreat(await allIncidents(store), knowledge, {}, options.asOf), subject };
    if (options.recompute) await rebuildAnalysis(store.analysis, knowledge);
    else await updateAnalysis(store.analysis, knowledge);
    return { result: await storedThreat(store.analysis, knowledge, subject ?? 'none'), subject };
  });
  const { result, subject } = out;
  if (subject === null) {
    if (options.json) {
      await print(
        JSON.stringify({ as_of: result.asOf, groups: result.groups, countries: result.countries }, null, 2),
      );
      return;
    }
    if (result.asOf === null) {
      await print('no dated incidents stored');
      return;
    }
    await print(`Threat levels as of ${result.asOf}`);
    for (const [title, list] of [
      ['Groups', result.groups],
      ['Countries', result.countries],
    ] as const) {
      await print(`\n${title}`);
      for (const a of list) await print(row(a));
    }
    return;
  }
  const list = subject.kind === 'group' ? result.groups : result.countries;
  const assessment = list.find((a) => a.subject.id === subject.id) ?? null;
  const changes = result.changes.filter(
    (c) => c.subject.kind === subject.kind && c.subject.id === subject.id,
  );
  if (options.json) {
    await print(JSON.stringify({ as_of: result.asOf, subject, assessment, changes }, null, 2));
    return;
  }
  if (assessment === null) {
    await print(`${subject.kind} ${subject.id}: no incidents up to ${result.asOf ?? 'now'}; level low`);
    return;
  }
  await print(`${assessment.subject.name} (${subject.kind} ${subject.id}) as of ${assessment.asOf}`);
  await print(
    `level ${assessment.level.toUpperCase()}, score ${assessment.score} of 100 (${assessment.incidents} incidents on record)\n`,
  );
  await print(
    `${'component'.padEnd(12)} ${'value'.padStart(8)} ${'score'.padStart(6)} ${'weight'.padStart(6)} ${'points'.padStart(7)}  detail`,
  );
  for (const c of assessment.components) {
    await print(
      `${c.name.padEnd(12)} ${String(c.value).padStart(8)} ${String(c.score).padStart(6)} ${String(c.weight).padStart(6)} ${String(c.contribution).padStart(7)}  ${c.detail}`,
    );
  }
  await print('\nChanges of level');
  for (const c of changes)
    await print(`  ${c.date}  ${(c.from ?? '-').padEnd(11)} → ${c.to.padEnd(11)}  ${c.reason}`);
}

function row(a: ThreatAssessment): string {
  const parts = a.components.map((c) => `${c.name} ${c.contribution}`).join(', ');
  return `  ${a.level.padEnd(11)} ${String(a.score).padStart(6)}  ${a.subject.id.padEnd(24)} ${a.subject.name}  (${parts})`;
}

async function backtestCommand(
  options: { horizon: string; json?: boolean },
  command: Command,
): Promise<void> {
  const horizon = positiveNumber('--horizon', options.horizon);
  const { backtest } = await import('../../analyze/index.js');
  const knowledge = await analysisKnowledge();
  const result = await withStore(databaseOf(command), async (store) =>
    backtest(await allIncidents(store), knowledge, horizon),
  );
  if (options.json) {
    await print(JSON.stringify(result, null, 2));
    return;
  }
  const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 1000) / 10}%`);
  await print(`Backtest, horizon ${result.horizonDays} days`);
  await print(
    `  rises of a level followed by another attack: ${result.risesFollowed} of ${result.rises} (${pct(result.riseHitRate)})`,
  );
  await print(
    `  any incident followed by another attack:     ${result.eventsFollowed} of ${result.events} (${pct(result.baseRate)})`,
  );
  await print(`  lift: ${result.lift ?? 'n/a'}`);
  await print(
    `  falls followed by another attack anyway:    ${result.fallsFollowed} of ${result.falls} (${pct(result.fallHitRate)})`,
  );
  for (const kind of ['group', 'country'] as const) {
    const k = result.byKind[kind];
    await print(`  ${kind} rises: ${k.risesFollowed} of ${k.rises} followed`);
  }
}
