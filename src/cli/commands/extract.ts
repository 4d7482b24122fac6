import type { Command } from 'commander';
import { incidentJson } from '../../resolve/index.js';
import { EXIT } from '../errors.js';
import { incidentsTable } from '../format.js';
import { print, write } from '../io.js';
import { type ReadCliOptions, readOptionsOf } from './ingest.js';
import { withExamples } from './shared.js';

interface ExtractOptions extends ReadCliOptions {
  readonly json?: boolean;
}

export function registerExtract(program: Command): void {
  const command = program
    .command('extract')
    .description('Show the incidents Vigil finds in articles, with evidence, without storing anything')
    .argument('<inputs...>', 'files (.txt .md .html .htm .jsonl), folders (read recursively), or - for stdin')
    .option('--published <date>', 'publication date (YYYY-MM-DD) for documents that carry none')
    .option('--outlet <name>', 'outlet for documents that carry none')
    .option('--max-bytes <n>', 'largest file, JSON Lines line or stdin read (such as 500000, 512KB)', '10MB')
    .option(
      '--json',
      'one JSON line per document: {document, incidents} in the shape of `vigil incidents --json`',
    )
    .action((inputs: string[], options: ExtractOptions) => extractCommand(inputs, options));
  withExamples(
    command,
    'vigil extract ../shared/examples/moscow-concert-hall.txt --published 2024-03-25',
    'vigil extract feed.jsonl --json > drafts.jsonl',
  );
}

async function extractCommand(inputs: string[], options: ExtractOptions): Promise<void> {
  const readOptions = readOptionsOf(options);
  const { extractSources } = await import('../../pipeline/extract.js');
  let refused = 0;
  for await (const outcome of extractSources(inputs, readOptions)) {
    if (outcome.status === 'error') {
      refused++;
      await write(process.stderr, `error ${outcome.origin}: ${outcome.reason}\n`);
      continue;
    }
    if (options.json) {
      const document = { id: outcome.documentId, origin: outcome.origin, url: outcome.url };
      await print(JSON.stringify({ document, incidents: outcome.incidents.map(incidentJson) }));
    } else {
      await print(
        `${outcome.origin} (${outcome.incidents.length} incident${outcome.incidents.length === 1 ? '' : 's'})`,
      );
      if (outcome.incidents.length > 0) await print(`${incidentsTable(outcome.incidents)}\n`);
    }
  }
  if (refused > 0) process.exitCode = EXIT.badInput;
}
