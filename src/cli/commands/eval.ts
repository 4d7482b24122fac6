import type { Command } from 'commander';
import type { LineResult, Muc4Evaluation, ReadProblem } from '../../eval/index.js';
import { CliError, EXIT } from '../errors.js';
import { type Column, renderTable } from '../format.js';
import { print, write } from '../io.js';
import { parseBytes, parsePublished } from '../options.js';
import { registerEvalIncidents } from './eval-incidents.js';
import { withExamples } from './shared.js';

interface EvalMuc4Options {
  readonly grit?: string;
  readonly json?: boolean;
  readonly published?: string;
  readonly maxBytes: string;
}

export function registerEval(program: Command): void {
  const evalCommand = program
    .command('eval')
    .description('Score Vigil against an external benchmark (MUC-4, coder-gold incident records)');
  const muc4 = evalCommand
    .command('muc4')
    .description('Score Vigil on MUC-4 gold: the GTT template metric, and CEAF-REE with --grit')
    .argument('<gold.jsonl>', 'GTT-format gold: one {docid, doctext, templates} per line')
    .option('--grit <grit_gold.jsonl>', 'GRIT-format gold ({docid, doctext, extracts}) for CEAF-REE')
    .option('--published <date>', 'publication date (YYYY-MM-DD) for the documents (MUC-4 texts carry none)')
    .option(
      '--max-bytes <n>',
      'largest doctext read; longer ones are truncated (such as 500000, 512KB)',
      '1MB',
    )
    .option('--json', 'the scores as one JSON object (P, R, F1 in percent, with their counts)')
    .action((gold: string, options: EvalMuc4Options) => evalMuc4Command(gold, options));
  withExamples(
    muc4,
    'vigil eval muc4 ../shared/eval/muc4/dev.jsonl --grit ../shared/eval/muc4/grit_dev.jsonl',
    'vigil eval muc4 dev.jsonl --json > scores.json',
  );
  registerEvalIncidents(evalCommand);
  withExamples(
    evalCommand,
    'vigil eval muc4 ../shared/eval/muc4/dev.jsonl --grit ../shared/eval/muc4/grit_dev.jsonl',
    'vigil eval incidents ../shared/eval/incidents/gtd-2011.dev.jsonl --part blind',
  );
}

/** Per-line problems go to stderr as `error|warning file:LINE: problem`; a file that gives no document
 * at all stops the command (exit 1). Scores are printed for the documents read; exit 1 if any line was bad. */
async function evalMuc4Command(goldPath: string, options: EvalMuc4Options): Promise<void> {
  const published = options.published === undefined ? null : parsePublished('--published', options.published);
  const maxTextBytes = parseBytes('--max-bytes', options.maxBytes);
  if (options.grit !== undefined && options.grit.trim() === '')
    throw new CliError('--grit', 'must name a file');
  const { evaluateMuc4, readAll, readGritLines, readGttLines, vigilPredictor } = await import(
    '../../eval/index.js'
  );

  let bad = 0;
  const report = async (kind: 'error' | 'warning', problems: readonly ReadProblem[]) => {
    for (const p of problems) await write(process.stderr, `${kind} ${p.where}: ${p.problem}\n`);
    if (kind === 'error') bad += problems.length;
  };
  /** Documents of one file; a file that could not be read at all (or holds no usable line) is fatal. */
  const load = async <T>(path: string, results: AsyncIterable<LineResult<T>>): Promise<T[]> => {
    const all = await readAll(results);
    const fileError = all.errors.find((e) => e.where === path);
    if (fileError) throw new CliError(path, fileError.problem);
    await report('error', all.errors);
    await report('warning', all.warnings);
    if (all.documents.length === 0) throw new CliError(path, 'no readable document');
    return all.documents;
  };

  const goldRead = await load(goldPath, readGttLines(goldPath, { maxTextBytes }));
  const gold = goldRead.filter((d) => d.templates !== null);
  await report(
    'error',
    goldRead
      .filter((d) => d.templates === null)
      .map((d) => ({
        where: d.origin,
        problem: 'templates: missing (gold documents need them, even empty)',
      })),
  );
  if (gold.length === 0) throw new CliError(goldPath, 'no gold document with templates');
  const grit =
    options.grit === undefined
      ? null
      : await load(options.grit, readGritLines(options.grit, { maxTextBytes }));

  const result = evaluateMuc4(gold, grit, vigilPredictor(), { published });
  if (options.json) await print(JSON.stringify(evalJson(result, goldPath, options.grit ?? null)));
  else await print(evalText(result, goldPath, options.grit ?? null));
  if (bad > 0) process.exitCode = EXIT.badInput;
}

/** A fraction as a percentage with two decimals, as the MUC-4 scorers print it. */
const percent = (x: number) => Math.round(x * 10_000) / 100;
const shown = (x: number) => percent(x).toFixed(2);

function evalJson(r: Muc4Evaluation, gold: string, grit: string | null) {
  const gttRow = (s: Muc4Evaluation['gtt']['micro']) => ({
    p: percent(s.p),
    r: percent(s.r),
    f1: percent(s.f1),
    p_num: s.pNum,
    p_den: s.pDen,
    r_num: s.rNum,
    r_den: s.rDen,
  });
  const ceafRow = (s: NonNullable<Muc4Evaluation['ceafRee']>['micro']) => ({
    p: percent(s.p),
    r: percent(s.r),
    f1: percent(s.f1),
    matched: s.matched,
    predicted: s.predicted,
    gold: s.gold,
  });
  return {
    gold,
    grit,
    documents: r.documents,
    relevant_documents: r.relevantDocuments,
    predicted_templates: r.predictedTemplates,
    gtt: {
      ...Object.fromEntries(Object.entries(r.gtt.keys).map(([k, s]) => [k, gttRow(s)])),
      micro_avg: gttRow(r.gtt.micro),
      capped_documents: r.gtt.cappedDocuments,
      inexact_documents: r.gtt.inexactDocuments,
    },
    ceaf_ree:
      r.ceafRee === null
        ? null
        : {
            ...Object.fromEntries(Object.entries(r.ceafRee.roles).map(([k, s]) => [k, ceafRow(s)])),
            micro_avg: ceafRow(r.ceafRee.micro),
            documents: r.ceafRee.documents,
          },
  };
}

const GTT_COLUMNS: readonly Column[] = [
  { header: 'key' },
  { header: 'P', align: 'right' },
  { header: 'R', align: 'right' },
  { header: 'F1', align: 'right' },
  { header: 'P hits', align: 'right' },
  { header: 'R hits', align: 'right' },
];

const CEAF_COLUMNS: readonly Column[] = [
  { header: 'role' },
  { header: 'P', align: 'right' },
  { header: 'R', align: 'right' },
  { header: 'F1', align: 'right' },
  { header: 'predicted', align: 'right' },
  { header: 'gold', align: 'right' },
  { header: 'matched', align: 'right' },
];

function evalText(r: Muc4Evaluation, gold: string, grit: string | null): string {
  const out: string[] = [
    `MUC-4 ${gold}: ${r.documents} documents (${r.relevantDocuments} with gold templates), ${r.predictedTemplates} templates predicted`,
    '',
    'GTT template metric (best template mapping per document; micro avg = incident type + 5 roles)',
  ];
  const gttRow = (name: string, s: Muc4Evaluation['gtt']['micro']) => [
    name,
    shown(s.p),
    shown(s.r),
    shown(s.f1),
    `${s.pNum}/${s.pDen}`,
    `${s.rNum}/${s.rDen}`,
  ];
  out.push(
    renderTable(GTT_COLUMNS, [
      ...Object.entries(r.gtt.keys).map(([k, s]) => gttRow(k, s)),
      gttRow('micro avg', r.gtt.micro),
    ]),
  );
  if (r.gtt.cappedDocuments > 0)
    out.push(`${r.gtt.cappedDocuments} documents with more than 8 templates: only the first 8 were mapped`);
  if (r.gtt.inexactDocuments > 0)
    out.push(`${r.gtt.inexactDocuments} documents whose mapping search was cut short`);
  if (r.ceafRee !== null) {
    out.push('', `CEAF-REE (GRIT gold ${grit}; entities matched one-to-one)`);
    const ceafRow = (name: string, s: NonNullable<Muc4Evaluation['ceafRee']>['micro']) => [
      name,
      shown(s.p),
      shown(s.r),
      shown(s.f1),
      String(s.predicted),
      String(s.gold),
      String(s.matched),
    ];
    out.push(
      renderTable(CEAF_COLUMNS, [
        ...Object.entries(r.ceafRee.roles).map(([k, s]) => ceafRow(k, s)),
        ceafRow('micro avg', r.ceafRee.micro),
      ]),
    );
  }
  return out.join('\n');
}
