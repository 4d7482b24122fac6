import type { Command } from 'commander';
import { print, withStore } from '../io.js';
import { analysisKnowledge } from './alerts.js';
import { databaseOf, withExamples } from './shared.js';

/* `vigil analysis`: the stored alerts and threat levels as a whole. They are kept up to date as
 * incidents are written (docs/analysis.md, "Incremental analysis"); `rebuild` recomputes them from
 * every stored incident, `update` takes up what was written since they were last updated. */

export function registerAnalysis(program: Command): void {
  const analysis = program
    .command('analysis')
    .description(
      'The stored alerts and threat levels: rebuild them from every incident, or bring them up to date',
    );
  const rebuild = analysis
    .command('rebuild')
    .description(
      'Recompute every alert and threat level (with its history of changes) from every stored incident; alerts keep when they were first raised',
    )
    .option('--json', 'what was done, as JSON')
    .action((options: { json?: boolean }, self: Command) => analysisCommand('rebuild', options, self));
  withExamples(rebuild, 'vigil analysis rebuild', 'vigil analysis rebuild --json');
  const update = analysis
    .command('update')
    .description(
      'Recompute the alerts and levels of the groups and countries whose incidents were written since the last update (imports, merges, decisions)',
    )
    .option('--json', 'what was done, as JSON')
    .action((options: { json?: boolean }, self: Command) => analysisCommand('update', options, self));
  withExamples(update, 'vigil import stix bundle.json && vigil analysis update');
  withExamples(analysis, 'vigil analysis rebuild');
}

async function analysisCommand(what: 'rebuild' | 'update', options: { json?: boolean }, command: Command) {
  const { rebuildAnalysis, updateAnalysis } = await import('../../analyze/incremental.js');
  const knowledge = await analysisKnowledge();
  const started = performance.now();
  const result = await withStore(databaseOf(command), (store) =>
    what === 'rebuild'
      ? rebuildAnalysis(store.analysis, knowledge)
      : updateAnalysis(store.analysis, knowledge),
  );
  const ms = Math.round(performance.now() - started);
  if (options.json ?? command.parent?.opts<{ json?: boolean }>().json) {
    await print(JSON.stringify({ ...result, ms }, null, 2));
    return;
  }
  await print(
    `${result.rebuilt ? 'rebuilt from' : 'updated for'} ${result.incidents} incident${result.incidents === 1 ? '' : 's'}: ${result.subjects} groups and countries recomputed, ${result.raised.length} alerts raised, ${result.withdrawn.length} withdrawn (${ms} ms)`,
  );
}
