import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { IncidentsEvaluation } from '../../eval/incidents/index.js';
import { CliError, EXIT } from '../errors.js';
import { type Column, renderTable } from '../format.js';
import { print, write } from '../io.js';
import { withExamples } from './shared.js';

interface EvalIncidentsOptions {
  readonly part: string;
  readonly misses?: string;
  readonly confusion?: boolean;
  readonly json?: boolean;
}

export function registerEvalIncidents(evalCommand: Command): void {
  const incidents = evalCommand
    .command('incidents')
    .description(
      'Score Vigil against coder-gold incident records (GTD, RAND, ACLED summaries): per-field accuracy of the highest-toll incident',
    )
    .argument(
      '<records.jsonl>',
      'one {id, text, date, country, city, perpetrator, event_type, target, weapon, killed, wounded} per line',
    )
    .option('--part <part>', 'train, blind (fixed by a hash of each id) or all', 'all')
    .option('--misses <file>', 'write every wrong field as JSON Lines {id, field, gold, predicted, text}')
    .option('--confusion', 'also print coder × Vigil tables for attack, target and weapon type')
    .option('--json', 'the scores as one JSON object')
    .action((file: string, options: EvalIncidentsOptions) => evalIncidentsCommand(file, options));
  withExamples(
    incidents,
    'vigil eval incidents ../shared/eval/incidents/gtd-2011.dev.jsonl --part blind',
    'vigil eval incidents records.jsonl --misses misses.jsonl --confusion',
  );
}

async function evalIncidentsCommand(file: string, options: EvalIncidentsOptions): Promise<void> {
  if (!['train', 'blind', 'all'].includes(options.part))
    throw new CliError('--part', `must be train, blind or all, not "${options.part}"`);
  const { evaluateIncidents, readCodedLines } = await import('../../eval/incidents/index.js');
  const records = [];
  let bad = 0;
  for await (const line of readCodedLines(file)) {
    if (line.ok) records.push(line.document);
    else if (line.error.where === file) throw new CliError(file, line.error.problem);
    else {
      bad++;
      await write(process.stderr, `error ${line.error.where}: ${line.error.problem}\n`);
    }
  }
  if (records.length === 0) throw new CliError(file, 'no readable record');
  const tty = process.stderr.isTTY === true;
  const evaluation = evaluateIncidents(records, {
    ...(options.part === 'all' ? {} : { part: options.part as 'train' | 'blind' }),
    ...(tty ? { progress: (n: number) => process.stderr.write(`\r${n} records scored`) } : {}),
  });
  if (tty) process.stderr.write('\r\x1b[K');
  if (options.misses !== undefined) {
    await writeFile(options.misses, evaluation.misses.map((m) => `${JSON.stringify(m)}\n`).join(''));
  }
  if (options.json) await print(JSON.stringify({ file, part: options.part, ...withoutMisses(evaluation) }));
  else await print(evalText(evaluation, file, options));
  if (bad > 0) process.exitCode = EXIT.badInput;
}

const withoutMisses = ({ misses, ...rest }: IncidentsEvaluation) => ({ ...rest, missed: misses.length });

const FIELD_COLUMNS: readonly Column[] = [
  { header: 'field' },
  { header: 'accuracy', align: 'right' },
  { header: 'correct', align: 'right' },
  { header: 'scored', align: 'right' },
];

function evalText(e: IncidentsEvaluation, file: string, options: EvalIncidentsOptions): string {
  const out = [
    `${file}: ${e.records} records (${options.part} part), the highest-toll incident Vigil finds in each`,
    '',
    renderTable(
      FIELD_COLUMNS,
      Object.entries(e.fields).map(([field, a]) => [
        field,
        a.accuracy === null ? '—' : `${a.accuracy.toFixed(1)}%`,
        String(a.correct),
        String(a.scored),
      ]),
    ),
  ];
  if (options.confusion) {
    for (const [field, table] of Object.entries(e.confusion)) {
      const predicted = [...new Set(Object.values(table).flatMap((row) => Object.keys(row)))].sort();
      if (predicted.length === 0) continue;
      out.push('', `${field}: coder (rows) × Vigil (columns)`);
      out.push(
        renderTable(
          [{ header: 'coder' }, ...predicted.map((p) => ({ header: p, align: 'right' as const }))],
          Object.keys(table)
            .sort()
            .map((gold) => [gold, ...predicted.map((p) => String(table[gold]?.[p] ?? 0))]),
        ),
      );
    }
  }
  if (options.misses !== undefined)
    out.push('', `${e.misses.length} wrong fields written to ${options.misses}`);
  return out.join('\n');
}
