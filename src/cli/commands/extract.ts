import type { Command } from 'commander';
import { incidentJson } from '../../resolve/index.js';
import { CliError, EXIT } from '../errors.js';
import { incidentsTable } from '../format.js';
import { print, write } from '../io.js';
import { type ReadCliOptions, readOptionsOf } from './ingest.js';
import { useKnowledgeBaseOf, withExamples, withKnowledgeBaseOption } from './shared.js';

interface ExtractOptions extends Omit<ReadCliOptions, 'maxBytes'> {
  readonly maxBytes?: string;
  readonly json?: boolean;
  readonly muc4?: string;
}

/** `--max-bytes` when not given: the largest input read, or with `--muc4` the largest doctext kept. */
const DEFAULT_MAX_BYTES = '10MB';
const MUC4_DEFAULT_MAX_BYTES = '1MB';

export function registerExtract(program: Command): void {
  const command = program
    .command('extract')
    .description('Show the incidents Vigil finds in articles, with evidence, without storing anything')
    .argument('[inputs...]', 'files (.txt .md .html .htm .jsonl), folders (read recursively), or - for stdin')
    .option('--published <date>', 'publication date (YYYY-MM-DD) for documents that carry none')
    .option('--outlet <name>', 'outlet for documents that carry none')
    .option(
      '--max-bytes <n>',
      `largest file, JSON Lines line or stdin read (such as 500000, 512KB; default ${DEFAULT_MAX_BYTES}); with --muc4, largest doctext kept, longer ones truncated (default ${MUC4_DEFAULT_MAX_BYTES})`,
    )
    .option(
      '--json',
      'one JSON line per document: {document, incidents} in the shape of `vigil incidents --json`',
    )
    .option(
      '--muc4 <file.jsonl>',
      'read MUC-4 GTT documents ({docid, doctext}) and write one line per document: {docid, templates}',
    );
  withKnowledgeBaseOption(command).action(
    async (inputs: string[], options: ExtractOptions, self: Command) => {
      await useKnowledgeBaseOf(self);
      return extractCommand(inputs, options);
    },
  );
  withExamples(
    command,
    'vigil extract ../shared/examples/moscow-concert-hall.txt --published 2024-03-25',
    'vigil extract feed.jsonl --json > drafts.jsonl',
    'vigil extract --muc4 ../shared/eval/muc4/dev.jsonl > dev.pred.jsonl',
  );
}

async function extractCommand(inputs: string[], options: ExtractOptions): Promise<void> {
  if (options.muc4 !== undefined) return muc4Command(inputs, options);
  if (inputs.length === 0)
    throw new CliError(
      null,
      'give the articles to read (files, folders or - for stdin), or --muc4 <file.jsonl>',
    );
  const readOptions = readOptionsOf({ ...options, maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES });
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

/**
 * `--muc4`: GTT-format documents in, one `{"docid", "templates"}` line out per document. A bad line is
 * reported on stderr as `error file:LINE: problem` and the others are still extracted (exit 1); a
 * doctext over the limit is truncated with a `warning file:LINE: …`.
 */
async function muc4Command(inputs: string[], options: ExtractOptions): Promise<void> {
  const path = options.muc4 ?? '';
  if (path.trim() === '') throw new CliError('--muc4', 'must name a file');
  if (inputs.length > 0)
    throw new CliError('--muc4', `reads only its own file: drop the other inputs (${inputs.join(' ')})`);
  const readOptions = readOptionsOf({ ...options, maxBytes: options.maxBytes ?? MUC4_DEFAULT_MAX_BYTES });
  const maxTextBytes = readOptions.maxBytes;
  const { readGttLines, vigilPredictor } = await import('../../eval/index.js');
  const predict = vigilPredictor();
  let failed = 0;
  for await (const result of readGttLines(path, { maxTextBytes })) {
    if (!result.ok) {
      failed++;
      await write(process.stderr, `error ${result.error.where}: ${result.error.problem}\n`);
      continue;
    }
    for (const w of result.warnings) await write(process.stderr, `warning ${w.where}: ${w.problem}\n`);
    const doc = result.document;
    const templates = predict({
      docid: doc.docid,
      doctext: doc.doctext,
      published: doc.published ?? readOptions.published ?? null,
    });
    await print(JSON.stringify({ docid: doc.docid, templates }));
  }
  if (failed > 0) process.exitCode = EXIT.badInput;
}
