import type { Command } from 'commander';
import { CliError, EXIT } from '../errors.js';
import { countOutcome, emptyTally, incidentsTable, outcomeLine, summaryLine } from '../format.js';
import { packagePath, print, withStore } from '../io.js';
import { createReporter } from '../progress.js';
import { databaseOf, useKnowledgeBaseOf, withExamples, withKnowledgeBaseOption } from './shared.js';

/** The sample articles shipped with the package. */
export const SAMPLES = 'samples/articles.jsonl';

export function registerDemo(program: Command): void {
  const command = program
    .command('demo')
    .description('Ingest the bundled sample articles and print the incident table');
  withKnowledgeBaseOption(command).action((_options: unknown, self: Command) => demoCommand(self));
  withExamples(command, 'vigil demo', 'vigil demo --db /tmp/demo.db');
}

async function demoCommand(command: Command): Promise<void> {
  const location = databaseOf(command);
  const samples = packagePath(SAMPLES);
  await useKnowledgeBaseOf(command);
  const { ingest } = await import('../../pipeline/ingest.js');
  const tally = emptyTally();
  await withStore(location, async (store) => {
    const reporter = createReporter(process.stderr.isTTY === true);
    try {
      for await (const outcome of ingest(store, [samples])) {
        countOutcome(tally, outcome);
        reporter.tick(outcome.origin);
        if (outcome.status === 'error') await reporter.err(outcomeLine(outcome));
      }
    } finally {
      reporter.stop();
    }
    if (tally.error > 0) {
      // The samples ship with Vigil: refusing one is Vigil's fault, not the user's.
      throw new CliError(samples, `${tally.error} bundled sample articles were refused`, EXIT.internal);
    }
    await print(`Sample articles ingested into ${store.location}: ${summaryLine(tally)}\n`);
    await print(incidentsTable(await store.listIncidents()));
    await print('\nShow one incident with its evidence: vigil incident <id>');
  });
}
