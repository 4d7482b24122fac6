import type { Command } from 'commander';
import type { ReadOptions } from '../../sources/index.js';
import { CliError, EXIT } from '../errors.js';
import { countOutcome, emptyTally, outcomeJson, outcomeLine, summaryLine } from '../format.js';
import { print, withStore } from '../io.js';
import { parseBytes, parsePublished } from '../options.js';
import { createReporter } from '../progress.js';
import { databaseOf, withExamples } from './shared.js';

/** The reading options `ingest` and `extract` share. */
export interface ReadCliOptions {
  readonly published?: string;
  readonly outlet?: string;
  readonly maxBytes: string;
}

interface IngestOptions extends ReadCliOptions {
  readonly json?: boolean;
}

export function registerIngest(program: Command): void {
  const command = program
    .command('ingest')
    .description('Read articles and store the incidents found in them, with their evidence')
    .argument('<inputs...>', 'files (.txt .md .html .htm .jsonl), folders (read recursively), or - for stdin')
    .option('--published <date>', 'publication date (YYYY-MM-DD) for documents that carry none')
    .option('--outlet <name>', 'outlet for documents that carry none')
    .option('--max-bytes <n>', 'largest file, JSON Lines line or stdin read (such as 500000, 512KB)', '10MB')
    .option('--json', 'one JSON line per document instead of text')
    .action((inputs: string[], options: IngestOptions, self: Command) =>
      ingestCommand(inputs, options, self),
    );
  withExamples(
    command,
    'vigil ingest ../shared/examples/moscow-concert-hall.txt --published 2024-03-25',
    'curl -s https://example.org/article.html | vigil ingest - --outlet example.org',
  );
}

async function ingestCommand(inputs: string[], options: IngestOptions, command: Command): Promise<void> {
  const readOptions = readOptionsOf(options);
  const location = databaseOf(command);
  const { ingest } = await import('../../pipeline/ingest.js');
  if (inputs.includes('-') && process.stdin.isTTY) {
    process.stderr.write('vigil: reading an article from stdin (end it with Ctrl-D)\n');
  }
  const tally = emptyTally();
  await withStore(location, async (store) => {
    const reporter = createReporter(process.stderr.isTTY === true);
    try {
      for await (const outcome of ingest(store, inputs, readOptions)) {
        countOutcome(tally, outcome);
        reporter.tick(outcome.origin);
        if (options.json) await reporter.out(outcomeJson(outcome));
        else if (outcome.status === 'error') await reporter.err(outcomeLine(outcome));
        else await reporter.out(outcomeLine(outcome));
      }
    } finally {
      reporter.stop();
    }
  });
  if (!options.json) await print(summaryLine(tally));
  if (tally.error > 0) process.exitCode = EXIT.badInput;
}

export function readOptionsOf(options: ReadCliOptions): ReadOptions {
  const outlet = options.outlet?.trim();
  if (outlet === '') throw new CliError('--outlet', 'must not be empty');
  return {
    ...(options.published === undefined
      ? {}
      : { published: parsePublished('--published', options.published) }),
    ...(outlet === undefined ? {} : { outlet }),
    maxBytes: parseBytes('--max-bytes', options.maxBytes),
  };
}
