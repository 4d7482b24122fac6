/**
 * `npm run eval`: Vigil against the coders, on the blind part of every shared incident set (and
 * MUC-4 dev), in one table. Tune on `--part train`, never on blind.
 *
 *   npm run eval [-- --part train|blind|all] [--set gtd-2011 ...] [--misses misses.jsonl] [--no-muc4] [--json]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sharedDir } from '../scripts/train/data.js';
import {
  type CodedIncident,
  evaluateIncidents,
  FIELDS,
  type IncidentsEvaluation,
  readCodedFile,
  type SplitPart,
} from '../src/eval/incidents/index.js';

/** The sets scored, and which of their records: ACLED's notes only where violence was coded, and
 * its actor names are not groups (the shared README). */
const SETS: Readonly<Record<string, { keep?: (r: CodedIncident) => boolean; fields?: readonly string[] }>> = {
  'gtd-2011': {},
  'gtd-1993': {},
  'rand-rdwti': {},
  'drone-gtd-acled': { keep: (r) => r.textKind.startsWith('GTD') },
  'acled-2015-asia': {
    keep: (r) => /battle|violence|remote/i.test(r.eventType ?? ''),
    fields: ['date', 'country', 'city', 'killed'],
  },
};

const { values } = parseArgs({
  options: {
    part: { type: 'string', default: 'blind' },
    set: { type: 'string', multiple: true },
    misses: { type: 'string' },
    'no-muc4': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
if (!['train', 'blind', 'all'].includes(values.part))
  throw new Error(`--part: train, blind or all, not ${values.part}`);
const part = values.part === 'all' ? undefined : (values.part as SplitPart);
const sets = values.set ?? Object.keys(SETS);

const results: Record<string, IncidentsEvaluation> = {};
const misses: string[] = [];
for (const set of sets) {
  const spec = SETS[set];
  if (!spec) throw new Error(`--set: no set ${set} (have ${Object.keys(SETS).join(', ')})`);
  const path = join(sharedDir(), 'eval', 'incidents', `${set}.dev.jsonl`);
  const records = readCodedFile(path).filter((r) => spec.keep?.(r) ?? true);
  const started = Date.now();
  const evaluation = evaluateIncidents(records, {
    ...(part ? { part } : {}),
    progress: (n) => process.stderr.write(`\r${set}: ${n} records`),
  });
  const allowed = spec.fields;
  const fields = allowed
    ? (Object.fromEntries(
        Object.entries(evaluation.fields).map(([f, a]) =>
          allowed.includes(f) ? [f, a] : [f, { scored: 0, correct: 0, accuracy: null }],
        ),
      ) as IncidentsEvaluation['fields'])
    : evaluation.fields;
  results[set] = { ...evaluation, fields };
  for (const m of evaluation.misses)
    if (!allowed || allowed.includes(m.field)) misses.push(JSON.stringify({ set, ...m }));
  process.stderr.write(
    `\r${set}: ${evaluation.records} records, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
if (values.misses) writeFileSync(values.misses, misses.length ? `${misses.join('\n')}\n` : '');

let muc4: { gtt: number; ceafRee: number } | null = null;
if (!values['no-muc4']) {
  const { evaluateMuc4, readAll, readGritLines, readGttLines, vigilPredictor } = await import(
    '../src/eval/index.js'
  );
  const dir = join(sharedDir(), 'eval', 'muc4');
  const gold = (await readAll(readGttLines(join(dir, 'dev.jsonl')))).documents.filter(
    (d) => d.templates !== null,
  );
  const grit = (await readAll(readGritLines(join(dir, 'grit_dev.jsonl')))).documents;
  const e = evaluateMuc4(gold, grit, vigilPredictor());
  muc4 = { gtt: 100 * e.gtt.micro.f1, ceafRee: 100 * (e.ceafRee?.micro.f1 ?? 0) };
}

if (values.json) console.log(JSON.stringify({ part: values.part, sets: results, muc4 }, null, 2));
else {
  const header = ['set', 'records', ...FIELDS];
  const rows = Object.entries(results).map(([set, e]) => [
    set,
    String(e.records),
    ...FIELDS.map((f) =>
      e.fields[f].accuracy === null ? '—' : `${e.fields[f].accuracy}% (${e.fields[f].scored})`,
    ),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  console.log(`Vigil against the coders, ${values.part} part (accuracy, records scored)\n`);
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
  if (muc4) console.log(`\nMUC-4 dev: GTT F1 ${muc4.gtt.toFixed(1)}, CEAF-REE F1 ${muc4.ceafRee.toFixed(1)}`);
}
