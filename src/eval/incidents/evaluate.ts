/** Per-field accuracy of Vigil over a set of coder-gold records, with confusion tables and misses. */
import type { ArmedGroup } from '../../knowledge/groups.js';
import type { CodedIncident } from './records.js';
import { FIELDS, type FieldName, groupMap, scoreRecord, vigilIncident } from './score.js';
import { type SplitPart, splitPart } from './split.js';

export interface FieldAccuracy {
  readonly scored: number;
  readonly correct: number;
  /** Percent, one decimal; null when nothing was scored. */
  readonly accuracy: number | null;
}

export interface IncidentsEvaluation {
  readonly records: number;
  readonly fields: Readonly<Record<FieldName, FieldAccuracy>>;
  /** For the type fields: gold code → Vigil's code → records. */
  readonly confusion: Readonly<
    Record<'attack_type' | 'target_type' | 'weapon', Record<string, Record<string, number>>>
  >;
  readonly misses: readonly Miss[];
}

export interface Miss {
  readonly id: string;
  readonly field: FieldName;
  readonly gold: string;
  readonly predicted: string;
  readonly text: string;
}

export interface EvaluateOptions {
  /** Only the records of this part (see split.ts); all of them when absent. */
  readonly part?: SplitPart;
  readonly groups?: ReadonlyMap<string, ArmedGroup>;
  /** Called after every 500 records, for progress. */
  readonly progress?: (done: number) => void;
}

export function evaluateIncidents(
  records: Iterable<CodedIncident>,
  options: EvaluateOptions = {},
): IncidentsEvaluation {
  const groups = options.groups ?? groupMap();
  const counts = Object.fromEntries(FIELDS.map((f) => [f, { scored: 0, correct: 0 }])) as Record<
    FieldName,
    { scored: number; correct: number }
  >;
  const confusion = { attack_type: {}, target_type: {}, weapon: {} } as IncidentsEvaluation['confusion'];
  const misses: Miss[] = [];
  let n = 0;
  for (const record of records) {
    if (options.part !== undefined && splitPart(record.id) !== options.part) continue;
    n++;
    if (n % 500 === 0) options.progress?.(n);
    for (const o of scoreRecord(record, vigilIncident(record, groups), groups)) {
      counts[o.field].scored++;
      if (o.correct) counts[o.field].correct++;
      else
        misses.push({
          id: record.id,
          field: o.field,
          gold: o.gold,
          predicted: o.predicted,
          text: record.text,
        });
      if (o.field === 'attack_type' || o.field === 'target_type' || o.field === 'weapon') {
        const table = confusion[o.field];
        const row = table[o.gold] ?? {};
        row[o.predicted] = (row[o.predicted] ?? 0) + 1;
        table[o.gold] = row;
      }
    }
  }
  const fields = Object.fromEntries(
    FIELDS.map((f) => {
      const c = counts[f];
      return [f, { ...c, accuracy: c.scored === 0 ? null : Math.round((1000 * c.correct) / c.scored) / 10 }];
    }),
  ) as Record<FieldName, FieldAccuracy>;
  return { records: n, fields, confusion, misses };
}
