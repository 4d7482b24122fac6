import type { Command } from 'commander';
import { statsText } from '../format.js';
import { print, withStore } from '../io.js';
import { databaseOf, withExamples } from './shared.js';

export function registerStats(program: Command): void {
  const command = program
    .command('stats')
    .description('Count the stored documents, incidents, groups and evidence, and name the database')
    .option('--json', 'the counts as JSON')
    .action((options: { json?: boolean }, self: Command) =>
      withStore(databaseOf(self), async (store) => {
        const stats = await store.stats();
        await print(options.json ? JSON.stringify(stats, null, 2) : statsText(stats));
      }),
    );
  withExamples(command, 'vigil stats', 'vigil --db postgres://vigil@db.example.org/vigil stats --json');
}
