import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { packagePath, print, withStore } from '../io.js';
import { databaseOf, withExamples } from './shared.js';

export const DEFAULT_HISTORY = 'data/history/incidents.json';

export function registerHistory(program: Command): void {
  const history = program
    .command('history')
    .description('The compiled history of past attacks that analysis compares new incidents against');
  const load = history
    .command('load')
    .description(
      `Store the incidents of a history file (default: the bundled ${DEFAULT_HISTORY}); each is marked with the origin history:<file>#<entry>, and loading twice stores once`,
    )
    .argument('[file]', 'a history file (JSON, as data/history/incidents.json)')
    .option('--json', 'one JSON object: the file, the incidents stored and already known')
    .action((file: string | undefined, options: { json?: boolean }, self: Command) =>
      loadHistoryCommand(file, options, self),
    );
  const examples = ['vigil history load', 'vigil history load my-history.json --json && vigil alerts'];
  withExamples(load, ...examples);
  withExamples(history, ...examples);
}

async function loadHistoryCommand(
  file: string | undefined,
  options: { json?: boolean },
  command: Command,
): Promise<void> {
  const path = file ?? packagePath(DEFAULT_HISTORY);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(path, code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}`);
  }
  const { historyFileSchema, historyRecords } = await import('../../analyze/index.js');
  let parsed: ReturnType<typeof historyFileSchema.parse>;
  try {
    parsed = historyFileSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new CliError(path, `not a history file: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { analysisKnowledge, loadCityGazetteer, locateCity } = await import('./alerts.js');
  const knowledge = await analysisKnowledge();
  await loadCityGazetteer();
  let records: ReturnType<typeof historyRecords>;
  try {
    records = historyRecords(parsed, basename(path), knowledge, locateCity());
  } catch (error) {
    throw new CliError(path, (error as Error).message);
  }
  const { knowledgeBase } = await import('../../knowledge/groups.js');
  const result = await withStore(databaseOf(command), async (store) => {
    await store.syncKnowledgeBase(knowledgeBase());
    return store.saveImported(records.documents, records.incidents);
  });
  if (options.json) {
    await print(JSON.stringify({ file: path, stored: result.stored, known: result.known }));
    return;
  }
  await print(
    `${records.incidents.length} history incidents from ${basename(path)} (origin history:${basename(path)}#<entry>): ${result.stored.length} stored, ${result.known.length} already known`,
  );
}
